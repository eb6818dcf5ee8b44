"""Transparency and consent in a real browser: a customer grants and revokes consent, reads the access
log after a staff user opened their record, downloads the export, and erases the account."""

import json
from pathlib import Path

import pytest

from eyelevel.customers import services
from eyelevel.customers.models import Customer
from eyelevel.customers.schemas import FactIn, FactSource
from tests.customers.helpers import standard_purposes
from tests.e2e.conftest import screenshot, staff_login
from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.core import OrganisationFactory
from tests.factories.customers import CustomerFactory

pytestmark = pytest.mark.usefixtures("transactional_db")


def _portal_login(page, email: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/portal/login/")
    page.fill("#portal-email", email)
    page.fill("#portal-password", password)
    page.click("main button[type=submit]")
    page.wait_for_url("**/portal/")


def test_customer_controls_consent_sees_the_access_log_exports_and_erases(page, new_page):
    organisation = OrganisationFactory(name="Sonnenhof Bakery")
    MembershipFactory(organisation=organisation, role="agent", user=UserFactory(username="anna"))
    standard_purposes(organisation)
    customer = CustomerFactory(organisation=organisation, display_name="Lena Becker", email="lena@example.com")
    services.set_portal_password(organisation=organisation, customer_id=customer.pk, password="rye-bread-2026")
    services.record_fact(organisation=organisation, customer_id=customer.pk,
                         source=FactSource(kind="import", detail="shop-customers.csv, row 12"),
                         data=FactIn(key="delivery-address", value="Hauptstr. 1, Kassel", purpose_code="order-handling"))

    _portal_login(page, "lena@example.com", "rye-bread-2026")
    page.get_by_role("link", name="My data").first.click()
    order_group = page.get_by_test_id("purpose-order-handling")
    assert "Hauptstr. 1, Kassel" in order_group.inner_text()
    assert "shop-customers.csv, row 12" in order_group.inner_text()
    assert "lena@example.com" in page.get_by_test_id("purpose-account").inner_text()
    screenshot(page, "portal-my-data")

    # Grant, then revoke, the newsletter consent.
    page.get_by_role("link", name="Consents").first.click()
    newsletter = page.get_by_test_id("consent-newsletter")
    newsletter.get_by_role("button", name="Grant consent").click()
    assert page.get_by_test_id("consent-newsletter").get_by_test_id("consent-state").inner_text() == "granted"
    assert services.has_consent(organisation=organisation, customer_id=customer.pk, purpose_code="newsletter")
    page.get_by_test_id("consent-newsletter").get_by_role("button", name="Revoke consent").click()
    assert page.get_by_test_id("consent-newsletter").get_by_test_id("consent-state").inner_text() == "not granted"
    assert not services.has_consent(organisation=organisation, customer_id=customer.pk, purpose_code="newsletter")
    screenshot(page, "portal-consents")

    # A staff user opens the record, giving a reason.
    staff = new_page()
    staff_login(staff, "anna")
    staff.goto(f"/staff/customers/{customer.pk}/")
    staff.fill("#reason", "Handling a complaint about a late delivery")
    staff.click("main button[type=submit]")
    assert staff.get_by_test_id("customer-name").inner_text() == "Lena Becker"
    screenshot(staff, "staff-customer-record")

    # The customer sees that read in plain language.
    page.get_by_role("link", name="Who looked at my data").first.click()
    log = page.get_by_test_id("access-log").inner_text()
    assert "anna (staff) looked at your customer record because: “Handling a complaint about a late delivery”" in log
    screenshot(page, "portal-access-log")

    # Export: the JSON download holds the data and the access log.
    page.get_by_role("link", name="Export and erasure").first.click()
    with page.expect_download() as download_info:
        page.get_by_test_id("export-json").click()
    exported = json.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))
    assert exported["customer"]["email"] == "lena@example.com"
    assert exported["domains"]["customers"]["facts"][0]["value"] == "Hauptstr. 1, Kassel"
    assert exported["domains"]["customers"]["access_log"][0]["actor_label"] == "anna"
    screenshot(page, "portal-export")

    # Erasure, with confirmation.
    page.goto("/portal/erase/")
    page.get_by_test_id("erase-confirm").check()
    page.get_by_test_id("erase-submit").click()
    page.get_by_test_id("erased").wait_for()
    screenshot(page, "portal-erased")
    erased = Customer.objects.for_organisation(organisation).get(pk=customer.pk)
    assert erased.erased_at is not None
    assert erased.email == ""
    page.goto("/portal/my-data/")
    assert "/portal/login/" in page.url
