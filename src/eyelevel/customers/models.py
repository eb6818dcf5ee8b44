"""Customer records and their portal logins."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from eyelevel.core.tenancy import TenantManager, TenantModel, TenantQuerySet


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
    # Where the record itself came from (portal sign-up, staff, import file and row, API token).
    source_kind = models.CharField(max_length=10, blank=True)
    source_detail = models.CharField(max_length=300, blank=True)

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


class SourceKind(models.TextChoices):
    PORTAL = "portal", _("the customer, in the portal")
    STAFF = "staff", _("a staff member")
    IMPORT = "import", _("an import file")
    API = "api", _("an integration (API)")
    DERIVED = "derived", _("derived by a model")


class PersonalFact(TenantModel):
    """One personal datum about a customer, held for one declared purpose from one named source."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="facts")
    purpose = models.ForeignKey(Purpose, on_delete=models.PROTECT, related_name="facts")
    key = models.SlugField(_("what"), max_length=60)
    value = models.TextField(_("value"))
    source_kind = models.CharField(_("source"), max_length=10, choices=SourceKind.choices)
    source_detail = models.CharField(_("source detail"), max_length=300)
    collected_at = models.DateTimeField(_("collected"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    expires_at = models.DateTimeField(_("expires"), db_index=True)

    class Meta:
        verbose_name = _("personal fact")
        ordering = ["purpose_id", "key", "pk"]
        indexes = [models.Index(fields=["organisation", "customer", "purpose", "key"])]


class FactRevision(TenantModel):
    """A correction of a fact or identity field (rectification): old and new value, who changed it, when."""

    fact = models.ForeignKey(PersonalFact, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=60)  # the fact's key, or an identity field (display_name, language)
    old_value = models.TextField()
    new_value = models.TextField()
    source_kind = models.CharField(max_length=10, choices=SourceKind.choices)
    source_detail = models.CharField(max_length=300)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]


class AppendOnlyError(RuntimeError):
    """The access log is append-only: an entry cannot be changed or deleted."""


class AccessLogQuerySet(TenantQuerySet):
    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("access-log entries cannot be changed")

    def delete(self):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("access-log entries cannot be deleted (only an erasure of the customer removes them)")


class AccessLogManager(TenantManager.from_queryset(AccessLogQuerySet)):  # type: ignore[misc]
    """Scoped like every tenant manager, and append-only."""


class AccessLogEntry(TenantModel):
    """One read of a customer's personal data: who, when, what and why (product rule 2). Append-only."""

    class ActorKind(models.TextChoices):
        STAFF = "staff", _("staff member")
        TOKEN = "token", _("integration")
        SYSTEM = "system", _("system")

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="access_log")
    actor_kind = models.CharField(max_length=10, choices=ActorKind.choices)
    actor_user = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    actor_label = models.CharField(max_length=200)
    what = models.CharField(max_length=200)
    reason = models.CharField(max_length=300)
    accessed_at = models.DateTimeField(auto_now_add=True)

    objects = AccessLogManager()

    class Meta:
        verbose_name = _("access-log entry")
        ordering = ["-accessed_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "customer", "accessed_at"])]

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None:
            raise AppendOnlyError("access-log entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("access-log entries cannot be deleted")


class WebhookEndpoint(TenantModel):
    """An integrator's URL that receives signed events (consent changes, erasures)."""

    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(max_length=100)
    events = models.CharField(_("events"), max_length=200, default="consent.changed,customer.erased")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        ordering = ["pk"]


class WebhookDelivery(TenantModel):
    """One event sent to one endpoint, with every attempt counted and the last outcome recorded."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=60)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        ordering = ["-created_at", "-pk"]


class ErasureRecord(TenantModel):
    """That a customer was erased, when and on whose request; it holds no identity (only the row id)."""

    customer_number = models.PositiveBigIntegerField()
    requested_via = models.CharField(max_length=10)
    rows_erased = models.JSONField(default=dict)
    erased_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-erased_at"]
