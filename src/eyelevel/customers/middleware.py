"""Sets request.portal for a customer logged into the portal (a session of its own, not a staff login)."""

from django.http import HttpRequest, HttpResponse

from eyelevel.customers.services import portal_session_for

PORTAL_SESSION_KEY = "eyelevel_portal"


class PortalCustomerMiddleware:
    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.portal = None  # type: ignore[attr-defined]
        stored = request.session.get(PORTAL_SESSION_KEY)
        if stored:
            portal = portal_session_for(customer_id=stored["customer_id"], organisation_id=stored["organisation_id"])
            if portal is None:
                del request.session[PORTAL_SESSION_KEY]
            request.portal = portal  # type: ignore[attr-defined]
        return self.get_response(request)
