from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from eyelevel.commerce import services as commerce
from eyelevel.commerce.schemas import ProductIn, ReceiptIn, ReceiptLineIn
from eyelevel.customers import services as customers
from eyelevel.offers import services
from tests.factories.customers import CustomerFactory

PRODUCTS = [("MILK", "Milk", "Dairy"), ("BREAD", "Bread", "Bakery"), ("COFFEE", "Coffee beans", "Coffee"),
            ("TEA", "Green tea", "Tea"), ("JAM", "Jam", "Spreads"), ("EGGS", "Eggs", "Dairy")]


def buy(org, customer_id: int, number: str, days_ago: float, *skus: str) -> None:  # type: ignore[no-untyped-def]
    commerce.record_receipts(organisation=org, receipts=[ReceiptIn(
        number=number, customer_id=customer_id, purchased_at=timezone.now() - timedelta(days=days_ago),
        lines=[ReceiptLineIn(sku=sku, quantity=Decimal("1"), unit_price=Decimal("2.00")) for sku in skus])])


@pytest.fixture
def shop(org, customer):  # type: ignore[no-untyped-def]
    """A small shop: Lena buys milk weekly and bread often; two neighbours also buy jam and tea."""
    commerce.upsert_products(organisation=org, products=[ProductIn(sku=s, name=n, category=c, unit_price=Decimal("2"))
                                                         for s, n, c in PRODUCTS])
    for week in range(8):
        buy(org, customer.pk, f"L{week}", 7 * week + 1, "MILK", *(["BREAD"] if week % 2 == 0 else []))
    buy(org, customer.pk, "L-coffee", 100, "COFFEE")
    for n in range(2):
        neighbour = CustomerFactory(organisation=org)
        for week in range(4):
            buy(org, neighbour.pk, f"N{n}-{week}", 7 * week + 2, "MILK", "BREAD", "JAM")
        buy(org, neighbour.pk, f"N{n}-tea", 3, "TEA")
    services.ensure_purpose(organisation=org)
    return org


def consent(org, customer, granted: bool = True) -> None:  # type: ignore[no-untyped-def]
    customers.set_consent(organisation=org, customer_id=customer.pk, purpose_code=services.PURPOSE_CODE,
                          granted=granted, channel="portal")
