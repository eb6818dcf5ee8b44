"""Messaging pages and API: contact caps for owners, the portal list, sending through the gate."""

from eyelevel.customers import services as customers
from eyelevel.customers.models import AccessLogEntry
from eyelevel.messaging import services
from eyelevel.messaging.models import ContactCap


def test_owner_sets_a_cap(org, owner_client, outsider_client):
    assert owner_client.get("/staff/messaging/caps/").status_code == 200
    response = owner_client.post("/staff/messaging/caps/", {"scope": "marketing", "max_messages": "3",
                                                            "period_days": "14"})
    assert response.status_code == 302
    assert ContactCap.objects.for_organisation(org).get(scope="marketing").max_messages == 3
    outsider_client.post("/staff/messaging/caps/", {"scope": "marketing", "max_messages": "9", "period_days": "1"})
    assert ContactCap.objects.for_organisation(org).get(scope="marketing").max_messages == 3


def test_agent_may_not_change_caps(agent_client):
    assert agent_client.get("/staff/messaging/caps/").status_code == 403


def test_api_sends_through_the_gate(org, customer, purposes, api_client, outsider_api_client):
    payload = {"customer_id": customer.pk, "purpose_code": "newsletter", "subject": "Hi", "body": "News",
               "reason": "you subscribed", "automated": True, "sender_name": "Acme Bakery"}
    response = api_client.post("/api/v1/messaging/messages", payload, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["status"] == "refused"
    customers.set_consent(organisation=org, customer_id=customer.pk, purpose_code="newsletter", granted=True,
                          channel="portal")
    assert api_client.post("/api/v1/messaging/messages", payload, content_type="application/json"
                           ).json()["status"] == "sent"
    assert outsider_api_client.post("/api/v1/messaging/messages", payload, content_type="application/json"
                                    ).status_code == 404
    listed = api_client.get(f"/api/v1/messaging/customers/{customer.pk}/messages")
    assert [m["status"] for m in listed.json()] == ["sent", "refused"]
    assert AccessLogEntry.objects.for_organisation(org).filter(customer=customer, what="messages").count() == 1
    assert outsider_api_client.get(f"/api/v1/messaging/customers/{customer.pk}/messages").status_code == 404


def test_api_caps(api_client, outsider_api_client, org):
    assert api_client.get("/api/v1/messaging/caps").json()[0]["max_messages"] == 2
    response = api_client.put("/api/v1/messaging/caps", {"scope": "all", "max_messages": 5, "period_days": 7},
                              content_type="application/json")
    assert response.status_code == 200
    assert {c.scope for c in services.contact_caps(organisation=org)} == {"all", "marketing"}
    assert outsider_api_client.get("/api/v1/messaging/caps").json()[0]["max_messages"] == 2


def test_unsubscribe_page_asks_before_revoking(org, customer, purposes, client):
    customers.set_consent(organisation=org, customer_id=customer.pk, purpose_code="newsletter", granted=True,
                          channel="portal")
    token = services.unsubscribe_token(organisation_id=org.pk, customer_id=customer.pk, purpose_code="newsletter")
    page = client.get("/p/messaging/unsubscribe/", {"t": token})
    assert page.status_code == 200
    assert "Stop messages for “Newsletter”?" in page.content.decode()
    assert customers.has_consent(organisation=org, customer_id=customer.pk, purpose_code="newsletter")
    assert client.get("/p/messaging/unsubscribe/", {"t": "forged"}).status_code == 404
