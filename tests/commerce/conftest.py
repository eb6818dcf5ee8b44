from datetime import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from eyelevel.commerce import services
from eyelevel.commerce.schemas import ProductIn, ReceiptIn, ReceiptLineIn

TX_HEADER = ("household_id,store_id,basket_id,product_id,quantity,sales_value,retail_disc,coupon_disc,"
             "coupon_match_disc,week,transaction_timestamp")


@pytest.fixture
def catalogue(org):  # type: ignore[no-untyped-def]
    services.upsert_products(organisation=org, products=[
        ProductIn(sku="COF", name="Flat white", category="Coffee", unit_price=Decimal("3.00"), vat_rate=Decimal("7")),
        ProductIn(sku="MUG", name="Mug", category="Homeware", unit_price=Decimal("10.00"), vat_rate=Decimal("19")),
    ])
    return org


def receipt(number: str, customer_id: int | None, *lines: tuple, when: datetime | None = None) -> ReceiptIn:
    """A receipt with lines given as (sku, quantity, unit_price[, discount])."""
    return ReceiptIn(number=number, customer_id=customer_id, purchased_at=when or timezone.now(), store="Main",
                     lines=[ReceiptLineIn(sku=sku, quantity=Decimal(str(q)), unit_price=Decimal(str(p)),
                                          discount=Decimal(str(rest[0])) if rest else Decimal("0"))
                            for sku, q, p, *rest in lines])


def write_completejourney(folder, transactions: list[str], products: list[str] | None = None):  # type: ignore[no-untyped-def]
    """A small folder in the Complete Journey format."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "transactions_train.csv").write_text("\n".join([TX_HEADER, *transactions]) + "\n")
    (folder / "products.csv").write_text("\n".join([
        "product_id,manufacturer_id,department,brand,product_category,product_type,package_size",
        *(products if products is not None else [
            "101,2,GROCERY,National,COFFEE,COFFEE BEANS,500 G",
            "102,3,PRODUCE,Private,FRUIT,BANANAS,",
        ]),
    ]) + "\n")
    return folder
