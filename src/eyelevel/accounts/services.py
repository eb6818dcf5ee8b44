"""Staff membership, roles and integrator tokens: the rules around who may act for an organisation."""

import hashlib
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eyelevel.accounts.models import IntegratorToken, Membership, User
from eyelevel.accounts.schemas import ActingStaff, ApiPrincipal, MemberOut, TokenOut
from eyelevel.core.errors import Conflict, InvalidInput
from eyelevel.core.models import Organisation
from eyelevel.core.permissions import TOKENS_MANAGE, USERS_MANAGE, Role, require
from eyelevel.core.tenancy import get_scoped

TOKEN_PREFIX = "eyl_"  # noqa: S105 (a public prefix, not a secret)


def _acting(membership: Membership) -> ActingStaff:
    return ActingStaff(
        user_id=membership.user_id,
        username=membership.user.username,
        organisation_id=membership.organisation_id,
        organisation_name=membership.organisation.name,
        role=membership.role,
        team=membership.team,
    )


def memberships_of(*, user_id: int) -> list[ActingStaff]:
    """Every organisation the staff user belongs to, with the role there."""
    return [
        _acting(membership)
        for membership in Membership.objects.unscoped()
        .filter(user_id=user_id)
        .select_related("organisation", "user")
        .order_by("organisation__name")
    ]


def choose_acting_staff(choices: list[ActingStaff], *, organisation_id: int | None) -> ActingStaff | None:
    """Of the user's memberships, the one in the chosen organisation, else the first; None without any."""
    for choice in choices:
        if choice.organisation_id == organisation_id:
            return choice
    return choices[0] if choices else None


def resolve_acting_staff(*, user_id: int, organisation_id: int | None) -> ActingStaff | None:
    """The user's membership in the chosen organisation, or their first one; None without any."""
    return choose_acting_staff(memberships_of(user_id=user_id), organisation_id=organisation_id)


def list_members(*, organisation: Organisation) -> list[MemberOut]:
    """The organisation's staff with their roles."""
    return [
        MemberOut(
            membership_id=m.pk,
            user_id=m.user_id,
            username=m.user.username,
            email=m.user.email,
            role=m.role,
            team=m.team,
        )
        for m in Membership.objects.for_organisation(organisation).select_related("user")
    ]


def create_staff_user(*, username: str, email: str, password: str | None) -> User:
    """Create a staff user; the password is checked against the password policy."""
    username = username.strip()
    if not username:
        raise InvalidInput(_("a username is required"), field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict(_("the username %(username)s is taken") % {"username": repr(username)}, field="username")
    user = User(username=username, email=email.strip())
    if password:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise InvalidInput(" ".join(error.messages), field="password") from None
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def add_member(
    *, organisation: Organisation, actor: ActingStaff | None, username: str, email: str, role: str,
    password: str | None = None, team: str = "",
) -> MemberOut:
    """Add a staff user (new or existing by username) to the organisation with a role."""
    if actor is not None:
        require(actor.role, USERS_MANAGE)
    if role not in Role.values:
        raise InvalidInput(_("unknown role %(role)s") % {"role": repr(role)}, field="role")
    user = User.objects.filter(username__iexact=username.strip()).first()
    if user is None:
        user = create_staff_user(username=username, email=email, password=password)
    if Membership.objects.for_organisation(organisation).filter(user=user).exists():
        raise Conflict(_("%(username)s is already a member") % {"username": user.username}, field="username")
    membership = Membership.objects.create(organisation=organisation, user=user, role=role, team=team)
    return MemberOut(
        membership_id=membership.pk, user_id=user.pk, username=user.username, email=user.email,
        role=role, team=team,
    )


def _ensure_an_owner_remains(organisation: Organisation, *, excluding: int) -> None:
    owners = Membership.objects.for_organisation(organisation).filter(role=Role.OWNER).exclude(pk=excluding)
    if not owners.exists():
        raise Conflict(_("an organisation needs at least one owner"))


@transaction.atomic
def change_role(*, organisation: Organisation, actor: ActingStaff, membership_id: int, role: str) -> None:
    """Change a member's role; the last owner cannot be demoted."""
    require(actor.role, USERS_MANAGE)
    membership = get_scoped(Membership, organisation=organisation, pk=membership_id)
    if role not in Role.values:
        raise InvalidInput(_("unknown role %(role)s") % {"role": repr(role)}, field="role")
    if membership.role == Role.OWNER and role != Role.OWNER:
        _ensure_an_owner_remains(organisation, excluding=membership.pk)
    membership.role = role
    membership.save(update_fields=["role"])


@transaction.atomic
def remove_member(*, organisation: Organisation, actor: ActingStaff, membership_id: int) -> None:
    """Remove a member from the organisation; the last owner cannot be removed."""
    require(actor.role, USERS_MANAGE)
    membership = get_scoped(Membership, organisation=organisation, pk=membership_id)
    if membership.role == Role.OWNER:
        _ensure_an_owner_remains(organisation, excluding=membership.pk)
    membership.delete()


def _hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(
    *, organisation: Organisation, actor: ActingStaff | None, name: str, access_reason: str
) -> tuple[TokenOut, str]:
    """Create an integrator token; returns it and its secret, which is never shown again."""
    if actor is not None:
        require(actor.role, TOKENS_MANAGE)
    if not name.strip():
        raise InvalidInput(_("a name is required"), field="name")
    if not access_reason.strip():
        raise InvalidInput(_("state why this integration reads personal data"), field="access_reason")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = IntegratorToken.objects.create(
        organisation=organisation,
        name=name.strip(),
        prefix=secret[:12],
        secret_hash=_hash_secret(secret),
        access_reason=access_reason.strip(),
        created_by_id=actor.user_id if actor else None,
    )
    return TokenOut.from_orm(token), secret


def list_tokens(*, organisation: Organisation) -> list[TokenOut]:
    """The organisation's tokens (never their secrets)."""
    return [TokenOut.from_orm(t) for t in IntegratorToken.objects.for_organisation(organisation)]


def revoke_token(*, organisation: Organisation, actor: ActingStaff, token_id: int) -> None:
    """Revoke a token at once; later requests with it are refused."""
    require(actor.role, TOKENS_MANAGE)
    token = get_scoped(IntegratorToken, organisation=organisation, pk=token_id)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def authenticate_token(*, secret: str) -> ApiPrincipal | None:
    """The principal for a bearer secret, or None if unknown or revoked."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        IntegratorToken.objects.unscoped()
        .filter(secret_hash=_hash_secret(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        IntegratorToken.objects.unscoped().filter(pk=token.pk).update(last_used_at=now)
    return ApiPrincipal(
        token_id=token.pk, organisation_id=token.organisation_id, name=token.name,
        access_reason=token.access_reason,
    )


def staff_count(*, organisation_id: int) -> int:
    """How many staff members the organisation has."""
    return Membership.objects.for_organisation(organisation_id).count()
