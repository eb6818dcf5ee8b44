import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from eyelevel.feedback.models import Action, FeedbackItem, ImportJob, RoutingRule
from tests.factories import registers
from tests.factories.core import OrganisationFactory
from tests.factories.customers import CustomerFactory


@registers("feedback.FeedbackItem")
class FeedbackItemFactory(DjangoModelFactory):
    class Meta:
        model = FeedbackItem

    organisation = factory.SubFactory(OrganisationFactory)
    channel = "portal"
    text = factory.Sequence(lambda n: f"Feedback number {n}: the coffee was cold.")
    customer = factory.SubFactory(CustomerFactory, organisation=factory.SelfAttribute("..organisation"))
    received_at = factory.LazyFunction(timezone.now)
    sentiment = "negative"
    aspects = factory.LazyFunction(lambda: [{"label": "Gastronomisches_Angebot", "polarity": "negative"}])
    urgency = "normal"


@registers("feedback.Action")
class ActionFactory(DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Fix number {n}")

    @factory.post_generation
    def items(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        del kwargs
        if create:
            self.items.set(extracted or [FeedbackItemFactory(organisation=self.organisation)])


@registers("feedback.RoutingRule")
class RoutingRuleFactory(DjangoModelFactory):
    class Meta:
        model = RoutingRule

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Rule {n}")
    team = "service"


@registers("feedback.ImportJob")
class ImportJobFactory(DjangoModelFactory):
    class Meta:
        model = ImportJob

    organisation = factory.SubFactory(OrganisationFactory)
    filename = "feedback.csv"
    payload = b"text\nhello\n"
    status = "done"
