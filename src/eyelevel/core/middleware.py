"""Maps domain errors raised in views to error pages, so views stay thin."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from eyelevel.core.errors import DomainError


class DomainErrorMiddleware:
    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError):
            return None
        return render(
            request,
            "core/error.html",
            {"title": exception.title, "detail": exception.detail, "errors": exception.errors},
            status=exception.status,
        )
