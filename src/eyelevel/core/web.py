"""Helpers for thin views: access decorators and htmx-aware rendering."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from eyelevel.core.errors import InvalidInput
from eyelevel.core.permissions import require

View = Callable[..., HttpResponse]


def staff_required(permission: str) -> Callable[[View], View]:
    """Allow staff of the active organisation whose role has the permission.

    Anyone else is sent to the staff login: a customer's portal session never opens a staff page.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated or getattr(request, "staff", None) is None:
                return redirect_to_login(request.get_full_path(), reverse("accounts:login"))
            require(request.staff.role, permission)
            return view(request, *args, **kwargs)

        wrapped.staff_permission = permission  # type: ignore[attr-defined]
        return wrapped

    return decorator


def portal_required(view: View) -> View:
    """Allow a logged-in customer; anyone else goes to the portal login of the organisation."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request, "portal", None) is None:
            return redirect(f"{reverse('portal:login')}?next={request.get_full_path()}")
        return view(request, *args, **kwargs)

    wrapped.portal_only = True  # type: ignore[attr-defined]
    return wrapped


def render_page(request: HttpRequest, template: str, context: dict[str, Any], *, partial: str | None = None,
                status: int = 200) -> HttpResponse:
    """Render the whole page, or only its partial when htmx asks for a fragment."""
    if partial and getattr(request, "htmx", False):
        return render(request, partial, context, status=status)
    return render(request, template, context, status=status)


def start_upload(request: HttpRequest, start: Callable[[str, bytes], Any], job_page: str) -> HttpResponse | None:
    """Handle an upload form's POST: start(filename, content) queues the job; on success the browser goes to
    job_page (a URL name taking the job's id) to watch its progress. None (and a message) when the file is
    missing or refused, so the caller shows the form again."""
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file."))
        return None
    try:
        job = start(upload.name, upload.read())
    except InvalidInput as error:
        messages.error(request, error.detail)
        return None
    return redirect(job_page, job.id)
