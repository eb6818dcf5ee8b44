"""Feedback intake from every channel: store, classify, route."""

import hashlib
import time
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from eyelevel.core.errors import Conflict, InvalidInput, NotFound
from eyelevel.core.models import Organisation
from eyelevel.core.pagination import page_window
from eyelevel.core.tenancy import get_scoped, organisation_id_of
from eyelevel.feedback.models import Channel, FeedbackItem
from eyelevel.feedback.schemas import AspectOut, FeedbackFilter, FeedbackIn, FeedbackOut, FeedbackPage
from eyelevel.feedback.services import classification, routing

PAGE_SIZE = 50
PUBLIC_MIN_SECONDS = 3  # a person needs longer than this to write feedback; scripts post at once
PUBLIC_MAX_PER_HOUR = 5  # per sender address hash
PUBLIC_FORM_SALT = "eyelevel.feedback.public-form"
CUSTOMER_CHUNK = 900  # ids per IN list: under SQLite's oldest parameter limit (999)


def item_out(item: FeedbackItem) -> FeedbackOut:
    """The item as plain data."""
    return FeedbackOut(
        id=item.pk, channel=item.channel, text=item.text, customer_id=item.customer_id,
        touchpoint_id=item.touchpoint_id, order_ref=item.order_ref, external_ref=item.external_ref,
        language=item.language, sentiment=item.sentiment,
        aspects=[AspectOut(**a) for a in item.aspects or []], urgency=item.urgency, status=item.status,
        owner_id=item.owner_id, owner_name=item.owner.username if item.owner_id else "", team=item.team,
        acknowledge_due=item.acknowledge_due, action_due=item.action_due, acknowledged_at=item.acknowledged_at,
        closed_at=item.closed_at, escalated_at=item.escalated_at, labels_corrected=item.labels_corrected,
        received_at=item.received_at,
    )


def _validate_links(organisation: Organisation | int, data: FeedbackIn) -> None:
    if data.customer_id is not None:
        from eyelevel.customers import services as customers

        try:
            customers.get_customer(organisation=organisation, customer_id=data.customer_id)
        except NotFound:
            raise InvalidInput(_("unknown customer"), field="customer_id") from None
    if data.touchpoint_id is not None:
        from eyelevel.relationships import services as relationships

        try:
            relationships.get_touchpoint(organisation=organisation, touchpoint_id=data.touchpoint_id)
        except NotFound:
            raise InvalidInput(_("unknown touchpoint"), field="touchpoint_id") from None


def build_item(organisation: Organisation | int, data: FeedbackIn) -> FeedbackItem:
    """An unsaved item from validated input (InvalidInput names the field at fault)."""
    if data.channel not in Channel.values:
        raise InvalidInput(_("unknown channel %(channel)s") % {"channel": repr(data.channel)}, field="channel")
    if not data.text.strip():
        raise InvalidInput(_("the feedback text is empty"), field="text")
    organisation_id = organisation_id_of(organisation)
    return FeedbackItem(
        organisation_id=organisation_id, channel=data.channel, text=data.text, customer_id=data.customer_id,
        touchpoint_id=data.touchpoint_id, order_ref=data.order_ref, external_ref=data.external_ref,
        language=data.language, received_at=data.received_at or timezone.now(),
    )


def classify_and_route(items: list[FeedbackItem]) -> None:
    """Label every item by the organisation's models, then route it."""
    if not items:
        return
    results = classification.classify_texts(organisation=items[0].organisation_id, texts=[i.text for i in items])
    for item, result in zip(items, results, strict=True):
        classification.apply_labels(item, result)
    routing.route_items(items)


def record_feedback(*, organisation: Organisation | int, data: FeedbackIn, classify: bool = True) -> FeedbackOut:
    """Store one feedback item, classified and routed; a repeated external reference is a Conflict."""
    _validate_links(organisation, data)
    item = build_item(organisation, data)
    if item.external_ref and FeedbackItem.objects.for_organisation(organisation).filter(
            channel=item.channel, external_ref=item.external_ref).exists():
        raise Conflict(_("feedback %(reference)s was recorded already") % {"reference": repr(item.external_ref)},
                       field="external_ref")
    if classify:
        classify_and_route([item])
    else:
        routing.route_items([item])
    item.save()
    return item_out(item)


def existing_refs(organisation: Organisation | int, channel: str, refs: list[str]) -> set[str]:
    """Which of the external references the organisation holds already for the channel."""
    found: set[str] = set()
    for start in range(0, len(refs), 500):
        found |= set(FeedbackItem.objects.for_organisation(organisation).filter(
            channel=channel, external_ref__in=refs[start:start + 500]).values_list("external_ref", flat=True))
    return found


@transaction.atomic
def record_feedback_batch(*, organisation: Organisation | int, items: list[FeedbackIn], classify: bool = False) -> int:
    """Store many feedback items in one transaction, skipping references already held; returns how many were new."""
    built = [build_item(organisation, data) for data in items]
    by_channel: dict[str, list[str]] = {}
    for item in built:
        if item.external_ref:
            by_channel.setdefault(item.channel, []).append(item.external_ref)
    held = {(channel, ref) for channel, refs in by_channel.items() for ref in existing_refs(organisation, channel, refs)}
    fresh, seen = [], set()
    for item in built:
        key = (item.channel, item.external_ref)
        if item.external_ref and (key in held or key in seen):
            continue
        seen.add(key)
        fresh.append(item)
    if classify:
        for start in range(0, len(fresh), 256):
            classify_and_route(fresh[start:start + 256])
    else:
        routing.route_items(fresh)
    FeedbackItem.objects.for_organisation(organisation).bulk_create(fresh, batch_size=2000)
    return len(fresh)


def feedback_count(*, organisation_id: int, days: int | None = None) -> int:
    """How many feedback items arrived (in the last days, if given)."""
    items = FeedbackItem.objects.for_organisation(organisation_id)
    if days is not None:
        items = items.filter(received_at__gte=timezone.now() - timedelta(days=days))
    return items.count()


def solved_count(*, organisation_id: int, days: int) -> int:
    """How many feedback items were solved (closed with an outcome) in the last days: the cases closed."""
    return FeedbackItem.objects.for_organisation(organisation_id).filter(
        closed_at__gte=timezone.now() - timedelta(days=days)).count()


def feedback_times_of_customers(*, organisation: Organisation | int, customer_ids: Iterable[int], since: datetime,
                                until: datetime) -> dict[int, list[datetime]]:
    """When each of these customers submitted feedback between since and until (both included), oldest first.

    One query (one per CUSTOMER_CHUNK customers, so that a long list stays under the database's
    parameter limit); customers without feedback in the window are absent from the answer.
    """
    wanted = sorted(set(customer_ids))
    times: dict[int, list[datetime]] = {}
    for start in range(0, len(wanted), CUSTOMER_CHUNK):
        rows = FeedbackItem.objects.for_organisation(organisation).filter(
            customer_id__in=wanted[start:start + CUSTOMER_CHUNK], received_at__gte=since, received_at__lte=until,
        ).order_by("received_at", "pk").values_list("customer_id", "received_at")
        for customer_id, received_at in rows:
            times.setdefault(customer_id, []).append(received_at)
    return times


def get_feedback_item(*, organisation: Organisation | int, feedback_item_id: int) -> FeedbackOut:
    """One feedback item of the organisation, or NotFound."""
    return item_out(get_scoped(FeedbackItem, organisation=organisation, pk=feedback_item_id))


def customer_ids_of_items(*, organisation: Organisation | int, feedback_item_ids: Iterable[int]) -> set[int]:
    """The customers who gave these feedback items (items without a known customer are left out)."""
    return set(FeedbackItem.objects.for_organisation(organisation).filter(
        pk__in=list(feedback_item_ids), customer__isnull=False).values_list("customer_id", flat=True))


def list_feedback(*, organisation: Organisation | int, limit: int = 50) -> list[FeedbackOut]:
    """The organisation's newest feedback items."""
    return [item_out(i) for i in FeedbackItem.objects.for_organisation(organisation).select_related("owner")[:limit]]


def search_feedback(*, organisation: Organisation | int, filters: FeedbackFilter) -> FeedbackPage:
    """The inbox: items matching the filters, newest first, one page at a time."""
    items = FeedbackItem.objects.for_organisation(organisation).select_related("owner")
    for name in ("status", "sentiment", "urgency", "channel", "language"):
        if getattr(filters, name):
            items = items.filter(**{name: getattr(filters, name)})
    if filters.owner_id:
        items = items.filter(owner_id=filters.owner_id)
    if filters.escalated_to_id:
        items = items.filter(escalated_to_id=filters.escalated_to_id).exclude(status="done")
    if filters.query:
        items = items.filter(Q(text__icontains=filters.query) | Q(external_ref__icontains=filters.query))
    if filters.aspect:
        # aspects are a JSON list; filter in Python over the narrowed set so SQLite and PostgreSQL agree
        ids = [pk for pk, aspects in items.values_list("pk", "aspects") if routing.has_aspect(aspects, filters.aspect)]
        items = items.filter(pk__in=ids)
    window = page_window(total=items.count(), page=filters.page, page_size=PAGE_SIZE)
    rows = items[window.start: window.stop]
    return FeedbackPage(items=[item_out(i) for i in rows], total=window.total, page=window.page, pages=window.pages)


def submit_portal_feedback(*, organisation_id: int, customer_id: int, text: str, touchpoint_id: int | None = None,
                           order_ref: str = "") -> FeedbackOut:
    """Feedback a logged-in customer writes in the portal."""
    return record_feedback(organisation=organisation_id, data=FeedbackIn(
        text=text, channel=Channel.PORTAL, customer_id=customer_id, touchpoint_id=touchpoint_id,
        order_ref=order_ref.strip()))


def public_form_token() -> str:
    """A signed timestamp the public form carries, so that a too-fast submission is recognised."""
    return signing.dumps(time.time(), salt=PUBLIC_FORM_SALT)


def submit_public_feedback(*, organisation: Organisation, text: str, token: str, honeypot: str, client: str,
                           touchpoint_id: int | None = None) -> FeedbackOut:
    """Anonymous feedback from the public form; spam is refused by honeypot, fill time and rate limit.

    No tracking captcha: `client` (the address) is hashed for the hourly counter and never stored.
    """
    if honeypot.strip():
        raise InvalidInput(_("This form could not be accepted."), field="website")
    try:
        started = float(signing.loads(token, salt=PUBLIC_FORM_SALT, max_age=24 * 3600))
    except (signing.BadSignature, TypeError, ValueError):
        raise InvalidInput(_("The form has expired; please reload the page."), field="token") from None
    if time.time() - started < PUBLIC_MIN_SECONDS:
        raise InvalidInput(_("That was very fast; please take a moment and send again."), field="token")
    key = f"feedback-public:{organisation.pk}:{hashlib.sha256(client.encode()).hexdigest()[:32]}"
    count = cache.get(key, 0)
    if count >= PUBLIC_MAX_PER_HOUR:
        raise InvalidInput(_("Too many submissions from your connection; please try again in an hour."),
                           field="text")
    result = record_feedback(organisation=organisation, data=FeedbackIn(
        text=text, channel=Channel.PUBLIC_FORM, touchpoint_id=touchpoint_id))
    cache.set(key, count + 1, 3600)
    return result
