"""Webhooks: consent changes and erasures, signed with HMAC-SHA256 and retried with exponential backoff.

Each delivery is signed over "<timestamp>.<body>" with the endpoint's secret; the receiver checks
``X-Eyelevel-Signature: sha256=<hex>`` against ``X-Eyelevel-Timestamp`` and refuses old timestamps.
"""

import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eyelevel.core.errors import InvalidInput
from eyelevel.core.models import Organisation
from eyelevel.core.tenancy import get_scoped
from eyelevel.customers.models import WebhookDelivery, WebhookEndpoint
from eyelevel.customers.schemas import (
    WebhookDeliveryOut,
    WebhookEndpointCreated,
    WebhookEndpointIn,
    WebhookEndpointOut,
)

EVENTS = ("consent.changed", "customer.erased")
SIGNATURE_HEADER = "X-Eyelevel-Signature"
TIMESTAMP_HEADER = "X-Eyelevel-Timestamp"


def _out(endpoint: WebhookEndpoint) -> WebhookEndpointOut:
    return WebhookEndpointOut(id=endpoint.pk, url=endpoint.url, events=endpoint.events.split(","),
                              active=endpoint.active, created_at=endpoint.created_at)


def create_webhook_endpoint(*, organisation: Organisation, data: WebhookEndpointIn) -> WebhookEndpointCreated:
    """Register an endpoint; its signing secret is shown once, here."""
    unknown = [event for event in data.events if event not in EVENTS]
    if unknown or not data.events:
        raise InvalidInput(_("events must be some of %(events)s") % {"events": ", ".join(EVENTS)}, field="events")
    endpoint = WebhookEndpoint.objects.create(
        organisation=organisation, url=data.url, secret="whsec_" + secrets.token_urlsafe(32),
        events=",".join(sorted(set(data.events))),
    )
    return WebhookEndpointCreated(**_out(endpoint).dict(), secret=endpoint.secret)


def list_webhook_endpoints(*, organisation: Organisation | int) -> list[WebhookEndpointOut]:
    """The organisation's webhook endpoints."""
    return [_out(e) for e in WebhookEndpoint.objects.for_organisation(organisation)]


def get_webhook_endpoint(*, organisation: Organisation | int, webhook_endpoint_id: int) -> WebhookEndpointOut:
    """One of the organisation's endpoints, or NotFound."""
    return _out(get_scoped(WebhookEndpoint, organisation=organisation, pk=webhook_endpoint_id))


def delete_webhook_endpoint(*, organisation: Organisation | int, webhook_endpoint_id: int) -> None:
    """Remove an endpoint and its delivery records."""
    get_scoped(WebhookEndpoint, organisation=organisation, pk=webhook_endpoint_id).delete()


def list_webhook_deliveries(*, organisation: Organisation | int, webhook_endpoint_id: int) -> list[WebhookDeliveryOut]:
    """The latest deliveries to one endpoint, newest first."""
    endpoint = get_scoped(WebhookEndpoint, organisation=organisation, pk=webhook_endpoint_id)
    return [WebhookDeliveryOut.from_orm(d) for d in endpoint.deliveries.all()[:100]]


def emit_event(*, organisation_id: int, event: str, payload: dict) -> list[int]:
    """Record a delivery per subscribed endpoint and send each once the transaction commits."""
    from eyelevel.customers.tasks import deliver_webhook

    ids = []
    for endpoint in WebhookEndpoint.objects.for_organisation(organisation_id).filter(active=True):
        if event not in endpoint.events.split(","):
            continue
        delivery = WebhookDelivery.objects.create(
            organisation_id=organisation_id, endpoint=endpoint, event=event,
            payload={"event": event, "organisation_id": organisation_id,
                     "occurred_at": timezone.now().isoformat(), "data": payload},
        )
        ids.append(delivery.pk)
        transaction.on_commit(lambda delivery_id=delivery.pk: deliver_webhook.enqueue(delivery_id=delivery_id))
    return ids


def sign(*, secret: str, timestamp: int, body: bytes) -> str:
    """The HMAC-SHA256 signature of "<timestamp>.<body>", as sent in the signature header."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify_signature(*, secret: str, timestamp: int, body: bytes, signature: str, tolerance_s: int = 300) -> bool:
    """Whether a received delivery is authentic and fresh (for receivers and tests)."""
    if abs(time.time() - timestamp) > tolerance_s:
        return False
    return hmac.compare_digest(sign(secret=secret, timestamp=timestamp, body=body), signature)


def backoff_seconds(attempt: int) -> float:
    """How long to wait after the given failed attempt: base, 2x base, 4x base, ..."""
    base = float(getattr(settings, "EYELEVEL_WEBHOOK_BACKOFF_SECONDS", 30))
    return base * (2 ** (attempt - 1))


def max_attempts() -> int:
    return int(getattr(settings, "EYELEVEL_WEBHOOK_MAX_ATTEMPTS", 6))


def attempt_delivery(*, delivery_id: int) -> str:
    """POST the delivery once and record the outcome; returns its status (delivered, pending, failed)."""
    delivery = WebhookDelivery.objects.unscoped().select_related("endpoint").get(pk=delivery_id)
    if delivery.status != WebhookDelivery.Status.PENDING:
        return delivery.status
    body = json.dumps(delivery.payload, sort_keys=True, separators=(",", ":")).encode()
    timestamp = int(time.time())
    if not delivery.endpoint.url.startswith(("http://", "https://")):
        raise InvalidInput("a webhook URL must be http(s)", field="url")
    request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
        delivery.endpoint.url, data=body, method="POST",
        headers={
            "Content-Type": "application/json", "User-Agent": "eyelevel-webhooks/1",
            "X-Eyelevel-Event": delivery.event, "X-Eyelevel-Delivery": str(delivery.pk),
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: sign(secret=delivery.endpoint.secret, timestamp=timestamp, body=body),
        },
    )
    delivery.attempts += 1
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - http(s) only, checked above
            delivery.last_status_code = response.status
            delivery.last_error = ""
    except urllib.error.HTTPError as error:
        delivery.last_status_code = error.code
        delivery.last_error = f"HTTP {error.code}"
    except (urllib.error.URLError, OSError) as error:
        delivery.last_status_code = None
        delivery.last_error = str(error)[:300]
    if delivery.last_status_code is not None and 200 <= delivery.last_status_code < 300:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = timezone.now()
        delivery.next_attempt_at = None
    elif delivery.attempts >= max_attempts():
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.next_attempt_at = timezone.now() + timedelta(seconds=backoff_seconds(delivery.attempts))
    delivery.save()
    return delivery.status


def scrub_deliveries_of(*, organisation_id: int, customer_id: int) -> int:
    """Remove the customer's deliveries (their payloads may name the customer); used by erasure."""
    return WebhookDelivery.objects.for_organisation(organisation_id).filter(
        payload__data__customer_id=customer_id).delete()[0]
