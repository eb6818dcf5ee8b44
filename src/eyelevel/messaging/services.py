"""The one outbound gate: every message to a customer leaves through send_to_customer.

It refuses a message whose purpose lacks a legal basis or consent, labels automated messages,
and adds why the customer receives it (product rules 3, 5, 6).
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from eyelevel.core.errors import NotFound
from eyelevel.core.models import Organisation
from eyelevel.customers import services as customers
from eyelevel.messaging.models import Message, MessageStatus
from eyelevel.messaging.schemas import MessageOut, MessageResult, OutboundMessage


def _footer(organisation: Organisation, message: OutboundMessage) -> str:
    lines = ["", "--", _("Why you receive this: %(reason)s") % {"reason": message.reason}]
    if message.automated:
        lines.append(_("This message was sent automatically by %(organisation)s.") % {"organisation": organisation.name})
    return "\n".join(lines)


def send_to_customer(*, organisation: Organisation, message: OutboundMessage) -> MessageResult:
    """Send one message through the gate; a refused message is recorded with its refusal, not sent."""
    customer = customers.get_customer(organisation=organisation, customer_id=message.customer_id)
    refusal = ""
    try:
        if not customers.may_process(organisation=organisation, customer_id=customer.id,
                                   purpose_code=message.purpose_code):
            refusal = _("no legal basis or consent for the purpose %(purpose)s") % {"purpose": message.purpose_code}
    except NotFound:
        refusal = _("the purpose %(purpose)s is not declared") % {"purpose": message.purpose_code}
    if not refusal and message.channel == "email" and not customer.email:
        refusal = _("the customer has no email address")
    record = Message.objects.create(
        organisation=organisation, customer_id=customer.id, purpose_code=message.purpose_code,
        channel=message.channel, subject=message.subject, body=message.body, reason=message.reason,
        automated=message.automated, sender_name=message.sender_name,
        status=MessageStatus.REFUSED if refusal else MessageStatus.SENT, refusal=refusal,
    )
    if not refusal:
        with translation.override(customer.language):
            body = message.body + "\n" + _footer(organisation, message)
        email = EmailMessage(
            subject=message.subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[customer.email],
            headers={"X-Eyelevel-Automated": "yes" if message.automated else "no"},
        )
        transaction.on_commit(email.send)
    return MessageResult(message_id=record.pk, status=record.status, refusal=refusal)


def messages_of(*, organisation: Organisation | int, customer_id: int) -> list[MessageOut]:
    """Every message sent or refused for the customer, newest first."""
    return [MessageOut.from_orm(m) for m in Message.objects.for_organisation(organisation).filter(
        customer_id=customer_id)]
