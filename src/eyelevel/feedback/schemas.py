"""Feedback data as passed to views, the API and other domains."""

from datetime import datetime

from ninja import Field, Schema


class FeedbackIn(Schema):
    text: str = Field(..., min_length=1, max_length=20000)
    channel: str = "api"
    customer_id: int | None = None
    external_ref: str = Field("", max_length=200)
    language: str = Field("", max_length=8)
    received_at: datetime | None = None


class FeedbackOut(Schema):
    id: int
    channel: str
    text: str
    customer_id: int | None
    language: str
    sentiment: str
    received_at: datetime
