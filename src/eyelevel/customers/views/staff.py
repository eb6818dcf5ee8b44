"""Staff pages for customer records: every page that shows personal data asks why, and logs the read."""

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eyelevel.core.errors import DomainError
from eyelevel.core.permissions import (
    CUSTOMERS_EDIT,
    CUSTOMERS_ERASE,
    CUSTOMERS_LIST,
    CUSTOMERS_READ_PERSONAL,
    PURPOSES_MANAGE,
    TOKENS_MANAGE,
    role_has,
)
from eyelevel.core.web import render_page, staff_required
from eyelevel.customers import services
from eyelevel.customers.schemas import FactIn, FactSource, PurposeIn, Reader, WebhookEndpointIn


@staff_required(CUSTOMERS_LIST)
def customer_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    try:
        page_number = int(request.GET.get("page", "1"))
    except ValueError:
        page_number = 1
    page = services.list_customers(organisation=request.organisation, query=query, page=page_number)
    return render_page(request, "customers/list.html", {"page": page, "query": query},
                       partial="customers/_rows.html")


def _reason(request: HttpRequest) -> str:
    return (request.POST.get("reason") or request.GET.get("reason") or "").strip()[:300]


def _reader(request: HttpRequest) -> Reader | None:
    reason = _reason(request)
    if not reason:
        return None
    return services.staff_reader(user_id=request.staff.user_id, username=request.staff.username, reason=reason)


def _ask_reason(request: HttpRequest, customer_id: int, what: str) -> HttpResponse:
    # Only the record's number is shown until a reason is given; nothing personal is read yet.
    services.get_customer(organisation=request.organisation, customer_id=customer_id)  # 404 for other tenants
    return render(request, "customers/reason.html", {
        "customer_id": customer_id, "what": what, "reasons": services.STAFF_REASONS, "action": request.path,
    })


def _detail_url(customer_id: int, reason: str) -> str:
    return reverse("customers:detail", args=[customer_id]) + "?" + urlencode({"reason": reason})


@staff_required(CUSTOMERS_READ_PERSONAL)
def customer_detail(request: HttpRequest, customer_id: int) -> HttpResponse:
    reader = _reader(request)
    if reader is None:
        return _ask_reason(request, customer_id, _("the customer record"))
    organisation = request.organisation
    customer = services.read_customer(organisation=organisation, customer_id=customer_id, reader=reader)
    return render_page(request, "customers/detail.html", {
        "customer": customer, "reason": reader.reason,
        "data": services.my_data(organisation=organisation, customer_id=customer_id),
        "consents": services.consents_of(organisation=organisation, customer_id=customer_id),
        "consent_history": services.consent_history(organisation=organisation, customer_id=customer_id)[:20],
        "access_log": services.access_log_of(organisation=organisation, customer_id=customer_id, page_size=10),
        "purposes": services.list_purposes(organisation=organisation),
        "may_erase": role_has(request.staff.role, CUSTOMERS_ERASE),
    })


@staff_required(CUSTOMERS_READ_PERSONAL)
def customer_export(request: HttpRequest, customer_id: int) -> HttpResponse:
    reader = _reader(request)
    if reader is None:
        return _ask_reason(request, customer_id, _("a full export of the customer's data"))
    export = services.export_customer_data(organisation=request.organisation, customer_id=customer_id,
                                           reader=reader)
    if request.GET.get("format") == "html":
        response = HttpResponse(services.render_export_html(export), content_type="text/html; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="customer-{customer_id}.html"'
        return response
    response = HttpResponse(json.dumps(export, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="customer-{customer_id}.json"'
    return response


@staff_required(CUSTOMERS_EDIT)
@require_POST
def customer_consent(request: HttpRequest, customer_id: int) -> HttpResponse:
    services.get_customer(organisation=request.organisation, customer_id=customer_id)  # 404 for other tenants
    try:
        services.set_consent(
            organisation=request.organisation, customer_id=customer_id,
            purpose_code=request.POST.get("purpose_code", ""), granted=request.POST.get("granted") == "1",
            channel="staff", note=request.POST.get("note", ""), recorded_by_id=request.staff.user_id,
        )
        messages.success(request, _("Consent recorded."))
    except DomainError as error:
        messages.error(request, error.detail)
    return redirect(_detail_url(customer_id, _reason(request) or _("recording consent on the customer's word")))


@staff_required(CUSTOMERS_EDIT)
@require_POST
def customer_fact(request: HttpRequest, customer_id: int) -> HttpResponse:
    services.get_customer(organisation=request.organisation, customer_id=customer_id)  # 404 for other tenants
    try:
        data = FactIn(key=request.POST.get("key", "").strip().lower(), value=request.POST.get("value", "").strip(),
                      purpose_code=request.POST.get("purpose_code", ""))
    except ValueError:
        messages.error(request, _("Enter what the datum is (lower-case letters, digits, dashes) and its value."))
    else:
        try:
            services.record_fact(organisation=request.organisation, customer_id=customer_id, data=data,
                                 source=FactSource(kind="staff", detail=f"staff: {request.staff.username}"))
            messages.success(request, _("Datum recorded."))
        except DomainError as error:
            messages.error(request, error.detail)
    return redirect(_detail_url(customer_id, _reason(request) or _("recording data the customer gave")))


@staff_required(CUSTOMERS_ERASE)
def customer_erase(request: HttpRequest, customer_id: int) -> HttpResponse:
    reader = _reader(request)
    if reader is None:
        return _ask_reason(request, customer_id, _("erasing the customer"))
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        result = services.erase_customer(organisation=request.organisation, customer_id=customer_id,
                                         requested_via="staff", reader=reader)
        messages.success(request, _("The customer was erased (%(rows)d rows in all domains).") % {
            "rows": sum(result.rows_erased.values())})
        return redirect("customers:list")
    customer = services.read_customer(organisation=request.organisation, customer_id=customer_id, reader=reader,
                                      what="customer record (before erasure)")
    return render(request, "customers/erase.html", {"customer": customer, "reason": reader.reason})


@staff_required(PURPOSES_MANAGE)
def purposes(request: HttpRequest) -> HttpResponse:
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            data = PurposeIn(**_purpose_form(request))
            services.declare_purpose(organisation=request.organisation, data=data)
            messages.success(request, _("Purpose declared."))
            return redirect("customers:purposes")
        except ValueError as error:
            errors = _validation_errors(error)
        except DomainError as error:
            errors = {error.field or "form": error.detail}
    return render(request, "customers/purposes.html", {
        "purposes": services.list_purposes(organisation=request.organisation), "errors": errors,
        "form": request.POST if request.method == "POST" else {},
    })


@staff_required(PURPOSES_MANAGE)
def purpose_edit(request: HttpRequest, purpose_id: int) -> HttpResponse:
    purpose = services.get_purpose_by_id(organisation=request.organisation, purpose_id=purpose_id)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            data = PurposeIn(**{**_purpose_form(request), "code": purpose.code})
            services.update_purpose(organisation=request.organisation, purpose_id=purpose_id, data=data)
            messages.success(request, _("Purpose saved."))
            return redirect("customers:purposes")
        except ValueError as error:
            errors = _validation_errors(error)
        except DomainError as error:
            errors = {error.field or "form": error.detail}
    return render(request, "customers/purpose_edit.html", {
        "purpose": purpose, "errors": errors, "form": request.POST if request.method == "POST" else purpose.dict(),
    })


def _purpose_form(request: HttpRequest) -> dict:
    fields = ("code", "name_en", "name_de", "description_en", "description_de", "legal_basis", "retention_days")
    data = {field: request.POST.get(field, "").strip() for field in fields}
    data["marketing"] = request.POST.get("marketing") == "on"
    return data


def _validation_errors(error: ValueError) -> dict[str, str]:
    details = getattr(error, "errors", None)
    if callable(details):
        return {".".join(str(p) for p in e["loc"]): e["msg"] for e in details()}
    return {"form": str(error)}


@staff_required(TOKENS_MANAGE)
def webhooks(request: HttpRequest) -> HttpResponse:
    created = None
    error = ""
    if request.method == "POST":
        try:
            data = WebhookEndpointIn(url=request.POST.get("url", "").strip(),
                                     events=request.POST.getlist("events") or ["consent.changed", "customer.erased"])
            created = services.create_webhook_endpoint(organisation=request.organisation, data=data)
        except ValueError:
            error = _("Enter an http(s) URL.")
        except DomainError as failure:
            error = failure.detail
    return render(request, "customers/webhooks.html", {
        "endpoints": services.list_webhook_endpoints(organisation=request.organisation), "created": created,
        "error": error,
    })


@staff_required(TOKENS_MANAGE)
def webhook_detail(request: HttpRequest, webhook_endpoint_id: int) -> HttpResponse:
    if request.method == "POST" and request.POST.get("delete") == "yes":
        services.delete_webhook_endpoint(organisation=request.organisation, webhook_endpoint_id=webhook_endpoint_id)
        messages.success(request, _("Webhook endpoint removed."))
        return redirect("customers:webhooks")
    endpoint = services.get_webhook_endpoint(organisation=request.organisation, webhook_endpoint_id=webhook_endpoint_id)
    deliveries = services.list_webhook_deliveries(organisation=request.organisation,
                                                  webhook_endpoint_id=webhook_endpoint_id)
    return render(request, "customers/webhook_detail.html", {"endpoint": endpoint, "deliveries": deliveries})
