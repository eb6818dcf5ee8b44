"""The customer portal: login by link or password, logout, home."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eyelevel.core.errors import NotFound
from eyelevel.core.web import portal_required
from eyelevel.customers import services
from eyelevel.customers.middleware import PORTAL_SESSION_KEY
from eyelevel.customers.schemas import PortalSession


def _start_session(request: HttpRequest, portal: PortalSession) -> None:
    request.session.cycle_key()
    request.session[PORTAL_SESSION_KEY] = {
        "customer_id": portal.customer_id, "organisation_id": portal.organisation_id,
    }
    translation.activate(portal.language)


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return "portal:home"


def login(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        email = request.POST.get("email", "")
        password = request.POST.get("password", "")
        if password:
            portal = services.login_with_password(email=email, password=password)
            if portal is not None:
                _start_session(request, portal)
                return redirect(_next_url(request))
            messages.error(request, _("Email or password is wrong."))
        else:
            services.send_login_links(email=email)
            # The same answer for known and unknown addresses, so addresses cannot be probed.
            return render(request, "customers/portal/link_sent.html", {"email": email})
    return render(request, "customers/portal/login.html", {"next": request.GET.get("next", "")})


def login_link(request: HttpRequest, token: str) -> HttpResponse:
    # GET only shows a button: mail scanners that open links must not use up the one-time link.
    if request.method == "POST":
        try:
            portal = services.redeem_login_link(token=token)
        except NotFound as error:
            return render(request, "customers/portal/link_invalid.html", {"detail": error.detail}, status=404)
        _start_session(request, portal)
        return redirect("portal:home")
    if not services.login_link_is_valid(token=token):
        return render(request, "customers/portal/link_invalid.html", {}, status=404)
    return render(request, "customers/portal/link_confirm.html", {})


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    request.session.pop(PORTAL_SESSION_KEY, None)
    request.session.cycle_key()
    return redirect("portal:login")


@portal_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "customers/portal/home.html", {"portal": request.portal})
