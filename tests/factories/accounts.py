import factory
from factory.django import DjangoModelFactory

from eyelevel.accounts.models import IntegratorToken, Membership, User
from eyelevel.core.permissions import Role
from tests.factories import registers
from tests.factories.core import OrganisationFactory


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"staff{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@staff.example")
    password = factory.django.Password("correct-horse-battery")


@registers("accounts.Membership")
class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.AGENT


@registers("accounts.IntegratorToken")
class IntegratorTokenFactory(DjangoModelFactory):
    class Meta:
        model = IntegratorToken

    organisation = factory.SubFactory(OrganisationFactory)
    name = "Factory token"
    prefix = "eyl_factory"
    secret_hash = factory.Sequence(lambda n: f"{n:064d}")
    access_reason = "testing"
