"""Organisations never see each other's data (product rule 8), proven over every route there is.

The walk covers every URL pattern of the project and every API route, not a hand-picked list: a new
route that takes an object id must name it `<model>_id` (e.g. `customer_id`, `feedback_item_id`), and
a factory for that model must be registered, or this test fails and says so.
"""

import re
import uuid

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from eyelevel.api import api
from eyelevel.core.tenancy import TenantModel
from tests.conftest import api_client_for, portal_client_for
from tests.factories import FACTORY_FOR_MODEL, load_all
from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.core import OrganisationFactory
from tests.factories.customers import CustomerFactory

LEAK_MARKER = "Zyxleak"
# URL parameters that do not name a tenant object, with a value to use.
NON_OBJECT_PARAMETERS = {
    "token": lambda: uuid.uuid4().hex,
    "path": lambda: "x",
    "app_label": lambda: "core",
    "object_id": lambda: "1",
    "model_name": lambda: "organisation",
    "content_type_id": lambda: "1",
    "url": lambda: "x",
    "year": lambda: "2026",
    "language": lambda: "en",
}
SKIPPED_PREFIXES = ("admin/", "api/v1/", "i18n/", "static/")


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def tenant_models_by_parameter() -> dict[str, type[TenantModel]]:
    mapping = {}
    for model in apps.get_models():
        if issubclass(model, TenantModel):
            mapping[f"{_snake(model.__name__)}_id"] = model
            mapping[f"{model.__name__.lower()}_id"] = model
    return mapping


def walk_patterns(resolver: URLResolver | None = None, prefix: str = "") -> list[tuple[str, URLPattern]]:
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            found += walk_patterns(entry, route)
        else:
            found.append((route, entry))
    return found


PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _object_for(model: type[TenantModel], organisation, cache: dict):  # type: ignore[no-untyped-def]
    label = model._meta.label
    if label not in cache:
        factory = FACTORY_FOR_MODEL.get(label)
        assert factory is not None, f"register a factory for {label} in tests/factories (the tenancy walk needs it)"
        extra = {}
        # Portal pages show a customer only their own objects: make the object the walked customer's.
        if "customers.Customer" in cache and any(f.name == "customer" for f in model._meta.get_fields()):
            extra["customer"] = cache["customers.Customer"]
        cache[label] = factory(organisation=organisation, **extra)
    return cache[label]


@pytest.fixture
def two_tenants(db):  # type: ignore[no-untyped-def]
    load_all()
    mine = OrganisationFactory(name="Mine", slug="mine")
    theirs = OrganisationFactory(name=f"{LEAK_MARKER} Org", slug="theirs")
    me = MembershipFactory(organisation=mine, role="owner", user=UserFactory(username="me")).user
    them = MembershipFactory(organisation=theirs, role="owner", user=UserFactory(username="them")).user
    my_customer = CustomerFactory(organisation=mine, display_name="Mine Customer")
    their_customer = CustomerFactory(organisation=theirs, display_name=f"{LEAK_MARKER} Customer",
                                     email="leak@example.com")
    return {"mine": mine, "theirs": theirs, "me": me, "them": them, "my_customer": my_customer,
            "their_customer": their_customer}


def _fill(route: str, theirs, cache: dict, parameter_models: dict) -> str:  # type: ignore[no-untyped-def]
    def replace(match: re.Match) -> str:
        name = match.group("name")
        if name in NON_OBJECT_PARAMETERS:
            return NON_OBJECT_PARAMETERS[name]()
        model = parameter_models.get(name)
        assert model is not None, (
            f"URL {route!r}: parameter {name!r} names no tenant model; call it <model>_id or add it to "
            "NON_OBJECT_PARAMETERS in this test with a reason"
        )
        return str(_object_for(model, theirs, cache).pk)

    path = PARAMETER.sub(replace, route)
    return "/" + path.replace("^", "").replace("$", "")


def _make_public(cache: dict) -> None:
    """Objects that public pages show only when published for everyone: publish the walked ones."""
    article = cache.get("knowledge.Article")
    if article is not None:
        type(article).objects.unscoped().filter(pk=article.pk).update(visibility="public", state="validated",
                                                                      published=True)


def test_every_url_with_an_object_id_is_404_for_another_organisation(two_tenants):  # type: ignore[no-untyped-def]
    parameter_models = tenant_models_by_parameter()
    cache: dict = {"customers.Customer": two_tenants["their_customer"]}
    staff_me, staff_them = Client(), Client()
    staff_me.force_login(two_tenants["me"])
    staff_them.force_login(two_tenants["them"])
    portal_me = portal_client_for(two_tenants["my_customer"])
    portal_them = portal_client_for(two_tenants["their_customer"])
    checked = 0
    for route, _pattern in walk_patterns():
        if route.startswith(SKIPPED_PREFIXES) or not PARAMETER.search(route):
            continue
        path = _fill(route, two_tenants["theirs"], cache, parameter_models)
        if path.startswith("/p/"):
            # Public pages name their organisation in ?org=: their object under my organisation's name must 404,
            # and the positive control reads it, made public, under its own organisation's name.
            _make_public(cache)
            anonymous = Client()
            for method in ("get", "post"):
                response = getattr(anonymous, method)(f"{path}?org={two_tenants['mine'].slug}")
                assert response.status_code in (404, 405), f"{method.upper()} {path}?org=mine gave {response.status_code}"
                assert LEAK_MARKER.encode() not in response.content
            assert anonymous.get(f"{path}?org={two_tenants['theirs'].slug}").status_code == 200, (
                f"GET {path} is not reachable for its own organisation: the walk proves nothing there")
            checked += 1
            continue
        if path.startswith("/portal/"):
            mine, owners = portal_me, portal_them
        else:
            mine, owners = staff_me, staff_them
        for method in ("get", "post"):
            response = getattr(mine, method)(path)
            assert response.status_code in (404, 405), (
                f"{method.upper()} {path} ({route}) gave {response.status_code} to another organisation"
            )
            assert LEAK_MARKER.encode() not in response.content
        # Positive control: the object's own organisation reaches the page, so the 404 above is not vacuous.
        if "login/" not in route:
            own = owners.get(path)
            assert own.status_code != 404, (
                f"GET {path} ({route}) is 404 for its own organisation too: the walk proves nothing there"
            )
        checked += 1
    assert checked >= 1


def test_pages_without_ids_show_no_other_organisations_data(two_tenants):  # type: ignore[no-untyped-def]
    load_all()
    cache: dict = {"customers.Customer": two_tenants["their_customer"]}
    for model in tenant_models_by_parameter().values():
        if model._meta.label in FACTORY_FOR_MODEL:
            _object_for(model, two_tenants["theirs"], cache)
    staff_me = Client()
    staff_me.force_login(two_tenants["me"])
    portal_me = portal_client_for(two_tenants["my_customer"])
    checked = 0
    for route, _pattern in walk_patterns():
        if route.startswith(SKIPPED_PREFIXES) or PARAMETER.search(route) or "logout" in route:
            continue
        path = "/" + route.replace("^", "").replace("$", "")
        client = portal_me if path.startswith("/portal/") else staff_me
        response = client.get(path)
        assert response.status_code < 500, f"GET {path} failed with {response.status_code}"
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert LEAK_MARKER.encode() not in body, f"GET {path} shows another organisation's data"
        checked += 1
    assert checked >= 5


def _api_routes() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    routes = []
    for path, operations in schema["paths"].items():
        for method in operations:
            routes.append((method, path))
    return routes


def test_every_api_route_with_an_object_id_is_404_for_another_organisation(two_tenants):  # type: ignore[no-untyped-def]
    parameter_models = tenant_models_by_parameter()
    cache: dict = {"customers.Customer": two_tenants["their_customer"]}
    mine = api_client_for(two_tenants["mine"])
    owners = api_client_for(two_tenants["theirs"], name="theirs")
    checked = 0
    for method, path in _api_routes():
        if "{" not in path:
            continue
        url = re.sub(
            r"\{(\w+)\}",
            lambda m, path=path: NON_OBJECT_PARAMETERS[m.group(1)]() if m.group(1) in NON_OBJECT_PARAMETERS
            else str(_object_for(_require_model(parameter_models, m.group(1), path), two_tenants["theirs"], cache).pk),
            path,
        )
        response = getattr(mine, method)(url, content_type="application/json", data={} if method != "get" else None)
        assert response.status_code in (404, 422), f"{method.upper()} {url} gave {response.status_code} to another organisation"
        assert LEAK_MARKER.encode() not in response.content
        if method == "get":
            assert response.status_code == 404
            assert owners.get(url).status_code != 404, f"GET {url} is 404 for its own organisation too"
        checked += 1
    assert checked >= 1


def _require_model(parameter_models, name, path):  # type: ignore[no-untyped-def]
    model = parameter_models.get(name)
    assert model is not None, f"API {path}: parameter {name!r} names no tenant model; call it <model>_id"
    return model


def test_api_lists_show_no_other_organisations_data(two_tenants):  # type: ignore[no-untyped-def]
    load_all()
    mine = api_client_for(two_tenants["mine"])
    checked = 0
    for method, path in _api_routes():
        if method != "get" or "{" in path:
            continue
        response = mine.get(path)
        assert response.status_code < 500
        assert LEAK_MARKER.encode() not in response.content, f"GET {path} shows another organisation's data"
        checked += 1
    assert checked >= 1
