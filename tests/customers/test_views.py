"""Portal and staff pages of transparency and consent; every one shows the outsider a 404 or nothing."""

from django.utils import translation

from eyelevel.customers import services
from eyelevel.customers.models import AccessLogEntry, Consent, Customer, Purpose
from eyelevel.customers.schemas import FactIn, FactSource
from tests.conftest import portal_client_for
from tests.factories.customers import CustomerFactory

STAFF = FactSource(kind="staff", detail="staff: agent")


def _fact(org, customer, key="address", value="Hauptstr. 1"):  # type: ignore[no-untyped-def]
    return services.record_fact(organisation=org, customer_id=customer.pk, source=STAFF,
                                data=FactIn(key=key, value=value, purpose_code="order-handling"))


def test_my_data_shows_everything_with_purpose_source_and_expiry(org, customer, purposes, customer_client):
    fact = _fact(org, customer)
    page = customer_client.get("/portal/my-data/")
    assert page.status_code == 200
    text = page.content.decode()
    assert f'href="/portal/my-data/facts/{fact.id}/"' in text
    for expected in ("Customer account", "lena@example.com", "Lena Becker", "Order Handling",
                     "We use this for order-handling.", "Hauptstr. 1", "staff: agent", "Kept for 365 days"):
        assert expected in text, expected


def test_my_data_paginates_many_facts_per_purpose(org, customer, purposes, customer_client):
    services.record_facts(organisation=org, customer_id=customer.pk, source=STAFF,
                          facts=[FactIn(key=f"k{i:03d}", value=f"value {i:03d}", purpose_code="order-handling")
                                 for i in range(120)])
    text = customer_client.get("/portal/my-data/").content.decode()
    assert "value 000" in text
    assert "value 030" not in text
    assert "Page 1 of 5 (120 data)" in text
    fragment = customer_client.get("/portal/my-data/", {"purpose": "order-handling", "page": "2"},
                                   headers={"HX-Request": "true"})
    assert "value 030" in fragment.content.decode()
    assert "<html" not in fragment.content.decode()


def test_customer_corrects_a_fact(org, customer, purposes, customer_client):
    fact = _fact(org, customer)
    assert customer_client.get(f"/portal/my-data/facts/{fact.id}/").status_code == 200
    response = customer_client.post(f"/portal/my-data/facts/{fact.id}/", {"value": "Hauptstr. 2"})
    assert response.status_code == 302
    page = customer_client.get(f"/portal/my-data/facts/{fact.id}/").content.decode()
    assert "Hauptstr. 1 → Hauptstr. 2" in page
    assert services.get_fact(organisation=org, customer_id=customer.pk, personal_fact_id=fact.id).value == "Hauptstr. 2"


def test_another_customer_cannot_reach_my_fact(org, customer, purposes):
    fact = _fact(org, customer)
    stranger = portal_client_for(CustomerFactory(organisation=org))
    assert stranger.get(f"/portal/my-data/facts/{fact.id}/").status_code == 404
    assert stranger.post(f"/portal/my-data/facts/{fact.id}/", {"value": "hacked"}).status_code == 404


def test_customer_corrects_name(org, customer, customer_client):
    response = customer_client.post("/portal/my-data/identity/", {"display_name": "Lena B.", "language": "de"})
    assert response.status_code == 302
    assert Customer.objects.for_organisation(org).get(pk=customer.pk).display_name == "Lena B."


def test_customer_grants_and_revokes_consent(org, customer, purposes, customer_client):
    page = customer_client.get("/portal/consents/").content.decode()
    assert "Newsletter" in page
    assert "We use this for newsletter." in page
    customer_client.post("/portal/consents/", {"purpose_code": "newsletter", "granted": "1"})
    assert services.has_consent(organisation=org, customer_id=customer.pk, purpose_code="newsletter")
    customer_client.post("/portal/consents/", {"purpose_code": "newsletter", "granted": "0"})
    assert not services.has_consent(organisation=org, customer_id=customer.pk, purpose_code="newsletter")
    history = customer_client.get("/portal/consents/").content.decode()
    assert "via portal, text version 1" in history


def test_portal_export_downloads(org, customer, purposes, customer_client):
    _fact(org, customer)
    as_json = customer_client.get("/portal/export/download/", {"format": "json"})
    assert as_json["Content-Disposition"] == 'attachment; filename="my-data.json"'
    assert as_json.json()["domains"]["customers"]["facts"][0]["value"] == "Hauptstr. 1"
    as_html = customer_client.get("/portal/export/download/", {"format": "html"})
    assert "Hauptstr. 1" in as_html.content.decode()
    as_pdf = customer_client.get("/portal/export/download/", {"format": "pdf"})
    assert as_pdf.content.startswith(b"%PDF")
    assert not AccessLogEntry.objects.for_organisation(org).exists()  # the customer's own reads are not staff reads


def test_portal_erasure_needs_confirmation(org, customer, customer_client):
    page = customer_client.post("/portal/erase/", {})
    assert page.status_code == 200
    assert Customer.objects.for_organisation(org).get(pk=customer.pk).erased_at is None
    done = customer_client.post("/portal/erase/", {"confirm": "yes"})
    assert "Your account is erased" in done.content.decode()
    assert Customer.objects.for_organisation(org).get(pk=customer.pk).erased_at is not None
    assert customer_client.get("/portal/my-data/").status_code == 302  # logged out


def test_staff_detail_asks_for_a_reason_first(org, agent_client, customer, outsider_client):
    asked = agent_client.get(f"/staff/customers/{customer.pk}/")
    assert asked.status_code == 200
    assert b"Why do you open this record?" in asked.content
    assert b"lena@example.com" not in asked.content
    shown = agent_client.get(f"/staff/customers/{customer.pk}/", {"reason": "A call"})
    assert b"lena@example.com" in shown.content
    assert outsider_client.get(f"/staff/customers/{customer.pk}/").status_code == 404


def test_staff_record_consent_on_the_customers_word(org, agent, agent_client, customer, purposes):
    url = f"/staff/customers/{customer.pk}/consent/"
    agent_client.post(url, {"purpose_code": "newsletter", "granted": "1", "note": "", "reason": "a call"})
    assert not Consent.objects.for_organisation(org).exists()  # a note is required
    agent_client.post(url, {"purpose_code": "newsletter", "granted": "1", "note": "said yes on the phone today",
                            "reason": "a call"})
    event = services.consent_history(organisation=org, customer_id=customer.pk)[0]
    assert event.channel == "staff"
    assert event.note == "said yes on the phone today"


def test_staff_records_a_fact_and_refusal_is_shown(org, agent_client, customer, purposes):
    url = f"/staff/customers/{customer.pk}/facts/"
    response = agent_client.post(url, {"key": "birthday", "value": "1990-04-01", "purpose_code": "newsletter",
                                       "reason": "a call"}, follow=True)
    assert "not consented" in response.content.decode()
    agent_client.post(url, {"key": "birthday", "value": "1990-04-01", "purpose_code": "order-handling",
                            "reason": "a call"})
    fact = services.list_facts(organisation=org, customer_id=customer.pk).items[0]
    assert fact.source_kind == "staff"
    assert fact.source_detail == "staff: agent"


def test_staff_erasure_on_request(org, manager_client, agent_client, customer):
    url = f"/staff/customers/{customer.pk}/erase/"
    assert agent_client.get(url, {"reason": "asked by mail"}).status_code == 403
    assert manager_client.get(url, {"reason": "asked by mail"}).status_code == 200
    manager_client.post(url, {"reason": "asked by mail", "confirm": "yes"})
    assert Customer.objects.for_organisation(org).get(pk=customer.pk).erased_at is not None


def test_owner_manages_purposes(org, owner_client, agent_client, outsider_client):
    form = {"code": "birthday-greetings", "name_en": "Birthday greetings", "name_de": "Geburtstagsgrüße",
            "description_en": "A card on your birthday.", "description_de": "Eine Karte zum Geburtstag.",
            "legal_basis": "consent", "retention_days": "730", "marketing": "on"}
    assert owner_client.post("/staff/customers/purposes/", form).status_code == 302
    purpose = Purpose.objects.for_organisation(org).get(code="birthday-greetings")
    assert purpose.marketing
    bad = owner_client.post("/staff/customers/purposes/", {**form, "code": "Bad Code!"})
    assert b"code" in bad.content
    edited = owner_client.post(f"/staff/customers/purposes/{purpose.pk}/",
                               {**form, "description_en": "A card and a cake on your birthday."})
    assert edited.status_code == 302
    assert Purpose.objects.for_organisation(org).get(pk=purpose.pk).text_version == 2
    assert agent_client.get("/staff/customers/purposes/").status_code == 403
    assert outsider_client.get(f"/staff/customers/purposes/{purpose.pk}/").status_code == 404


def test_pages_speak_german(org, customer, purposes):
    customer.language = "de"
    customer.save()
    client = portal_client_for(customer)
    try:
        page = client.get("/portal/consents/", headers={"Accept-Language": "de"}).content.decode()
    finally:
        translation.activate("en")  # the request activated German in this thread
    assert "Ihre Einwilligungen" in page
    assert "Wir nutzen das für newsletter." in page


def test_owner_manages_webhooks(org, owner_client, agent_client, outsider_client):
    created = owner_client.post("/staff/customers/webhooks/", {"url": "https://hooks.example/in",
                                                               "events": ["customer.erased"]})
    assert b"whsec_" in created.content
    endpoint = services.list_webhook_endpoints(organisation=org)[0]
    assert endpoint.events == ["customer.erased"]
    assert owner_client.get(f"/staff/customers/webhooks/{endpoint.id}/").status_code == 200
    assert agent_client.get("/staff/customers/webhooks/").status_code == 403
    assert outsider_client.get(f"/staff/customers/webhooks/{endpoint.id}/").status_code == 404
    assert outsider_client.post(f"/staff/customers/webhooks/{endpoint.id}/", {"delete": "yes"}).status_code == 404
    owner_client.post(f"/staff/customers/webhooks/{endpoint.id}/", {"delete": "yes"})
    assert services.list_webhook_endpoints(organisation=org) == []
