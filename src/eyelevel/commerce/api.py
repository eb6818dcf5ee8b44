"""Products and receipts over the API (point of sale integrations)."""

from django.http import HttpRequest
from ninja import Router

from eyelevel.commerce import services
from eyelevel.commerce.schemas import ProductIn, ReceiptIn
from eyelevel.core.errors import NotFound
from eyelevel.customers import services as customers

router = Router(tags=["commerce"])


@router.put("/products", summary="Create or update products by SKU")
def upsert_products(request: HttpRequest, payload: list[ProductIn]) -> dict[str, int]:
    return {"written": services.upsert_products(organisation=request.organisation, products=payload)}


@router.post("/receipts", response={201: dict}, summary="Record a receipt (idempotent by number)")
def record_receipt(request: HttpRequest, payload: ReceiptIn) -> tuple[int, dict[str, int]]:
    if payload.customer_id is not None:
        try:
            customers.get_customer(organisation=request.organisation, customer_id=payload.customer_id)
        except NotFound:
            raise NotFound("customer not found", field="customer_id") from None
    return 201, {"created": services.record_receipts(organisation=request.organisation, receipts=[payload])}
