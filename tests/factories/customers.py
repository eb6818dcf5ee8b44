from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from eyelevel.customers.models import (
    AccessLogEntry,
    Consent,
    ConsentEvent,
    Customer,
    FactRevision,
    LoginLink,
    PersonalFact,
    Purpose,
    WebhookDelivery,
    WebhookEndpoint,
)
from tests.factories import registers
from tests.factories.core import OrganisationFactory


@registers("customers.Customer")
class CustomerFactory(DjangoModelFactory):
    class Meta:
        model = Customer

    organisation = factory.SubFactory(OrganisationFactory)
    display_name = factory.Sequence(lambda n: f"Customer {n}")
    email = factory.Sequence(lambda n: f"customer{n}@example.com")
    external_ref = factory.Sequence(lambda n: f"CUST-{n:05d}")
    language = "en"


@registers("customers.Purpose")
class PurposeFactory(DjangoModelFactory):
    class Meta:
        model = Purpose

    organisation = factory.SubFactory(OrganisationFactory)
    code = factory.Sequence(lambda n: f"purpose-{n}")
    name_en = factory.Sequence(lambda n: f"Purpose {n}")
    name_de = factory.Sequence(lambda n: f"Zweck {n}")
    description_en = "What we do with it, in plain words."
    description_de = "Was wir damit tun, in einfachen Worten."
    legal_basis = "contract"
    retention_days = 365


_same_organisation = factory.SelfAttribute("..organisation")


@registers("customers.Consent")
class ConsentFactory(DjangoModelFactory):
    class Meta:
        model = Consent

    organisation = factory.SubFactory(OrganisationFactory)
    customer = factory.SubFactory(CustomerFactory, organisation=_same_organisation)
    purpose = factory.SubFactory(PurposeFactory, organisation=_same_organisation, legal_basis="consent")
    granted = True


@registers("customers.ConsentEvent")
class ConsentEventFactory(DjangoModelFactory):
    class Meta:
        model = ConsentEvent

    organisation = factory.SubFactory(OrganisationFactory)
    customer = factory.SubFactory(CustomerFactory, organisation=_same_organisation)
    purpose = factory.SubFactory(PurposeFactory, organisation=_same_organisation, legal_basis="consent")
    granted = True
    channel = "staff"
    text_version = 1
    note = factory.LazyAttribute(lambda o: f"{o.customer.display_name} said yes on the phone")


@registers("customers.PersonalFact")
class PersonalFactFactory(DjangoModelFactory):
    class Meta:
        model = PersonalFact

    organisation = factory.SubFactory(OrganisationFactory)
    customer = factory.SubFactory(CustomerFactory, organisation=_same_organisation)
    purpose = factory.SubFactory(PurposeFactory, organisation=_same_organisation)
    key = factory.Sequence(lambda n: f"datum-{n}")
    value = factory.LazyAttribute(lambda o: f"{o.customer.email} / {o.customer.display_name}")
    source_kind = "staff"
    source_detail = "staff: test"
    collected_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=365))


@registers("customers.FactRevision")
class FactRevisionFactory(DjangoModelFactory):
    class Meta:
        model = FactRevision

    organisation = factory.SubFactory(OrganisationFactory)
    customer = factory.SubFactory(CustomerFactory, organisation=_same_organisation)
    fact = factory.SubFactory(PersonalFactFactory, organisation=_same_organisation,
                              customer=factory.SelfAttribute("..customer"))
    key = factory.LazyAttribute(lambda o: o.fact.key)
    old_value = factory.LazyAttribute(lambda o: o.customer.display_name)
    new_value = factory.LazyAttribute(lambda o: o.customer.external_ref)
    source_kind = "portal"
    source_detail = "you, in the portal"


@registers("customers.AccessLogEntry")
class AccessLogEntryFactory(DjangoModelFactory):
    class Meta:
        model = AccessLogEntry

    organisation = factory.SubFactory(OrganisationFactory)
    customer = factory.SubFactory(CustomerFactory, organisation=_same_organisation)
    actor_kind = "staff"
    actor_label = "agent"
    what = "customer record"
    reason = factory.LazyAttribute(lambda o: f"{o.customer.display_name} called about an order")


@registers("customers.LoginLink")
class LoginLinkFactory(DjangoModelFactory):
    class Meta:
        model = LoginLink

    organisation = factory.SubFactory(OrganisationFactory)
    customer = factory.SubFactory(CustomerFactory, organisation=_same_organisation)
    token_hash = factory.Sequence(lambda n: f"{n:064d}")
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(minutes=15))


@registers("customers.WebhookEndpoint")
class WebhookEndpointFactory(DjangoModelFactory):
    class Meta:
        model = WebhookEndpoint

    organisation = factory.SubFactory(OrganisationFactory)
    url = "http://127.0.0.1:9/hook"
    secret = factory.Sequence(lambda n: f"whsec_test_{n}")
    active = False  # factories never fire real deliveries


@registers("customers.WebhookDelivery")
class WebhookDeliveryFactory(DjangoModelFactory):
    class Meta:
        model = WebhookDelivery

    organisation = factory.SubFactory(OrganisationFactory)
    endpoint = factory.SubFactory(WebhookEndpointFactory, organisation=_same_organisation)
    event = "consent.changed"
    payload = factory.LazyFunction(lambda: {"event": "consent.changed", "data": {}})
    status = "delivered"
