"""The outbound gate: consent and legal basis, contact caps, the automated label, the reason line,
one-click unsubscribe with RFC 8058 headers, and every message recorded (rules 3, 5, 6)."""

import threading
from urllib.parse import parse_qs, urlparse

import pytest
from django.core import mail
from django.db import close_old_connections

from eyelevel.customers import services as customers
from eyelevel.messaging import services
from eyelevel.messaging.models import Message
from eyelevel.messaging.schemas import ContactCapIn, OutboundMessage
from tests.factories.customers import CustomerFactory


def _message(customer, purpose="newsletter", **extra) -> OutboundMessage:  # type: ignore[no-untyped-def]
    return OutboundMessage(**{
        "customer_id": customer.pk, "purpose_code": purpose, "subject": "Fresh rye this week",
        "body": "Our rye is back.", "reason": "you subscribed to our newsletter", "automated": True,
        "sender_name": "Acme Bakery", **extra,
    })


def _grant(org, customer, purpose="newsletter"):  # type: ignore[no-untyped-def]
    customers.set_consent(organisation=org, customer_id=customer.pk, purpose_code=purpose, granted=True,
                          channel="portal")


def test_a_message_after_revocation_is_refused(org, customer, purposes, django_capture_on_commit_callbacks):
    _grant(org, customer)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_to_customer(organisation=org, message=_message(customer)).status == "sent"
    customers.set_consent(organisation=org, customer_id=customer.pk, purpose_code="newsletter", granted=False,
                          channel="portal")
    with django_capture_on_commit_callbacks(execute=True):
        result = services.send_to_customer(organisation=org, message=_message(customer))
    assert result.status == "refused"
    assert "consent" in result.refusal
    assert result.refused_by == "consent"
    assert len(mail.outbox) == 1
    assert Message.objects.for_organisation(org).filter(status="refused").count() == 1


def test_undeclared_purpose_is_refused_and_recorded(org, customer):
    result = services.send_to_customer(organisation=org, message=_message(customer, purpose="mystery"))
    assert result.status == "refused"
    assert "not declared" in result.refusal
    assert result.refused_by == "purpose"


def test_contract_purpose_needs_no_consent_and_states_reason(org, customer, purposes,
                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = services.send_to_customer(organisation=org, message=_message(
            customer, purpose="order-handling", automated=False, sender_name="Anna from Acme",
            reason="your order 4711 is ready"))
    assert result.status == "sent"
    body = mail.outbox[0].body
    assert "Why you receive this: your order 4711 is ready" in body
    assert "sent automatically" not in body
    assert mail.outbox[0].from_email.startswith("Anna from Acme at Acme Bakery <")
    assert "List-Unsubscribe" not in mail.outbox[0].extra_headers


def test_automated_label_reason_and_one_click_unsubscribe(org, customer, purposes, client,
                                                          django_capture_on_commit_callbacks):
    _grant(org, customer)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_to_customer(organisation=org, message=_message(customer))
    email = mail.outbox[0]
    assert "This message was sent automatically by Acme Bakery." in email.body
    assert email.from_email.startswith('"Acme Bakery (automatic)" <')
    assert "Why you receive this: you subscribed to our newsletter" in email.body
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = email.extra_headers["List-Unsubscribe"].strip("<>")
    assert link in email.body
    parsed = urlparse(link)
    # RFC 8058: the mail provider POSTs "List-Unsubscribe=One-Click" to the link, without cookies or CSRF token.
    response = client.post(parsed.path + "?" + parsed.query, data="List-Unsubscribe=One-Click",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert not customers.has_consent(organisation=org, customer_id=customer.pk, purpose_code="newsletter")
    assert customers.consent_history(organisation=org, customer_id=customer.pk)[0].channel == "email"
    assert services.send_to_customer(organisation=org, message=_message(customer)).status == "refused"
    token = parse_qs(parsed.query)["t"][0]
    assert client.post(parsed.path + "?t=" + token[:-2] + "xx").status_code == 404


def test_marketing_cap_holds_across_channels(org, customer, purposes):
    _grant(org, customer)
    results = [services.send_to_customer(organisation=org, message=_message(customer, channel=channel)).status
               for channel in ("email", "sms", "email")]
    assert results == ["sent", "sent", "refused"]
    refusal = Message.objects.for_organisation(org).get(status="refused").refusal
    assert "at most 2 marketing messages in 7 days" in refusal
    # Service messages are not marketing: the marketing cap does not stop them.
    assert services.send_to_customer(organisation=org, message=_message(customer, purpose="order-handling")
                                     ).status == "sent"


def test_caps_are_configurable_per_organisation(org, other_org, customer, purposes):
    services.set_contact_cap(organisation=org, data=ContactCapIn(scope="all", max_messages=1, period_days=1))
    assert {c.scope for c in services.contact_caps(organisation=org)} == {"all", "marketing"}
    assert services.contact_caps(organisation=other_org)[0].max_messages == 2  # defaults, untouched
    assert services.send_to_customer(organisation=org, message=_message(customer, purpose="order-handling")
                                     ).status == "sent"
    refused = services.send_to_customer(organisation=org, message=_message(customer, purpose="order-handling"))
    assert refused.status == "refused"
    assert "at most 1 messages in 1 days" in refused.refusal
    assert refused.refused_by == "cap"


def test_the_customer_sees_sent_and_refused_messages(org, customer, purposes, customer_client):
    services.send_to_customer(organisation=org, message=_message(customer, purpose="order-handling",
                                                                   subject="Order ready"))
    services.send_to_customer(organisation=org, message=_message(customer, subject="Rye news"))
    page = customer_client.get("/portal/messaging/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Order ready" in text
    assert "Rye news" in text
    assert "not sent" in text
    assert "(sent automatically)" in text


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_cap_holds_under_concurrent_sends(org, purposes):
    customer = CustomerFactory(organisation=org)
    _grant(org, customer)
    services.set_contact_cap(organisation=org, data=ContactCapIn(scope="marketing", max_messages=1, period_days=7))
    barrier = threading.Barrier(4)
    results: list[str] = []
    errors: list[BaseException] = []

    def send() -> None:
        try:
            barrier.wait()
            results.append(services.send_to_customer(organisation=org, message=_message(customer)).status)
        except BaseException as error:
            errors.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(results) == ["refused", "refused", "refused", "sent"]
    assert Message.objects.for_organisation(org).filter(status="sent").count() == 1


@pytest.mark.parametrize("field", ["reason", "sender_name"])
def test_a_message_without_a_reason_or_sender_is_refused_before_anything_is_recorded(org, customer, purposes, field):
    from eyelevel.core.errors import InvalidInput

    _grant(org, customer)
    with pytest.raises(InvalidInput) as refused:
        services.send_to_customer(organisation=org, message=_message(customer, **{field: "   "}))
    assert refused.value.field == field
    assert not Message.objects.for_organisation(org).exists()
