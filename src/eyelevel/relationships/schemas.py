"""Charter data as passed to views, templates, the API and other domains."""

from ninja import Schema


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
