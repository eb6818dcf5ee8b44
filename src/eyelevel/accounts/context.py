"""Template context for staff pages: the organisations the user can switch between."""

from typing import Any

from django.http import HttpRequest


def organisations(request: HttpRequest) -> dict[str, Any]:
    staff = getattr(request, "staff", None)
    if staff is None:
        return {}
    choices = getattr(request, "staff_memberships", [])
    return {"staff_organisations": choices if len(choices) > 1 else []}
