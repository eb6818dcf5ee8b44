"""Portal and public pages: give feedback, see what happened to it, and "you said, we did"."""

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from eyelevel.core.errors import InvalidInput
from eyelevel.core.models import Organisation
from eyelevel.core.web import portal_required
from eyelevel.feedback import services


@portal_required
def my_feedback(request: HttpRequest) -> HttpResponse:
    portal = request.portal
    error = ""
    text = ""
    if request.method == "POST":
        text = request.POST.get("text", "").strip()
        if not text:
            error = _("Please write your feedback.")
        else:
            try:
                touchpoint = request.POST.get("touchpoint", "")
                services.submit_portal_feedback(organisation_id=portal.organisation_id, customer_id=portal.customer_id,
                                                text=text[:20000], order_ref=request.POST.get("order_ref", "")[:200],
                                                touchpoint_id=int(touchpoint) if touchpoint.isdigit() else None)
            except InvalidInput as failure:
                error = failure.detail
            else:
                messages.success(request, _("Thank you. We will tell you when someone has taken it on, and what we did."))
                return redirect("feedback_portal:mine")
    from eyelevel.relationships import services as relationships

    items = services.list_customer_feedback(organisation=portal.organisation_id, customer_id=portal.customer_id)
    return render(request, "feedback/portal/mine.html", {
        "items": items, "error": error, "text": text, "suggest_query": text,
        "touchpoints": relationships.list_touchpoints(organisation=portal.organisation_id)},
        status=422 if error else 200)


def _organisation(request: HttpRequest) -> Organisation:
    slug = request.GET.get("org") or request.POST.get("org") or ""
    organisation = Organisation.objects.filter(slug=slug).first() if slug else None
    if organisation is None:
        raise Http404("no such organisation")
    return organisation


def _client(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def public_form(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    error = ""
    if request.method == "POST":
        text = request.POST.get("text", "").strip()
        if not text:
            error = _("Please write your feedback.")
        else:
            try:
                services.submit_public_feedback(organisation=organisation, text=text[:20000],
                                                token=request.POST.get("started", ""),
                                                honeypot=request.POST.get("website", ""), client=_client(request))
            except InvalidInput as failure:
                error = failure.detail
            else:
                return render(request, "feedback/public/thanks.html", {"organisation": organisation})
    elif request.method != "GET":
        raise BadRequest("GET or POST")
    return render(request, "feedback/public/form.html", {
        "organisation": organisation, "token": services.public_form_token(), "error": error,
        "text": request.POST.get("text", "")}, status=422 if error else 200)


def we_did(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    return render(request, "feedback/public/we_did.html", {
        "organisation": organisation, "actions": services.list_public_actions(organisation=organisation)})
