"""Surveys, responses and the gap report over the API (thin: every rule lives in services)."""

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from eyelevel.customers import services as customers
from eyelevel.surveys import services
from eyelevel.surveys.schemas import (
    AnonymousResponseIn,
    FeedbackConsistencyRow,
    GapReport,
    ResponseIn,
    ResponsePage,
    SurveyIn,
    SurveyLinkOut,
    SurveyOut,
)

router = Router(tags=["surveys"])


class Created(Schema):
    id: int


class GapQuery(Schema):
    survey_id: int | None = None


class ResponseQuery(Schema):
    page: int = 1
    audience: str = ""


class StatusIn(Schema):
    status: str


class LinkIn(Schema):
    label: str


class TokenQuery(Schema):
    token: str


@router.get("", response=list[SurveyOut], summary="List surveys")
def list_surveys(request: HttpRequest) -> list[SurveyOut]:
    return services.list_surveys(organisation=request.organisation)


@router.post("", response={201: SurveyOut}, summary="Create a survey with its questions (a draft)")
def create_survey(request: HttpRequest, payload: SurveyIn) -> Status[SurveyOut]:
    return Status(201, services.create_survey(organisation=request.organisation, data=payload))


@router.get("/gap-report", response=GapReport, summary="The perception gap report")
def gap_report(request: HttpRequest, query: Query[GapQuery]) -> GapReport:
    if query.survey_id is not None:
        services.get_survey(organisation=request.organisation, survey_id=query.survey_id)
    return services.gap_report(organisation=request.organisation, survey_id=query.survey_id)


@router.get("/feedback-consistency", response=list[FeedbackConsistencyRow],
            summary="Touchpoint consistency in classified feedback: negative share per team and staff member")
def feedback_consistency(request: HttpRequest) -> list[FeedbackConsistencyRow]:
    return services.feedback_consistency(organisation=request.organisation)


@router.get("/public", response=SurveyOut, auth=None,
            summary="The survey behind an anonymous link (no authentication; nothing personal)")
def public_survey(request: HttpRequest, query: Query[TokenQuery]) -> SurveyOut:
    return services.get_survey_for_link(token=query.token)[1]


@router.post("/public/{token}/responses", response={201: Created}, auth=None,
             summary="Answer through an anonymous link (no authentication; stores no personal data)")
def submit_anonymous_response(request: HttpRequest, token: str, payload: AnonymousResponseIn) -> Status[Created]:
    return Status(201, Created(id=services.submit_anonymous_response(token=token, data=payload)))


@router.get("/{survey_id}", response=SurveyOut, summary="Get a survey")
def get_survey(request: HttpRequest, survey_id: int) -> SurveyOut:
    return services.get_survey(organisation=request.organisation, survey_id=survey_id)


@router.post("/{survey_id}/status", response=SurveyOut, summary="Open or close a survey")
def set_status(request: HttpRequest, survey_id: int, payload: StatusIn) -> SurveyOut:
    return services.set_survey_status(organisation=request.organisation, survey_id=survey_id, status=payload.status)


@router.get("/{survey_id}/links", response=list[SurveyLinkOut], summary="A survey's anonymous links")
def list_links(request: HttpRequest, survey_id: int) -> list[SurveyLinkOut]:
    return services.list_links(organisation=request.organisation, survey_id=survey_id)


@router.post("/{survey_id}/links", response={201: SurveyLinkOut}, summary="Create an anonymous link")
def create_link(request: HttpRequest, survey_id: int, payload: LinkIn) -> Status[SurveyLinkOut]:
    return Status(201, services.create_link(organisation=request.organisation, survey_id=survey_id, label=payload.label))


@router.get("/{survey_id}/responses", response=ResponsePage, summary="A survey's responses")
def list_responses(request: HttpRequest, survey_id: int, query: Query[ResponseQuery]) -> ResponsePage:
    page = services.list_responses(organisation=request.organisation, survey_id=survey_id, page=query.page,
                                   audience=query.audience)
    # A customer's answers are their personal data: the token's read is logged for each customer on the page.
    customer_ids = sorted({r.customer_id for r in page.items if r.customer_id is not None})
    if customer_ids:
        principal = request.principal
        customers.record_access_many(
            organisation=request.organisation, customer_ids=customer_ids, what="survey answers (in a list)",
            reader=customers.token_reader(token_name=principal.name, access_reason=principal.access_reason))
    return page


@router.post("/{survey_id}/responses", response={201: Created}, summary="Record a response (e.g. from a shop system)")
def submit_response(request: HttpRequest, survey_id: int, payload: ResponseIn) -> Status[Created]:
    return Status(201, Created(id=services.submit_response(organisation=request.organisation, survey_id=survey_id,
                                                            data=payload)))
