from decimal import Decimal

from eyelevel.commerce import services
from eyelevel.commerce.schemas import PriceComponent, StampProgrammeIn
from eyelevel.customers import services as customers
from tests.commerce.conftest import receipt
from tests.conftest import portal_client_for
from tests.factories.customers import CustomerFactory


def _setup(org, customer):  # type: ignore[no-untyped-def]
    services.create_programme(organisation=org, data=StampProgrammeIn(name="Coffee card", category="Coffee",
                                                                       stamps_required=2, reward="Free coffee"))
    services.record_receipts(organisation=org, receipts=[receipt("R-100", customer.pk, ("COF", 2, "3.00"),
                                                                 ("MUG", 1, "10.00"))])
    return services.list_receipts(organisation=org, customer_id=customer.pk).items[0].id


def test_portal_receipts_search_detail_and_exports(catalogue, customer, customer_client, outsider_client):  # type: ignore[no-untyped-def]
    receipt_id = _setup(catalogue, customer)
    page = customer_client.get("/portal/commerce/receipts/")
    assert b"R-100" in page.content
    assert b"R-100" not in customer_client.get("/portal/commerce/receipts/?q=teapot").content
    assert b"R-100" in customer_client.get("/portal/commerce/receipts/?q=mug").content
    detail = customer_client.get(f"/portal/commerce/receipts/receipt/{receipt_id}/")
    assert b"Flat white" in detail.content
    year = page.context["years"][0]
    pdf = customer_client.get(f"/portal/commerce/receipts/export/?year={year}&format=pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    csv_export = customer_client.get(f"/portal/commerce/receipts/export/?start={year}-01-01&end={year}-12-31&format=csv")
    assert b"R-100" in csv_export.content
    bad = customer_client.get("/portal/commerce/receipts/export/?start=2026-13-01&end=2026-12-31")
    assert bad.status_code == 422
    # another customer of the same organisation, and staff of another organisation, get nothing
    stranger = portal_client_for(CustomerFactory(organisation=catalogue))
    assert stranger.get(f"/portal/commerce/receipts/receipt/{receipt_id}/").status_code == 404
    assert outsider_client.get(f"/staff/commerce/receipts/{receipt_id}/").status_code == 404


def test_portal_stamp_card_and_price_breakdown(catalogue, customer, customer_client):  # type: ignore[no-untyped-def]
    _setup(catalogue, customer)
    card = customer_client.get("/portal/commerce/stamps/")
    assert b"Free coffee" in card.content
    assert b"show this at the till" in card.content
    product = services.list_products(organisation=catalogue, query="COF")[0]
    services.set_price_breakdown(organisation=catalogue, product_id=product.id, components=[
        PriceComponent(label="Beans", amount=Decimal("1.00")), PriceComponent(label="Barista", amount=Decimal("2.00"))])
    assert b"Barista" not in customer_client.get(f"/portal/commerce/products/{product.id}/").content
    services.update_settings(organisation=catalogue, show_price_breakdown=True)
    assert b"Barista" in customer_client.get(f"/portal/commerce/products/{product.id}/").content


def test_till_redeems_once(catalogue, customer, agent_client, outsider_client):  # type: ignore[no-untyped-def]
    _setup(catalogue, customer)
    till = agent_client.get(f"/staff/commerce/till/?customer={customer.email}")
    assert b"Redeem: Free coffee" in till.content
    log = customers.access_log_of(organisation=catalogue, customer_id=customer.pk)
    assert log.total == 1  # the customer sees that the till looked them up, and why
    assert "till" in log.items[0].reason
    reward = services.stamp_cards(organisation=catalogue, customer_id=customer.pk)[0].rewards[0]
    assert outsider_client.post(f"/staff/commerce/rewards/{reward.id}/redeem/").status_code == 404
    first = agent_client.post(f"/staff/commerce/rewards/{reward.id}/redeem/", follow=True)
    assert b"Reward redeemed" in first.content
    second = agent_client.post(f"/staff/commerce/rewards/{reward.id}/redeem/", follow=True)
    assert b"already redeemed" in second.content


def test_staff_products_breakdown_and_programmes(catalogue, manager_client, agent_client, outsider_client):  # type: ignore[no-untyped-def]
    product = services.list_products(organisation=catalogue, query="COF")[0]
    wrong = manager_client.post(f"/staff/commerce/products/{product.id}/", {"price_breakdown": "Beans = 1"})
    assert b"adds up to 1" in wrong.content
    manager_client.post(f"/staff/commerce/products/{product.id}/", {"price_breakdown": "Beans = 1\nLabour = 2,00"})
    assert [c.label for c in services.get_product(organisation=catalogue, product_id=product.id).price_breakdown] == [
        "Beans", "Labour"]
    assert agent_client.post(f"/staff/commerce/products/{product.id}/", {"price_breakdown": ""}).status_code == 403
    manager_client.post("/staff/commerce/settings/", {"show_price_breakdown": "on"})
    assert services.get_settings(organisation=catalogue).show_price_breakdown
    created = manager_client.post("/staff/commerce/programmes/", {"name": "Tea", "reward": "Free tea",
                                                                  "category": "Tea", "stamps_required": "5"})
    assert created.status_code == 302
    assert [p.name for p in services.list_programmes(organisation=catalogue)] == ["Tea"]
    refused = manager_client.post("/staff/commerce/programmes/", {"name": "X", "reward": "Y"})
    assert b"SKUs" in refused.content
    assert outsider_client.get(f"/staff/commerce/products/{product.id}/").status_code == 404
    assert b"Flat white" not in outsider_client.get("/staff/commerce/products/").content


def test_staff_reading_a_customers_receipt_is_logged(catalogue, customer, agent_client):  # type: ignore[no-untyped-def]
    receipt_id = _setup(catalogue, customer)
    assert b"R-100" in agent_client.get(f"/staff/commerce/receipts/{receipt_id}/").content
    log = customers.access_log_of(organisation=catalogue, customer_id=customer.pk)
    assert log.total == 1  # rule 2: the customer sees that staff looked at their receipt
    assert "R-100" in log.items[0].what
