"""Offers data as passed to views, the API and other domains."""

from datetime import date, datetime

from ninja import Field, Schema


class OfferIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=5000)
    product_id: int | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    active: bool = True


class GeneralOfferOut(OfferIn):
    id: int
    product_name: str = ""


class OfferOut(Schema):
    """One offer for one customer, with the reason in plain language."""

    kind: str = Field(..., description="favourite, running_out, similar or general")
    product_id: int | None
    product_name: str
    category: str
    title: str
    reason: str
    score: float = 0.0


class OfferList(Schema):
    customer_id: int
    personal: bool
    explanation: str
    offers: list[OfferOut]


class ExclusionOut(Schema):
    id: int
    kind: str
    product_id: int | None
    product_name: str
    category: str
    created_at: datetime


class PersonalisationOut(Schema):
    consented: bool
    switched_on: bool
    purpose_declared: bool
    exclusions: list[ExclusionOut]


class TrainingOut(Schema):
    id: int
    status: str
    progress: int
    started_at: datetime
    finished_at: datetime | None
    customers: int
    products: int
    lines: int
    error: str


class NewsletterReport(Schema):
    considered: int
    sent: int
    refused: int
    skipped: int
