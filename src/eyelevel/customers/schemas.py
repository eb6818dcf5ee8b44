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
