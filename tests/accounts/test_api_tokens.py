"""Integrator tokens: hashed, shown once, revocable, scoped to one organisation; errors as problem details."""

from django.test import Client

from eyelevel.accounts import services
from eyelevel.accounts.models import IntegratorToken
from tests.factories.customers import CustomerFactory


def test_a_token_is_stored_only_as_a_hash_and_shown_once(owner_client, org):
    response = owner_client.post("/staff/tokens/", {"name": "Shop", "access_reason": "syncing orders"})
    assert response.status_code == 200
    secret = response.context["new_secret"]
    assert secret.startswith("eyl_")
    token = IntegratorToken.objects.for_organisation(org).get()
    assert secret not in (token.secret_hash, token.prefix)
    assert secret.encode() not in owner_client.get("/staff/tokens/").content
    assert services.authenticate_token(secret=secret).organisation_id == org.pk


def test_requests_without_a_valid_token_get_401_problem_details(db):
    response = Client().get("/api/v1/customers/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert Client(headers={"Authorization": "Bearer eyl_wrong"}).get("/api/v1/customers/").status_code == 401


def test_a_revoked_token_stops_working_at_once(org, owner):
    token, secret = services.create_token(organisation=org, actor=None, name="t", access_reason="r")
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    assert client.get("/api/v1/customers/").status_code == 200
    acting = services.resolve_acting_staff(user_id=owner.pk, organisation_id=org.pk)
    services.revoke_token(organisation=org, actor=acting, token_id=token.id)
    assert client.get("/api/v1/customers/").status_code == 401


def test_a_token_sees_only_its_organisation(api_client, outsider_api_client, org, other_org):
    mine = CustomerFactory(organisation=org, display_name="Mine")
    theirs = CustomerFactory(organisation=other_org, display_name="Theirs")
    listing = api_client.get("/api/v1/customers/").json()
    assert [item["display_name"] for item in listing["items"]] == ["Mine"]
    assert api_client.get(f"/api/v1/customers/{theirs.pk}").status_code == 404
    assert outsider_api_client.get(f"/api/v1/customers/{mine.pk}").status_code == 404


def test_a_wrong_type_gets_a_problem_naming_the_field(api_client):
    response = api_client.post("/api/v1/customers/", {"display_name": ["not", "a", "string"], "language": "fr"},
                               content_type="application/json")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    fields = {error["field"] for error in problem["errors"]}
    assert {"display_name", "language"} <= fields
    assert problem["status"] == 422


def test_a_domain_error_names_the_field(api_client):
    response = api_client.post("/api/v1/customers/", {"display_name": "X", "email": "not-an-address"},
                               content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "email"


def test_the_openapi_schema_is_published(db):
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "eyelevel API"
    assert "/api/v1/customers/" in schema["paths"]
    assert Client().get("/api/v1/docs").status_code == 200
