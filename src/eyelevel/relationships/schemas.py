"""Charter data as passed to views, templates, the API and other domains."""

from datetime import datetime

from ninja import Field, Schema


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


class ExpectationIn(Schema):
    dimension: str = Field(..., max_length=30)
    statement: str = Field(..., min_length=1, max_length=300)


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


class CharterVersionDetail(CharterVersionOut):
    charter: CharterOut


class CoherenceIssue(Schema):
    kind: str = Field(..., description="touchpoint_without_expectation | segment_without_relationship_type | "
                                       "channel_contradicts_relationship | value_not_served | touchpoint_without_channel")
    message: str
    object_kind: str
    object_id: int


class DiffField(Schema):
    label: str
    before: str
    after: str
    changed: bool


class DiffItem(Schema):
    section: str
    title: str
    status: str = Field(..., description="added | removed | changed | unchanged")
    fields: list[DiffField]


class CharterComparison(Schema):
    left: CharterVersionOut
    right: CharterVersionOut
    items: list[DiffItem]
    changed_count: int


class Choice(Schema):
    code: str
    label: str
