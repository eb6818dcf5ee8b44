"""Core pages: the landing page and the staff dashboard assembled from every domain's figures."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from eyelevel.core.permissions import DASHBOARD_VIEW
from eyelevel.core.registry import dashboard_providers
from eyelevel.core.web import staff_required


def landing(request: HttpRequest) -> HttpResponse:
    if getattr(request, "staff", None) is not None:
        return redirect("core:dashboard")
    if getattr(request, "portal", None) is not None:
        return redirect("portal:home")
    return render(request, "core/landing.html")


@staff_required(DASHBOARD_VIEW)
def dashboard(request: HttpRequest) -> HttpResponse:
    sections = [
        (domain, provider(request.organisation.pk)) for domain, provider in dashboard_providers()
    ]
    return render(request, "core/dashboard.html", {"sections": [s for s in sections if s[1]]})


def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
