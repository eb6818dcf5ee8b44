"""Feedback over the API: submit, list, read, classify, correct labels, act."""

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from eyelevel.customers import services as customers
from eyelevel.feedback import services
from eyelevel.feedback.schemas import (
    ActionIn,
    ActionOut,
    AspectOut,
    ClassificationOut,
    FeedbackFilter,
    FeedbackIn,
    FeedbackOut,
    FeedbackPage,
)

router = Router(tags=["feedback"])


class TextIn(Schema):
    text: str


class LabelIn(Schema):
    sentiment: str | None = None
    aspects: list[AspectOut] | None = None


class OutcomeIn(Schema):
    outcome: str


@router.post("/items", response={201: FeedbackOut}, summary="Submit a feedback item (classified and routed)")
def submit_feedback(request: HttpRequest, payload: FeedbackIn) -> Status[FeedbackOut]:
    payload.channel = "api"
    return Status(201, services.record_feedback(organisation=request.organisation, data=payload))


@router.get("/items", response=FeedbackPage, summary="List feedback items with filters")
def list_items(request: HttpRequest, filters: Query[FeedbackFilter]) -> FeedbackPage:
    page = services.search_feedback(organisation=request.organisation, filters=filters)
    customer_ids = sorted({item.customer_id for item in page.items if item.customer_id})
    if customer_ids:
        customers.record_access_many(organisation=request.organisation, customer_ids=customer_ids,
                                     what="feedback items", reader=_token_reader(request))
    return page


def _token_reader(request: HttpRequest):  # type: ignore[no-untyped-def]
    return customers.token_reader(token_name=request.principal.name, access_reason=request.principal.access_reason)


@router.get("/items/{feedback_item_id}", response=FeedbackOut, summary="One feedback item")
def get_item(request: HttpRequest, feedback_item_id: int) -> FeedbackOut:
    item = services.get_feedback_item(organisation=request.organisation, feedback_item_id=feedback_item_id)
    if item.customer_id:
        customers.record_access(organisation=request.organisation, customer_id=item.customer_id,
                                what="a feedback item", reader=_token_reader(request))
    return item


@router.post("/items/{feedback_item_id}/labels", response=FeedbackOut, summary="Correct an item's labels")
def correct_labels(request: HttpRequest, feedback_item_id: int, payload: LabelIn) -> FeedbackOut:
    services.correct_label(organisation=request.organisation, feedback_item_id=feedback_item_id, user_id=None,
                           sentiment=payload.sentiment, aspects=payload.aspects)
    return services.get_feedback_item(organisation=request.organisation, feedback_item_id=feedback_item_id)


@router.post("/classify", response=ClassificationOut, summary="Classify a text without storing it")
def classify(request: HttpRequest, payload: TextIn) -> ClassificationOut:
    return services.classify_text(organisation=request.organisation, text=payload.text)


@router.post("/actions", response={201: ActionOut}, summary="Act on one or many items")
def create_action(request: HttpRequest, payload: ActionIn) -> Status[ActionOut]:
    return Status(201, services.create_action(organisation=request.organisation, data=payload, user_id=None))


@router.post("/actions/{action_id}/complete", response=ActionOut, summary="Record an action's outcome")
def complete_action(request: HttpRequest, action_id: int, payload: OutcomeIn) -> ActionOut:
    return services.complete_action(organisation=request.organisation, action_id=action_id, outcome=payload.outcome)
