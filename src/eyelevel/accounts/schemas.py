"""Plain data passed from accounts to views, templates and other domains."""

from dataclasses import dataclass
from datetime import datetime

from ninja import Schema


@dataclass(frozen=True)
class ActingStaff:
    """Who is acting in a request: the user, the organisation and the role there."""

    user_id: int
    username: str
    organisation_id: int
    organisation_name: str
    role: str
    team: str


class MemberOut(Schema):
    membership_id: int
    user_id: int
    username: str
    email: str
    role: str
    team: str


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    access_reason: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True)
class ApiPrincipal:
    """An authenticated integrator token."""

    token_id: int
    organisation_id: int
    name: str
    access_reason: str
