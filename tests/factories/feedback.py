import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from eyelevel.feedback.models import FeedbackItem
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
