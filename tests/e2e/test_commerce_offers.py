"""Receipts, a stamp card and personal offers in a real browser: a purchase through the API shows up in the
portal, gives a stamp, the reward is redeemed once at the till (a second till is refused), the yearly PDF
downloads, and switching personalisation off changes the offers."""

from decimal import Decimal

import pytest
from django.utils import timezone

from eyelevel.commerce import services as commerce
from eyelevel.commerce.schemas import ProductIn, StampProgrammeIn
from eyelevel.customers import services as customers
from eyelevel.offers import services as offers
from eyelevel.offers.schemas import OfferIn
from tests.conftest import api_client_for
from tests.e2e.conftest import screenshot, staff_login
from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.core import OrganisationFactory
from tests.factories.customers import CustomerFactory


@pytest.mark.django_db(transaction=True)
def test_receipt_stamp_redeem_once_pdf_and_offers(page, new_page, live_server):  # type: ignore[no-untyped-def]
    org = OrganisationFactory(name="Sonnenhof Café", slug="sonnenhof")
    MembershipFactory(organisation=org, role="agent", user=UserFactory(username="tilda"))
    MembershipFactory(organisation=org, role="agent", user=UserFactory(username="tom"))
    lena = CustomerFactory(organisation=org, display_name="Lena Becker", email="lena@example.com")
    customers.set_portal_password(organisation=org, customer_id=lena.pk, password="a-long-portal-password")
    commerce.upsert_products(organisation=org, products=[
        ProductIn(sku="COF", name="Flat white", category="Coffee", unit_price=Decimal("3.20"), vat_rate=Decimal("7")),
        ProductIn(sku="CAKE", name="Cheesecake", category="Cake", unit_price=Decimal("4.10"), vat_rate=Decimal("7"))])
    commerce.create_programme(organisation=org, data=StampProgrammeIn(
        name="Coffee card", skus=["COF"], stamps_required=2, reward="A free flat white"))
    offers.ensure_purpose(organisation=org)
    customers.set_consent(organisation=org, customer_id=lena.pk, purpose_code=offers.PURPOSE_CODE, granted=True,
                          channel="portal")
    offers.create_offer(organisation=org, data=OfferIn(title="Autumn sale: 10 % off all cakes"))
    token = api_client_for(org).defaults["HTTP_AUTHORIZATION"]

    page.goto("/portal/login/")
    page.fill("#portal-email", "lena@example.com")
    page.fill("#portal-password", "a-long-portal-password")
    page.click("main button[type=submit]")
    page.wait_for_url("**/portal/")
    page.goto("/portal/commerce/receipts/")
    assert "No receipts found" in page.get_by_test_id("receipt-list").inner_text()

    # The till sends a purchase through the API; the receipt appears in the portal.
    response = page.request.post(f"{live_server.url}/api/v1/commerce/receipts", headers={"Authorization": token},
                                 data={"number": "T1-0001", "customer_id": lena.pk,
                                       "purchased_at": timezone.now().isoformat(), "store": "Market square",
                                       "lines": [{"sku": "COF", "quantity": "2", "unit_price": "3.20"},
                                                 {"sku": "CAKE", "quantity": "1", "unit_price": "4.10"}]})
    assert response.status == 201
    page.reload()
    row = page.get_by_test_id("receipt-row").first
    assert "T1-0001" in row.inner_text()
    assert "10.50" in row.inner_text()
    screenshot(page, "portal-receipts")

    # The purchase gave two stamps: the card is full and the reward waits.
    page.goto("/portal/commerce/stamps/")
    assert "A free flat white" in page.get_by_test_id("reward").inner_text()
    screenshot(page, "portal-stamp-card")

    # Two tills open the customer at once; the first redeems, the second is refused.
    till_one, till_two = new_page(), new_page()
    for till, user in ((till_one, "tilda"), (till_two, "tom")):
        staff_login(till, user)
        till.goto("/staff/commerce/till/?customer=lena@example.com")
        till.get_by_test_id("redeem").wait_for()
    till_one.get_by_test_id("redeem").click()
    assert "Reward redeemed" in till_one.locator(".messages").inner_text()
    screenshot(till_one, "staff-till")
    till_two.get_by_test_id("redeem").click()
    assert "already redeemed" in till_two.locator(".messages").inner_text()
    page.reload()
    assert "redeemed on" in page.get_by_test_id("reward").inner_text()

    # The whole year as one PDF.
    page.goto("/portal/commerce/receipts/")
    year = timezone.localdate().year
    with page.expect_download() as download:
        page.get_by_test_id(f"export-year-pdf-{year}").click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"

    # Personal offers with reasons; switched off, only the offers for everyone remain.
    page.goto("/portal/offers/")
    personal = page.get_by_test_id("offer-list").inner_text()
    assert "Flat white" in personal
    assert "Why: You bought this once" in personal
    screenshot(page, "portal-offers")
    page.get_by_test_id("personalisation-off").click()
    page.wait_for_url("**/portal/offers/")
    general = page.get_by_test_id("offer-list").inner_text()
    assert "Flat white" not in general
    assert "Autumn sale" in general
    assert "switched personal offers off" in page.get_by_test_id("offers-explanation").inner_text()


RECEIPTS_CSV = (
    b"receipt_number,timestamp,customer_email,product_code,product_name,quantity,unit_price,vat_rate\n"
    b"T9-0001,2026-03-14 09:30,lena@example.com,COF,Flat white,2,3.20,7\n"
    b"T9-0001,2026-03-14 09:30,lena@example.com,CAKE,Cheesecake,1,4.10,7\n"
    b"T9-0002,2026-03-14 10:05,,COF,Flat white,two,3.20,7\n"
)


@pytest.mark.django_db(transaction=True)
def test_receipt_csv_upload_names_bad_rows_then_imports_the_good_ones_once(page, live_server):  # type: ignore[no-untyped-def]
    import re

    from django.urls import reverse
    from playwright.sync_api import expect

    org = OrganisationFactory(name="Sonnenhof Café", slug="sonnenhof")
    MembershipFactory(organisation=org, role="manager", user=UserFactory(username="mara"))
    CustomerFactory(organisation=org, display_name="Lena Becker", email="lena@example.com")
    staff_login(page, "mara")

    def upload(good_rows: bool) -> str:
        page.goto(reverse("commerce:receipt_import"))
        page.set_input_files("#receipt-file", files=[{"name": "till.csv", "mimeType": "text/csv",
                                                      "buffer": RECEIPTS_CSV}])
        if good_rows:
            page.check("input[name=good_rows]")
        page.click("form.card button[type=submit]")
        page.wait_for_url("**/receipts/import/*/")
        # the page polls the background job until it is done (or failed)
        expect(page.locator("#import-status")).to_have_text(re.compile("^(done|failed)$"))
        return page.locator("#import-progress").inner_text()

    # All or nothing: the bad row is named by its number and field, and nothing is imported.
    report = upload(good_rows=False)
    assert "failed" in page.locator("#import-status").inner_text()
    assert "Rows to fix" in report
    assert "4" in page.locator("#import-progress table tbody tr").first.inner_text()
    assert "quantity" in page.locator("#import-progress table tbody tr").first.inner_text()
    assert commerce.list_receipts(organisation=org).total == 0

    # With the flag: the good receipt goes in, the bad row waits in a reject file to fix.
    report = upload(good_rows=True)
    assert page.locator("#import-status").inner_text() == "done"
    assert "new receipts: 1" in report
    rejects = page.request.get(live_server.url + page.get_by_role("link", name="Download the rejected rows")
                               .get_attribute("href"))
    assert "T9-0002" in rejects.text()
    assert "T9-0001" not in rejects.text()
    screenshot(page, "staff-receipt-import")

    # The same file again creates no duplicates.
    report = upload(good_rows=True)
    assert "new receipts: 0" in report
    assert "already imported: 1" in report
    assert commerce.list_receipts(organisation=org).total == 1
