"""Bulk import of purchase history: The Complete Journey (84.51°) grocery transactions as they are.

Households become customers (external reference ``cj-<household_id>``), baskets become receipts
(number ``CJ-<basket_id>``), the product catalogue becomes products (SKU = product id), and retail and
coupon discounts become line discounts. All rows are checked before anything is written: bad rows are
reported by their line number in the file, and nothing is written unless a reject file is named (then
the bad rows go there and the good ones are imported). Receipts are written in batches, each in its
own transaction, and skipped when their number exists, so a re-run (or a resumed run) is idempotent.
"""

import csv
import gzip
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eyelevel.commerce.models import Product, Receipt, ReceiptLine
from eyelevel.commerce.schemas import ImportReport
from eyelevel.commerce.services.stamps import award_stamps
from eyelevel.core.errors import InvalidInput
from eyelevel.core.models import Organisation
from eyelevel.customers import services as customers
from eyelevel.customers.schemas import CustomerIn

CENT = Decimal("0.01")
ZERO = Decimal("0")
TRANSACTION_COLUMNS = ("household_id", "store_id", "basket_id", "product_id", "quantity", "sales_value",
                       "retail_disc", "coupon_disc", "coupon_match_disc", "transaction_timestamp")
PRODUCT_COLUMNS = ("product_id", "department", "brand", "product_category", "product_type", "package_size")
MAX_REPORTED = 100
Progress = Callable[[int], None]


@dataclass
class PurchaseRow:
    """One validated purchase line, ready to be written."""

    row: int
    receipt_number: str
    customer_ref: str
    purchased_at: datetime
    store: str
    sku: str
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal
    amount: Decimal
    vat_rate: Decimal = ZERO


@dataclass
class _Basket:
    customer_ref: str
    purchased_at: datetime
    store: str
    lines: list[PurchaseRow] = field(default_factory=list)


def _open_table(directory: Path, stem: str) -> io.TextIOBase:
    for name in (f"{stem}.csv", f"{stem}.csv.gz"):
        path = directory / name
        if path.exists():
            return gzip.open(path, "rt", encoding="utf-8", newline="") if name.endswith(".gz") else \
                path.open(encoding="utf-8", newline="")
    raise InvalidInput(f"{stem}.csv or {stem}.csv.gz is missing in the folder", field=stem)


def _check_header(reader: csv.reader, needed: tuple[str, ...], table: str) -> dict[str, int]:
    header = next(reader, None) or []
    missing = [c for c in needed if c not in header]
    if missing:
        raise InvalidInput(f"{table}: row 1 (header) lacks the columns {', '.join(missing)}", field=table)
    return {name: header.index(name) for name in header}


def parse_transactions(stream: Iterable[str], *, tz=None) -> tuple[list[PurchaseRow], list[dict]]:  # type: ignore[no-untyped-def]
    """Check and convert Complete Journey transaction rows; returns the good rows and the bad ones by number."""
    tz = tz or timezone.get_current_timezone()
    reader = csv.reader(stream)
    at = _check_header(reader, TRANSACTION_COLUMNS, "transactions")
    h, s, b, p = at["household_id"], at["store_id"], at["basket_id"], at["product_id"]
    q, v, rd, cd, cm, ts = (at["quantity"], at["sales_value"], at["retail_disc"], at["coupon_disc"],
                            at["coupon_match_disc"], at["transaction_timestamp"])
    width = len(at)
    good: list[PurchaseRow] = []
    bad: list[dict] = []
    for number, row in enumerate(reader, start=2):
        try:
            if len(row) != width:
                raise ValueError(f"{len(row)} fields instead of {width}")
            household, basket, product = row[h].strip(), row[b].strip(), row[p].strip()
            for name, value in (("household_id", household), ("basket_id", basket), ("product_id", product)):
                if not value.isdigit():
                    raise ValueError(f"{name} {value!r} is not a whole number")
            try:
                quantity = Decimal(row[q])
                sales, retail, coupon, match = Decimal(row[v]), Decimal(row[rd]), Decimal(row[cd]), Decimal(row[cm])
            except InvalidOperation:
                raise ValueError("quantity, sales_value and the discounts must be numbers") from None
            if not quantity.is_finite() or quantity < 0 or quantity >= 10_000_000:
                raise ValueError(f"quantity {row[q]!r} is out of range")
            if not all(x.is_finite() and abs(x) < 10_000_000 for x in (sales, retail, coupon, match)):
                raise ValueError("an amount is out of range")
            try:
                purchased_at = datetime.fromisoformat(row[ts]).replace(tzinfo=tz)
            except ValueError:
                raise ValueError(f"transaction_timestamp {row[ts]!r} is not a date and time") from None
        except ValueError as error:
            bad.append({"row": number, "error": str(error), "values": row})
            continue
        discount = retail + coupon + match
        shelf = sales + discount
        unit_price = (shelf / quantity).quantize(CENT) if quantity else shelf.quantize(CENT)
        good.append(PurchaseRow(
            row=number, receipt_number=f"CJ-{basket}", customer_ref=f"cj-{household}", purchased_at=purchased_at,
            store=row[s].strip(), sku=product, quantity=quantity, unit_price=unit_price,
            discount=discount.quantize(CENT), amount=sales.quantize(CENT),
        ))
    return good, bad


def group_rows(rows: list[PurchaseRow], bad: list[dict]) -> dict[str, "_Basket"]:
    """Group rows into baskets by receipt number; a row that contradicts its basket is added to bad."""
    baskets: dict[str, _Basket] = {}
    for row in rows:
        basket = baskets.get(row.receipt_number)
        if basket is None:
            baskets[row.receipt_number] = _Basket(row.customer_ref, row.purchased_at, row.store, [row])
        elif (basket.customer_ref, basket.purchased_at, basket.store) != (row.customer_ref, row.purchased_at,
                                                                         row.store):
            bad.append({"row": row.row, "error": f"basket {row.receipt_number} has another household, store or "
                                                 "time on an earlier row", "values": []})
        else:
            basket.lines.append(row)
    return baskets


def _import_products(organisation: Organisation, directory: Path, needed_skus: set[str]) -> int:
    existing = set(Product.objects.for_organisation(organisation).values_list("sku", flat=True))
    new = []
    with _open_table(directory, "products") as stream:
        reader = csv.reader(stream)
        at = _check_header(reader, PRODUCT_COLUMNS, "products")
        for row in reader:
            sku = row[at["product_id"]].strip()
            if not sku or sku in existing:
                continue
            existing.add(sku)
            kind = row[at["product_type"]].strip() or row[at["product_category"]].strip() or f"Product {sku}"
            size = row[at["package_size"]].strip()
            new.append(Product(
                organisation=organisation, sku=sku, name=(f"{kind} {size}" if size else kind)[:200],
                category=row[at["department"]].strip()[:120], subcategory=row[at["product_category"]].strip()[:120],
                brand=row[at["brand"]].strip()[:120], vat_rate=ZERO,
            ))
    # Products sold but missing from the catalogue are created under their id, so no sale is lost.
    for sku in sorted(needed_skus - existing):
        new.append(Product(organisation=organisation, sku=sku, name=f"Product {sku} (not in the catalogue)",
                           vat_rate=ZERO))
    with transaction.atomic():
        Product.objects.for_organisation(organisation).bulk_create(new, batch_size=5000)
    return len(new)


def _ensure_customers(organisation: Organisation, refs: set[str]) -> tuple[dict[str, int], int]:
    ids = customers.customer_ids_by_reference(organisation=organisation, external_refs=refs)
    missing = sorted(refs - ids.keys())
    if missing:
        rows = [CustomerIn(display_name=f"Household {ref.removeprefix('cj-')}", external_ref=ref) for ref in missing]
        ids.update(zip(missing, customers.import_customers(organisation=organisation, rows=rows), strict=True))
    return ids, len(missing)


LINE_COLUMNS = ("organisation_id", "receipt_id", "product_id", "quantity", "unit_price", "discount", "vat_rate",
                "amount")


def _insert_lines(lines: list[tuple]) -> None:
    """Insert receipt lines in one executemany: validated values, no model instances (the import's hot path)."""
    table = connection.ops.quote_name(ReceiptLine._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in LINE_COLUMNS)
    placeholders = ", ".join(["%s"] * len(LINE_COLUMNS))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", lines)  # noqa: S608


def import_purchase_rows(*, organisation: Organisation, baskets: dict[str, _Basket], bad_rows: list[dict],
                         batch_size: int = 5000, progress: Progress | None = None,
                         customer_ids: dict[str, int] | None = None) -> ImportReport:
    """Write validated baskets as receipts in batches; receipts whose number exists are skipped.

    customer_ids maps each basket's customer_ref to a customer id; without it, customers are looked up by
    external reference and created where missing (Complete Journey households)."""
    known = set(Receipt.objects.for_organisation(organisation).filter(number__in=list(baskets))
                .values_list("number", flat=True)) if len(baskets) < 20000 else \
        set(Receipt.objects.for_organisation(organisation).values_list("number", flat=True))
    skus = {row.sku for basket in baskets.values() for row in basket.lines}
    products = dict(Product.objects.for_organisation(organisation).values_list("sku", "pk")) if len(skus) > 20000 \
        else dict(Product.objects.for_organisation(organisation).filter(sku__in=list(skus)).values_list("sku", "pk"))
    missing = sorted(skus - set(products))
    if missing:
        raise InvalidInput(_("unknown products: %(codes)s") % {"codes": ", ".join(missing[:10])}, field="product_id")
    todo = [(number, basket) for number, basket in baskets.items() if number not in known]
    customers_created = 0
    if customer_ids is None:
        customer_ids, customers_created = _ensure_customers(
            organisation, {basket.customer_ref for _n, basket in todo if basket.customer_ref})
    lines_created = 0
    for start in range(0, len(todo), batch_size):
        chunk = todo[start:start + batch_size]
        with transaction.atomic():
            receipts = [Receipt(
                organisation=organisation, number=number, customer_id=customer_ids.get(basket.customer_ref),
                purchased_at=basket.purchased_at, store=basket.store,
                total=sum((line.amount for line in basket.lines), ZERO),
            ) for number, basket in chunk]
            Receipt.objects.for_organisation(organisation).bulk_create(receipts, batch_size=2000)
            lines = [(organisation.pk, receipt.pk, products[line.sku], str(line.quantity), str(line.unit_price),
                      str(line.discount), str(line.vat_rate), str(line.amount))
                     for receipt, (_number, basket) in zip(receipts, chunk, strict=True) for line in basket.lines]
            _insert_lines(lines)
            award_stamps(organisation=organisation, receipt_ids=[r.pk for r in receipts if r.customer_id])
        lines_created += len(lines)
        if progress:
            progress(len(lines))
    return ImportReport(
        rows=sum(len(b.lines) for b in baskets.values()), receipts_created=len(todo), receipts_skipped=len(baskets) - len(todo),
        lines_created=lines_created, customers_created=customers_created, products_created=0,
        bad_rows=sorted(bad_rows, key=lambda bad: bad["row"]),
    )


def _refresh_statistics() -> None:
    """Tell the query planner about the new rows (SQLite keeps no statistics until ANALYZE)."""
    tables = [Product._meta.db_table, Receipt._meta.db_table, ReceiptLine._meta.db_table]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def import_completejourney(*, organisation: Organisation, directory: Path, reject_file: Path | None = None,
                           batch_size: int = 5000, progress: Progress | None = None,
                           on_total: Callable[[int], None] | None = None) -> ImportReport:
    """Import the Complete Journey folder (products and transactions); see the module docstring."""
    directory = Path(directory)
    with _open_table(directory, "transactions_train" if (directory / "transactions_train.csv.gz").exists()
                     or (directory / "transactions_train.csv").exists() else "transactions") as stream:
        rows, bad = parse_transactions(stream)
    baskets = group_rows(rows, bad)
    if bad and reject_file is None:
        bad.sort(key=lambda b: b["row"])
        shown = bad[:MAX_REPORTED]
        raise InvalidInput(
            f"{len(bad)} bad rows, nothing imported; first: row {bad[0]['row']}: {bad[0]['error']}",
            field="transactions",
            errors=[{"field": f"row {b['row']}", "message": b["error"]} for b in shown],
        )
    if on_total:
        on_total(len(rows))
    products_created = _import_products(organisation, directory, {row.sku for row in rows})
    report = import_purchase_rows(organisation=organisation, baskets=baskets, bad_rows=bad, batch_size=batch_size,
                                  progress=progress)
    report.products_created = products_created
    _refresh_statistics()
    if reject_file is not None and report.bad_rows:
        with Path(reject_file).open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["row", "error", "fields of the row as in the file"])
            for bad_row in report.bad_rows:
                writer.writerow([bad_row["row"], bad_row["error"], *bad_row["values"]])
    return report
