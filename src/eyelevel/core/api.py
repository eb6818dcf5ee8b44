"""REST API plumbing: RFC 9457 problem details for every error, naming the field at fault."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from eyelevel.core.errors import DomainError

PROBLEM_CONTENT_TYPE = "application/problem+json"


def problem(api: NinjaAPI, request: HttpRequest, *, status: int, title: str, detail: str,
            errors: list[dict[str, Any]] | None = None) -> HttpResponse:
    """An RFC 9457 problem details response."""
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "detail": detail,
                            "instance": request.path}
    if errors:
        body["errors"] = errors
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = PROBLEM_CONTENT_TYPE
    return response


def _field_name(location: list[Any] | tuple[Any, ...]) -> str:
    # Ninja locations look like ("body", "payload", "email") or ("query", "page"); keep the field path.
    parts = [str(part) for part in location if part not in ("body", "query", "path", "form", "header", "payload")]
    return ".".join(parts) or ".".join(str(part) for part in location)


def install_problem_details(api: NinjaAPI) -> None:
    """Map validation, domain, auth and 404 errors to problem details."""

    @api.exception_handler(NinjaValidationError)
    def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [{"field": _field_name(error.get("loc", ())), "message": error.get("msg", "invalid")}
                  for error in exc.errors]
        fields = ", ".join(error["field"] for error in errors)
        return problem(api, request, status=422, title="Invalid input", detail=f"invalid fields: {fields}",
                       errors=errors)

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return problem(api, request, status=exc.status, title=exc.title, detail=exc.detail, errors=exc.errors)

    @api.exception_handler(AuthenticationError)
    def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return problem(api, request, status=401, title="Unauthorized",
                       detail="send a valid integrator token as 'Authorization: Bearer <token>'")

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem(api, request, status=404, title="Not found", detail=str(exc) or "not found")

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem(api, request, status=exc.status_code, title="Error", detail=str(exc))
