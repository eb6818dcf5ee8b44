"""Customer records and their portal logins."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from eyelevel.core.tenancy import TenantModel


class Customer(TenantModel):
    """A customer of one organisation. Personal data beyond these identity fields are facts."""

    external_ref = models.CharField(_("external reference"), max_length=100, blank=True)
    email = models.EmailField(_("email"), blank=True)
    display_name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    portal_password = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["display_name", "pk"]
        indexes = [models.Index(fields=["organisation", "email"]), models.Index(fields=["organisation", "external_ref"])]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="customer_unique_external_ref",
            )
        ]

    def __str__(self) -> str:
        return self.display_name or f"#{self.pk}"


class LoginLink(TenantModel):
    """A one-time portal login link; only the hash of its token is stored."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="login_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
