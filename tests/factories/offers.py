import factory
from factory.django import DjangoModelFactory

from eyelevel.offers.models import Offer, OfferExclusion, PersonalisationSetting, RecommenderModel
from tests.factories import registers
from tests.factories.core import OrganisationFactory
from tests.factories.customers import CustomerFactory


@registers("offers.Offer")
class OfferFactory(DjangoModelFactory):
    class Meta:
        model = Offer

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Offer {n}")


@registers("offers.PersonalisationSetting")
class PersonalisationSettingFactory(DjangoModelFactory):
    class Meta:
        model = PersonalisationSetting

    organisation = factory.SubFactory(OrganisationFactory)
    customer = factory.SubFactory(CustomerFactory, organisation=factory.SelfAttribute("..organisation"))
    personalised = False


@registers("offers.OfferExclusion")
class OfferExclusionFactory(DjangoModelFactory):
    class Meta:
        model = OfferExclusion

    organisation = factory.SubFactory(OrganisationFactory)
    customer = factory.SubFactory(CustomerFactory, organisation=factory.SelfAttribute("..organisation"))
    kind = "category"
    category = "Coffee"


@registers("offers.RecommenderModel")
class RecommenderModelFactory(DjangoModelFactory):
    class Meta:
        model = RecommenderModel

    organisation = factory.SubFactory(OrganisationFactory)
    status = "failed"
