"""Charter data as passed to views, templates, the API and other domains."""

from datetime import datetime

from ninja import Field, Schema

WHY_HELP = "Why this change is made (required): kept with the change in the charter's history."


class Author(Schema):
    """Who changes the charter: a staff member, or an integration over the API."""

    user_id: int | None = None
    name: str


class WhyIn(Schema):
    """The reason for a deletion (the other inputs carry their own `why`)."""

    why: str = Field("", max_length=500, description=WHY_HELP)


class TouchpointOut(Schema):
    id: int
    name: str
    journey_stage_id: int
    journey_stage: str
    position: int
    expected_behaviour: str
    communication: str
    promise: str
    channels: list[str]
    value_ids: list[int]
    segment_ids: list[int]


class ValueIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    description: str = Field("", max_length=5000)
    why: str = Field("", max_length=500, description=WHY_HELP)


class ValueOut(Schema):
    id: int
    name: str
    description: str
    position: int = 0


class SegmentIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    needs: str = Field("", max_length=5000)
    relationship_type: str = Field("", max_length=30)
    relationship_reason: str = Field("", max_length=5000)
    why: str = Field("", max_length=500, description=WHY_HELP)


class SegmentOut(Schema):
    id: int
    name: str
    needs: str
    relationship_type: str
    relationship_reason: str
    position: int = 0


class JourneyStageIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    position: int | None = Field(None, ge=0, le=10000)
    why: str = Field("", max_length=500, description=WHY_HELP)


class ExpectationIn(Schema):
    dimension: str = Field(..., max_length=30)
    statement: str = Field(..., min_length=1, max_length=300)
    why: str = Field("", max_length=500, description=WHY_HELP)


class ExpectationOut(Schema):
    id: int
    touchpoint_id: int
    dimension: str
    statement: str


class TouchpointIn(Schema):
    name: str = Field(..., min_length=1, max_length=160)
    journey_stage_id: int
    expected_behaviour: str = Field("", max_length=5000)
    communication: str = Field("", max_length=5000)
    promise: str = Field("", max_length=5000)
    channels: list[str] = Field(default_factory=list)
    value_ids: list[int] = Field(default_factory=list)
    segment_ids: list[int] = Field(default_factory=list)
    why: str = Field("", max_length=500, description=WHY_HELP)


class TouchpointDetail(TouchpointOut):
    expectations: list[ExpectationOut] = Field(default_factory=list)


class JourneyStageOut(Schema):
    id: int
    name: str
    position: int
    touchpoints: list[TouchpointDetail] = Field(default_factory=list)


class CharterOut(Schema):
    """The whole charter; a published version stores exactly this as its snapshot."""

    values: list[ValueOut]
    segments: list[SegmentOut]
    stages: list[JourneyStageOut]


class CharterVersionOut(Schema):
    id: int
    number: int
    published_at: datetime
    published_by_name: str
    reason: str
    change_number: int | None = Field(None, description="the change whose charter this version published")


class CharterVersionDetail(CharterVersionOut):
    charter: CharterOut


class ChangeItem(Schema):
    """One item a change added, removed or changed, with the changed fields."""

    kind: str = Field(..., description="value | segment | stage | touchpoint | expectation")
    kind_label: str
    title: str
    status: str = Field(..., description="added | removed | changed")
    status_label: str
    fields: list[str] = Field(default_factory=list, description="labels of the changed fields")


class CharterChangeOut(Schema):
    """One saved change of the charter: who, when, why and what."""

    id: int
    number: int
    changed_at: datetime
    changed_by_name: str
    why: str
    items: list[ChangeItem]
    published_as: int | None = Field(None, description="the version that published the charter after this change")


class CharterChangeDetail(CharterChangeOut):
    charter: CharterOut


class CharterChangePage(Schema):
    items: list[CharterChangeOut]
    total: int
    page: int
    pages: int


class CharterPoint(Schema):
    """A point in the charter's history that can be compared: a published version or a saved change."""

    ref: str = Field(..., description="v<number> for a published version, c<number> for a change")
    kind: str = Field(..., description="version | change")
    number: int
    label: str
    at: datetime
    by_name: str
    why: str


class CoherenceIssue(Schema):
    kind: str = Field(..., description="touchpoint_without_expectation | segment_without_relationship_type | "
                                       "channel_contradicts_relationship | value_not_served | touchpoint_without_channel")
    message: str
    object_kind: str
    object_id: int


class DiffField(Schema):
    field: str
    label: str
    before: str
    after: str
    changed: bool


class DiffItem(Schema):
    kind: str = Field(..., description="value | segment | stage | touchpoint | expectation")
    section: str
    title: str
    status: str = Field(..., description="added | removed | changed | unchanged")
    status_label: str
    fields: list[DiffField]


class CharterComparison(Schema):
    left: CharterPoint
    right: CharterPoint
    items: list[DiffItem]
    changed_count: int


class Choice(Schema):
    code: str
    label: str
