"""Perception surveys in a real browser: staff self-assessment, an anonymous answer, the gap report."""

import pytest

from eyelevel.surveys import services
from eyelevel.surveys.schemas import AnswerIn, QuestionIn, ResponseIn, SurveyIn
from tests.customers.helpers import declare
from tests.e2e.conftest import screenshot, staff_login
from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.core import OrganisationFactory
from tests.factories.customers import CustomerFactory
from tests.factories.feedback import FeedbackItemFactory
from tests.factories.relationships import TouchpointFactory

pytestmark = pytest.mark.usefixtures("transactional_db")


def test_self_assessment_anonymous_answer_and_gap_report(page, new_page):
    organisation = OrganisationFactory(name="Sonnenhof Bakery")
    MembershipFactory(organisation=organisation, role="owner", user=UserFactory(username="olivia"))
    MembershipFactory(organisation=organisation, role="agent", team="Shop", user=UserFactory(username="arne"))
    counter = TouchpointFactory(organisation=organisation, name="Counter")
    survey = services.create_survey(organisation=organisation, data=SurveyIn(title="How do we do?", questions=[
        QuestionIn(touchpoint_id=counter.pk, dimension="speed", instrument="csat", text="How fast were you served?"),
        QuestionIn(dimension="overall", instrument="superior", text="Is our service better than others'?"),
    ]))
    services.set_survey_status(organisation=organisation, survey_id=survey.id, status="open")
    speed, superior = survey.questions[0].id, survey.questions[1].id
    for value in (2, 1, 2, 3, 2):
        services.submit_response(organisation=organisation, survey_id=survey.id, data=ResponseIn(answers=[
            AnswerIn(question_id=speed, value=value), AnswerIn(question_id=superior, value=0)]))
    link = services.create_link(organisation=organisation, survey_id=survey.id, label="Market flyer")

    # A staff member believes customers find the counter fast.
    staff_login(page, "arne")
    page.goto(f"/staff/surveys/{survey.id}/")
    page.get_by_test_id("self-assess").click()
    assert "How do you think customers rate us here?" in page.get_by_test_id("self-assessment-prompt").inner_text()
    page.check(f"input[name=q{speed}][value='5']")
    page.check(f"input[name=q{superior}][value='1']")
    page.get_by_role("button", name="Send my assessment").click()
    page.wait_for_url(f"**/staff/surveys/{survey.id}/")

    # Someone who is not a customer answers through the anonymous link.
    visitor = new_page()
    visitor.goto(f"/p/surveys/a/?k={link.token}")
    assert "anonymous" in visitor.get_by_test_id("anonymity-notice").inner_text()
    visitor.check("input[name=screening][value=non_customer]")
    visitor.check(f"input[name=q{speed}][value='1']")
    visitor.get_by_role("button", name="Send answers").click()
    visitor.get_by_test_id("thanks").wait_for()

    # The owner sees the gap.
    page.get_by_role("button", name="Log out").click()
    staff_login(page, "olivia")
    page.goto(f"/staff/surveys/gap/?survey={survey.id}")
    row = page.get_by_test_id("gap-row").first
    assert "Counter" in row.inner_text()
    gaps = [float(text) for text in row.get_by_test_id("gap-value").all_inner_texts()]
    assert gaps == [75.0, 100.0]  # staff 100 vs customers 25; vs the non-customer 0
    assert "Staff who say yes: 1.00 (n=1); customers who agree: 0.00 (n=5)" in page.get_by_test_id(
        "bain-summary").inner_text()
    page.get_by_test_id("gap-chart").wait_for()
    assert page.evaluate("document.querySelector('[data-testid=gap-chart]').naturalWidth") > 0
    screenshot(page, "gap-report")

    # Classified feedback says the counter depends on the shift: the consistency section flags it, with its chart.
    for team, negative, positive in (("Early shift", 8, 2), ("Late shift", 1, 9)):
        for sentiment, count in (("negative", negative), ("positive", positive)):
            FeedbackItemFactory.create_batch(count, organisation=organisation, touchpoint=counter, team=team,
                                             sentiment=sentiment, customer=None)
    page.reload()
    consistency = page.get_by_test_id("feedback-consistency")
    assert "Early shift: 80% negative (n=10)" in consistency.get_by_test_id("feedback-consistency-row").first.inner_text()
    consistency.get_by_test_id("feedback-varies").first.wait_for()
    page.wait_for_function("document.querySelector('[data-testid=feedback-consistency-chart]').naturalWidth > 0")
    consistency.scroll_into_view_if_needed()
    screenshot(page, "feedback-consistency")

    # The owner invites customers by pasting their addresses (no paging through a list); the invitations run in
    # the background and end with a report.
    declare(organisation, "surveys", "legitimate_interest")
    CustomerFactory(organisation=organisation, display_name="Lena Becker", email="lena@example.com")
    page.goto(f"/staff/surveys/{survey.id}/")
    page.get_by_label("Only these customers:").check()
    page.fill("#id_customers", "lena@example.com")
    page.get_by_role("button", name="Send invitations").click()
    page.get_by_test_id("invitation-report").wait_for()
    assert page.get_by_test_id("invitations-sent").inner_text() == "1"
    page.goto(f"/staff/surveys/{survey.id}/")
    page.get_by_test_id("invited").wait_for()
