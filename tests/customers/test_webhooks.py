"""Webhooks for consent changes and erasures: signed with HMAC-SHA256, retried with backoff, recorded.

Delivered to a real HTTP server on 127.0.0.1 in a thread (no mocks).
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from eyelevel.customers import services, webhooks
from eyelevel.customers.models import WebhookDelivery
from eyelevel.customers.schemas import WebhookEndpointIn


@pytest.fixture
def receiver():  # type: ignore[no-untyped-def]
    """A local HTTP server that fails the first `fail_first` requests with 500, then answers 204."""
    state = {"requests": [], "fail_first": 0}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state["requests"].append({"headers": dict(self.headers), "body": body})
            self.send_response(500 if len(state["requests"]) <= state["fail_first"] else 204)
            self.end_headers()

        def log_message(self, *args) -> None:  # type: ignore[no-untyped-def]
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state["url"] = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    yield state
    server.shutdown()
    server.server_close()


def _endpoint(org, url):  # type: ignore[no-untyped-def]
    return services.create_webhook_endpoint(organisation=org, data=WebhookEndpointIn(url=url))


@pytest.mark.django_db(transaction=True)
def test_consent_change_is_delivered_signed(org, customer, purposes, receiver):
    endpoint = _endpoint(org, receiver["url"])
    services.set_consent(organisation=org, customer_id=customer.pk, purpose_code="newsletter", granted=True,
                         channel="portal")
    assert len(receiver["requests"]) == 1
    request = receiver["requests"][0]
    payload = json.loads(request["body"])
    assert payload["event"] == "consent.changed"
    assert payload["data"]["customer_id"] == customer.pk
    assert payload["data"]["granted"] is True
    timestamp = int(request["headers"]["X-Eyelevel-Timestamp"])
    assert webhooks.verify_signature(secret=endpoint.secret, timestamp=timestamp, body=request["body"],
                                     signature=request["headers"]["X-Eyelevel-Signature"])
    assert not webhooks.verify_signature(secret="whsec_wrong", timestamp=timestamp, body=request["body"],
                                         signature=request["headers"]["X-Eyelevel-Signature"])
    delivery = WebhookDelivery.objects.for_organisation(org).get()
    assert delivery.status == "delivered"
    assert delivery.attempts == 1
    assert delivery.last_status_code == 204


@pytest.mark.django_db(transaction=True)
def test_failed_deliveries_are_retried_with_backoff(org, customer, receiver, settings):
    settings.EYELEVEL_WEBHOOK_BACKOFF_SECONDS = 0.01
    receiver["fail_first"] = 2
    _endpoint(org, receiver["url"])
    services.erase_customer(organisation=org, customer_id=customer.pk, requested_via="portal")
    delivery = WebhookDelivery.objects.for_organisation(org).get()
    assert delivery.event == "customer.erased"
    assert delivery.status == "delivered"
    assert delivery.attempts == 3
    assert len(receiver["requests"]) == 3
    assert json.loads(receiver["requests"][-1]["body"])["data"] == {"customer_id": customer.pk,
                                                                    "requested_via": "portal"}


@pytest.mark.django_db(transaction=True)
def test_a_delivery_gives_up_after_the_last_attempt(org, customer, purposes, receiver, settings):
    settings.EYELEVEL_WEBHOOK_BACKOFF_SECONDS = 0.01
    settings.EYELEVEL_WEBHOOK_MAX_ATTEMPTS = 3
    receiver["fail_first"] = 99
    _endpoint(org, receiver["url"])
    services.set_consent(organisation=org, customer_id=customer.pk, purpose_code="newsletter", granted=False,
                         channel="portal")
    delivery = WebhookDelivery.objects.for_organisation(org).get()
    assert delivery.status == "failed"
    assert delivery.attempts == 3
    assert delivery.last_error == "HTTP 500"


def test_backoff_doubles(settings):
    settings.EYELEVEL_WEBHOOK_BACKOFF_SECONDS = 30
    assert [webhooks.backoff_seconds(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]


def test_unknown_events_are_refused(org):
    from eyelevel.core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        services.create_webhook_endpoint(organisation=org, data=WebhookEndpointIn(url="https://x.example/h",
                                                                                  events=["order.created"]))


@pytest.mark.django_db(transaction=True)
def test_with_the_database_worker_a_failed_delivery_is_rescheduled_later(org, customer, receiver, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EYELEVEL_WEBHOOK_BACKOFF_SECONDS = 60
    receiver["fail_first"] = 1
    _endpoint(org, receiver["url"])
    services.erase_customer(organisation=org, customer_id=customer.pk, requested_via="staff")
    queued = DBTaskResult.objects.get()
    from eyelevel.customers.tasks import deliver_webhook

    deliver_webhook.call(**queued.args_kwargs["kwargs"])  # what the worker does: one attempt, then reschedule
    delivery = WebhookDelivery.objects.for_organisation(org).get()
    assert delivery.attempts == 1
    assert delivery.status == "pending"
    retry = DBTaskResult.objects.exclude(pk=queued.pk).get()
    assert 55 <= (retry.run_after - delivery.created_at).total_seconds() <= 120
