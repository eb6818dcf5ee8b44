"""Receipt statements for a period as CSV and as one PDF with totals by VAT rate (for a tax return)."""

import csv
import io

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from eyelevel.commerce.schemas import ReceiptStatement

CSV_COLUMNS = ("receipt_number", "purchased_at", "store", "sku", "product", "quantity", "unit_price", "discount",
               "vat_rate", "amount")


def statement_csv(statement: ReceiptStatement) -> str:
    """One CSV row per receipt line, then one summary row per VAT rate."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for receipt in statement.receipts:
        stamp = timezone.localtime(receipt.purchased_at).strftime("%Y-%m-%d %H:%M")
        for line in receipt.lines:
            writer.writerow([receipt.number, stamp, receipt.store, line.sku, line.product_name, line.quantity,
                             line.unit_price, line.discount, line.vat_rate, line.amount])
    writer.writerow([])
    writer.writerow(["vat_rate", "gross", "net", "vat"])
    for total in statement.vat_totals:
        writer.writerow([total.vat_rate, total.gross, total.net, total.vat])
    writer.writerow(["total", statement.gross_total, "", ""])
    return out.getvalue()


def statement_pdf(statement: ReceiptStatement, *, organisation_name: str, customer_name: str) -> bytes:
    """The statement as one PDF: every receipt with its lines, and a summary by VAT rate on the first page."""
    from weasyprint import HTML

    html = render_to_string("commerce/statement_pdf.html", {
        "statement": statement, "organisation_name": organisation_name, "customer_name": customer_name,
        "title": _("Receipts %(start)s to %(end)s") % {"start": statement.start, "end": statement.end},
        "created": timezone.localtime(),
    })
    return HTML(string=html).write_pdf()
