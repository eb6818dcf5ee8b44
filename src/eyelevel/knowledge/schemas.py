"""Knowledge data as passed to views, templates, the API and other domains."""

from datetime import datetime

from ninja import Field, Schema

STATE_PATTERN = "^(wip|not_validated|validated|archived)$"


class ArticleIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    issue: str = Field(..., min_length=1, max_length=20000, description="The issue in the customer's words")
    environment: str = Field("", max_length=20000)
    resolution: str = Field("", max_length=20000)
    cause: str = Field("", max_length=20000)
    language: str = Field("en", pattern="^(en|de)$")
    visibility: str = Field("internal", pattern="^(internal|customers|public)$")


class PersonalDataOut(Schema):
    """Text in an article that looks like personal data: the field, the kind (email, phone, iban, card, name)."""

    field: str
    kind: str
    text: str
    label: str = ""  # the field and the kind, in the reader's language


class ArticleOut(Schema):
    id: int
    title: str
    issue: str
    environment: str
    resolution: str
    cause: str
    language: str
    visibility: str
    state: str
    state_label: str
    published: bool
    author_id: int | None
    author_name: str
    owner_id: int | None
    owner_name: str
    created_at: datetime
    updated_at: datetime
    validated_at: datetime | None
    published_at: datetime | None
    reuse_count: int = Field(..., description="Cases this article solved (its first use and every reuse)")
    linked_case_ids: list[int]
    open_flags: int


class ArticlePage(Schema):
    items: list[ArticleOut]
    total: int
    page: int
    pages: int


class TransitionIn(Schema):
    state: str = Field(..., pattern=STATE_PATTERN)


class SearchHitOut(Schema):
    article_id: int
    title: str
    snippet: str
    language: str
    state: str
    score: float
    keyword_score: float
    meaning_score: float


class FlagOut(Schema):
    id: int
    article_id: int
    article_title: str
    raised_by_name: str
    comment: str
    created_at: datetime
    resolved_at: datetime | None


class LinkOut(Schema):
    article_id: int
    feedback_item_id: int
    kind: str
    linked_by_name: str
    created_at: datetime


class ReviewOut(Schema):
    id: int
    article_id: int
    article_title: str
    coach_name: str
    checks: dict[str, bool]
    score: float
    created_at: datetime


class WeekCount(Schema):
    week: str
    created: int
    reused: int


class MeasuresOut(Schema):
    days: int
    articles: int
    validated: int
    published: int
    links: int
    created_from_cases: int
    reuses: int
    reuse_rate: float | None = Field(..., description="Reuses among all article links to cases")
    solved_cases: int
    articles_per_solved_case: float | None
    median_hours_to_publish: float | None
    quality_index: float | None = Field(..., description="Mean share of checklist items passed in coach reviews")
    reviews: int
    self_service_sessions: int
    self_service_successes: int
    self_service_success_rate: float | None
    helpful_votes: int
    unhelpful_votes: int
    weeks: list[WeekCount]
