import pytest

from eyelevel.accounts import services as accounts
from eyelevel.knowledge import services
from tests.factories.feedback import FeedbackItemFactory


def acting(user, organisation):  # type: ignore[no-untyped-def]
    """The ActingStaff a request by this user in this organisation would carry."""
    return accounts.resolve_acting_staff(user_id=user.pk, organisation_id=organisation.pk)


@pytest.fixture(autouse=True)
def fresh_indexes():  # type: ignore[no-untyped-def]
    """Each test starts without cached search indexes (ids repeat across rolled-back tests)."""
    services.forget_indexes()
    yield
    services.forget_indexes()


@pytest.fixture
def item(org, customer):  # type: ignore[no-untyped-def]
    return FeedbackItemFactory(organisation=org, customer=customer,
                               text="My oven timer jumps back to zero whenever I open the oven door.")
