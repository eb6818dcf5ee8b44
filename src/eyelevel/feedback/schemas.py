"""Feedback data as passed to views, the API and other domains."""

from datetime import date, datetime

from ninja import Field, Schema


class AspectOut(Schema):
    label: str
    polarity: str


class ClassificationOut(Schema):
    """What the models say about one text."""

    language: str
    sentiment: str
    sentiment_confidence: float = 0.0
    aspects: list[AspectOut]
    urgency: str
    model: str = Field("default", description="'default' (shipped) or 'organisation' (retrained)")


class FeedbackIn(Schema):
    text: str = Field(..., min_length=1, max_length=20000)
    channel: str = "api"
    customer_id: int | None = None
    touchpoint_id: int | None = None
    order_ref: str = Field("", max_length=200)
    external_ref: str = Field("", max_length=200)
    language: str = Field("", max_length=8)
    received_at: datetime | None = None


class FeedbackOut(Schema):
    id: int
    channel: str
    text: str
    customer_id: int | None
    touchpoint_id: int | None = None
    order_ref: str = ""
    external_ref: str = ""
    language: str
    sentiment: str
    aspects: list[AspectOut] = []
    urgency: str = ""
    status: str = "new"
    owner_id: int | None = None
    owner_name: str = ""
    team: str = ""
    acknowledge_due: datetime | None = None
    action_due: datetime | None = None
    acknowledged_at: datetime | None = None
    closed_at: datetime | None = None
    escalated_at: datetime | None = None
    labels_corrected: bool = False
    received_at: datetime


class FeedbackPage(Schema):
    items: list[FeedbackOut]
    total: int
    page: int
    pages: int


class FeedbackFilter(Schema):
    status: str = ""
    sentiment: str = ""
    urgency: str = ""
    aspect: str = ""
    channel: str = ""
    language: str = ""
    owner_id: int | None = None
    escalated_to_id: int | None = None
    query: str = ""
    page: int = Field(1, ge=1)


class NoteOut(Schema):
    id: int
    text: str
    author_name: str
    flagged: bool
    created_at: datetime


class NoteCheckOut(Schema):
    """A note stopped before saving: the phrases found and what to write instead."""

    phrases: list[str]
    suggestions: list[str]


class ActionIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=10000)
    owner_id: int | None = None
    team: str = Field("", max_length=100)
    due_date: date | None = None
    public: bool = True
    feedback_item_ids: list[int] = Field(..., min_length=1)


class ActionOut(Schema):
    id: int
    title: str
    description: str
    owner_id: int | None
    owner_name: str = ""
    team: str
    due_date: date | None
    status: str
    outcome: str
    public: bool
    item_count: int
    created_at: datetime
    done_at: datetime | None


class PublicActionOut(Schema):
    """A done action as the public page shows it: no personal data, the number of voices behind it."""

    title: str
    outcome: str
    voices: int
    done_at: datetime


class RoutingRuleIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    position: int = Field(100, ge=0, le=100000)
    aspect: str = Field("", max_length=100)
    touchpoint_id: int | None = None
    language: str = Field("", max_length=8)
    sentiment: str = Field("", max_length=10)
    urgency: str = Field("", max_length=10)
    owner_id: int | None = None
    team: str = Field("", max_length=100)


class RoutingRuleOut(RoutingRuleIn):
    id: int
    owner_name: str = ""
    touchpoint_name: str = ""
    active: bool = True


class DeadlineOut(Schema):
    urgency: str
    acknowledge_hours: int
    action_hours: int


class ImportErrorOut(Schema):
    row: int
    field: str
    message: str


class ImportResult(Schema):
    rows: int
    created: int
    duplicates: int
    rejected: int
    errors: list[ImportErrorOut]
    reject_text: str = ""


class ImportJobOut(Schema):
    id: int
    filename: str
    status: str
    total: int
    processed: int
    created: int
    duplicates: int
    errors: list[ImportErrorOut]
    has_rejects: bool
    created_at: datetime


class CustomerFeedbackOut(Schema):
    """An item as its customer sees it in the portal."""

    id: int
    text: str
    received_at: datetime
    status: str
    acknowledged_at: datetime | None
    outcomes: list[str]


class AlertOut(Schema):
    aspect: str
    recent_negative: int
    recent_total: int
    history_negative: int
    history_total: int
    recent_share: float
    history_share: float
    p_value: float


class InsightsOut(Schema):
    items: int
    median_hours_to_acknowledge: float | None
    median_hours_to_act: float | None
    loops_closed_share: float | None
    acknowledged_share: float | None
    alerts: list[AlertOut]
    flagged_notes_by_team: dict[str, int]
