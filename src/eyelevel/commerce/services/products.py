"""Products, their customer-visible price breakdown ("open your calculation"), and commerce settings."""

from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from eyelevel.commerce.models import CommerceSettings, Product
from eyelevel.commerce.schemas import CommerceSettingsOut, PriceComponent, ProductDetail, ProductIn
from eyelevel.core.errors import InvalidInput
from eyelevel.core.models import Organisation
from eyelevel.core.tenancy import get_scoped, organisation_id_of

PRODUCT_FIELDS = ["name", "category", "subcategory", "brand", "unit_price", "vat_rate"]


def _check_breakdown(unit_price: Decimal, components: list[PriceComponent], field: str) -> list[dict]:
    if not components:
        return []
    total = sum((c.amount for c in components), Decimal("0"))
    if total != unit_price:
        raise InvalidInput(
            _("the price breakdown adds up to %(total)s, not to the unit price %(price)s") % {
                "total": total, "price": unit_price}, field=field,
        )
    return [{"label": c.label, "amount": str(c.amount)} for c in components]


def product_detail(product: Product) -> ProductDetail:
    """A product as a schema (for views and other domains)."""
    return ProductDetail(
        id=product.pk, sku=product.sku, name=product.name, category=product.category,
        subcategory=product.subcategory, brand=product.brand, unit_price=product.unit_price,
        vat_rate=product.vat_rate, price_breakdown=[PriceComponent(**c) for c in product.price_breakdown or []],
    )


@transaction.atomic
def upsert_products(*, organisation: Organisation, products: Iterable[ProductIn]) -> int:
    """Create or update products by SKU; returns how many were written."""
    incoming = {p.sku: p for p in products}
    existing = {p.sku: p for p in Product.objects.for_organisation(organisation).filter(sku__in=list(incoming))}
    to_create, to_update = [], []
    for index, (sku, data) in enumerate(incoming.items()):
        product = existing.get(sku) or Product(organisation=organisation, sku=sku)
        for field in PRODUCT_FIELDS:
            setattr(product, field, getattr(data, field))
        if data.price_breakdown is not None:
            product.price_breakdown = _check_breakdown(
                data.unit_price, data.price_breakdown, f"products[{index}].price_breakdown")
        (to_update if product.pk else to_create).append(product)
    Product.objects.for_organisation(organisation).bulk_create(to_create, batch_size=2000)
    if to_update:
        Product.objects.for_organisation(organisation).bulk_update(
            to_update, [*PRODUCT_FIELDS, "price_breakdown"], batch_size=2000)
    return len(to_create) + len(to_update)


def get_product(*, organisation: Organisation | int, product_id: int) -> ProductDetail:
    """One product of the organisation, or NotFound."""
    return product_detail(get_scoped(Product, organisation=organisation, pk=product_id))


def list_products(*, organisation: Organisation | int, query: str = "", limit: int = 200) -> list[ProductDetail]:
    """Products by name, optionally filtered by a search text (name, SKU or category)."""
    products = Product.objects.for_organisation(organisation)
    if query:
        from django.db.models import Q

        products = products.filter(Q(name__icontains=query) | Q(sku__iexact=query) | Q(category__icontains=query))
    return [product_detail(p) for p in products.order_by("name")[:limit]]


def products_by_id(*, organisation: Organisation | int, product_ids: Iterable[int]) -> dict[int, ProductDetail]:
    """Products by id (for other domains that hold product ids)."""
    ids = list(set(product_ids))
    return {p.pk: product_detail(p) for p in Product.objects.for_organisation(organisation).filter(pk__in=ids)}


def product_categories(*, organisation: Organisation | int) -> list[str]:
    """Every product category in use, sorted."""
    return sorted(set(Product.objects.for_organisation(organisation).exclude(category="")
                      .values_list("category", flat=True)))


@transaction.atomic
def set_price_breakdown(*, organisation: Organisation | int, product_id: int,
                        components: list[PriceComponent]) -> ProductDetail:
    """Set what a product's unit price is made of; the amounts must add up to the unit price."""
    product = get_scoped(Product, organisation=organisation, pk=product_id)
    product.price_breakdown = _check_breakdown(product.unit_price, components, "price_breakdown")
    product.save(update_fields=["price_breakdown"])
    return product_detail(product)


def get_settings(*, organisation: Organisation | int) -> CommerceSettingsOut:
    """The organisation's commerce settings (defaults when never saved)."""
    settings = CommerceSettings.objects.for_organisation(organisation).first()
    return CommerceSettingsOut(show_price_breakdown=bool(settings and settings.show_price_breakdown))


@transaction.atomic
def update_settings(*, organisation: Organisation | int, show_price_breakdown: bool) -> CommerceSettingsOut:
    """Switch showing price breakdowns to customers on or off."""
    organisation_id = organisation_id_of(organisation)
    CommerceSettings.objects.for_organisation(organisation_id).update_or_create(
        organisation_id=organisation_id, defaults={"show_price_breakdown": show_price_breakdown})
    return get_settings(organisation=organisation_id)
