"""Sending through the one outbound gate over the API, and reading a customer's messages (logged)."""

from django.http import HttpRequest
from ninja import Router, Status

from eyelevel.customers import services as customers
from eyelevel.messaging import services
from eyelevel.messaging.schemas import ContactCapIn, ContactCapOut, MessageOut, MessageResult, OutboundMessage

router = Router(tags=["messaging"])


@router.post("/messages", response={201: MessageResult},
             summary="Send a message through the gate (consent, caps, reason line, automated label)")
def send(request: HttpRequest, payload: OutboundMessage) -> Status[MessageResult]:
    return Status(201, services.send_to_customer(organisation=request.organisation, message=payload))


@router.get("/customers/{customer_id}/messages", response=list[MessageOut],
            summary="Messages sent and refused for a customer (logged in their access log)")
def customer_messages(request: HttpRequest, customer_id: int) -> list[MessageOut]:
    reader = customers.token_reader(token_name=request.principal.name, access_reason=request.principal.access_reason)
    customers.read_customer(organisation=request.organisation, customer_id=customer_id, reader=reader,
                            what="messages")
    return services.messages_of(organisation=request.organisation, customer_id=customer_id)


@router.get("/caps", response=list[ContactCapOut], summary="Contact caps per customer")
def list_caps(request: HttpRequest) -> list[ContactCapOut]:
    return services.contact_caps(organisation=request.organisation)


@router.put("/caps", response=ContactCapOut, summary="Set a contact cap")
def set_cap(request: HttpRequest, payload: ContactCapIn) -> ContactCapOut:
    return services.set_contact_cap(organisation=request.organisation, data=payload)
