"""The relationship charter over the API (read only; thin: every rule lives in services)."""

from django.http import HttpRequest
from ninja import Query, Router, Schema

from eyelevel.relationships import services
from eyelevel.relationships.schemas import (
    CharterComparison,
    CharterOut,
    CharterVersionDetail,
    CharterVersionOut,
    CoherenceIssue,
    TouchpointDetail,
    TouchpointOut,
)

router = Router(tags=["relationships"])


class CompareQuery(Schema):
    left: int
    right: int


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


@router.get("/compare", response=CharterComparison, summary="Two published versions side by side")
def compare_versions(request: HttpRequest, query: Query[CompareQuery]) -> CharterComparison:
    return services.compare_versions(organisation=request.organisation, left_number=query.left,
                                     right_number=query.right)
