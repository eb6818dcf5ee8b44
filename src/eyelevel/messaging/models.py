"""Every message to a customer, sent or refused, as it left the one outbound gate."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from eyelevel.core.tenancy import TenantModel


class MessageStatus(models.TextChoices):
    SENT = "sent", _("sent")
    REFUSED = "refused", _("refused")


class Message(TenantModel):
    customer = models.ForeignKey("customers.Customer", null=True, on_delete=models.SET_NULL, related_name="+")
    purpose_code = models.CharField(_("purpose"), max_length=60)
    channel = models.CharField(_("channel"), max_length=20, default="email")
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    reason = models.CharField(_("why the customer receives it"), max_length=500)
    automated = models.BooleanField(_("automated"))
    marketing = models.BooleanField(_("marketing"), default=False)
    sender_name = models.CharField(_("sender"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=MessageStatus.choices)
    refusal = models.CharField(_("refusal"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("message")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "customer", "created_at"])]


class CapScope(models.TextChoices):
    MARKETING = "marketing", _("marketing messages")
    ALL = "all", _("all messages")


class ContactCap(TenantModel):
    """At most max_messages sent to one customer within period_days, across all channels (product rule 6)."""

    scope = models.CharField(_("counts"), max_length=10, choices=CapScope.choices)
    max_messages = models.PositiveIntegerField(_("at most"))
    period_days = models.PositiveIntegerField(_("within days"))

    class Meta:
        verbose_name = _("contact cap")
        ordering = ["scope"]
        constraints = [models.UniqueConstraint(fields=["organisation", "scope"], name="contact_cap_unique_scope")]
