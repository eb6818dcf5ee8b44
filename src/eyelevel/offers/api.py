"""Offers over the API: a customer's offers with reasons (for a shop or a newsletter system)."""

from django.http import HttpRequest
from ninja import Router, Schema, Status

from eyelevel.customers import services as customers
from eyelevel.offers import services
from eyelevel.offers.schemas import GeneralOfferOut, OfferIn, OfferList

router = Router(tags=["offers"])


class ActiveIn(Schema):
    active: bool


@router.get("/customers/{customer_id}/offers", response=OfferList,
            summary="The customer's offers now: personal with reasons if they consented, else general")
def customer_offers(request: HttpRequest, customer_id: int, limit: int = 10) -> OfferList:
    principal = request.principal
    customers.read_customer(
        organisation=request.organisation, customer_id=customer_id, what="offers",
        reader=customers.token_reader(token_name=principal.name, access_reason=principal.access_reason),
    )
    return services.offers_for(organisation=request.organisation, customer_id=customer_id,
                               limit=max(1, min(limit, 50)))


@router.get("/offers", response=list[GeneralOfferOut], summary="Current offers for all customers")
def general_offers(request: HttpRequest) -> list[GeneralOfferOut]:
    return services.list_offers(organisation=request.organisation, current_only=True)


@router.post("/offers", response={201: GeneralOfferOut}, summary="Create an offer for all customers")
def create_offer(request: HttpRequest, payload: OfferIn) -> Status[GeneralOfferOut]:
    return Status(201, services.create_offer(organisation=request.organisation, data=payload))


@router.put("/offers/{offer_id}/active", response=GeneralOfferOut,
            summary="Stop an offer for all customers (active false) or run it again (true)")
def set_offer_active(request: HttpRequest, offer_id: int, payload: ActiveIn) -> GeneralOfferOut:
    return services.set_offer_active(organisation=request.organisation, offer_id=offer_id, active=payload.active)
