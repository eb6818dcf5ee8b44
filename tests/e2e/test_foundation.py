"""The foundation in a real browser: staff login and dashboard, portal login by link, tenant isolation."""

import re

import pytest
from django.core import mail

from tests.e2e.conftest import screenshot, staff_login
from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.core import OrganisationFactory
from tests.factories.customers import CustomerFactory

pytestmark = pytest.mark.usefixtures("transactional_db")


def test_staff_user_logs_in_and_sees_the_dashboard(page):
    organisation = OrganisationFactory(name="Sonnenhof Bakery")
    MembershipFactory(organisation=organisation, role="owner", user=UserFactory(username="olivia"))
    CustomerFactory.create_batch(4, organisation=organisation)
    staff_login(page, "olivia")
    figures = page.get_by_test_id("dashboard-figures")
    assert figures.locator("[data-figure='customers-1'] .value").inner_text() == "4"
    assert "Sonnenhof Bakery" in page.get_by_test_id("staff-identity").inner_text()
    screenshot(page, "staff-dashboard")
    page.get_by_role("link", name="Customers").first.click()
    page.wait_for_url("**/staff/customers/")
    assert page.locator("table tbody tr").count() == 4


def test_customer_logs_in_through_a_login_link(page):
    organisation = OrganisationFactory(name="Sonnenhof Bakery")
    CustomerFactory(organisation=organisation, display_name="Lena Becker", email="lena@example.com")
    page.goto("/portal/login/")
    page.fill("#portal-email", "lena@example.com")
    page.click("main button[type=submit]")
    page.get_by_test_id("link-sent").wait_for()
    link = re.search(r"https?://[^/\s]+(/portal/login/[^/\s]+/)", mail.outbox[-1].body).group(1)
    page.goto(link)
    page.get_by_role("button", name="Log in now").click()
    page.wait_for_url("**/portal/")
    assert "Lena Becker" in page.get_by_test_id("portal-welcome").inner_text()
    screenshot(page, "portal-home")
    # The portal speaks German too.
    with page.expect_navigation():
        page.select_option("#language-select", "de")
    assert "Willkommen" in page.get_by_test_id("portal-welcome").inner_text()


def test_staff_of_one_organisation_cannot_open_another_organisations_customer(page):
    mine = OrganisationFactory(name="Mine")
    theirs = OrganisationFactory(name="Theirs")
    MembershipFactory(organisation=mine, role="owner", user=UserFactory(username="olivia"))
    their_customer = CustomerFactory(organisation=theirs, display_name="Secret Person")
    staff_login(page, "olivia")
    response = page.goto(f"/staff/customers/{their_customer.pk}/")
    assert response.status == 404
    assert "Secret Person" not in page.content()


def test_the_interactive_api_docs_work_offline(page):
    requested_hosts = set()
    page.on("request", lambda request: requested_hosts.add(request.url.split("/")[2]))
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto("/api/v1/docs")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() >= 3
    assert errors == []
    assert all(host.startswith(("localhost", "127.0.0.1")) for host in requested_hosts), requested_hosts
    screenshot(page, "api-docs")
