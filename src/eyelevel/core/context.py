"""Template context shared by all pages: the navigation the viewer may see."""

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from eyelevel.core.permissions import role_has
from eyelevel.core.registry import navigation_entries, portal_navigation_entries


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def navigation(request: HttpRequest) -> dict[str, Any]:
    context: dict[str, Any] = {}
    staff = getattr(request, "staff", None)
    if staff is not None:
        entries = []
        for entry in navigation_entries():
            url = _url(entry.url_name)
            if url is None or not role_has(staff.role, entry.permission):
                continue
            entries.append({"label": entry.label, "url": url, "active": False})
        # The entry whose address is the longest prefix of this page is the current one.
        matching = [e for e in entries if request.path.startswith(e["url"])]
        if matching:
            max(matching, key=lambda e: len(e["url"]))["active"] = True
        context.update(staff_navigation=entries, staff=staff)
    if getattr(request, "portal", None) is not None:
        context["portal_navigation"] = [
            {"label": entry.label, "url": url}
            for entry in portal_navigation_entries()
            if (url := _url(entry.url_name)) is not None
        ]
    return context
