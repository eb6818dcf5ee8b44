"""Survey data as passed to views, templates, the API and other domains."""

from datetime import datetime

from ninja import Field, Schema


class QuestionIn(Schema):
    touchpoint_id: int | None = None
    dimension: str = Field(..., max_length=30)
    instrument: str = Field(..., pattern="^(nps|csat|ces|rating|superior|text)$")
    text: str = Field(..., min_length=1, max_length=300)
    required: bool = False


class QuestionOut(Schema):
    id: int
    position: int
    touchpoint_id: int | None
    touchpoint_name: str
    dimension: str
    instrument: str
    text: str
    required: bool
    scale_min: int | None
    scale_max: int | None


class SurveyIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    intro: str = Field("", max_length=5000)
    for_customers: bool = True
    for_outsiders: bool = True
    for_staff: bool = True
    questions: list[QuestionIn] = Field(default_factory=list)


class SurveyOut(Schema):
    id: int
    title: str
    intro: str
    status: str
    for_customers: bool
    for_outsiders: bool
    for_staff: bool
    created_at: datetime
    questions: list[QuestionOut]
    response_count: int = 0


class SurveyLinkOut(Schema):
    id: int
    survey_id: int
    token: str
    label: str
    active: bool
    created_at: datetime
    response_count: int = 0


class AnswerIn(Schema):
    question_id: int
    value: float | None = Field(None, description="the rating on the question's scale; superior: 1 yes, 0 no")
    text: str = Field("", max_length=5000)


class ResponseIn(Schema):
    """A response submitted by an integrator (own customers) or on the survey pages."""

    audience: str = Field("customer", pattern="^(customer|competitor_customer|non_customer)$")
    customer_id: int | None = None
    team: str = Field("", max_length=120)
    location: str = Field("", max_length=120)
    served_by: str = Field("", max_length=120, description="who served the customer, as your own system names them")
    language: str = Field("en", pattern="^(en|de)$")
    answers: list[AnswerIn]


class AnonymousResponseIn(Schema):
    """A response through an anonymous link: the screening answer, the answers, nothing personal."""

    screening: str = Field(..., pattern="^(customer|competitor_customer|non_customer)$",
                           description="which describes the respondent: a customer of this organisation, "
                                       "of a competitor, or of neither")
    language: str = Field("en", pattern="^(en|de)$")
    answers: list[AnswerIn]


class AnswerOut(Schema):
    question_id: int
    question: str
    touchpoint_id: int | None
    dimension: str
    instrument: str
    value: float | None
    score: float | None
    text: str
    sentiment: str
    aspects: list[str]


class ResponseOut(Schema):
    id: int
    survey_id: int
    audience: str
    channel: str
    customer_id: int | None
    team: str
    location: str
    served_by: str = ""
    submitted_at: datetime
    answers: list[AnswerOut]


class ResponsePage(Schema):
    items: list[ResponseOut]
    total: int
    page: int
    pages: int


class InviteesIn(Schema):
    """Whom to invite to a survey, without picking customers one by one."""

    audience: str = Field("purpose", description="purpose: every customer the purpose allows contacting (those who "
                                                 "consent, for a consent purpose) | all: every customer (the message "
                                                 "gate refuses those without consent) | list: the pasted customers")
    purpose_code: str = Field("surveys", max_length=64)
    customers: str = Field("", max_length=500_000, description="audience=list: customer references or email "
                                                               "addresses, one per line or separated by commas")
    feedback_days: int | None = Field(None, ge=1, le=3650,
                                      description="only customers who gave feedback in the last N days")


class InvitationAudience(Schema):
    """How many customers each choice of the invitation form names (for the form's labels)."""

    purpose_code: str
    purpose_declared: bool
    for_purpose: int
    all: int
    invited: int = Field(..., description="customers invited to this survey so far")


class InvitationJobOut(Schema):
    """Invitations being sent in the background, and at the end their report."""

    id: int
    survey_id: int
    status: str = Field(..., description="queued | running | done | failed")
    total: int
    processed: int
    sent: int
    already_invited: int = Field(..., description="customers invited to this survey before: not invited again")
    refused: dict[str, int] = Field(..., description="refusals by kind: consent | cap | address | purpose | not_found")
    refused_total: int
    error: str = ""
    created_at: datetime
    finished_at: datetime | None = None


class GroupStat(Schema):
    n: int
    mean: float | None
    low: float | None
    high: float | None


class AudienceGap(Schema):
    audience: str
    stat: GroupStat
    gap: float | None = Field(None, description="staff belief minus this audience's rating (0–100 scale)")
    t: float | None = None
    p: float | None = Field(None, description="Welch test of staff vs audience, two-sided")
    q: float | None = Field(None, description="Benjamini–Hochberg adjusted p across all gaps of the report")
    significant: bool = False


class GapRow(Schema):
    touchpoint_id: int | None
    touchpoint: str
    journey_stage: str
    dimension: str
    staff: GroupStat
    audiences: list[AudienceGap]
    largest_gap: float | None


class ShareStat(Schema):
    audience: str
    n: int
    yes: int
    share: float | None
    low: float | None
    high: float | None


class BainComparison(Schema):
    staff: ShareStat
    customers: ShareStat
    others: list[ShareStat]
    z: float | None
    p: float | None


class ConsistencyGroup(Schema):
    name: str
    n: int
    mean: float | None


class ConsistencyRow(Schema):
    touchpoint_id: int | None
    touchpoint: str
    by: str = Field(..., description="team | location | served_by")
    groups: list[ConsistencyGroup]
    spread: float | None = Field(None, description="highest minus lowest group mean")
    f: float | None = None
    p: float | None = None
    varies: bool = False


class SentimentGroup(Schema):
    name: str
    n: int
    negative: int
    neutral: int
    positive: int
    negative_share: float | None
    low: float | None = Field(None, description="95% Wilson interval of the negative share")
    high: float | None = None
    compared: bool = Field(False, description="false for groups with too few items to compare")


class FeedbackConsistencyRow(Schema):
    """How the sentiment of classified feedback on one touchpoint differs between teams or staff members."""

    touchpoint_id: int
    touchpoint: str
    journey_stage: str = ""
    by: str = Field(..., description="team | owner (the staff member who handled the items)")
    groups: list[SentimentGroup]
    spread: float | None = Field(None, description="highest minus lowest negative share of the compared groups")
    chi2: float | None = None
    dof: int = 0
    p: float | None = Field(None, description="chi-square test of homogeneity (groups share one sentiment mix)")
    q: float | None = Field(None, description="p adjusted for testing every touchpoint (Benjamini–Hochberg)")
    varies: bool = False


class GapReport(Schema):
    survey_id: int | None
    scale: str = "0–100"
    confidence: float = 0.95
    rows: list[GapRow]
    bain: BainComparison
    consistency: list[ConsistencyRow]
    responses_by_audience: dict[str, int]
