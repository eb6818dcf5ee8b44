"""Template context for staff pages: the organisations the user can switch between."""

from typing import Any

from django.http import HttpRequest

from eyelevel.accounts.services import memberships_of


def organisations(request: HttpRequest) -> dict[str, Any]:
    staff = getattr(request, "staff", None)
    if staff is None:
        return {}
    choices = memberships_of(user_id=staff.user_id)
    return {"staff_organisations": choices if len(choices) > 1 else []}
