"""Personas and shared fixtures: owner, manager, agent, analyst of one organisation; an outsider of another."""

import os
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.utils import translation

from eyelevel.accounts import services as accounts
from eyelevel.core.permissions import Role
from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.core import OrganisationFactory
from tests.factories.customers import CustomerFactory

REPOSITORY = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("EYELEVEL_SHARED_DATA", REPOSITORY.parent / "shared" / "data"))
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    del config
    on_postgres = connection.vendor == "postgresql"
    for item in items:
        if item.get_closest_marker("postgres_only") and not on_postgres:
            if os.environ.get("EYELEVEL_REQUIRE_POSTGRES") == "1":
                item.add_marker(pytest.mark.xfail(reason="PostgreSQL required but not in use", strict=True,
                                                  run=False))
            else:
                item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL=postgres://...)"))



@pytest.fixture(autouse=True)
def default_language_after_each_test():  # type: ignore[no-untyped-def]
    """A request in German (Accept-Language) leaves German active in the test's thread, as a web worker's thread
    would keep it until its next request; each test starts in the default language instead."""
    yield
    translation.deactivate()

@pytest.fixture
def shared_data() -> Path:
    """The real data sets beside the repository: absent on a user's clone (skip), required in CI (fail)."""
    if not SHARED_DATA.is_dir():
        if IN_CI:
            pytest.fail(f"CI needs the shared data sets at {SHARED_DATA}")
        pytest.skip(f"the shared data sets are not at {SHARED_DATA} (set EYELEVEL_SHARED_DATA)")
    return SHARED_DATA


@pytest.fixture
def org(db):  # type: ignore[no-untyped-def]
    return OrganisationFactory(name="Acme Bakery", slug="acme")


@pytest.fixture
def other_org(db):  # type: ignore[no-untyped-def]
    return OrganisationFactory(name="Rival Books", slug="rival")


def _member(organisation, role, username):  # type: ignore[no-untyped-def]
    return MembershipFactory(organisation=organisation, role=role, user=UserFactory(username=username)).user


@pytest.fixture
def owner(org):  # type: ignore[no-untyped-def]
    return _member(org, Role.OWNER, "owner")


@pytest.fixture
def manager(org):  # type: ignore[no-untyped-def]
    return _member(org, Role.MANAGER, "manager")


@pytest.fixture
def agent(org):  # type: ignore[no-untyped-def]
    return _member(org, Role.AGENT, "agent")


@pytest.fixture
def analyst(org):  # type: ignore[no-untyped-def]
    return _member(org, Role.ANALYST, "analyst")


@pytest.fixture
def outsider(other_org):  # type: ignore[no-untyped-def]
    """An owner of another organisation: must see none of org's data."""
    return _member(other_org, Role.OWNER, "outsider")


def _client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def owner_client(owner) -> Client:  # type: ignore[no-untyped-def]
    return _client_for(owner)


@pytest.fixture
def manager_client(manager) -> Client:  # type: ignore[no-untyped-def]
    return _client_for(manager)


@pytest.fixture
def agent_client(agent) -> Client:  # type: ignore[no-untyped-def]
    return _client_for(agent)


@pytest.fixture
def analyst_client(analyst) -> Client:  # type: ignore[no-untyped-def]
    return _client_for(analyst)


@pytest.fixture
def outsider_client(outsider) -> Client:  # type: ignore[no-untyped-def]
    return _client_for(outsider)


@pytest.fixture
def customer(org):  # type: ignore[no-untyped-def]
    return CustomerFactory(organisation=org, display_name="Lena Becker", email="lena@example.com")


def portal_client_for(customer) -> Client:  # type: ignore[no-untyped-def]
    """A client logged into the portal as the customer (the session the login link would start)."""
    from eyelevel.customers.middleware import PORTAL_SESSION_KEY

    client = Client()
    session = client.session
    session[PORTAL_SESSION_KEY] = {"customer_id": customer.pk, "organisation_id": customer.organisation_id}
    session.save()
    return client


@pytest.fixture
def customer_client(customer) -> Client:  # type: ignore[no-untyped-def]
    return portal_client_for(customer)


def api_client_for(organisation, name: str = "test integration") -> Client:  # type: ignore[no-untyped-def]
    _token, secret = accounts.create_token(organisation=organisation, actor=None, name=name,
                                           access_reason="syncing the shop system")
    return Client(headers={"Authorization": f"Bearer {secret}"})


@pytest.fixture
def api_client(org) -> Client:  # type: ignore[no-untyped-def]
    return api_client_for(org)


@pytest.fixture
def outsider_api_client(other_org) -> Client:  # type: ignore[no-untyped-def]
    return api_client_for(other_org, name="outsider integration")
