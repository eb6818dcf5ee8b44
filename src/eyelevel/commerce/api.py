"""Products, receipts and stamp rewards over the API (point of sale integrations and tills)."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from eyelevel.commerce import services
from eyelevel.commerce.schemas import ProductIn, ReceiptDetail, ReceiptIn, StampCardOut, StampRewardOut
from eyelevel.core.errors import NotFound
from eyelevel.customers import services as customers

router = Router(tags=["commerce"])


class RedeemIn(Schema):
    till: str = "api"


def _known_customer(request: HttpRequest, customer_id: int) -> None:
    try:
        customers.get_customer(organisation=request.organisation, customer_id=customer_id)
    except NotFound:
        raise NotFound(_("customer not found"), field="customer_id") from None


@router.put("/products", summary="Create or update products by SKU (with an optional price breakdown)")
def upsert_products(request: HttpRequest, payload: list[ProductIn]) -> dict[str, int]:
    return {"written": services.upsert_products(organisation=request.organisation, products=payload)}


@router.post("/receipts", response={201: dict}, summary="Record a receipt (idempotent by number); stamps follow")
def record_receipt(request: HttpRequest, payload: ReceiptIn) -> Status[dict[str, int]]:
    if payload.customer_id is not None:
        _known_customer(request, payload.customer_id)
    return Status(201, {"created": services.record_receipts(organisation=request.organisation, receipts=[payload])})


@router.get("/receipts/{receipt_id}", response=ReceiptDetail, summary="One receipt with its lines")
def get_receipt(request: HttpRequest, receipt_id: int) -> ReceiptDetail:
    receipt = services.get_receipt(organisation=request.organisation, receipt_id=receipt_id)
    if receipt.customer_id is not None:
        principal = request.principal
        customers.record_access(
            organisation=request.organisation, customer_id=receipt.customer_id, what=f"receipt {receipt.number}",
            reader=customers.token_reader(token_name=principal.name, access_reason=principal.access_reason),
        )
    return receipt


@router.get("/customers/{customer_id}/stamp-cards", response=list[StampCardOut],
            summary="A customer's stamp cards and rewards (for the till)")
def customer_stamp_cards(request: HttpRequest, customer_id: int) -> list[StampCardOut]:
    principal = request.principal
    customers.read_customer(
        organisation=request.organisation, customer_id=customer_id, what="stamp cards and rewards",
        reader=customers.token_reader(token_name=principal.name, access_reason=principal.access_reason),
    )
    return services.stamp_cards(organisation=request.organisation, customer_id=customer_id)


@router.get("/rewards/{stamp_reward_id}", response=StampRewardOut, summary="One stamp reward")
def get_reward(request: HttpRequest, stamp_reward_id: int) -> StampRewardOut:
    return services.get_reward(organisation=request.organisation, stamp_reward_id=stamp_reward_id)


@router.post("/rewards/{stamp_reward_id}/redeem", response=StampRewardOut,
             summary="Redeem a reward once (409 if redeemed already or expired)")
def redeem_reward(request: HttpRequest, stamp_reward_id: int, payload: RedeemIn | None = None) -> StampRewardOut:
    till = (payload.till if payload else "api")[:100]
    return services.redeem_reward(organisation=request.organisation, stamp_reward_id=stamp_reward_id,
                                  till=f"API: {till}")
