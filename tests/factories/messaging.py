import factory
from factory.django import DjangoModelFactory

from eyelevel.messaging.models import ContactCap, Message
from tests.factories import registers
from tests.factories.core import OrganisationFactory
from tests.factories.customers import CustomerFactory


@registers("messaging.Message")
class MessageFactory(DjangoModelFactory):
    class Meta:
        model = Message

    organisation = factory.SubFactory(OrganisationFactory)
    customer = factory.SubFactory(CustomerFactory, organisation=factory.SelfAttribute("..organisation"))
    purpose_code = "newsletter"
    channel = "email"
    subject = factory.LazyAttribute(lambda o: f"Hello {o.customer.display_name}")
    body = factory.LazyAttribute(lambda o: f"Dear {o.customer.display_name} ({o.customer.email}, {o.customer.external_ref})")
    reason = factory.LazyAttribute(lambda o: f"{o.customer.display_name} subscribed to the newsletter")
    automated = True
    sender_name = "Acme Bakery"
    status = "sent"


@registers("messaging.ContactCap")
class ContactCapFactory(DjangoModelFactory):
    class Meta:
        model = ContactCap

    organisation = factory.SubFactory(OrganisationFactory)
    scope = "marketing"
    max_messages = 2
    period_days = 7
