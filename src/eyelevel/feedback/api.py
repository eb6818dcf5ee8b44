"""Feedback over the API: submit, list, read, classify, correct labels, act."""

from django.http import HttpRequest
from ninja import Query, Router, Schema

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
def submit_feedback(request: HttpRequest, payload: FeedbackIn) -> tuple[int, FeedbackOut]:
    payload.channel = "api"
    return 201, services.record_feedback(organisation=request.organisation, data=payload)


@router.get("/items", response=FeedbackPage, summary="List feedback items with filters")
def list_items(request: HttpRequest, filters: Query[FeedbackFilter]) -> FeedbackPage:
    return services.search_feedback(organisation=request.organisation, filters=filters)


@router.get("/items/{feedback_item_id}", response=FeedbackOut, summary="One feedback item")
def get_item(request: HttpRequest, feedback_item_id: int) -> FeedbackOut:
    return services.get_feedback_item(organisation=request.organisation, feedback_item_id=feedback_item_id)


@router.post("/items/{feedback_item_id}/labels", response=FeedbackOut, summary="Correct an item's labels")
def correct_labels(request: HttpRequest, feedback_item_id: int, payload: LabelIn) -> FeedbackOut:
    services.correct_label(organisation=request.organisation, feedback_item_id=feedback_item_id, user_id=None,
                           sentiment=payload.sentiment, aspects=payload.aspects)
    return services.get_feedback_item(organisation=request.organisation, feedback_item_id=feedback_item_id)


@router.post("/classify", response=ClassificationOut, summary="Classify a text without storing it")
def classify(request: HttpRequest, payload: TextIn) -> ClassificationOut:
    return services.classify_text(organisation=request.organisation, text=payload.text)


@router.post("/actions", response={201: ActionOut}, summary="Act on one or many items")
def create_action(request: HttpRequest, payload: ActionIn) -> tuple[int, ActionOut]:
    return 201, services.create_action(organisation=request.organisation, data=payload, user_id=None)


@router.post("/actions/{action_id}/complete", response=ActionOut, summary="Record an action's outcome")
def complete_action(request: HttpRequest, action_id: int, payload: OutcomeIn) -> ActionOut:
    return services.complete_action(organisation=request.organisation, action_id=action_id, outcome=payload.outcome)
