"""The relationship charter over the API: read it, its history and versions; edit it, saying why (thin: rules live in services)."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from eyelevel.relationships import services
from eyelevel.relationships.schemas import (
    Author,
    CharterChangeDetail,
    CharterChangePage,
    CharterComparison,
    CharterOut,
    CharterVersionDetail,
    CharterVersionOut,
    CoherenceIssue,
    ExpectationIn,
    ExpectationOut,
    JourneyStageIn,
    JourneyStageOut,
    SegmentIn,
    SegmentOut,
    TouchpointDetail,
    TouchpointIn,
    TouchpointOut,
    ValueIn,
    ValueOut,
    WhyIn,
)

router = Router(tags=["relationships"])
T = TypeVar("T")


class CompareQuery(Schema):
    left: str = Field(..., description="a published version (v2, or just 2) or a change (c15)")
    right: str = Field(..., description="a published version (v2, or just 2) or a change (c15)")


class PageQuery(Schema):
    page: int = Field(1, ge=1)


def _author(request: HttpRequest) -> Author:
    return Author(name=f"integration “{request.principal.name}”")


def _edit(request: HttpRequest, edit: Callable[..., T], **arguments: Any) -> T:
    """Run a charter edit for the request's organisation, recorded as made by the calling integration."""
    return edit(organisation=request.organisation, author=_author(request), **arguments)


def _removed(request: HttpRequest, delete: Callable[..., object], query: WhyIn, **item_id: int) -> Status[None]:
    """Run a charter deletion, with the reason from ?why=, and answer 204."""
    _edit(request, delete, why=query.why, **item_id)
    return Status(204, None)


@router.get("/charter", response=CharterOut, summary="The working charter")
def get_charter(request: HttpRequest) -> CharterOut:
    return services.get_charter(organisation=request.organisation)


@router.get("/charter/checks", response=list[CoherenceIssue], summary="Coherence issues of the working charter")
def check_coherence(request: HttpRequest) -> list[CoherenceIssue]:
    return services.check_coherence(organisation=request.organisation)


@router.get("/touchpoints", response=list[TouchpointOut], summary="Touchpoints in journey order")
def list_touchpoints(request: HttpRequest) -> list[TouchpointOut]:
    return services.list_touchpoints(organisation=request.organisation)


@router.get("/touchpoints/{touchpoint_id}", response=TouchpointDetail, summary="A touchpoint with its expectations")
def get_touchpoint(request: HttpRequest, touchpoint_id: int) -> TouchpointDetail:
    return services.get_touchpoint_detail(organisation=request.organisation, touchpoint_id=touchpoint_id)


@router.get("/versions", response=list[CharterVersionOut], summary="Published versions, newest first")
def list_versions(request: HttpRequest) -> list[CharterVersionOut]:
    return services.list_versions(organisation=request.organisation)


@router.get("/versions/{charter_version_id}", response=CharterVersionDetail, summary="A published version")
def get_version(request: HttpRequest, charter_version_id: int) -> CharterVersionDetail:
    return services.get_version(organisation=request.organisation, charter_version_id=charter_version_id)


@router.get("/compare", response=CharterComparison,
            summary="Any two published versions or changes side by side")
def compare_versions(request: HttpRequest, query: Query[CompareQuery]) -> CharterComparison:
    return services.compare_versions(organisation=request.organisation, left=query.left, right=query.right)


@router.get("/changes", response=CharterChangePage, summary="Every saved change: who, when, why, what; newest first")
def list_changes(request: HttpRequest, query: Query[PageQuery]) -> CharterChangePage:
    return services.list_changes(organisation=request.organisation, page=query.page)


@router.get("/changes/{charter_change_id}", response=CharterChangeDetail,
            summary="A change with the charter as it stood after it")
def get_change(request: HttpRequest, charter_change_id: int) -> CharterChangeDetail:
    return services.get_change(organisation=request.organisation, charter_change_id=charter_change_id)


# ---------------------------------------------------------------- editing: every change says why


@router.post("/values", response={201: ValueOut}, summary="Add a value")
def create_value(request: HttpRequest, payload: ValueIn) -> Status[ValueOut]:
    return Status(201, _edit(request, services.create_value, data=payload))


@router.put("/values/{value_id}", response=ValueOut, summary="Change a value")
def update_value(request: HttpRequest, value_id: int, payload: ValueIn) -> ValueOut:
    return _edit(request, services.update_value, value_id=value_id, data=payload)


@router.delete("/values/{value_id}", response={204: None}, summary="Remove a value (say why in ?why=)")
def delete_value(request: HttpRequest, value_id: int, query: Query[WhyIn]) -> Status[None]:
    return _removed(request, services.delete_value, query, value_id=value_id)


@router.post("/segments", response={201: SegmentOut}, summary="Add a segment")
def create_segment(request: HttpRequest, payload: SegmentIn) -> Status[SegmentOut]:
    return Status(201, _edit(request, services.create_segment, data=payload))


@router.put("/segments/{segment_id}", response=SegmentOut, summary="Change a segment")
def update_segment(request: HttpRequest, segment_id: int, payload: SegmentIn) -> SegmentOut:
    return _edit(request, services.update_segment, segment_id=segment_id, data=payload)


@router.delete("/segments/{segment_id}", response={204: None}, summary="Remove a segment (say why in ?why=)")
def delete_segment(request: HttpRequest, segment_id: int, query: Query[WhyIn]) -> Status[None]:
    return _removed(request, services.delete_segment, query, segment_id=segment_id)


@router.post("/journey-stages", response={201: JourneyStageOut}, summary="Add a journey stage")
def create_journey_stage(request: HttpRequest, payload: JourneyStageIn) -> Status[JourneyStageOut]:
    return Status(201, _edit(request, services.create_journey_stage, data=payload))


@router.put("/journey-stages/{journey_stage_id}", response=JourneyStageOut, summary="Rename or move a journey stage")
def update_journey_stage(request: HttpRequest, journey_stage_id: int, payload: JourneyStageIn) -> JourneyStageOut:
    return _edit(request, services.update_journey_stage, journey_stage_id=journey_stage_id, data=payload)


@router.delete("/journey-stages/{journey_stage_id}", response={204: None},
               summary="Remove an empty journey stage (say why in ?why=)")
def delete_journey_stage(request: HttpRequest, journey_stage_id: int, query: Query[WhyIn]) -> Status[None]:
    return _removed(request, services.delete_journey_stage, query, journey_stage_id=journey_stage_id)


@router.post("/touchpoints", response={201: TouchpointDetail}, summary="Add a touchpoint")
def create_touchpoint(request: HttpRequest, payload: TouchpointIn) -> Status[TouchpointDetail]:
    return Status(201, _edit(request, services.create_touchpoint, data=payload))


@router.put("/touchpoints/{touchpoint_id}", response=TouchpointDetail, summary="Change a touchpoint")
def update_touchpoint(request: HttpRequest, touchpoint_id: int, payload: TouchpointIn) -> TouchpointDetail:
    return _edit(request, services.update_touchpoint, touchpoint_id=touchpoint_id, data=payload)


@router.delete("/touchpoints/{touchpoint_id}", response={204: None},
               summary="Remove a touchpoint and its expectations (say why in ?why=)")
def delete_touchpoint(request: HttpRequest, touchpoint_id: int, query: Query[WhyIn]) -> Status[None]:
    return _removed(request, services.delete_touchpoint, query, touchpoint_id=touchpoint_id)


@router.post("/touchpoints/{touchpoint_id}/expectations", response={201: ExpectationOut},
             summary="Add a ratable expectation to a touchpoint")
def add_expectation(request: HttpRequest, touchpoint_id: int, payload: ExpectationIn) -> Status[ExpectationOut]:
    return Status(201, _edit(request, services.add_expectation, touchpoint_id=touchpoint_id, data=payload))


@router.delete("/expectations/{expectation_id}", response={204: None}, summary="Remove an expectation (say why in ?why=)")
def delete_expectation(request: HttpRequest, expectation_id: int, query: Query[WhyIn]) -> Status[None]:
    return _removed(request, services.delete_expectation, query, expectation_id=expectation_id)
