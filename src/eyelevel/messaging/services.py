"""The one outbound gate: every message to a customer leaves through send_to_customer.

It refuses a message whose purpose lacks a legal basis or consent, enforces the organisation's
contact caps per customer across all channels (serialised per customer by locking the customer's
row), labels automated messages, adds why the customer receives it and how to stop it (one-click
unsubscribe per purpose, RFC 8058 headers), and records every message, sent or refused
(product rules 3, 5, 6).
"""

from datetime import timedelta
from email.utils import formataddr, parseaddr
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from eyelevel.core.errors import InvalidInput, NotFound
from eyelevel.core.models import Organisation
from eyelevel.core.pagination import page_window
from eyelevel.core.tenancy import get_scoped, organisation_id_of
from eyelevel.customers import services as customers
from eyelevel.messaging.models import CapScope, ContactCap, Message, MessageStatus
from eyelevel.messaging.schemas import (
    ContactCapIn,
    ContactCapOut,
    MessageOut,
    MessagePage,
    MessageResult,
    OutboundMessage,
    UnsubscribeTarget,
)

CHANNELS = {"email", "sms", "letter", "portal"}
# Without a configured cap, at most this many marketing messages per customer per week.
DEFAULT_CAPS = (ContactCapIn(scope=CapScope.MARKETING, max_messages=2, period_days=7),)
UNSUBSCRIBE_SALT = "eyelevel.messaging.unsubscribe"
MESSAGE_PAGE_SIZE = 50


def contact_caps(*, organisation: Organisation | int) -> list[ContactCapOut]:
    """The organisation's caps on contact per customer (the defaults when none are configured)."""
    configured = [ContactCapOut.from_orm(c) for c in ContactCap.objects.for_organisation(organisation)]
    if configured:
        return configured
    return [ContactCapOut(id=None, **cap.dict()) for cap in DEFAULT_CAPS]


@transaction.atomic
def set_contact_cap(*, organisation: Organisation | int, data: ContactCapIn) -> ContactCapOut:
    """Set the cap for one scope (marketing messages, or all messages)."""
    if data.scope not in CapScope.values:
        raise InvalidInput(f"scope must be one of {', '.join(CapScope.values)}", field="scope")
    organisation_id = organisation_id_of(organisation)
    if not ContactCap.objects.for_organisation(organisation_id).exists():
        # The first configured cap replaces the defaults: keep the default ones the caller does not change.
        for cap in DEFAULT_CAPS:
            if cap.scope != data.scope:
                ContactCap.objects.create(organisation_id=organisation_id, **cap.dict())
    cap, _created = ContactCap.objects.for_organisation(organisation_id).update_or_create(
        organisation_id=organisation_id, scope=data.scope,
        defaults={"max_messages": data.max_messages, "period_days": data.period_days},
    )
    return ContactCapOut.from_orm(cap)


def _cap_refusal(organisation_id: int, customer_id: int, marketing: bool) -> str:
    now = timezone.now()
    for cap in contact_caps(organisation=organisation_id):
        if cap.scope == CapScope.MARKETING and not marketing:
            continue
        sent = Message.objects.for_organisation(organisation_id).filter(
            customer_id=customer_id, status=MessageStatus.SENT, created_at__gt=now - timedelta(days=cap.period_days),
        )
        if cap.scope == CapScope.MARKETING:
            sent = sent.filter(marketing=True)
        if sent.count() >= cap.max_messages:
            if cap.scope == CapScope.MARKETING:
                return _("contact cap reached: at most %(n)d marketing messages in %(days)d days") % {
                    "n": cap.max_messages, "days": cap.period_days}
            return _("contact cap reached: at most %(n)d messages in %(days)d days") % {
                "n": cap.max_messages, "days": cap.period_days}
    return ""


def unsubscribe_token(*, organisation_id: int, customer_id: int, purpose_code: str) -> str:
    """A signed token that revokes the customer's consent to one purpose, in one click."""
    return signing.dumps({"o": organisation_id, "c": customer_id, "p": purpose_code}, salt=UNSUBSCRIBE_SALT,
                         compress=True)


def unsubscribe_url(*, organisation_id: int, customer_id: int, purpose_code: str) -> str:
    token = unsubscribe_token(organisation_id=organisation_id, customer_id=customer_id, purpose_code=purpose_code)
    return settings.SITE_URL.rstrip("/") + reverse("messaging_public:unsubscribe") + f"?t={token}"


def read_unsubscribe_token(*, token: str) -> UnsubscribeTarget:
    """What a one-click link unsubscribes from, or NotFound for a forged or garbled link."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        raise NotFound(_("this unsubscribe link is not valid")) from None
    purpose = customers.get_purpose(organisation=data["o"], code=data["p"])
    customers.get_customer(organisation=data["o"], customer_id=data["c"])  # NotFound once the customer is erased
    return UnsubscribeTarget(organisation_id=data["o"], customer_id=data["c"], purpose_code=purpose.code,
                             purpose_name_en=purpose.name_en, purpose_name_de=purpose.name_de)


@transaction.atomic
def unsubscribe(*, token: str) -> UnsubscribeTarget:
    """Revoke the consent a one-click link names; it takes effect at once (product rule 3)."""
    target = read_unsubscribe_token(token=token)
    customers.set_consent(organisation=target.organisation_id, customer_id=target.customer_id,
                          purpose_code=target.purpose_code, granted=False, channel="email",
                          note="one-click unsubscribe link")
    return target


def _footer(organisation: Organisation, message: OutboundMessage, stop: str) -> str:
    lines = ["", "--", _("Why you receive this: %(reason)s") % {"reason": message.reason}]
    if message.automated:
        lines.append(_("This message was sent automatically by %(organisation)s.") % {"organisation": organisation.name})
    lines.append(stop)
    return "\n".join(lines)


def _from_address(organisation: Organisation, message: OutboundMessage) -> str:
    # An automated sender never poses as a person: its display name is the organisation's, marked automatic.
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    if message.automated:
        name = _("%(organisation)s (automatic)") % {"organisation": organisation.name}
    else:
        name = _("%(sender)s at %(organisation)s") % {"sender": message.sender_name, "organisation": organisation.name}
    return formataddr((name, address))


def _deliver(organisation: Organisation, customer: Any, purpose: Any, message: OutboundMessage) -> None:
    portal = settings.SITE_URL.rstrip("/") + reverse("portal:consents")
    headers = {"X-Eyelevel-Automated": "yes" if message.automated else "no"}
    purpose_name = purpose.name_de if customer.language == "de" else purpose.name_en
    with translation.override(customer.language):
        if purpose.legal_basis == "consent":
            link = unsubscribe_url(organisation_id=organisation.pk, customer_id=customer.id,
                                   purpose_code=purpose.code)
            stop = _("To stop these messages (%(purpose)s), open: %(link)s") % {"purpose": purpose_name, "link": link}
            headers["List-Unsubscribe"] = f"<{link}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        else:
            stop = _("You receive this because of your %(purpose)s; see and manage what we hold: %(link)s") % {
                "purpose": purpose_name, "link": portal}
        body = message.body + "\n" + _footer(organisation, message, stop)
        from_address = _from_address(organisation, message)
    email = EmailMessage(subject=message.subject, body=body, from_email=from_address,
                         to=[customer.email], headers=headers)
    transaction.on_commit(email.send)


def _refusal(organisation: Organisation, customer: Any, message: OutboundMessage) -> tuple[Any, str, str]:
    """(purpose, refusal in the customer's words, refusal kind: purpose | consent | address | cap | "")."""
    try:
        purpose = customers.get_purpose(organisation=organisation, code=message.purpose_code)
    except NotFound:
        return None, _("the purpose %(purpose)s is not declared") % {"purpose": message.purpose_code}, "purpose"
    # The purpose is loaded already: ask customers' rule with it rather than have it looked up again.
    if not customers.purpose_allows(organisation=organisation, customer_id=customer.id, purpose=purpose):
        return purpose, _("no legal basis or consent for the purpose %(purpose)s") % {
            "purpose": message.purpose_code}, "consent"
    if message.channel == "email" and not customer.email:
        return purpose, _("the customer has no email address"), "address"
    cap = _cap_refusal(organisation.pk, customer.id, purpose.marketing)
    return purpose, cap, "cap" if cap else ""


@transaction.atomic
def send_to_customer(*, organisation: Organisation, message: OutboundMessage) -> MessageResult:
    """Send one message through the gate; a refused message is recorded with its refusal, not sent."""
    if message.channel not in CHANNELS:
        raise InvalidInput(_("unknown channel %(channel)s") % {"channel": repr(message.channel)}, field="channel")
    # Product rules 5 and 6: a blank reason or sender would pass the schema's length check.
    for field in ("reason", "sender_name"):
        if not getattr(message, field).strip():
            raise InvalidInput(_("%(field)s must say something: every message states why and who sends it") % {
                "field": field}, field=field)
    # Lock the customer's row: concurrent sends to one customer queue here, so the caps hold.
    customer = customers.lock_customer(organisation=organisation, customer_id=message.customer_id)
    with translation.override(customer.language):  # the customer reads the refusal in the portal
        purpose, refusal, refused_by = _refusal(organisation, customer, message)
    record = Message.objects.create(
        organisation=organisation, customer_id=customer.id, purpose_code=message.purpose_code,
        channel=message.channel, subject=message.subject, body=message.body, reason=message.reason,
        automated=message.automated, marketing=bool(purpose and purpose.marketing), sender_name=message.sender_name,
        status=MessageStatus.REFUSED if refusal else MessageStatus.SENT, refusal=refusal,
    )
    if not refusal and message.channel == "email":
        _deliver(organisation, customer, purpose, message)
    return MessageResult(message_id=record.pk, status=record.status, refusal=refusal, refused_by=refused_by)


def messages_of(*, organisation: Organisation | int, customer_id: int) -> list[MessageOut]:
    """Every message sent or refused for the customer, newest first."""
    return [MessageOut.from_orm(m) for m in Message.objects.for_organisation(organisation).filter(
        customer_id=customer_id)]


def message_page(*, organisation: Organisation | int, customer_id: int, page: int = 1) -> MessagePage:
    """A page of the customer's messages, sent and refused, newest first."""
    messages = Message.objects.for_organisation(organisation).filter(customer_id=customer_id)
    window = page_window(total=messages.count(), page=page, page_size=MESSAGE_PAGE_SIZE)
    items = messages.order_by("-created_at", "-pk")[window.start: window.stop]
    return MessagePage(items=[MessageOut.from_orm(m) for m in items], total=window.total, page=window.page,
                       pages=window.pages)


def get_message(*, organisation: Organisation | int, customer_id: int, message_id: int) -> MessageOut:
    """One of the customer's messages, or NotFound."""
    return MessageOut.from_orm(get_scoped(Message, organisation=organisation, pk=message_id, customer_id=customer_id))


def export_messages(organisation_id: int, customer_id: int) -> dict[str, Any]:
    """The messaging domain's personal data: every message to the customer."""
    rows = Message.objects.for_organisation(organisation_id).filter(customer_id=customer_id).values(
        "purpose_code", "channel", "subject", "body", "reason", "automated", "sender_name", "status", "refusal",
        "created_at")
    return {"messages": [{**row, "created_at": row["created_at"].isoformat()} for row in rows]}


def erase_messages(organisation_id: int, customer_id: int) -> int:
    """Anonymise the customer's messages: counts per purpose and status survive, text and identity do not."""
    return Message.objects.for_organisation(organisation_id).filter(customer_id=customer_id).update(
        customer=None, subject="", body="", reason="", sender_name="", refusal="")


def sent_count(*, organisation_id: int, days: int = 7) -> int:
    """How many messages were sent in the last days (a dashboard figure)."""
    return Message.objects.for_organisation(organisation_id).filter(
        status=MessageStatus.SENT, created_at__gt=timezone.now() - timedelta(days=days)).count()
