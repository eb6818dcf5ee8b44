"""Feedback items from every channel."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from eyelevel.core.tenancy import TenantModel


class Channel(models.TextChoices):
    PORTAL = "portal", _("Portal")
    PUBLIC_FORM = "public_form", _("Public form")
    API = "api", _("API")
    IMPORT = "import", _("Import")
    EMAIL = "email", _("Email")


class Sentiment(models.TextChoices):
    NEGATIVE = "negative", _("negative")
    NEUTRAL = "neutral", _("neutral")
    POSITIVE = "positive", _("positive")


class FeedbackItem(TenantModel):
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    text = models.TextField(_("text"))
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    external_ref = models.CharField(max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    sentiment = models.CharField(_("sentiment"), max_length=10, choices=Sentiment.choices, blank=True)
    received_at = models.DateTimeField(_("received at"), db_index=True)

    class Meta:
        verbose_name = _("feedback item")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["organisation", "received_at"])]
