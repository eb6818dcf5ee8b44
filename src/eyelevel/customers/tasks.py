"""Background work of the customers domain: webhook deliveries and the retention sweep."""

import time
from datetime import timedelta

from django.utils import timezone
from django_tasks import default_task_backend, task

from eyelevel.customers import facts, webhooks
from eyelevel.customers.models import WebhookDelivery


@task()
def deliver_webhook(delivery_id: int) -> str:
    """Deliver one webhook; on failure retry with exponential backoff until it succeeds or gives up."""
    while True:
        status = webhooks.attempt_delivery(delivery_id=delivery_id)
        if status != "pending":
            return status
        attempts = WebhookDelivery.objects.unscoped().get(pk=delivery_id).attempts
        delay = webhooks.backoff_seconds(attempts)
        if default_task_backend.supports_defer:
            # The database worker runs the retry later; this worker is free meanwhile.
            deliver_webhook.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(delivery_id=delivery_id)
            return status
        time.sleep(delay)  # a backend without deferral (tests: immediate) waits in place


@task()
def delete_expired_facts() -> int:
    """Retention: delete every fact past its expiry, in every organisation."""
    return facts.delete_expired_facts()
