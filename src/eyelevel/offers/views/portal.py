"""Portal: the customer's offers with reasons, and their controls (switch, hide, not interested, consent)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eyelevel.core.web import portal_required, render_page
from eyelevel.customers import services as customers
from eyelevel.offers import services


@portal_required
def offer_list(request: HttpRequest) -> HttpResponse:
    portal = request.portal
    return render_page(request, "offers/portal/offers.html", {
        "offers": services.offers_for(organisation=portal.organisation_id, customer_id=portal.customer_id),
        "choices": services.personalisation(organisation=portal.organisation_id, customer_id=portal.customer_id),
        "general": services.list_offers(organisation=portal.organisation_id, current_only=True),
    })


@require_POST
@portal_required
def personalisation(request: HttpRequest) -> HttpResponse:
    portal = request.portal
    on = request.POST.get("on") == "1"
    services.set_personalisation(organisation=portal.organisation_id, customer_id=portal.customer_id, on=on)
    messages.success(request, _("Personal offers are on.") if on else _("Personal offers are off."))
    return redirect("offers_portal:offers")


@require_POST
@portal_required
def hide(request: HttpRequest) -> HttpResponse:
    portal = request.portal
    product_id = request.POST.get("product_id", "")
    services.exclude(organisation=portal.organisation_id, customer_id=portal.customer_id,
                     kind=request.POST.get("kind", ""), product_id=int(product_id) if product_id.isdigit() else None,
                     category=request.POST.get("category", ""))
    messages.success(request, _("Done: your offers no longer include it."))
    return redirect("offers_portal:offers")


@require_POST
@portal_required
def remove_exclusion(request: HttpRequest, offer_exclusion_id: int) -> HttpResponse:
    portal = request.portal
    services.remove_exclusion(organisation=portal.organisation_id, customer_id=portal.customer_id,
                              offer_exclusion_id=offer_exclusion_id)
    return redirect("offers_portal:offers")


@require_POST
@portal_required
def consent(request: HttpRequest) -> HttpResponse:
    portal = request.portal
    granted = request.POST.get("granted") == "1"
    customers.set_consent(organisation=portal.organisation_id, customer_id=portal.customer_id,
                          purpose_code=services.PURPOSE_CODE, granted=granted, channel="portal")
    messages.success(request, _("You agreed to personalised offers.") if granted else
                     _("You withdrew your consent to personalised offers."))
    return redirect("offers_portal:offers")
