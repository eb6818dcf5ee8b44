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


class LegalBasis(models.TextChoices):
    CONTRACT = "contract", _("Contract")
    CONSENT = "consent", _("Consent")
    LEGITIMATE_INTEREST = "legitimate_interest", _("Legitimate interest")
    LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation")


class Purpose(TenantModel):
    """A declared purpose for processing personal data (e.g. "newsletter"), in plain language."""

    code = models.SlugField(_("code"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_de = models.CharField(_("name (German)"), max_length=120)
    description_en = models.TextField(_("description (English)"))
    description_de = models.TextField(_("description (German)"))
    legal_basis = models.CharField(_("legal basis"), max_length=24, choices=LegalBasis.choices)
    retention_days = models.PositiveIntegerField(_("retention in days"))
    text_version = models.PositiveIntegerField(_("text version"), default=1)
    marketing = models.BooleanField(_("marketing"), default=False)

    class Meta:
        verbose_name = _("purpose")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="purpose_unique_code")]


class Consent(TenantModel):
    """The current consent state of one customer for one purpose; its history is ConsentEvent."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="consents")
    purpose = models.ForeignKey(Purpose, on_delete=models.CASCADE, related_name="+")
    granted = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["customer", "purpose"], name="consent_unique")]


class ConsentEvent(TenantModel):
    """One grant or revocation, with when, through which channel and which text version was shown."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="consent_events")
    purpose = models.ForeignKey(Purpose, on_delete=models.CASCADE, related_name="+")
    granted = models.BooleanField()
    channel = models.CharField(max_length=20)
    text_version = models.PositiveIntegerField()
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
