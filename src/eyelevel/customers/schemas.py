"""Customer data as passed to views, templates, the API and other domains."""

from dataclasses import dataclass
from datetime import datetime

from ninja import Field, Schema


class CustomerIn(Schema):
    display_name: str = Field("", max_length=200)
    email: str = Field("", max_length=254)
    external_ref: str = Field("", max_length=100)
    language: str = Field("en", pattern="^(en|de)$")


class CustomerOut(Schema):
    id: int
    display_name: str
    email: str
    external_ref: str
    language: str
    created_at: datetime


class CustomerPage(Schema):
    items: list[CustomerOut]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class PortalSession:
    """The customer logged into the portal."""

    customer_id: int
    organisation_id: int
    organisation_name: str
    display_name: str
    language: str


class PurposeIn(Schema):
    code: str = Field(..., pattern=r"^[a-z0-9][a-z0-9_-]{0,59}$")
    name_en: str = Field(..., min_length=1, max_length=120)
    name_de: str = Field(..., min_length=1, max_length=120)
    description_en: str = Field(..., min_length=1, max_length=5000)
    description_de: str = Field(..., min_length=1, max_length=5000)
    legal_basis: str = Field(..., pattern="^(contract|consent|legitimate_interest|legal_obligation)$")
    retention_days: int = Field(..., ge=1, le=36500)
    marketing: bool = False


class PurposeOut(PurposeIn):
    id: int
    text_version: int


class ConsentOut(Schema):
    purpose_code: str
    granted: bool
    updated_at: datetime | None


class FactSource(Schema):
    """Where a datum came from: kind (portal, staff, import, api, derived) and detail (who, which file and row)."""

    kind: str = Field(..., pattern="^(portal|staff|import|api|derived)$")
    detail: str = Field(..., min_length=1, max_length=300)


class FactIn(Schema):
    key: str = Field(..., pattern=r"^[a-z0-9][a-z0-9_-]{0,59}$", description="what the datum is, e.g. birthday")
    value: str = Field(..., min_length=1, max_length=10_000)
    purpose_code: str = Field(..., min_length=1, max_length=60)


class FactRevisionOut(Schema):
    old_value: str
    new_value: str
    source_kind: str
    source_detail: str
    changed_at: datetime


class FactOut(Schema):
    id: int
    customer_id: int
    key: str
    value: str
    purpose_code: str
    source_kind: str
    source_detail: str
    collected_at: datetime
    updated_at: datetime
    expires_at: datetime


class FactPage(Schema):
    items: list[FactOut]
    total: int
    page: int
    pages: int


class PurposeGroup(Schema):
    """My data, one purpose: what it means, and the data held for it (a page of them when there are many)."""

    purpose: PurposeOut
    facts: list[FactOut]
    total: int
    page: int
    pages: int
    consent: bool | None = None


class IdentityField(Schema):
    key: str
    label: str
    value: str


class MyData(Schema):
    customer: CustomerOut
    identity_purpose: PurposeOut
    identity: list[IdentityField]
    identity_source: str
    groups: list[PurposeGroup]
    total_facts: int


class AccessLogEntryOut(Schema):
    id: int
    customer_id: int
    actor_kind: str
    actor_label: str
    what: str
    reason: str
    accessed_at: datetime


class AccessLogPage(Schema):
    items: list[AccessLogEntryOut]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class Reader:
    """Who reads a customer's personal data, and why: a staff user or an integrator token."""

    kind: str  # "staff" | "token" | "system"
    label: str
    reason: str
    user_id: int | None = None


class ConsentEventOut(Schema):
    purpose_code: str
    granted: bool
    channel: str
    text_version: int
    note: str
    created_at: datetime


class ConsentIn(Schema):
    purpose_code: str
    granted: bool
    note: str = Field("", max_length=300)


class WebhookEndpointIn(Schema):
    url: str = Field(..., pattern=r"^https?://", max_length=500)
    events: list[str] = Field(default_factory=lambda: ["consent.changed", "customer.erased"])


class WebhookEndpointOut(Schema):
    id: int
    url: str
    events: list[str]
    active: bool
    created_at: datetime


class WebhookEndpointCreated(WebhookEndpointOut):
    secret: str


class WebhookDeliveryOut(Schema):
    id: int
    endpoint_id: int
    event: str
    payload: dict
    status: str
    attempts: int
    last_status_code: int | None
    last_error: str
    created_at: datetime
    delivered_at: datetime | None


class ErasureOut(Schema):
    customer_id: int
    rows_erased: dict[str, int]
    erased_at: datetime
