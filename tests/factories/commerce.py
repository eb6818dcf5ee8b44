from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from eyelevel.commerce.models import (
    CommerceSettings,
    Product,
    Receipt,
    ReceiptImport,
    ReceiptLine,
    Stamp,
    StampProgramme,
    StampReward,
)
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


@registers("commerce.CommerceSettings")
class CommerceSettingsFactory(DjangoModelFactory):
    class Meta:
        model = CommerceSettings

    organisation = factory.SubFactory(OrganisationFactory)
    show_price_breakdown = True


@registers("commerce.StampProgramme")
class StampProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = StampProgramme

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Coffee card {n}")
    category = "Coffee"
    stamps_required = 3
    reward = "A free coffee"


@registers("commerce.StampReward")
class StampRewardFactory(DjangoModelFactory):
    class Meta:
        model = StampReward

    organisation = factory.SubFactory(OrganisationFactory)
    programme = factory.SubFactory(StampProgrammeFactory, organisation=factory.SelfAttribute("..organisation"))
    customer = factory.SubFactory(CustomerFactory, organisation=factory.SelfAttribute("..organisation"))
    earned_at = factory.LazyFunction(timezone.now)


@registers("commerce.Stamp")
class StampFactory(DjangoModelFactory):
    class Meta:
        model = Stamp

    organisation = factory.SubFactory(OrganisationFactory)
    programme = factory.SubFactory(StampProgrammeFactory, organisation=factory.SelfAttribute("..organisation"))
    customer = factory.SubFactory(CustomerFactory, organisation=factory.SelfAttribute("..organisation"))
    earned_at = factory.LazyFunction(timezone.now)


@registers("commerce.ReceiptImport")
class ReceiptImportFactory(DjangoModelFactory):
    class Meta:
        model = ReceiptImport

    organisation = factory.SubFactory(OrganisationFactory)
    filename = "receipts.csv"
    payload = b""
    status = "done"
    rejects = "receipt_number\n"
