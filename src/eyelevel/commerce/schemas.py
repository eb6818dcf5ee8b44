"""Commerce data as passed to views, the API and other domains."""

from datetime import date, datetime
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
    price_breakdown: list["PriceComponent"] | None = Field(
        None, description="what the unit price is made of; the amounts add up to the unit price")


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


class PriceComponent(Schema):
    label: str = Field(..., min_length=1, max_length=80)
    amount: Decimal = Field(..., ge=0, max_digits=10, decimal_places=2)


class ProductDetail(Schema):
    id: int
    sku: str
    name: str
    category: str
    subcategory: str
    brand: str
    unit_price: Decimal
    vat_rate: Decimal
    price_breakdown: list[PriceComponent]


class CommerceSettingsOut(Schema):
    show_price_breakdown: bool


class ReceiptLineOut(Schema):
    product_id: int
    sku: str
    product_name: str
    category: str
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal
    vat_rate: Decimal
    amount: Decimal
    price_breakdown: list[PriceComponent] = []


class ReceiptOut(Schema):
    id: int
    number: str
    customer_id: int | None
    purchased_at: datetime
    store: str
    total: Decimal
    line_count: int = 0


class ReceiptDetail(ReceiptOut):
    lines: list[ReceiptLineOut]
    vat_totals: list["VatTotal"]


class VatTotal(Schema):
    vat_rate: Decimal
    gross: Decimal
    net: Decimal
    vat: Decimal


class ReceiptPage(Schema):
    items: list[ReceiptOut]
    total: int
    page: int
    pages: int


class ReceiptStatement(Schema):
    """Every receipt of a customer in a period, with totals by VAT rate (for a tax return)."""

    customer_id: int
    start: date
    end: date
    receipts: list[ReceiptDetail]
    vat_totals: list[VatTotal]
    gross_total: Decimal


class StampProgrammeIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    skus: list[str] = []
    category: str = Field("", max_length=120)
    stamps_required: int = Field(10, ge=1, le=1000)
    reward: str = Field(..., min_length=1, max_length=200)
    stamp_valid_days: int | None = Field(None, ge=1, le=3650)
    reward_valid_days: int | None = Field(None, ge=1, le=3650)
    active: bool = True


class StampProgrammeOut(StampProgrammeIn):
    id: int


class StampRewardOut(Schema):
    id: int
    programme_id: int
    programme_name: str
    reward: str
    customer_id: int
    earned_at: datetime
    expires_at: datetime | None
    redeemed_at: datetime | None
    redeemed_by: str
    redeemable: bool


class StampCardOut(Schema):
    """A customer's card in one programme: stamps collected towards the next reward, and rewards."""

    programme_id: int
    programme_name: str
    reward: str
    stamps_required: int
    stamps: int
    next_expiry: datetime | None
    rewards: list[StampRewardOut]


class ImportReport(Schema):
    rows: int
    receipts_created: int
    receipts_skipped: int
    lines_created: int
    customers_created: int
    products_created: int
    bad_rows: list[dict]


ProductIn.model_rebuild()
ReceiptDetail.model_rebuild()


class ReceiptImportErrorOut(Schema):
    row: int
    field: str
    message: str


class ReceiptImportOut(Schema):
    """A receipt upload being imported in the background, with its progress and the rows to fix."""

    id: int
    filename: str
    status: str
    total: int
    processed: int
    receipts_created: int
    receipts_skipped: int
    errors: list[ReceiptImportErrorOut]
    has_rejects: bool
    created_at: datetime
