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


def test_staff_stop_a_general_offer_and_customers_no_longer_see_it(shop, customer, manager_client, agent_client,  # type: ignore[no-untyped-def]
                                                                   outsider_client):
    offer = services.create_offer(organisation=shop, data=services.OfferIn(title="Autumn sale"))
    page = manager_client.get("/staff/offers/")
    assert f'data-testid="offer-active-{offer.id}"'.encode() in page.content
    assert f'data-testid="offer-active-{offer.id}"'.encode() not in agent_client.get("/staff/offers/").content
    assert agent_client.post(f"/staff/offers/{offer.id}/active/", {"active": "0"}).status_code == 403
    assert outsider_client.post(f"/staff/offers/{offer.id}/active/", {"active": "0"}).status_code == 404
    assert services.get_offer(organisation=shop, offer_id=offer.id).active

    assert manager_client.post(f"/staff/offers/{offer.id}/active/", {"active": "0"}).status_code == 302
    assert not services.get_offer(organisation=shop, offer_id=offer.id).active
    general = services.offers_for(organisation=shop, customer_id=customer.pk)  # no consent: general offers only
    assert "Autumn sale" not in [o.title for o in general.offers]
    assert "Autumn sale" in [o.title for o in services.list_offers(organisation=shop)]  # kept for the record

    manager_client.post(f"/staff/offers/{offer.id}/active/", {"active": "1"})
    assert "Autumn sale" in [o.title for o in services.offers_for(organisation=shop, customer_id=customer.pk).offers]


def test_api_creates_and_stops_general_offers(shop, api_client, outsider_api_client):  # type: ignore[no-untyped-def]
    created = api_client.post("/api/v1/offers/offers", {"title": "Winter coffee"}, content_type="application/json")
    assert created.status_code == 201
    offer_id = created.json()["id"]
    assert [o["title"] for o in api_client.get("/api/v1/offers/offers").json()] == ["Winter coffee"]
    wrong = api_client.put(f"/api/v1/offers/offers/{offer_id}/active", {"active": "perhaps"},
                           content_type="application/json")
    assert wrong.status_code == 422
    assert "active" in wrong.content.decode()
    assert outsider_api_client.put(f"/api/v1/offers/offers/{offer_id}/active", {"active": False},
                                   content_type="application/json").status_code == 404
    stopped = api_client.put(f"/api/v1/offers/offers/{offer_id}/active", {"active": False},
                             content_type="application/json")
    assert stopped.json()["active"] is False
    assert api_client.get("/api/v1/offers/offers").json() == []
    bad = api_client.post("/api/v1/offers/offers", {"title": ""}, content_type="application/json")
    assert bad.status_code == 422
    assert "title" in bad.content.decode()
