from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from eyelevel.commerce.models import Product, Receipt, ReceiptLine
from tests.factories import registers
from tests.factories.core import OrganisationFactory
from tests.factories.customers import CustomerFactory


@registers("commerce.Product")
class ProductFactory(DjangoModelFactory):
    class Meta:
        model = Product

    organisation = factory.SubFactory(OrganisationFactory)
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    name = factory.Sequence(lambda n: f"Product {n}")
    category = "Coffee"
    unit_price = Decimal("2.50")


@registers("commerce.Receipt")
class ReceiptFactory(DjangoModelFactory):
    class Meta:
        model = Receipt

    organisation = factory.SubFactory(OrganisationFactory)
    number = factory.Sequence(lambda n: f"R-{n:06d}")
    customer = factory.SubFactory(CustomerFactory, organisation=factory.SelfAttribute("..organisation"))
    purchased_at = factory.LazyFunction(timezone.now)
    total = Decimal("2.50")


@registers("commerce.ReceiptLine")
class ReceiptLineFactory(DjangoModelFactory):
    class Meta:
        model = ReceiptLine

    organisation = factory.SubFactory(OrganisationFactory)
    receipt = factory.SubFactory(ReceiptFactory, organisation=factory.SelfAttribute("..organisation"))
    product = factory.SubFactory(ProductFactory, organisation=factory.SelfAttribute("..organisation"))
    quantity = Decimal("1")
    unit_price = Decimal("2.50")
    amount = Decimal("2.50")
