"""Feedback intake."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from eyelevel.core.errors import InvalidInput
from eyelevel.core.models import Organisation
from eyelevel.feedback.models import Channel, FeedbackItem
from eyelevel.feedback.schemas import FeedbackIn, FeedbackOut


def _build(organisation: Organisation, data: FeedbackIn) -> FeedbackItem:
    if data.channel not in Channel.values:
        raise InvalidInput(f"unknown channel {data.channel!r}", field="channel")
    if not data.text.strip():
        raise InvalidInput("the feedback text is empty", field="text")
    return FeedbackItem(
        organisation=organisation, channel=data.channel, text=data.text, customer_id=data.customer_id,
        external_ref=data.external_ref, language=data.language, received_at=data.received_at or timezone.now(),
    )


def record_feedback(*, organisation: Organisation, data: FeedbackIn) -> FeedbackOut:
    """Store one feedback item."""
    item = _build(organisation, data)
    item.save()
    return FeedbackOut.from_orm(item)


@transaction.atomic
def record_feedback_batch(*, organisation: Organisation, items: list[FeedbackIn]) -> int:
    """Store many feedback items in one transaction."""
    built = [_build(organisation, data) for data in items]
    FeedbackItem.objects.for_organisation(organisation).bulk_create(built, batch_size=2000)
    return len(built)


def feedback_count(*, organisation_id: int, days: int | None = None) -> int:
    """How many feedback items arrived (in the last days, if given)."""
    items = FeedbackItem.objects.for_organisation(organisation_id)
    if days is not None:
        items = items.filter(received_at__gte=timezone.now() - timedelta(days=days))
    return items.count()


def get_feedback_item(*, organisation: Organisation | int, feedback_item_id: int) -> FeedbackOut:
    """One feedback item of the organisation, or NotFound."""
    from eyelevel.core.tenancy import get_scoped

    return FeedbackOut.from_orm(get_scoped(FeedbackItem, organisation=organisation, pk=feedback_item_id))


def list_feedback(*, organisation: Organisation | int, limit: int = 50) -> list[FeedbackOut]:
    """The organisation's newest feedback items."""
    return [FeedbackOut.from_orm(i) for i in FeedbackItem.objects.for_organisation(organisation)[:limit]]
