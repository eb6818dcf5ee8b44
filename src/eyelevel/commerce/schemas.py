"""Commerce data as passed to views, the API and other domains."""

from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema


class ProductIn(Schema):
    sku: str = Field(..., min_length=1, max_length=64)
    name: str = Field(..., min_length=1, max_length=200)
    category: str = Field("", max_length=120)
    subcategory: str = Field("", max_length=120)
    brand: str = Field("", max_length=120)
    unit_price: Decimal = Field(Decimal("0"), ge=0, max_digits=10, decimal_places=2)
    vat_rate: Decimal = Field(Decimal("19"), ge=0, le=100)


class ProductOut(ProductIn):
    id: int


class ReceiptLineIn(Schema):
    sku: str = Field(..., min_length=1, max_length=64)
    quantity: Decimal = Field(Decimal("1"), gt=0)
    unit_price: Decimal = Field(..., ge=0)
    discount: Decimal = Field(Decimal("0"), ge=0)
    vat_rate: Decimal | None = Field(None, ge=0, le=100)


class ReceiptIn(Schema):
    number: str = Field(..., min_length=1, max_length=64)
    customer_id: int | None = None
    purchased_at: datetime
    store: str = Field("", max_length=64)
    lines: list[ReceiptLineIn] = Field(..., min_length=1)
