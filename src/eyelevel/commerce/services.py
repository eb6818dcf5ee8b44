"""Products and receipts: recording purchases."""

from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from eyelevel.commerce.models import Product, Receipt, ReceiptLine
from eyelevel.commerce.schemas import ProductIn, ReceiptIn
from eyelevel.core.errors import InvalidInput
from eyelevel.core.models import Organisation

CENT = Decimal("0.01")


@transaction.atomic
def upsert_products(*, organisation: Organisation, products: Iterable[ProductIn]) -> int:
    """Create or update products by SKU; returns how many were written."""
    incoming = {p.sku: p for p in products}
    existing = {p.sku: p for p in Product.objects.for_organisation(organisation).filter(sku__in=list(incoming))}
    to_create, to_update = [], []
    for sku, data in incoming.items():
        product = existing.get(sku) or Product(organisation=organisation, sku=sku)
        for field, value in data.dict().items():
            setattr(product, field, value)
        (to_update if product.pk else to_create).append(product)
    Product.objects.for_organisation(organisation).bulk_create(to_create, batch_size=2000)
    if to_update:
        Product.objects.for_organisation(organisation).bulk_update(
            to_update, ["name", "category", "subcategory", "brand", "unit_price", "vat_rate"], batch_size=2000
        )
    return len(to_create) + len(to_update)


@transaction.atomic
def record_receipts(*, organisation: Organisation, receipts: list[ReceiptIn]) -> int:
    """Record receipts with their lines; receipts whose number exists are skipped (idempotent)."""
    numbers = [r.number for r in receipts]
    known = set(
        Receipt.objects.for_organisation(organisation).filter(number__in=numbers).values_list("number", flat=True)
    )
    skus = {line.sku for r in receipts for line in r.lines}
    products = dict(
        Product.objects.for_organisation(organisation).filter(sku__in=list(skus)).values_list("sku", "pk")
    )
    vat = dict(Product.objects.for_organisation(organisation).filter(sku__in=list(skus)).values_list("sku", "vat_rate"))
    new_receipts, pending_lines = [], []
    for index, data in enumerate(receipts):
        if data.number in known:
            continue
        known.add(data.number)
        lines = []
        for line_number, line in enumerate(data.lines, start=1):
            if line.sku not in products:
                raise InvalidInput(
                    f"receipt {data.number}, line {line_number}: unknown product {line.sku!r}",
                    field=f"receipts[{index}].lines[{line_number - 1}].sku",
                )
            amount = (line.quantity * line.unit_price - line.discount).quantize(CENT)
            lines.append(ReceiptLine(
                organisation=organisation, product_id=products[line.sku], quantity=line.quantity,
                unit_price=line.unit_price, discount=line.discount,
                vat_rate=line.vat_rate if line.vat_rate is not None else vat[line.sku], amount=amount,
            ))
        receipt = Receipt(
            organisation=organisation, number=data.number, customer_id=data.customer_id,
            purchased_at=data.purchased_at if timezone.is_aware(data.purchased_at)
            else timezone.make_aware(data.purchased_at),
            store=data.store, total=sum((line.amount for line in lines), Decimal("0")),
        )
        new_receipts.append(receipt)
        pending_lines.append(lines)
    Receipt.objects.for_organisation(organisation).bulk_create(new_receipts, batch_size=2000)
    all_lines = []
    for receipt, lines in zip(new_receipts, pending_lines, strict=True):
        for line in lines:
            line.receipt_id = receipt.pk
            all_lines.append(line)
    ReceiptLine.objects.for_organisation(organisation).bulk_create(all_lines, batch_size=5000)
    return len(new_receipts)


def receipt_count(*, organisation_id: int) -> int:
    """How many receipts the organisation has."""
    return Receipt.objects.for_organisation(organisation_id).count()


def revenue_since(*, organisation_id: int, since) -> Decimal:  # type: ignore[no-untyped-def]
    """The sum of receipt totals since a moment."""
    total = (
        Receipt.objects.for_organisation(organisation_id).filter(purchased_at__gte=since).aggregate(s=Sum("total"))
    )["s"]
    return total or Decimal("0")
