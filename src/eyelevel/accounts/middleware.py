"""Sets request.staff and request.organisation for a logged-in staff user."""

from django.http import HttpRequest, HttpResponse

from eyelevel.accounts.services import choose_acting_staff, memberships_of
from eyelevel.core.services import get_organisation

ACTIVE_ORGANISATION_SESSION_KEY = "eyelevel_organisation_id"


class StaffOrganisationMiddleware:
    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.staff = None  # type: ignore[attr-defined]
        request.staff_memberships = []  # type: ignore[attr-defined]
        if request.user.is_authenticated:
            # Loaded once per request: the organisation switcher on every page reuses this list.
            request.staff_memberships = memberships_of(user_id=request.user.pk)  # type: ignore[attr-defined]
            staff = choose_acting_staff(
                request.staff_memberships, organisation_id=request.session.get(ACTIVE_ORGANISATION_SESSION_KEY),
            )
            if staff is not None:
                request.staff = staff  # type: ignore[attr-defined]
                request.organisation = get_organisation(organisation_id=staff.organisation_id)  # type: ignore[attr-defined]
        return self.get_response(request)
