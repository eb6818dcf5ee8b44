"""Import receipts from any till system: one CSV row per receipt line (the format is in docs/commerce.md).

Columns (header row, any order, unknown columns ignored):
receipt_number, timestamp, product_code, quantity, unit_price (required); customer_ref, customer_email
(optional: both empty is an anonymous purchase), product_name (required for a product code that is new),
category, discount, vat_rate, store (optional).

Every row is checked first. Bad rows are reported by row number (as counted in the file, the header is row
1) and field, and nothing is written. With import_good_rows, the good receipts are imported and the bad
rows (with every other row of their receipt, so that no receipt is half-imported) are returned as a reject
file: the same header plus the columns `error_row` and `error`, ready to fix and upload again. Receipts
whose number exists are skipped, so a re-import creates no duplicates. Known customers get their stamps.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from eyelevel.commerce.models import Product, ReceiptImport
from eyelevel.commerce.schemas import ReceiptImportErrorOut, ReceiptImportOut
from eyelevel.commerce.services.importer import CENT, ZERO, PurchaseRow, _Basket, import_purchase_rows
from eyelevel.core.errors import InvalidInput
from eyelevel.core.jobs import queue_upload, run_upload
from eyelevel.core.models import Organisation
from eyelevel.core.tenancy import get_scoped
from eyelevel.customers import services as customers
from eyelevel.customers.schemas import CustomerIn

REQUIRED = ("receipt_number", "timestamp", "product_code", "quantity", "unit_price")
OPTIONAL = ("customer_ref", "customer_email", "product_name", "category", "discount", "vat_rate", "store")
MAX_REPORTED = 200
LIMIT = Decimal("10000000")


class ReceiptFileError(InvalidInput):
    """Bad rows in a receipt file; rows holds each as {row, field, message}."""

    def __init__(self, detail: str, rows: list[dict]) -> None:
        super().__init__(detail, field="file", errors=[{"field": f"row {e['row']}, {e['field']}",
                                                         "message": e["message"]} for e in rows])
        self.rows = rows


@dataclass
class ReceiptImportResult:
    rows: int
    receipts_created: int
    receipts_skipped: int
    lines_created: int
    customers_created: int
    products_created: int
    errors: list[dict] = field(default_factory=list)  # {"row", "field", "message"}, by row
    rejects: str = ""  # the reject file's text (only with import_good_rows)


@dataclass
class _Line:
    row: int
    values: list[str]
    receipt: str = ""
    purchased_at: datetime | None = None
    customer: str = ""  # "ref:..." or "email:...", empty for anonymous
    store: str = ""
    code: str = ""
    name: str = ""
    category: str = ""
    quantity: Decimal = ZERO
    unit_price: Decimal = ZERO
    discount: Decimal = ZERO
    vat_rate: Decimal | None = None


def _decode(payload: bytes | str) -> str:
    if isinstance(payload, str):
        return payload.lstrip("\ufeff")
    try:
        return payload.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(_("the file is not UTF-8 (byte %(byte)s)") % {"byte": error.start}, field="file") from None


def _number(text: str, name: str, decimal_comma: bool, *, minimum: Decimal | None = None) -> Decimal:
    value = text.strip()
    if decimal_comma:
        value = value.replace(".", "").replace(",", ".") if "," in value else value
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(name, _("%(value)s is not a number") % {"value": repr(text)}) from None
    if not number.is_finite() or abs(number) >= LIMIT:
        raise ValueError(name, _("%(value)s is out of range") % {"value": repr(text)})
    if minimum is not None and number < minimum:
        raise ValueError(name, _("%(value)s must not be below %(minimum)s") % {"value": repr(text), "minimum": minimum})
    return number


def _time(text: str) -> datetime:
    value = text.strip()
    parsed = parse_datetime(value)
    if parsed is None:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError("timestamp", _("%(value)s is not a date and time (use 2025-03-14 09:30 or ISO 8601)")
                             % {"value": repr(text)}) from None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def _parse(content: str) -> tuple[list[str], list[_Line], list[dict], dict[int, list[str]], str]:
    """Header, checked lines, errors ({row, field, message}), the fields of rows that failed, the delimiter."""
    first = content.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ("\t" if "\t" in first else ",")
    reader = csv.reader(io.StringIO(content), delimiter=delimiter)
    header = [name.strip().lower() for name in next(reader, [])]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise InvalidInput(_("row 1 (header) lacks the columns %(columns)s") % {"columns": ", ".join(missing)},
                           field="header")
    at = {name: header.index(name) for name in (*REQUIRED, *OPTIONAL) if name in header}
    decimal_comma = delimiter == ";"
    lines, errors, failed = [], [], {}
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        line = _Line(row=number, values=values)

        def get(name: str, values: list[str] = values) -> str:
            index = at.get(name)
            return values[index].strip() if index is not None and index < len(values) else ""

        try:
            if len(values) != len(header):
                raise ValueError("row", _("%(found)s fields instead of %(expected)s") % {
                    "found": len(values), "expected": len(header)})
            for name in ("receipt_number", "timestamp", "product_code", "quantity", "unit_price"):
                if not get(name):
                    raise ValueError(name, _("must not be empty"))
            line.receipt, line.code = get("receipt_number")[:64], get("product_code")[:64]
            line.purchased_at = _time(get("timestamp"))
            line.quantity = _number(get("quantity"), "quantity", decimal_comma)
            if line.quantity == 0:
                raise ValueError("quantity", _("must not be 0 (a return is a negative quantity)"))
            line.unit_price = _number(get("unit_price"), "unit_price", decimal_comma, minimum=ZERO)
            line.discount = _number(get("discount") or "0", "discount", decimal_comma, minimum=ZERO)
            if get("vat_rate"):
                line.vat_rate = _number(get("vat_rate").rstrip("%"), "vat_rate", decimal_comma, minimum=ZERO)
                if line.vat_rate > 100:
                    raise ValueError("vat_rate", _("%(value)s is a percentage and must be 100 or less") % {
                        "value": repr(get("vat_rate"))})
            email, ref = get("customer_email"), get("customer_ref")
            if email and ("@" not in email or " " in email):
                raise ValueError("customer_email", _("%(value)s is not an email address") % {"value": repr(email)})
            line.customer = f"ref:{ref}" if ref else (f"email:{email.casefold()}" if email else "")
            line.store, line.name, line.category = get("store")[:64], get("product_name")[:200], get("category")[:120]
        except ValueError as error:
            name, message = error.args if len(error.args) == 2 else ("row", str(error))
            errors.append({"row": number, "field": name, "message": message})
            failed[number] = values
            continue
        lines.append(line)
    return header, lines, errors, failed, delimiter


def _check_receipts(lines: list[_Line], errors: list[dict]) -> dict[str, list[_Line]]:
    """Group lines by receipt number; a line whose time, customer or store differs from its receipt's is bad."""
    receipts: dict[str, list[_Line]] = {}
    for line in lines:
        group = receipts.setdefault(line.receipt, [])
        if group and (group[0].purchased_at, group[0].customer, group[0].store) != (
                line.purchased_at, line.customer, line.store):
            errors.append({"row": line.row, "field": "receipt_number", "message": (
                _("receipt %(number)s has another timestamp, customer or store on row %(row)s") % {
                    "number": line.receipt, "row": group[0].row})})
            continue
        group.append(line)
    return receipts


def _resolve_customers(organisation: Organisation, keys: set[str]) -> tuple[dict[str, int], set[str]]:
    """Customer ids of the known keys ("ref:..." or "email:..."), and the emails of no customer."""
    refs = {key[4:] for key in keys if key.startswith("ref:")}
    by_ref = customers.customer_ids_by_reference(organisation=organisation, external_refs=refs)
    ids = {f"ref:{ref}": pk for ref, pk in by_ref.items()}
    email_keys = {key for key in keys if key.startswith("email:")}
    by_email = customers.customer_ids_by_email(organisation=organisation, emails={key[6:] for key in email_keys})
    unknown = set()
    for key in email_keys:
        found = by_email.get(key[6:].strip().lower())
        if found is None:
            unknown.add(key)
        else:
            ids[key] = found
    return ids, unknown


def _create_customers(organisation: Organisation, refs: list[str], filename: str) -> dict[str, int]:
    rows = [CustomerIn(display_name=f"Customer {ref}"[:200], external_ref=ref) for ref in refs]
    created = customers.import_customers(organisation=organisation, rows=rows,
                                         source_detail=f"receipt import {filename}")
    return {f"ref:{ref}": pk for ref, pk in zip(refs, created, strict=True)}


def _products(organisation: Organisation, receipts: dict[str, list[_Line]], errors: list[dict]) -> tuple[
        dict[str, Decimal], list[Product]]:
    """VAT rate of each known product, and the new products to create; a new code without a name is bad."""
    codes = {line.code for group in receipts.values() for line in group}
    known = dict(Product.objects.for_organisation(organisation).filter(sku__in=list(codes))
                 .values_list("sku", "vat_rate")) if len(codes) < 20000 else \
        dict(Product.objects.for_organisation(organisation).values_list("sku", "vat_rate"))
    new: dict[str, Product] = {}
    for group in receipts.values():
        for line in group:
            if line.code in known or line.code in new:
                continue
            if not line.name:
                errors.append({"row": line.row, "field": "product_name",
                               "message": _("product %(code)s is new: give its name") % {"code": line.code}})
                continue
            new[line.code] = Product(organisation=organisation, sku=line.code, name=line.name,
                                     category=line.category, vat_rate=line.vat_rate if line.vat_rate is not None
                                     else ZERO)
    return known, list(new.values())


def _reject_text(header: list[str], rows: list[tuple[int, list[str], str]], delimiter: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow([*header, "error_row", "error"])
    for number, values, message in sorted(rows, key=lambda r: r[0]):
        writer.writerow([*values, number, message])
    return out.getvalue()


def import_receipts_csv(*, organisation: Organisation, payload: bytes | str, filename: str = "receipts.csv",
                        import_good_rows: bool = False, batch_size: int = 2000,
                        progress: Callable[[int], None] | None = None,
                        on_total: Callable[[int], None] | None = None) -> ReceiptImportResult:
    """Import a receipt CSV (see the module docstring); raises InvalidInput listing the bad rows by number and
    field unless import_good_rows (then the bad rows and the rest of their receipts come back as rejects)."""
    header, lines, errors, failed, delimiter = _parse(_decode(payload))
    receipts = _check_receipts(lines, errors)
    known, new_products = _products(organisation, receipts, errors)
    keys = {group[0].customer for group in receipts.values() if group[0].customer}
    customer_ids, unknown = _resolve_customers(organisation, keys)
    for group in receipts.values():
        if group[0].customer in unknown:
            errors.append({"row": group[0].row, "field": "customer_email", "message": (
                _("no customer with the email %(email)s: register them first, or leave it empty "
                  "for an anonymous purchase") % {"email": group[0].customer[6:]})})
    errors.sort(key=lambda e: (e["row"], e["field"]))
    if errors and not import_good_rows:
        raise ReceiptFileError(
            _("%(count)s bad rows, nothing imported; first: row %(row)s, %(field)s: %(message)s") % {
                "count": len(errors), "row": errors[0]["row"], "field": errors[0]["field"],
                "message": errors[0]["message"]}, errors[:MAX_REPORTED])
    bad_rows = {e["row"] for e in errors}
    bad_receipts = {line.receipt for line in lines if line.row in bad_rows}
    message_of = {}
    for error in errors:
        message_of.setdefault(error["row"], f"{error['field']}: {error['message']}")
    rejected = [(line.row, line.values, message_of.get(line.row, _("another row of this receipt is bad")))
                for line in lines if line.receipt in bad_receipts]
    rejected += [(number, values, message_of[number]) for number, values in failed.items()]
    good = {number: group for number, group in receipts.items() if number not in bad_receipts}
    if on_total:
        on_total(sum(len(group) for group in good.values()))

    used_refs = sorted({group[0].customer[4:] for group in good.values()
                        if group[0].customer.startswith("ref:") and group[0].customer not in customer_ids})
    with transaction.atomic():
        if bad_receipts:
            wanted = {line.code for group in good.values() for line in group}
            new_products = [product for product in new_products if product.sku in wanted]
        Product.objects.for_organisation(organisation).bulk_create(new_products, batch_size=2000)
        customer_ids.update(_create_customers(organisation, used_refs, filename) if used_refs else {})
    vat = {**known, **{p.sku: p.vat_rate for p in new_products}}
    baskets = {}
    for number, group in good.items():
        head = group[0]
        basket = _Basket(head.customer, head.purchased_at, head.store)
        for line in group:
            amount = (line.quantity * line.unit_price - line.discount).quantize(CENT)
            basket.lines.append(PurchaseRow(
                row=line.row, receipt_number=number, customer_ref=head.customer, purchased_at=head.purchased_at,
                store=head.store, sku=line.code, quantity=line.quantity, unit_price=line.unit_price.quantize(CENT),
                discount=line.discount.quantize(CENT), amount=amount,
                vat_rate=line.vat_rate if line.vat_rate is not None else vat.get(line.code, ZERO)))
        baskets[number] = basket
    report = import_purchase_rows(organisation=organisation, baskets=baskets, bad_rows=[], batch_size=batch_size,
                                  progress=progress, customer_ids=customer_ids)
    return ReceiptImportResult(
        rows=len(lines) + len(failed),
        receipts_created=report.receipts_created, receipts_skipped=report.receipts_skipped,
        lines_created=report.lines_created, customers_created=len(used_refs), products_created=len(new_products),
        errors=errors, rejects=_reject_text(header, rejected, delimiter) if rejected else "")


# --- uploads from the staff page, imported in the background --------------------------------------------------

def _import_out(job: ReceiptImport) -> ReceiptImportOut:
    return ReceiptImportOut(id=job.pk, filename=job.filename, status=job.status, total=job.total,
                            processed=job.processed, receipts_created=job.receipts_created,
                            receipts_skipped=job.receipts_skipped,
                            errors=[ReceiptImportErrorOut(**e) for e in job.errors], has_rejects=bool(job.rejects),
                            created_at=job.created_at)


def start_receipt_import(*, organisation: Organisation, filename: str, payload: bytes, import_good_rows: bool,
                         user_id: int | None) -> ReceiptImportOut:
    """Queue an uploaded receipt CSV for import; the import runs in the background."""
    from eyelevel.commerce.tasks import run_receipt_import_task

    return _import_out(queue_upload(
        ReceiptImport, enqueue=lambda job_id: run_receipt_import_task.enqueue(receipt_import_id=job_id),
        organisation=organisation, filename=filename, payload=payload, user_id=user_id,
        import_good_rows=import_good_rows))


def run_receipt_import(*, receipt_import_id: int) -> None:
    """Run a queued receipt import, reporting progress on the job as it goes."""

    def work(job: ReceiptImport, jobs: QuerySet) -> dict:
        done = 0

        def progress(lines: int) -> None:
            nonlocal done
            done += lines
            jobs.update(processed=done)

        result = import_receipts_csv(organisation=job.organisation, payload=bytes(job.payload),
                                     filename=job.filename, import_good_rows=job.import_good_rows,
                                     progress=progress, on_total=lambda total: jobs.update(total=total))
        return {"total": result.rows, "processed": result.rows, "receipts_created": result.receipts_created,
                "receipts_skipped": result.receipts_skipped, "errors": result.errors[:MAX_REPORTED],
                "rejects": result.rejects}

    run_upload(ReceiptImport, receipt_import_id, work)


def get_receipt_import(*, organisation: Organisation | int, receipt_import_id: int) -> ReceiptImportOut:
    """A receipt import's progress and result, or NotFound."""
    return _import_out(get_scoped(ReceiptImport, organisation=organisation, pk=receipt_import_id))


def receipt_import_rejects(*, organisation: Organisation | int, receipt_import_id: int) -> str:
    """The rows a receipt import rejected, as CSV text (the file's header plus error_row and error)."""
    return get_scoped(ReceiptImport, organisation=organisation, pk=receipt_import_id).rejects


def list_receipt_imports(*, organisation: Organisation | int, limit: int = 10) -> list[ReceiptImportOut]:
    """The newest receipt imports."""
    return [_import_out(job) for job in ReceiptImport.objects.for_organisation(organisation).defer("payload")[:limit]]
