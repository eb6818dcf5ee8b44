"""Receipts: recording purchases, finding them, statements for a tax return, purchase history."""

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from eyelevel.commerce.models import Product, Receipt, ReceiptLine
from eyelevel.commerce.schemas import (
    PriceComponent,
    ReceiptDetail,
    ReceiptIn,
    ReceiptLineOut,
    ReceiptOut,
    ReceiptPage,
    ReceiptStatement,
    VatTotal,
)
from eyelevel.commerce.services.products import get_settings
from eyelevel.core.errors import InvalidInput
from eyelevel.core.models import Organisation
from eyelevel.core.pagination import page_window
from eyelevel.core.tenancy import get_scoped

CENT = Decimal("0.01")
PAGE_SIZE = 25


@transaction.atomic
def record_receipts(*, organisation: Organisation, receipts: list[ReceiptIn]) -> int:
    """Record receipts with their lines; receipts whose number exists are skipped (idempotent)."""
    from eyelevel.commerce.services.stamps import award_stamps

    numbers = [r.number for r in receipts]
    known = set(
        Receipt.objects.for_organisation(organisation).filter(number__in=numbers).values_list("number", flat=True)
    )
    skus = {line.sku for r in receipts for line in r.lines}
    catalogue = {
        sku: (pk, vat) for sku, pk, vat in
        Product.objects.for_organisation(organisation).filter(sku__in=list(skus)).values_list("sku", "pk", "vat_rate")
    }
    new_receipts, pending_lines = [], []
    for index, data in enumerate(receipts):
        if data.number in known:
            continue
        known.add(data.number)
        lines = []
        for line_number, line in enumerate(data.lines, start=1):
            if line.sku not in catalogue:
                raise InvalidInput(
                    _("receipt %(number)s, line %(line)s: unknown product %(sku)s") % {
                        "number": data.number, "line": line_number, "sku": repr(line.sku)},
                    field=f"receipts[{index}].lines[{line_number - 1}].sku",
                )
            amount = (line.quantity * line.unit_price - line.discount).quantize(CENT)
            product_id, vat = catalogue[line.sku]
            lines.append(ReceiptLine(
                organisation=organisation, product_id=product_id, quantity=line.quantity,
                unit_price=line.unit_price, discount=line.discount,
                vat_rate=line.vat_rate if line.vat_rate is not None else vat, amount=amount,
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
    award_stamps(organisation=organisation, receipt_ids=[r.pk for r in new_receipts if r.customer_id])
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


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _receipts_of(organisation: Organisation | int, customer_id: int | None, query: str = "",
                 start: date | None = None, end: date | None = None):  # type: ignore[no-untyped-def]
    receipts = Receipt.objects.for_organisation(organisation)
    if customer_id is not None:
        receipts = receipts.filter(customer_id=customer_id)
    if start:
        receipts = receipts.filter(purchased_at__gte=_day_start(start))
    if end:
        receipts = receipts.filter(purchased_at__lt=_day_start(end + timedelta(days=1)))
    query = query.strip()
    if query:
        matching_lines = ReceiptLine.objects.for_organisation(organisation).filter(
            Q(product__name__icontains=query) | Q(product__category__icontains=query)
        ).values("receipt_id")
        receipts = receipts.filter(Q(number__icontains=query) | Q(store__icontains=query) | Q(pk__in=matching_lines))
    return receipts


def list_receipts(*, organisation: Organisation | int, customer_id: int | None = None, query: str = "",
                  start: date | None = None, end: date | None = None, page: int = 1) -> ReceiptPage:
    """A page of receipts, newest first, optionally one customer's, searched by number, store or product."""
    receipts = _receipts_of(organisation, customer_id, query, start, end)
    window = page_window(total=receipts.count(), page=page, page_size=PAGE_SIZE)
    rows = receipts.annotate(line_count=Count("lines")).order_by("-purchased_at", "-pk")[window.start: window.stop]
    items = [ReceiptOut(id=r.pk, number=r.number, customer_id=r.customer_id, purchased_at=r.purchased_at,
                        store=r.store, total=r.total, line_count=r.line_count) for r in rows]
    return ReceiptPage(items=items, total=window.total, page=window.page, pages=window.pages)


def vat_totals(amounts: list[tuple[Decimal, Decimal]]) -> list[VatTotal]:
    """Totals by VAT rate from (rate, gross amount) pairs: gross, net and VAT, rounded to cents."""
    gross_by_rate: dict[Decimal, Decimal] = defaultdict(Decimal)
    for rate, amount in amounts:
        gross_by_rate[Decimal(rate)] += amount
    totals = []
    for rate in sorted(gross_by_rate):
        gross = gross_by_rate[rate].quantize(CENT)
        net = (gross / (1 + rate / 100)).quantize(CENT)
        totals.append(VatTotal(vat_rate=rate, gross=gross, net=net, vat=gross - net))
    return totals


def _details(organisation: Organisation | int, receipts: list[Receipt]) -> list[ReceiptDetail]:
    show_breakdown = get_settings(organisation=organisation).show_price_breakdown
    lines_by_receipt: dict[int, list[ReceiptLineOut]] = defaultdict(list)
    vat_by_receipt: dict[int, list[tuple[Decimal, Decimal]]] = defaultdict(list)
    lines = (ReceiptLine.objects.for_organisation(organisation).filter(receipt_id__in=[r.pk for r in receipts])
             .select_related("product").order_by("pk"))
    for line in lines:
        product = line.product
        lines_by_receipt[line.receipt_id].append(ReceiptLineOut(
            product_id=product.pk, sku=product.sku, product_name=product.name, category=product.category,
            quantity=line.quantity, unit_price=line.unit_price, discount=line.discount, vat_rate=line.vat_rate,
            amount=line.amount,
            price_breakdown=[PriceComponent(**c) for c in product.price_breakdown or []] if show_breakdown else [],
        ))
        vat_by_receipt[line.receipt_id].append((line.vat_rate, line.amount))
    return [ReceiptDetail(
        id=r.pk, number=r.number, customer_id=r.customer_id, purchased_at=r.purchased_at, store=r.store,
        total=r.total, line_count=len(lines_by_receipt[r.pk]), lines=lines_by_receipt[r.pk],
        vat_totals=vat_totals(vat_by_receipt[r.pk]),
    ) for r in receipts]


def get_receipt(*, organisation: Organisation | int, receipt_id: int, customer_id: int | None = None) -> ReceiptDetail:
    """One receipt with its lines; with customer_id, only that customer's receipt (else NotFound)."""
    lookup = {"pk": receipt_id}
    if customer_id is not None:
        lookup["customer_id"] = customer_id
    receipt = get_scoped(Receipt, organisation=organisation, **lookup)
    return _details(organisation, [receipt])[0]


def receipt_statement(*, organisation: Organisation | int, customer_id: int, start: date, end: date) -> ReceiptStatement:
    """Every receipt of the customer from start to end (inclusive), with totals by VAT rate."""
    if end < start:
        raise InvalidInput(_("the end of the period lies before its start"), field="end")
    receipts = list(_receipts_of(organisation, customer_id, "", start, end).order_by("purchased_at", "pk"))
    details = _details(organisation, receipts)
    pairs = [(total.vat_rate, total.gross) for detail in details for total in detail.vat_totals]
    return ReceiptStatement(customer_id=customer_id, start=start, end=end, receipts=details,
                            vat_totals=vat_totals(pairs),
                            gross_total=sum((d.total for d in details), Decimal("0")))


def receipt_years(*, organisation: Organisation | int, customer_id: int) -> list[int]:
    """The years in which the customer has receipts, newest first."""
    dates = Receipt.objects.for_organisation(organisation).filter(customer_id=customer_id).dates(
        "purchased_at", "year", order="DESC")
    return [d.year for d in dates]


def purchase_times(*, organisation: Organisation | int, customer_id: int) -> list[tuple[int, datetime]]:
    """The customer's bought products as (product_id, purchased_at) pairs, quantities above zero only
    (the lean input of offers on request)."""
    # Two indexed lookups (the customer's receipts, then their lines, 900 ids a query for SQLite's variable
    # limit): a join lets SQLite pick the organisation index of the lines and scan every line of the organisation.
    when = dict(Receipt.objects.for_organisation(organisation).filter(customer_id=customer_id)
                .values_list("pk", "purchased_at"))
    ids = list(when)
    rows: list[tuple[int, datetime]] = []
    for start in range(0, len(ids), 900):
        lines = (ReceiptLine.objects.for_organisation(organisation)
                 .filter(receipt_id__in=ids[start:start + 900], quantity__gt=0)
                 .values_list("product_id", "receipt_id"))
        rows += [(product_id, when[receipt_id]) for product_id, receipt_id in lines]
    return rows


def customer_ids_with_receipts(*, organisation: Organisation | int) -> list[int]:
    """Every customer who has at least one receipt."""
    return sorted(set(Receipt.objects.for_organisation(organisation).filter(customer_id__isnull=False)
                      .values_list("customer_id", flat=True).distinct()))


def iter_purchase_lines(*, organisation: Organisation | int) -> Iterator[tuple[int, int, float, datetime]]:
    """Every purchase line of known customers as (customer_id, product_id, quantity, purchased_at)."""
    rows = (ReceiptLine.objects.for_organisation(organisation).filter(receipt__customer_id__isnull=False)
            .values_list("receipt__customer_id", "product_id", "quantity", "receipt__purchased_at"))
    for customer_id, product_id, quantity, purchased_at in rows.iterator(chunk_size=20000):
        yield customer_id, product_id, float(quantity), purchased_at


def export_receipts(organisation_id: int, customer_id: int) -> dict:
    """The customer's receipts and stamps, JSON-ready (for the transparency export)."""
    from eyelevel.commerce.services.stamps import stamp_cards

    receipts = list(Receipt.objects.for_organisation(organisation_id).filter(customer_id=customer_id))
    return {
        "receipts": [d.model_dump(mode="json") for d in _details(organisation_id, receipts)],
        "stamp_cards": [c.model_dump(mode="json") for c in stamp_cards(organisation=organisation_id,
                                                                       customer_id=customer_id)],
    }


@transaction.atomic
def erase_receipts(organisation_id: int, customer_id: int) -> int:
    """Anonymise the customer's receipts (totals stay for the books) and delete their stamps and rewards."""
    from eyelevel.commerce.models import Stamp, StampReward

    count = Receipt.objects.for_organisation(organisation_id).filter(customer_id=customer_id).update(customer=None)
    count += Stamp.objects.for_organisation(organisation_id).filter(customer_id=customer_id).delete()[0]
    count += StampReward.objects.for_organisation(organisation_id).filter(customer_id=customer_id).delete()[0]
    return count
