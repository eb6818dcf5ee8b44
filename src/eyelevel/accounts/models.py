"""Staff accounts, their memberships (organisation + role) and integrator tokens."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from eyelevel.core.permissions import Role
from eyelevel.core.tenancy import TenantModel


class User(AbstractUser):
    """A staff user. Customers are not users: they log into the portal with a portal account."""

    preferred_language = models.CharField(_("language"), max_length=8, default="en")

    class Meta:
        verbose_name = _("staff user")
        verbose_name_plural = _("staff users")


class Membership(TenantModel):
    """A staff user's role in one organisation."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    team = models.CharField(_("team"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="membership_unique_user_per_org")
        ]
        ordering = ["user__username"]


class IntegratorToken(TenantModel):
    """An API token for one organisation; only its hash is stored, the secret is shown once."""

    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    secret_hash = models.CharField(max_length=64, unique=True)
    access_reason = models.CharField(
        _("reason for reading personal data"),
        max_length=300,
        help_text=_("Shown to customers in their access log whenever this integration reads their data."),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("integrator token")
        ordering = ["-created_at"]
