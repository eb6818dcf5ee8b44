import factory
from factory.django import DjangoModelFactory

from eyelevel.customers.models import Customer
from tests.factories import registers
from tests.factories.core import OrganisationFactory


@registers("customers.Customer")
class CustomerFactory(DjangoModelFactory):
    class Meta:
        model = Customer

    organisation = factory.SubFactory(OrganisationFactory)
    display_name = factory.Sequence(lambda n: f"Customer {n}")
    email = factory.Sequence(lambda n: f"customer{n}@example.com")
    external_ref = factory.Sequence(lambda n: f"CUST-{n:05d}")
    language = "en"
