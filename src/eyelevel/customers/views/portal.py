"""The customer portal: login, home, my data, consents, access log, export and erasure."""

import json

from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eyelevel.core.errors import DomainError, NotFound
from eyelevel.core.web import portal_required, render_page
from eyelevel.customers import services
from eyelevel.customers.middleware import PORTAL_SESSION_KEY
from eyelevel.customers.schemas import FactSource, PortalSession


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


def _throttle_credentials(email: str) -> dict[str, str]:
    # Portal attempts share django-axes' lockout with staff logins, in a namespace of their own.
    return {"username": f"portal:{email.strip().lower()}"}


def login(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        email = request.POST.get("email", "")
        password = request.POST.get("password", "")
        credentials = _throttle_credentials(email)
        if not AxesProxyHandler.is_allowed(request, credentials):
            messages.error(request, _("Too many attempts. Please wait a quarter of an hour and try again."))
            return render(request, "customers/portal/login.html", {"next": ""}, status=429)
        if password:
            portal = services.login_with_password(email=email, password=password)
            if portal is not None:
                _start_session(request, portal)
                return redirect(_next_url(request))
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            messages.error(request, _("Email or password is wrong."))
        else:
            # Each link request counts as an attempt, so an address cannot be flooded with mail.
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
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


def _page(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def _portal_source(request: HttpRequest) -> FactSource:
    return FactSource(kind="portal", detail="you, in the portal")


@portal_required
def my_data(request: HttpRequest) -> HttpResponse:
    portal = request.portal
    purpose_code = request.GET.get("purpose", "")
    data = services.my_data(organisation=portal.organisation_id, customer_id=portal.customer_id,
                            purpose_code=purpose_code, page=_page(request))
    if request.htmx and purpose_code:
        group = next((g for g in data.groups if g.purpose.code == purpose_code), None)
        if group is None:
            raise NotFound(_("purpose not found"))
        return render(request, "customers/portal/_purpose_group.html", {"group": group})
    return render(request, "customers/portal/my_data.html", {"data": data})


@portal_required
def fact_correct(request: HttpRequest, personal_fact_id: int) -> HttpResponse:
    portal = request.portal
    fact = services.get_fact(organisation=portal.organisation_id, customer_id=portal.customer_id,
                             personal_fact_id=personal_fact_id)
    error = ""
    if request.method == "POST":
        try:
            services.rectify_fact(organisation=portal.organisation_id, customer_id=portal.customer_id,
                                  personal_fact_id=personal_fact_id, value=request.POST.get("value", ""),
                                  source=_portal_source(request))
            messages.success(request, _("Thank you: your correction is saved."))
            return redirect("portal:my_data")
        except DomainError as failure:
            error = failure.detail
    history = services.fact_history(organisation=portal.organisation_id, customer_id=portal.customer_id,
                                    personal_fact_id=personal_fact_id)
    return render(request, "customers/portal/fact_correct.html", {"fact": fact, "history": history, "error": error})


@portal_required
def identity_correct(request: HttpRequest) -> HttpResponse:
    portal = request.portal
    customer = services.get_customer(organisation=portal.organisation_id, customer_id=portal.customer_id)
    error = ""
    if request.method == "POST":
        try:
            services.rectify_identity(
                organisation=portal.organisation_id, customer_id=portal.customer_id,
                display_name=request.POST.get("display_name", ""), language=request.POST.get("language", ""),
                source=_portal_source(request),
            )
            messages.success(request, _("Thank you: your correction is saved."))
            return redirect("portal:my_data")
        except DomainError as failure:
            error = failure.detail
    history = (services.fact_history(organisation=portal.organisation_id, customer_id=portal.customer_id,
                                     key="display_name")
               + services.fact_history(organisation=portal.organisation_id, customer_id=portal.customer_id,
                                       key="language"))
    return render(request, "customers/portal/identity_correct.html",
                  {"customer": customer, "history": history, "error": error})


@portal_required
def consents(request: HttpRequest) -> HttpResponse:
    portal = request.portal
    if request.method == "POST":
        granted = request.POST.get("granted") == "1"
        services.set_consent(organisation=portal.organisation_id, customer_id=portal.customer_id,
                             purpose_code=request.POST.get("purpose_code", ""), granted=granted, channel="portal")
        messages.success(request, _("Your consent is granted.") if granted else _("Your consent is revoked, "
                                                                                   "effective now."))
        return redirect("portal:consents")
    purposes = {p.code: p for p in services.list_purposes(organisation=portal.organisation_id)}
    current = services.consents_of(organisation=portal.organisation_id, customer_id=portal.customer_id)
    rows = [{"purpose": purposes[c.purpose_code], "granted": c.granted, "updated_at": c.updated_at}
            for c in current]
    others = [p for p in purposes.values() if p.legal_basis != "consent"]
    history = services.consent_history(organisation=portal.organisation_id, customer_id=portal.customer_id)
    return render(request, "customers/portal/consents.html", {"rows": rows, "others": others, "history": history})


@portal_required
def access_log(request: HttpRequest) -> HttpResponse:
    portal = request.portal
    log = services.access_log_of(organisation=portal.organisation_id, customer_id=portal.customer_id,
                                 page=_page(request))
    return render_page(request, "customers/portal/access_log.html", {"log": log},
                       partial="customers/portal/_access_log_rows.html")


@portal_required
def export(request: HttpRequest) -> HttpResponse:
    return render(request, "customers/portal/export.html", {})


@portal_required
def export_download(request: HttpRequest) -> HttpResponse:
    portal = request.portal
    data = services.export_customer_data(organisation=portal.organisation_id, customer_id=portal.customer_id)
    kind = request.GET.get("format", "json")
    if kind == "html":
        response = HttpResponse(services.render_export_html(data), content_type="text/html; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="my-data.html"'
    elif kind == "pdf":
        response = HttpResponse(services.render_export_pdf(data), content_type="application/pdf")
        response["Content-Disposition"] = 'attachment; filename="my-data.pdf"'
    else:
        response = HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/json")
        response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@portal_required
def erase(request: HttpRequest) -> HttpResponse:
    portal = request.portal
    error = ""
    if request.method == "POST":
        if request.POST.get("confirm") == "yes":
            services.erase_customer(organisation=portal.organisation_id, customer_id=portal.customer_id,
                                    requested_via="portal")
            request.session.pop(PORTAL_SESSION_KEY, None)
            request.session.cycle_key()
            request.portal = None
            return render(request, "customers/portal/erased.html", {"organisation": portal.organisation_name})
        error = _("Tick the box to confirm that you want your account erased.")
    return render(request, "customers/portal/erase.html", {"error": error})
