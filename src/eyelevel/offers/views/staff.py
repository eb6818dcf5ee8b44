"""Staff pages: offers for everyone, fitting the recommender, a customer's offers and why, newsletters."""

from datetime import date

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from pydantic import ValidationError

from eyelevel.core.errors import NotFound
from eyelevel.core.permissions import (
    CUSTOMERS_READ_PERSONAL,
    OFFERS_MANAGE,
    OFFERS_VIEW,
    PURPOSES_MANAGE,
    require,
    role_has,
)
from eyelevel.core.web import render_page, staff_required
from eyelevel.customers import services as customers
from eyelevel.offers import services
from eyelevel.offers.schemas import OfferIn


def _date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


@staff_required(OFFERS_VIEW)
def offer_list(request: HttpRequest) -> HttpResponse:
    errors: list[str] = []
    if request.method == "POST":
        require(request.staff.role, OFFERS_MANAGE)
        try:
            product = request.POST.get("product_id", "")
            services.create_offer(organisation=request.organisation, data=OfferIn(
                title=request.POST.get("title", ""), description=request.POST.get("description", ""),
                product_id=int(product) if product.isdigit() else None,
                valid_from=_date(request.POST.get("valid_from", "")),
                valid_until=_date(request.POST.get("valid_until", ""))))
        except ValidationError as invalid:
            errors = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in invalid.errors()]
        except ValueError:
            errors = [_("Dates are written YYYY-MM-DD.")]
        else:
            messages.success(request, _("Offer created."))
            return redirect("offers:offers")
    purpose_declared = True
    try:
        customers.get_purpose(organisation=request.organisation, code=services.PURPOSE_CODE)
    except NotFound:
        purpose_declared = False
    return render_page(request, "offers/staff/offers.html", {
        "offers": services.list_offers(organisation=request.organisation), "errors": errors,
        "training": services.latest_training(organisation=request.organisation),
        "purpose_declared": purpose_declared, "can_manage": role_has(request.staff.role, OFFERS_MANAGE),
    })


@require_POST
@staff_required(OFFERS_MANAGE)
def offer_active(request: HttpRequest, offer_id: int) -> HttpResponse:
    active = request.POST.get("active") == "1"
    offer = services.set_offer_active(organisation=request.organisation, offer_id=offer_id, active=active)
    messages.success(request, (_("Offer “%(title)s” runs again.") if active else
                               _("Offer “%(title)s” is stopped; customers no longer see it.")) % {"title": offer.title})
    return redirect("offers:offers")


@staff_required(OFFERS_VIEW)
def training_status(request: HttpRequest) -> HttpResponse:
    return render_page(request, "offers/staff/_training.html",
                       {"training": services.latest_training(organisation=request.organisation)})


@require_POST
@staff_required(OFFERS_MANAGE)
def train(request: HttpRequest) -> HttpResponse:
    services.start_training(organisation=request.organisation)
    return redirect("offers:offers")


@require_POST
@staff_required(PURPOSES_MANAGE)
def declare_purpose(request: HttpRequest) -> HttpResponse:
    services.ensure_purpose(organisation=request.organisation)
    messages.success(request, _("The purpose “personalised offers” is declared; customers can now agree to it."))
    return redirect("offers:offers")


@require_POST
@staff_required(OFFERS_MANAGE)
def newsletter(request: HttpRequest) -> HttpResponse:
    from eyelevel.offers.tasks import send_newsletters_task

    organisation_id = request.organisation.pk
    transaction.on_commit(lambda: send_newsletters_task.enqueue(organisation_id=organisation_id))
    messages.success(request, _("Personal newsletters are being sent in the background, through the message gate."))
    return redirect("offers:offers")


@staff_required(OFFERS_VIEW)
def customer_offers(request: HttpRequest, customer_id: int) -> HttpResponse:
    require(request.staff.role, CUSTOMERS_READ_PERSONAL)
    reason = (request.GET.get("reason") or "").strip()[:300]
    if not reason:
        # 404 for another organisation's customer; otherwise ask why before reading anything personal.
        customers.get_customer(organisation=request.organisation, customer_id=customer_id)
        return render(request, "customers/reason.html", {
            "customer_id": customer_id, "what": _("the customer's offers"), "reasons": customers.STAFF_REASONS,
            "action": request.path,
        })
    customer = customers.read_customer(
        organisation=request.organisation, customer_id=customer_id, what="offers and personalisation choices",
        reader=customers.staff_reader(user_id=request.staff.user_id, username=request.staff.username, reason=reason),
    )
    offers, choices = services.offers_and_choices(organisation=request.organisation, customer=customer)
    return render_page(request, "offers/staff/customer.html", {"customer": customer, "offers": offers,
                                                               "choices": choices})
