"""Bearer-token authentication for the REST API; sets the request's organisation from the token."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from eyelevel.accounts.services import authenticate_token
from eyelevel.core.services import get_organisation


class IntegratorTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        principal = authenticate_token(secret=token)
        if principal is None:
            return None
        request.principal = principal  # type: ignore[attr-defined]
        request.organisation = get_organisation(organisation_id=principal.organisation_id)  # type: ignore[attr-defined]
        return principal
