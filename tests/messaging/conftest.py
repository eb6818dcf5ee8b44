import pytest

from tests.customers.helpers import standard_purposes


@pytest.fixture
def purposes(org):  # type: ignore[no-untyped-def]
    return standard_purposes(org)
