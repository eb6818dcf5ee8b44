"""Products and receipts (purchases)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from eyelevel.core.jobs import UploadJob
from eyelevel.core.tenancy import TenantModel


class Product(TenantModel):
    sku = models.CharField(_("SKU"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=120, blank=True)
    subcategory = models.CharField(_("subcategory"), max_length=120, blank=True)
    brand = models.CharField(_("brand"), max_length=120, blank=True)
    unit_price = models.DecimalField(_("unit price"), max_digits=10, decimal_places=2, default=0)
    vat_rate = models.DecimalField(_("VAT rate"), max_digits=5, decimal_places=2, default=19)
    # Open your calculation: [{"label": "Material", "amount": "1.20"}, ...] adding up to the unit price.
    price_breakdown = models.JSONField(_("price breakdown"), default=list, blank=True)

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
        # Lines are always read in scope and by receipt: with only the organisation index, a database
        # without statistics scans every line of the organisation.
        indexes = [models.Index(fields=["organisation", "receipt"], name="receiptline_org_receipt")]


class CommerceSettings(TenantModel):
    """Per-organisation choices of the commerce domain."""

    show_price_breakdown = models.BooleanField(
        _("show the price breakdown to customers"), default=False,
        help_text=_("Open your calculation: customers see what each price is made of on product and receipt pages."),
    )

    class Meta:
        verbose_name = _("commerce settings")
        constraints = [models.UniqueConstraint(fields=["organisation"], name="commerce_settings_unique_org")]


class StampProgramme(TenantModel):
    """A stamp card programme, e.g. "every 10th coffee free"."""

    name = models.CharField(_("name"), max_length=200)
    skus = models.JSONField(_("products that count (SKUs)"), default=list, blank=True)
    category = models.CharField(_("category that counts"), max_length=120, blank=True)
    stamps_required = models.PositiveIntegerField(_("stamps for a reward"), default=10)
    reward = models.CharField(_("reward"), max_length=200)
    stamp_valid_days = models.PositiveIntegerField(_("stamps expire after (days)"), null=True, blank=True)
    reward_valid_days = models.PositiveIntegerField(_("rewards expire after (days)"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stamp programme")
        ordering = ["name"]


class StampReward(TenantModel):
    """A reward earned by completing a stamp card; redeemed once at a till."""

    programme = models.ForeignKey(StampProgramme, on_delete=models.CASCADE, related_name="rewards")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="+")
    earned_at = models.DateTimeField(_("earned at"))
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    redeemed_at = models.DateTimeField(_("redeemed at"), null=True, blank=True)
    redeemed_by = models.CharField(_("redeemed at till"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("stamp reward")
        ordering = ["-earned_at"]


class Stamp(TenantModel):
    """One stamp on a customer's card, earned by a receipt line that counts."""

    programme = models.ForeignKey(StampProgramme, on_delete=models.CASCADE, related_name="stamps")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="+")
    receipt = models.ForeignKey(Receipt, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    earned_at = models.DateTimeField(_("earned at"))
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    reward = models.ForeignKey(StampReward, null=True, blank=True, on_delete=models.SET_NULL, related_name="stamps")

    class Meta:
        verbose_name = _("stamp")
        ordering = ["earned_at"]
        indexes = [models.Index(fields=["organisation", "customer", "programme"])]


class ReceiptImport(UploadJob):
    """A staff upload of a receipt CSV, imported in the background; the page polls its progress."""

    import_good_rows = models.BooleanField(default=False)
    receipts_created = models.PositiveIntegerField(default=0)
    receipts_skipped = models.PositiveIntegerField(default=0)
