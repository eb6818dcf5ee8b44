"""Feedback intake over the API."""

from django.http import HttpRequest
from ninja import Router

from eyelevel.core.errors import NotFound
from eyelevel.customers import services as customers
from eyelevel.feedback import services
from eyelevel.feedback.schemas import FeedbackIn, FeedbackOut

router = Router(tags=["feedback"])


@router.post("/items", response={201: FeedbackOut}, summary="Submit a feedback item")
def submit_feedback(request: HttpRequest, payload: FeedbackIn) -> tuple[int, FeedbackOut]:
    if payload.customer_id is not None:
        try:
            customers.get_customer(organisation=request.organisation, customer_id=payload.customer_id)
        except NotFound:
            raise NotFound("customer not found", field="customer_id") from None
    payload.channel = "api"
    return 201, services.record_feedback(organisation=request.organisation, data=payload)
