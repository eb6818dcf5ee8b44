"""Portal pages: every receipt of the customer, searchable and exportable; stamp cards; products."""

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from eyelevel.commerce import services
from eyelevel.core.errors import InvalidInput
from eyelevel.core.web import portal_required, render_page


def _date(value: str, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(_("%(value)s is not a date (YYYY-MM-DD)") % {"value": value}, field=field) from None


@portal_required
def receipt_list(request: HttpRequest) -> HttpResponse:
    portal = request.portal
    query = request.GET.get("q", "").strip()
    start, end = _date(request.GET.get("start", ""), "start"), _date(request.GET.get("end", ""), "end")
    page_number = request.GET.get("page", "1")
    page = services.list_receipts(organisation=portal.organisation_id, customer_id=portal.customer_id, query=query,
                                  start=start, end=end, page=int(page_number) if page_number.isdigit() else 1)
    return render_page(request, "commerce/portal/receipts.html", {
        "page": page, "query": query, "start": start, "end": end,
        "years": services.receipt_years(organisation=portal.organisation_id, customer_id=portal.customer_id),
    }, partial="commerce/portal/_receipt_rows.html")


@portal_required
def receipt_detail(request: HttpRequest, receipt_id: int) -> HttpResponse:
    portal = request.portal
    receipt = services.get_receipt(organisation=portal.organisation_id, receipt_id=receipt_id,
                                   customer_id=portal.customer_id)
    return render_page(request, "commerce/portal/receipt.html", {"receipt": receipt})


def _statement_response(request: HttpRequest, start: date, end: date, kind: str) -> HttpResponse:
    portal = request.portal
    statement = services.receipt_statement(organisation=portal.organisation_id, customer_id=portal.customer_id,
                                           start=start, end=end)
    name = f"receipts-{start.isoformat()}-{end.isoformat()}"
    if kind == "pdf":
        response = HttpResponse(services.statement_pdf(statement, organisation_name=portal.organisation_name,
                                                       customer_name=portal.display_name),
                                content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    if kind == "csv":
        response = HttpResponse(services.statement_csv(statement), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    raise InvalidInput(_("choose CSV or PDF"), field="format")


@portal_required
def receipt_export(request: HttpRequest) -> HttpResponse:
    """Export a year (?year=2026) or any date range (?start=YYYY-MM-DD&end=YYYY-MM-DD); ?format=csv|pdf."""
    year = request.GET.get("year", "")
    if year:
        if not (year.isdigit() and 1900 < int(year) < 3000):
            raise InvalidInput(_("no such year"), field="year")
        start, end = date(int(year), 1, 1), date(int(year), 12, 31)
    else:
        start, end = _date(request.GET.get("start", ""), "start"), _date(request.GET.get("end", ""), "end")
    if start is None or end is None:
        raise InvalidInput(_("give the first and the last day of the period"), field="start")
    return _statement_response(request, start, end, request.GET.get("format", "pdf"))


@portal_required
def stamp_cards(request: HttpRequest) -> HttpResponse:
    portal = request.portal
    cards = services.stamp_cards(organisation=portal.organisation_id, customer_id=portal.customer_id)
    return render_page(request, "commerce/portal/stamps.html", {"cards": cards})


@portal_required
def product_detail(request: HttpRequest, product_id: int) -> HttpResponse:
    portal = request.portal
    product = services.get_product(organisation=portal.organisation_id, product_id=product_id)
    settings = services.get_settings(organisation=portal.organisation_id)
    return render_page(request, "commerce/portal/product.html", {"product": product, "settings": settings})
