"""What goes into the outbound gate and what comes out."""

from datetime import datetime

from ninja import Field, Schema


class OutboundMessage(Schema):
    """A message to one customer. Every field is required to say who, why and whether a machine sent it."""

    customer_id: int
    purpose_code: str = Field(..., description="the declared purpose this message serves")
    subject: str = Field(..., min_length=1, max_length=300)
    body: str = Field(..., min_length=1, max_length=100_000)
    reason: str = Field(..., min_length=1, max_length=500, description="why this customer receives it, in plain words")
    automated: bool = Field(..., description="true when no person wrote or sent it")
    sender_name: str = Field(..., min_length=1, max_length=200,
                             description="a person's name only when a person sent it; else the organisation")
    channel: str = "email"


class MessageResult(Schema):
    message_id: int
    status: str
    refusal: str = ""
    refused_by: str = Field("", description="why the gate refused: purpose | consent | address | cap (empty: sent)")


class MessageOut(Schema):
    id: int
    purpose_code: str
    channel: str
    subject: str
    reason: str
    automated: bool
    marketing: bool
    sender_name: str
    status: str
    refusal: str
    created_at: datetime


class MessagePage(Schema):
    items: list[MessageOut]
    total: int
    page: int
    pages: int


class ContactCapIn(Schema):
    scope: str = Field(..., pattern="^(marketing|all)$", description="marketing messages, or all messages")
    max_messages: int = Field(..., ge=0, le=1000)
    period_days: int = Field(..., ge=1, le=365)


class ContactCapOut(ContactCapIn):
    id: int | None


class UnsubscribeTarget(Schema):
    organisation_id: int
    customer_id: int
    purpose_code: str
    purpose_name_en: str
    purpose_name_de: str
