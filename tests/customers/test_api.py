"""The customers API: purposes, facts, consents, the access log, export, erasure, webhooks."""

from eyelevel.customers import services
from eyelevel.customers.models import AccessLogEntry, Customer


def test_purposes(api_client, outsider_api_client, org):
    payload = {"code": "newsletter", "name_en": "Newsletter", "name_de": "Newsletter", "description_en": "News",
               "description_de": "Neuigkeiten", "legal_basis": "consent", "retention_days": 365}
    assert api_client.post("/api/v1/customers/purposes", payload, content_type="application/json").status_code == 201
    assert api_client.post("/api/v1/customers/purposes", payload, content_type="application/json").status_code == 409
    assert [p["code"] for p in api_client.get("/api/v1/customers/purposes").json()] == ["newsletter"]
    assert outsider_api_client.get("/api/v1/customers/purposes").json() == []


def test_facts_need_a_purpose_and_name_their_source(org, customer, purposes, api_client, outsider_api_client):
    url = f"/api/v1/customers/{customer.pk}/facts"
    refused = api_client.post(url, {"key": "birthday", "value": "1990-04-01", "purpose_code": "nope"},
                              content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "purpose_code"
    no_consent = api_client.post(url, {"key": "birthday", "value": "1990-04-01", "purpose_code": "newsletter"},
                                 content_type="application/json")
    assert no_consent.status_code == 409
    created = api_client.post(url, {"key": "birthday", "value": "1990-04-01", "purpose_code": "order-handling"},
                              content_type="application/json")
    assert created.status_code == 201
    fact = created.json()
    assert fact["source_kind"] == "api"
    assert fact["source_detail"] == "integration “test integration”"
    corrected = api_client.put(f"{url}/{fact['id']}", {"value": "1990-04-02"}, content_type="application/json")
    assert corrected.json()["value"] == "1990-04-02"
    assert api_client.get(url).json()["items"][0]["value"] == "1990-04-02"
    assert outsider_api_client.get(url).status_code == 404
    assert outsider_api_client.post(url, {"key": "x", "value": "y", "purpose_code": "order-handling"},
                                    content_type="application/json").status_code == 404


def test_consents_and_access_log(org, customer, purposes, api_client, outsider_api_client):
    url = f"/api/v1/customers/{customer.pk}/consents"
    response = api_client.post(url, {"purpose_code": "newsletter", "granted": True}, content_type="application/json")
    assert response.json()["granted"] is True
    assert api_client.get(url).json() == [{"purpose_code": "newsletter", "granted": True,
                                           "updated_at": response.json()["updated_at"]}]
    assert api_client.get(f"{url}/history").json()[0]["channel"] == "api"
    log = api_client.get(f"/api/v1/customers/{customer.pk}/access-log").json()
    assert [item["what"] for item in log["items"]] == ["access log", "consent history", "consents"]
    assert outsider_api_client.post(url, {"purpose_code": "newsletter", "granted": False},
                                    content_type="application/json").status_code == 404
    assert services.has_consent(organisation=org, customer_id=customer.pk, purpose_code="newsletter")


def test_export_and_erasure(org, customer, api_client, outsider_api_client):
    export = api_client.get(f"/api/v1/customers/{customer.pk}/export")
    assert export.json()["customer"]["email"] == "lena@example.com"
    assert AccessLogEntry.objects.for_organisation(org).get().what == "full export"
    assert outsider_api_client.post(f"/api/v1/customers/{customer.pk}/erase").status_code == 404
    erased = api_client.post(f"/api/v1/customers/{customer.pk}/erase")
    assert erased.status_code == 200
    assert "customers" in erased.json()["rows_erased"]
    assert Customer.objects.for_organisation(org).get(pk=customer.pk).email == ""
    assert api_client.get(f"/api/v1/customers/{customer.pk}").status_code == 404


def test_webhook_endpoints(org, api_client, outsider_api_client):
    created = api_client.post("/api/v1/customers/webhooks", {"url": "https://hooks.example/eyelevel"},
                              content_type="application/json")
    assert created.status_code == 201
    endpoint = created.json()
    assert endpoint["secret"].startswith("whsec_")
    assert "secret" not in api_client.get("/api/v1/customers/webhooks").json()[0]
    assert outsider_api_client.get(f"/api/v1/customers/webhooks/{endpoint['id']}/deliveries").status_code == 404
    assert outsider_api_client.delete(f"/api/v1/customers/webhooks/{endpoint['id']}").status_code == 404
    assert api_client.get(f"/api/v1/customers/webhooks/{endpoint['id']}/deliveries").json() == []
    assert api_client.delete(f"/api/v1/customers/webhooks/{endpoint['id']}").status_code == 204
    bad = api_client.post("/api/v1/customers/webhooks", {"url": "ftp://x"}, content_type="application/json")
    assert bad.status_code == 422
