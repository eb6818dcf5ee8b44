"""Staff pages: products and their price breakdown, receipts, stamp programmes, the till."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from pydantic import ValidationError

from eyelevel.commerce import services
from eyelevel.commerce.schemas import PriceComponent, StampProgrammeIn
from eyelevel.core.errors import Conflict, InvalidInput, NotFound
from eyelevel.core.permissions import COMMERCE_MANAGE, COMMERCE_TILL, COMMERCE_VIEW, require, role_has
from eyelevel.core.web import render_page, staff_required, start_upload
from eyelevel.customers import services as customers


@staff_required(COMMERCE_VIEW)
def product_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    return render_page(request, "commerce/staff/products.html", {
        "products": services.list_products(organisation=request.organisation, query=query),
        "query": query, "settings": services.get_settings(organisation=request.organisation),
    })


def _parse_breakdown(text: str) -> list[PriceComponent]:
    components = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        label, sep, amount = raw.rpartition("=")
        try:
            if not sep or not label.strip():
                raise InvalidOperation
            components.append(PriceComponent(label=label.strip(), amount=Decimal(amount.strip().replace(",", "."))))
        except (InvalidOperation, ValueError):
            raise InvalidInput(_("line %(n)s: write “label = amount”, e.g. “Material = 1.20”") % {"n": number},
                               field="price_breakdown") from None
    return components


@staff_required(COMMERCE_VIEW)
def product_detail(request: HttpRequest, product_id: int) -> HttpResponse:
    product = services.get_product(organisation=request.organisation, product_id=product_id)
    error = ""
    text = "\n".join(f"{c.label} = {c.amount}" for c in product.price_breakdown)
    if request.method == "POST":
        require(request.staff.role, COMMERCE_MANAGE)
        text = request.POST.get("price_breakdown", "")
        try:
            services.set_price_breakdown(organisation=request.organisation, product_id=product_id,
                                         components=_parse_breakdown(text))
        except InvalidInput as invalid:
            error = invalid.detail
        else:
            messages.success(request, _("Price breakdown saved."))
            return redirect("commerce:product", product_id=product_id)
    return render_page(request, "commerce/staff/product.html", {
        "product": product, "breakdown_text": text, "error": error,
        "settings": services.get_settings(organisation=request.organisation),
    })


@require_POST
@staff_required(COMMERCE_MANAGE)
def settings_update(request: HttpRequest) -> HttpResponse:
    services.update_settings(organisation=request.organisation,
                             show_price_breakdown=request.POST.get("show_price_breakdown") == "on")
    messages.success(request, _("Settings saved."))
    return redirect("commerce:products")


@staff_required(COMMERCE_VIEW)
def receipt_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    page_number = request.GET.get("page", "1")
    page = services.list_receipts(organisation=request.organisation, query=query,
                                  page=int(page_number) if page_number.isdigit() else 1)
    return render_page(request, "commerce/staff/receipts.html", {
        "page": page, "query": query, "can_import": role_has(request.staff.role, COMMERCE_MANAGE)})


@staff_required(COMMERCE_VIEW)
def receipt_detail(request: HttpRequest, receipt_id: int) -> HttpResponse:
    receipt = services.get_receipt(organisation=request.organisation, receipt_id=receipt_id)
    if receipt.customer_id is not None:
        # A customer's receipt shows what they bought: a read of personal data, logged like the till's.
        customers.record_access(
            organisation=request.organisation, customer_id=receipt.customer_id,
            what=f"receipt {receipt.number}"[:200],
            reader=customers.staff_reader(user_id=request.staff.user_id, username=request.staff.username,
                                          reason=_("looking up a receipt")),
        )
    return render_page(request, "commerce/staff/receipt.html", {"receipt": receipt})


@staff_required(COMMERCE_VIEW)
def programme_list(request: HttpRequest) -> HttpResponse:
    errors: list = []
    if request.method == "POST":
        require(request.staff.role, COMMERCE_MANAGE)
        try:
            data = StampProgrammeIn(
                name=request.POST.get("name", ""), reward=request.POST.get("reward", ""),
                skus=[s for s in request.POST.get("skus", "").replace(",", " ").split() if s],
                category=request.POST.get("category", ""),
                stamps_required=int(request.POST.get("stamps_required") or 10),
                stamp_valid_days=int(request.POST["stamp_valid_days"]) if request.POST.get("stamp_valid_days") else None,
                reward_valid_days=int(request.POST["reward_valid_days"]) if request.POST.get("reward_valid_days")
                else None,
            )
            services.create_programme(organisation=request.organisation, data=data)
        except InvalidInput as invalid:
            errors = [invalid.detail]
        except ValidationError as invalid:
            errors = [f"{'.'.join(str(part) for part in e['loc'])}: {e['msg']}" for e in invalid.errors()]
        except ValueError:
            errors = [_("Stamps and days must be whole numbers.")]
        else:
            messages.success(request, _("Stamp programme created."))
            return redirect("commerce:programmes")
    return render_page(request, "commerce/staff/programmes.html", {
        "programmes": services.list_programmes(organisation=request.organisation), "errors": errors,
    })


@staff_required(COMMERCE_TILL)
def till(request: HttpRequest) -> HttpResponse:
    """Find the customer at the till and redeem a reward with one click."""
    lookup = request.GET.get("customer", "").strip()
    customer, cards, not_found = None, [], False
    if lookup:
        customer = customers.find_customer_by_reference(organisation=request.organisation, external_ref=lookup)
        if customer is None and "@" in lookup:
            customer = customers.find_customer_by_email(organisation=request.organisation, email=lookup)
        if customer is None and lookup.isdigit():
            try:
                customer = customers.get_customer(organisation=request.organisation, customer_id=int(lookup))
            except NotFound:
                customer = None
        if customer is None:
            not_found = True
        else:
            # Showing the customer's name and cards at the till is a read of personal data: log it.
            customers.record_access(
                organisation=request.organisation, customer_id=customer.id, what="name and stamp cards at the till",
                reader=customers.staff_reader(user_id=request.staff.user_id, username=request.staff.username,
                                              reason=_("serving the customer at the till")),
            )
            cards = services.stamp_cards(organisation=request.organisation, customer_id=customer.id)
    return render_page(request, "commerce/staff/till.html", {
        "lookup": lookup, "customer": customer, "cards": cards, "not_found": not_found,
    })


@require_POST
@staff_required(COMMERCE_TILL)
def redeem(request: HttpRequest, stamp_reward_id: int) -> HttpResponse:
    reward = services.get_reward(organisation=request.organisation, stamp_reward_id=stamp_reward_id)
    till_name = _("staff console (%(user)s)") % {"user": request.user.get_username()}
    try:
        services.redeem_reward(organisation=request.organisation, stamp_reward_id=stamp_reward_id, till=till_name)
    except Conflict as refused:
        messages.error(request, _("Not redeemed: %(why)s") % {"why": refused.detail})
    else:
        messages.success(request, _("Reward redeemed: %(reward)s") % {"reward": reward.reward})
    return redirect(f"{reverse('commerce:till')}?customer={reward.customer_id}")


@staff_required(COMMERCE_MANAGE)
def receipt_import(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        started = start_upload(request, lambda filename, payload: services.start_receipt_import(
            organisation=request.organisation, filename=filename, payload=payload,
            import_good_rows=request.POST.get("good_rows") == "1", user_id=request.staff.user_id),
            "commerce:receipt_import_job")
        if started:
            return started
    return render_page(request, "commerce/staff/receipt_import.html", {
        "jobs": services.list_receipt_imports(organisation=request.organisation)})


@staff_required(COMMERCE_MANAGE)
def receipt_import_job(request: HttpRequest, receipt_import_id: int) -> HttpResponse:
    job = services.get_receipt_import(organisation=request.organisation, receipt_import_id=receipt_import_id)
    return render_page(request, "commerce/staff/receipt_import_job.html", {"job": job},
                       partial="commerce/staff/_receipt_import_progress.html")


@staff_required(COMMERCE_MANAGE)
def receipt_import_rejects(request: HttpRequest, receipt_import_id: int) -> HttpResponse:
    text = services.receipt_import_rejects(organisation=request.organisation, receipt_import_id=receipt_import_id)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="receipt-rejects-{receipt_import_id}.csv"'
    return response
