"""Domain errors; the web layer maps them to HTTP statuses (404, 409, 422, 403)."""


class DomainError(Exception):
    """Base of all errors a service raises for the web layer to report."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str, *, field: str | None = None, errors: list[dict] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        self.errors = errors or ([{"field": field, "message": detail}] if field else [])


class NotFound(DomainError):
    """The object does not exist, or belongs to another organisation (indistinguishable on purpose)."""

    status = 404
    title = "Not found"


class Conflict(DomainError):
    """The request conflicts with the object's current state (e.g. a reward redeemed already)."""

    status = 409
    title = "Conflict"


class InvalidInput(DomainError):
    """The input is malformed; detail and errors name the field or row at fault."""

    status = 422
    title = "Invalid input"


class PermissionDenied(DomainError):
    """The acting user's role does not include the permission."""

    status = 403
    title = "Forbidden"
