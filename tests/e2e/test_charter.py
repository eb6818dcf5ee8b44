"""The relationship charter in a real browser: an owner defines it, saying why at each change, publishes two
versions and compares them; the history keeps who changed what and why."""

import pytest

from tests.e2e.conftest import screenshot, staff_login
from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.core import OrganisationFactory

pytestmark = pytest.mark.usefixtures("transactional_db")


def _add_segment(page, name: str, needs: str, relationship_type: str, reason: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/staff/relationships/segments/new/")
    page.fill("#id_name", name)
    page.fill("#id_needs", needs)
    page.select_option("#id_relationship_type", relationship_type)
    page.fill("#id_relationship_reason", reason)
    page.fill("#id_why", f"{name} need their own relationship")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/staff/relationships/#segments")


def _add_touchpoint(page, stage: str, name: str, promise: str, channels: list[str], expectation: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/staff/relationships/touchpoints/new/")
    page.fill("#id_name", name)
    page.select_option("#id_journey_stage_id", label=stage)
    page.fill("#id_promise", promise)
    for channel in channels:
        page.check(f"input[name=channels][value={channel}]")
    page.check("input[name=value_ids]")
    page.fill("#id_why", f"Customers meet us at the {name.lower()}")
    page.get_by_role("button", name="Save touchpoint").click()
    page.get_by_test_id("expectation-form").wait_for()
    page.select_option("#id_dimension", "speed")
    page.fill("#id_statement", expectation)
    page.fill("#id_expectation_why", "So that customers can rate it")
    page.get_by_role("button", name="Add expectation").click()
    page.get_by_test_id("expectations").get_by_text(expectation).wait_for()


def test_owner_defines_charter_publishes_version_two_and_compares(page):
    organisation = OrganisationFactory(name="Sonnenhof Bakery")
    MembershipFactory(organisation=organisation, role="owner", user=UserFactory(username="olivia"))
    staff_login(page, "olivia")
    page.goto("/staff/relationships/")
    page.fill("#value-name", "We know our regulars")
    page.fill("#value-why", "What makes us different")
    page.get_by_role("button", name="Add value").click()
    page.get_by_test_id("values").get_by_text("We know our regulars").wait_for()
    _add_segment(page, "Regulars", "Be recognised, no waiting", "personal_assistance", "They come daily")
    _add_segment(page, "Caterers", "Large orders, reliable delivery", "dedicated_assistance", "Big accounts")
    for stage in ("Order", "Get help"):
        page.fill("#stage-name", stage)
        page.fill("#stage-why", f"The journey has a stage “{stage}”")
        page.get_by_role("button", name="Add stage").click()
        page.get_by_role("heading", name=stage).wait_for()
    _add_touchpoint(page, "Order", "Counter", "Served within two minutes", ["in_person"], "Greeted by name")
    _add_touchpoint(page, "Order", "Phone orders", "Call answered in 3 rings", ["phone"], "Answered in 3 rings")
    _add_touchpoint(page, "Get help", "Complaints desk", "A reply within one working day", ["email", "phone"],
                    "A reply within one working day, signed by a person")
    _add_touchpoint(page, "Get help", "Help chat", "Instant answers", ["chatbot"], "Answer within a minute")

    page.goto("/staff/relationships/")
    assert page.get_by_test_id("touchpoint-row").count() == 4
    # The chatbot is the only channel at a touchpoint for segments promised personal assistance.
    assert page.locator("[data-kind=channel_contradicts_relationship]").count() == 2
    page.fill("#publish-reason", "First charter for onboarding")
    page.get_by_role("button", name="Publish").click()
    page.get_by_test_id("version-title").get_by_text("Charter version 1").wait_for()

    # Fix the contradiction: a person can be reached from the help chat.
    page.goto("/staff/relationships/")
    page.get_by_role("row", name="Help chat").get_by_role("link", name="edit").click()
    page.check("input[name=channels][value=live_chat]")
    page.fill("#id_promise", "A person takes over on request")
    page.fill("#id_why", "Regulars were promised a person")
    page.get_by_role("button", name="Save touchpoint").click()
    page.get_by_test_id("expectation-form").wait_for()
    page.goto("/staff/relationships/")
    assert page.locator("[data-kind=channel_contradicts_relationship]").count() == 0
    screenshot(page, "charter")
    page.fill("#publish-reason", "A person behind the chat")
    page.get_by_role("button", name="Publish").click()
    page.get_by_test_id("version-title").get_by_text("Charter version 2").wait_for()

    page.goto("/staff/relationships/versions/")
    # Every saved change is in the history with who and why: 1 value, 2 segments, 2 stages, 4 touchpoints with
    # an expectation each, and the fix of the chat, which version 2 published.
    changes = page.get_by_test_id("changes")
    assert changes.get_by_test_id("change-row").count() == 14
    latest = changes.get_by_test_id("change-row").first
    assert "Regulars were promised a person" in latest.inner_text()
    assert "olivia" in latest.inner_text()
    assert "published as version 2" in latest.inner_text()
    page.get_by_role("button", name="Compare").click()
    diff = page.get_by_test_id("diff")
    diff.wait_for()
    assert "Version 1 and Version 2: 1 item differs." in page.get_by_test_id("compare-summary").inner_text()
    assert diff.locator("tr[data-status=changed]").count() == 2  # promise and channels of the help chat
    assert "A person behind the chat" in page.get_by_test_id("right-head").inner_text()
    assert "Instant answers" in diff.inner_text()
    assert "A person takes over on request" in diff.inner_text()
    assert "Live chat with a person" in diff.inner_text()
    screenshot(page, "charter-compare")
