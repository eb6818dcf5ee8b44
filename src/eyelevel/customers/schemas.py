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
