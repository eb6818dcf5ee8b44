"""Closing the loop in a real browser: customers submit feedback in the portal, a rule routes it, an agent acts
on all items at once, and each customer sees the outcome; the public page counts the voices."""

import pytest

from eyelevel.customers import services as customers
from eyelevel.feedback import services
from eyelevel.feedback.models import FeedbackItem
from eyelevel.feedback.schemas import RoutingRuleIn
from tests.e2e.conftest import screenshot, staff_login
from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.core import OrganisationFactory
from tests.factories.customers import CustomerFactory

pytestmark = pytest.mark.usefixtures("transactional_db")

TEXTS = [
    "Der Zug nach Kassel hatte wieder 40 Minuten Verspätung und der Anschluss war weg.",
    "The train was cancelled this morning and I missed my connection.",
    "Schon wieder Verspätung, der ICE stand eine Stunde auf freier Strecke!",
]


def _portal_login(page, email: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/portal/login/")
    page.fill("#portal-email", email)
    page.fill("#portal-password", password)
    page.click("main button[type=submit]")
    page.wait_for_url("**/portal/")


def test_portal_feedback_is_routed_acted_on_and_the_customer_sees_the_outcome(page, new_page):  # type: ignore[no-untyped-def]
    organisation = OrganisationFactory(name="Nordbahn", slug="nordbahn")
    anna = MembershipFactory(organisation=organisation, role="agent", team="punctuality",
                             user=UserFactory(username="anna")).user
    services.create_rule(organisation=organisation, data=RoutingRuleIn(
        name="Delays to the punctuality team", aspect="Zugfahrt", owner_id=anna.pk, team="punctuality"))
    people = []
    for n, text in enumerate(TEXTS):
        customer = CustomerFactory(organisation=organisation, display_name=f"Rider {n}", email=f"rider{n}@example.com",
                                   language="en")
        customers.set_portal_password(organisation=organisation, customer_id=customer.pk, password="punctual-2026")
        people.append((customer, text))

    # Each customer submits their feedback in the portal.
    for customer, text in people:
        portal = new_page()
        _portal_login(portal, customer.email, "punctual-2026")
        portal.goto("/portal/feedback/")
        portal.fill("#feedback-text", text)
        portal.click("#send-feedback")
        assert text[:30] in portal.locator("#my-feedback").inner_text()
        if customer is people[0][0]:
            screenshot(portal, "feedback-portal-form")
        portal.close()
    items = list(FeedbackItem.objects.for_organisation(organisation))
    assert len(items) == 3
    assert {item.owner_id for item in items} == {anna.pk}  # routed by the aspect rule
    assert all(item.channel == "portal" and item.customer_id for item in items)

    # The agent opens one item and corrects a label in one click (kept as training data).
    staff_login(page, "anna")
    page.goto(f"/staff/feedback/items/{items[0].pk}/")
    page.click("#labels button[name=sentiment][value=neutral]")
    page.wait_for_selector("#labels button[value=neutral][aria-pressed=true]")
    assert FeedbackItem.objects.for_organisation(organisation).get(pk=items[0].pk).labels_corrected
    screenshot(page, "feedback-item")

    # The agent finds them in the inbox, chooses all three, and creates one action.
    page.goto(f"/staff/feedback/?owner={anna.pk}")
    screenshot(page, "feedback-inbox")
    for item in items:
        page.check(f"input[name=items][value='{item.pk}']")
    page.fill("#inbox-filters ~ form input[name=title]", "More reserve trains on the Kassel line")
    page.click("text=Create action")
    page.wait_for_url("**/staff/feedback/actions/*/")
    page.fill("#outcome", "From December two reserve trains stand ready in Kassel.")
    screenshot(page, "feedback-action")
    page.click("#complete-action")
    assert page.locator("#action-status").inner_text() == "done"

    # Each customer sees the outcome in the portal.
    customer, _text = people[1]
    portal = new_page()
    _portal_login(portal, customer.email, "punctual-2026")
    portal.goto("/portal/feedback/")
    mine = portal.locator("#my-feedback").inner_text()
    assert "From December two reserve trains stand ready in Kassel." in mine
    screenshot(portal, "feedback-portal-outcome")

    # The public page shows the action with its three voices and no personal data.
    public = new_page()
    public.goto("/p/feedback/we-did/?org=nordbahn")
    listed = public.locator("#we-did").inner_text()
    assert "More reserve trains on the Kassel line" in listed
    assert "3 voices" in listed
    assert "rider" not in listed.lower()
