"""Offers: general offers for everyone, each customer's choices about personal offers, the fitted recommender."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from eyelevel.core.tenancy import TenantModel


class Offer(TenantModel):
    """A non-personal offer, the same for every customer (what customers without consent see)."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    product = models.ForeignKey("commerce.Product", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("offer")
        ordering = ["-created_at"]


class PersonalisationSetting(TenantModel):
    """A customer's switch for personal offers (on unless they switch it off)."""

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="+")
    personalised = models.BooleanField(_("personal offers"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("personalisation setting")
        constraints = [models.UniqueConstraint(fields=["organisation", "customer"], name="personalisation_unique")]


class ExclusionKind(models.TextChoices):
    PRODUCT = "product", _("hidden product")
    CATEGORY = "category", _("hidden category")
    NOT_INTERESTED = "not_interested", _("not interested")


class OfferExclusion(TenantModel):
    """Something the customer does not want offered: a product, a whole category, or "not interested"."""

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=ExclusionKind.choices)
    product = models.ForeignKey("commerce.Product", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="+")
    category = models.CharField(_("category"), max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("offer exclusion")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "customer"])]


class RecommenderModel(TenantModel):
    """The organisation's fitted recommender (numpy arrays as npz bytes), refitted by a task."""

    status = models.CharField(max_length=20, default="running")
    progress = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    customers = models.PositiveIntegerField(default=0)
    products = models.PositiveIntegerField(default=0)
    lines = models.PositiveIntegerField(default=0)
    data = models.BinaryField(blank=True, default=b"")
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("recommender model")
        ordering = ["-started_at"]
