"""Erasure leaves nothing: a customer with data in every table is erased, then every table and text
column of the database is scanned for their name, email and external reference."""

import pytest
from django.db import connection

from eyelevel.core.registry import personal_data_providers
from eyelevel.customers import services
from eyelevel.customers.models import Customer
from eyelevel.customers.schemas import FactIn, FactSource, WebhookEndpointIn
from eyelevel.messaging import services as messaging
from eyelevel.messaging.models import Message
from eyelevel.messaging.schemas import OutboundMessage
from tests.customers.helpers import standard_purposes
from tests.factories import FACTORY_FOR_MODEL, load_all
from tests.factories.customers import CustomerFactory

NAME = "Xaverius Quendlinger"
EMAIL = "xaverius.q@erase-test.example"
REFERENCE = "ERASE-REF-77123"


def _has_customer_key(model) -> bool:  # type: ignore[no-untyped-def]
    field = next((f for f in model._meta.get_fields() if f.name == "customer"), None)
    return field is not None and field.many_to_one and field.related_model is Customer


def _fill_every_table(org, customer) -> list[str]:  # type: ignore[no-untyped-def]
    from django.apps import apps

    load_all()
    made = []
    for label, factory in sorted(FACTORY_FOR_MODEL.items()):
        model = apps.get_model(label)
        if _has_customer_key(model):
            factory(organisation=org, customer=customer)
            made.append(label)
    return made


def _scan(needles: list[str]) -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            for column in columns:
                quoted = f"LOWER(CAST({connection.ops.quote_name(column)} AS TEXT))"
                for needle in needles:
                    cursor.execute(
                        f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)} WHERE {quoted} LIKE %s",  # noqa: S608 - names come from introspection
                        [f"%{needle.lower()}%"],
                    )
                    if cursor.fetchone()[0]:
                        found.append(f"table {table}, column {column}: still holds {needle!r}")
    return found


def test_erasure_leaves_nothing_in_any_table(org, agent, settings):
    settings.EYELEVEL_WEBHOOK_MAX_ATTEMPTS = 1
    standard_purposes(org)
    customer = CustomerFactory(organisation=org, display_name=NAME, email=EMAIL, external_ref=REFERENCE)
    other = CustomerFactory(organisation=org, display_name="Someone Else")
    made = _fill_every_table(org, customer)
    assert "customers.PersonalFact" in made
    assert "messaging.Message" in made
    # Data through the services too: a fact, a consent, a webhook about it, a message, a logged read.
    services.create_webhook_endpoint(organisation=org, data=WebhookEndpointIn(url="http://127.0.0.1:9/hook"))
    services.set_consent(organisation=org, customer_id=customer.pk, purpose_code="newsletter", granted=True,
                         channel="staff", note=f"{NAME} asked on the phone")
    services.record_fact(organisation=org, customer_id=customer.pk, source=FactSource(kind="staff", detail="agent"),
                         data=FactIn(key="nickname", value=f"{NAME} <{EMAIL}>", purpose_code="newsletter"))
    messaging.send_to_customer(organisation=org, message=OutboundMessage(
        customer_id=customer.pk, purpose_code="newsletter", subject=f"Hello {NAME}", body=f"Dear {NAME}",
        reason="you subscribed to the newsletter", automated=True, sender_name="Acme Bakery"))
    services.read_customer(organisation=org, customer_id=customer.pk,
                           reader=services.staff_reader(user_id=agent.pk, username="agent", reason=f"{NAME} called"))
    assert _scan([NAME, EMAIL, REFERENCE]), "the scan must find the customer before erasure (else it proves nothing)"
    messages_before = Message.objects.for_organisation(org).count()

    result = services.erase_customer(organisation=org, customer_id=customer.pk, requested_via="portal")

    leftovers = _scan([NAME, EMAIL, REFERENCE])
    assert not leftovers, (
        "erasure left personal data behind; the domain owning each table must register an eraser "
        "(core.registry.register_personal_data) that deletes or anonymises it:\n" + "\n".join(leftovers)
    )
    assert set(result.rows_erased) == {p.domain for p in personal_data_providers()}
    # Aggregates survive without identity: the messages still count, the other customer is untouched.
    assert Message.objects.for_organisation(org).count() == messages_before
    assert Customer.objects.for_organisation(org).get(pk=customer.pk).erased_at is not None
    assert Customer.objects.for_organisation(org).get(pk=other.pk).display_name == "Someone Else"


def test_an_erased_customer_is_gone_for_services_and_the_portal(org, customer):
    client_session_customer = customer.pk
    services.erase_customer(organisation=org, customer_id=customer.pk, requested_via="staff")
    from eyelevel.core.errors import NotFound

    with pytest.raises(NotFound):
        services.get_customer(organisation=org, customer_id=client_session_customer)
    assert services.portal_session_for(customer_id=customer.pk, organisation_id=org.pk) is None
    with pytest.raises(NotFound):
        services.erase_customer(organisation=org, customer_id=customer.pk, requested_via="staff")


def test_export_covers_every_registered_domain(org, customer, purposes):
    services.record_fact(organisation=org, customer_id=customer.pk, source=FactSource(kind="staff", detail="agent"),
                         data=FactIn(key="address", value="Hauptstr. 1", purpose_code="order-handling"))
    export = services.export_customer_data(organisation=org, customer_id=customer.pk)
    assert set(export["domains"]) == {p.domain for p in personal_data_providers()}
    assert {"customers", "messaging"} <= set(export["domains"])
    assert export["customer"]["email"] == "lena@example.com"
    assert export["domains"]["customers"]["facts"][0]["value"] == "Hauptstr. 1"
    assert "order-handling" in export["purposes"]
    html = services.render_export_html(export)
    assert "Hauptstr. 1" in html
    assert "lena@example.com" in html
