from eyelevel.offers import services
from tests.conftest import portal_client_for
from tests.factories.customers import CustomerFactory
from tests.offers.conftest import consent


def test_portal_without_consent_says_so_and_can_agree(shop, customer, customer_client):  # type: ignore[no-untyped-def]
    page = customer_client.get("/portal/offers/")
    assert b"not agreed to personalised offers" in page.content
    assert b"Agree to personalised offers" in page.content
    customer_client.post("/portal/offers/consent/", {"granted": "1"})
    page = customer_client.get("/portal/offers/")
    assert b"Chosen for you" in page.content
    assert b"Milk" in page.content
    assert b"Why:" in page.content


def test_portal_controls_change_the_next_offers(shop, customer, customer_client, other_org):  # type: ignore[no-untyped-def]
    consent(shop, customer)
    offers = services.offers_for(organisation=shop, customer_id=customer.pk)
    milk = next(o for o in offers.offers if o.product_name == "Milk")
    customer_client.post("/portal/offers/hide/", {"kind": "not_interested", "product_id": milk.product_id})
    page = customer_client.get("/portal/offers/")
    assert [o.product_name for o in page.context["offers"].offers].count("Milk") == 0
    exclusion = page.context["choices"].exclusions[0]
    stranger = portal_client_for(CustomerFactory(organisation=other_org))
    assert stranger.post(f"/portal/offers/exclusions/{exclusion.id}/remove/").status_code == 404
    assert services.exclusions_of(organisation=shop, customer_id=customer.pk)
    customer_client.post(f"/portal/offers/exclusions/{exclusion.id}/remove/")
    assert "Milk" in [o.product_name for o in customer_client.get("/portal/offers/").context["offers"].offers]
    customer_client.post("/portal/offers/personalisation/", {"on": "0"})
    page = customer_client.get("/portal/offers/")
    assert b"switched personal offers off" in page.content
    assert not page.context["offers"].personal


def test_staff_see_a_customers_offers_and_fit_the_recommender(shop, customer, manager_client, outsider_client,  # type: ignore[no-untyped-def]
                                                              django_capture_on_commit_callbacks):
    consent(shop, customer)
    asked = manager_client.get(f"/staff/offers/customers/{customer.pk}/")
    assert b"Milk" not in asked.content  # nothing personal before the reason is given
    assert b"reason-form" in asked.content
    page = manager_client.get(f"/staff/offers/customers/{customer.pk}/", {"reason": "customer asked at the till"})
    assert b"Milk" in page.content
    assert outsider_client.get(f"/staff/offers/customers/{customer.pk}/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post("/staff/offers/train/")
    status = manager_client.get("/staff/offers/train/status/")
    assert b"Fitted" in status.content
    assert services.latest_training(organisation=shop).status == "ready"
    assert outsider_client.get("/staff/offers/train/status/").content.count(b"Fitted") == 0
    created = manager_client.post("/staff/offers/", {"title": "Autumn sale", "valid_from": "2026-01-01"})
    assert created.status_code == 302
    assert [o.title for o in services.list_offers(organisation=shop)] == ["Autumn sale"]


def test_api_gives_offers_with_reasons(shop, customer, api_client, outsider_api_client):  # type: ignore[no-untyped-def]
    consent(shop, customer)
    body = api_client.get(f"/api/v1/offers/customers/{customer.pk}/offers?limit=3").json()
    assert body["personal"] is True
    assert len(body["offers"]) == 3
    assert all(o["reason"] for o in body["offers"])
    assert outsider_api_client.get(f"/api/v1/offers/customers/{customer.pk}/offers").status_code == 404
