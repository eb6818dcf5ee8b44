"""Products and receipts (purchases)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from eyelevel.core.tenancy import TenantModel


class Product(TenantModel):
    sku = models.CharField(_("SKU"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=120, blank=True)
    subcategory = models.CharField(_("subcategory"), max_length=120, blank=True)
    brand = models.CharField(_("brand"), max_length=120, blank=True)
    unit_price = models.DecimalField(_("unit price"), max_digits=10, decimal_places=2, default=0)
    vat_rate = models.DecimalField(_("VAT rate"), max_digits=5, decimal_places=2, default=19)

    class Meta:
        verbose_name = _("product")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "sku"], name="product_unique_sku")]

    def __str__(self) -> str:
        return self.name


class Receipt(TenantModel):
    """One purchase (a basket); the customer is null for anonymous or erased buyers."""

    number = models.CharField(_("receipt number"), max_length=64)
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    purchased_at = models.DateTimeField(_("purchased at"), db_index=True)
    store = models.CharField(_("store"), max_length=64, blank=True)
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("receipt")
        ordering = ["-purchased_at"]
        constraints = [models.UniqueConstraint(fields=["organisation", "number"], name="receipt_unique_number")]
        indexes = [models.Index(fields=["organisation", "customer", "purchased_at"])]


class ReceiptLine(TenantModel):
    receipt = models.ForeignKey(Receipt, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=3, default=1)
    unit_price = models.DecimalField(_("unit price"), max_digits=10, decimal_places=2)
    discount = models.DecimalField(_("discount"), max_digits=10, decimal_places=2, default=0)
    vat_rate = models.DecimalField(_("VAT rate"), max_digits=5, decimal_places=2, default=19)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("receipt line")
