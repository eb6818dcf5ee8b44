"""The customer's messages in the portal (sent and refused), and the public one-click unsubscribe."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt

from eyelevel.core.errors import NotFound
from eyelevel.core.web import portal_required, render_page
from eyelevel.messaging import services


@portal_required
def messages(request: HttpRequest) -> HttpResponse:
    portal = request.portal
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    result = services.message_page(organisation=portal.organisation_id, customer_id=portal.customer_id, page=page)
    return render_page(request, "messaging/portal_messages.html", {"page": result})


@csrf_exempt  # RFC 8058: mail providers POST "List-Unsubscribe=One-Click" without a session; the token is signed
def unsubscribe(request: HttpRequest) -> HttpResponse:
    token = request.GET.get("t", "")
    try:
        if request.method == "POST":
            target = services.unsubscribe(token=token)
            return render(request, "messaging/unsubscribed.html", {"purpose": _purpose_name(target)})
        target = services.read_unsubscribe_token(token=token)
    except NotFound:
        return render(request, "messaging/unsubscribe_invalid.html", {}, status=404)
    return render(request, "messaging/unsubscribe.html", {"purpose": _purpose_name(target), "token": token})


def _purpose_name(target) -> str:  # type: ignore[no-untyped-def]
    return target.purpose_name_de if translation.get_language() == "de" else target.purpose_name_en
