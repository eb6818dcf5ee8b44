from eyelevel.commerce import services
from eyelevel.commerce.schemas import StampProgrammeIn
from eyelevel.customers import services as customers


def _receipt(customer_id, number="POS-1", quantity=3):  # type: ignore[no-untyped-def]
    return {"number": number, "customer_id": customer_id, "purchased_at": "2026-11-20T09:30:00+01:00",
            "store": "Till 2", "lines": [{"sku": "COF", "quantity": str(quantity), "unit_price": "3.00"}]}


def test_pos_receipt_gives_stamps_and_a_till_redeems_once(catalogue, customer, api_client, outsider_api_client):  # type: ignore[no-untyped-def]
    services.create_programme(organisation=catalogue, data=StampProgrammeIn(name="Coffee card", skus=["COF"],
                                                                             stamps_required=3, reward="Free coffee"))
    created = api_client.post("/api/v1/commerce/receipts", _receipt(customer.pk), content_type="application/json")
    assert created.status_code == 201
    assert created.json() == {"created": 1}
    again = api_client.post("/api/v1/commerce/receipts", _receipt(customer.pk), content_type="application/json")
    assert again.json() == {"created": 0}
    cards = api_client.get(f"/api/v1/commerce/customers/{customer.pk}/stamp-cards").json()
    reward_id = cards[0]["rewards"][0]["id"]
    assert outsider_api_client.get(f"/api/v1/commerce/customers/{customer.pk}/stamp-cards").status_code == 404
    assert outsider_api_client.post(f"/api/v1/commerce/rewards/{reward_id}/redeem", {},
                                    content_type="application/json").status_code == 404
    first = api_client.post(f"/api/v1/commerce/rewards/{reward_id}/redeem", {"till": "till 2"},
                            content_type="application/json")
    assert first.status_code == 200
    assert first.json()["redeemed_by"] == "API: till 2"
    second = api_client.post(f"/api/v1/commerce/rewards/{reward_id}/redeem", {"till": "till 3"},
                             content_type="application/json")
    assert second.status_code == 409
    assert "already redeemed" in second.json()["detail"]


def test_receipt_errors_name_the_field(catalogue, customer, api_client, outsider_api_client):  # type: ignore[no-untyped-def]
    unknown = api_client.post("/api/v1/commerce/receipts", {**_receipt(customer.pk), "lines": [
        {"sku": "NOPE", "unit_price": "1"}]}, content_type="application/json")
    assert unknown.status_code == 422
    assert "NOPE" in unknown.json()["detail"]
    stranger = outsider_api_client.post("/api/v1/commerce/receipts", _receipt(customer.pk),
                                        content_type="application/json")
    assert stranger.status_code == 404
    api_client.post("/api/v1/commerce/receipts", _receipt(customer.pk), content_type="application/json")
    receipt_id = services.list_receipts(organisation=catalogue).items[0].id
    assert api_client.get(f"/api/v1/commerce/receipts/{receipt_id}").json()["total"] == "9.00"
    assert outsider_api_client.get(f"/api/v1/commerce/receipts/{receipt_id}").status_code == 404
    # the integration's read of the customer's receipt is in the customer's access log (rule 2)
    assert customers.access_log_of(organisation=catalogue, customer_id=customer.pk).total == 1


def test_products_with_a_breakdown_over_the_api(org, api_client):  # type: ignore[no-untyped-def]
    bad = api_client.put("/api/v1/commerce/products", [{"sku": "B", "name": "Bread", "unit_price": "2.00",
                                                        "price_breakdown": [{"label": "Flour", "amount": "0.50"}]}],
                         content_type="application/json")
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "products[0].price_breakdown"
    good = api_client.put("/api/v1/commerce/products", [{"sku": "B", "name": "Bread", "unit_price": "2.00",
                                                         "price_breakdown": [{"label": "Flour", "amount": "0.50"},
                                                                             {"label": "Baker", "amount": "1.50"}]}],
                          content_type="application/json")
    assert good.json() == {"written": 1}
