import pytest

from eyelevel.surveys import services
from eyelevel.surveys.models import SurveyResponse
from eyelevel.surveys.schemas import AnswerIn, ResponseIn, SurveyIn
from tests.conftest import portal_client_for

pytestmark = pytest.mark.django_db


def _q(survey, instrument):  # type: ignore[no-untyped-def]
    return next(q for q in survey.questions if q.instrument == instrument)


def test_manager_creates_survey_adds_question_and_link(manager_client, org, touchpoints):
    response = manager_client.post("/staff/surveys/new/", {"title": "Counter check", "for_customers": "1",
                                                           "for_outsiders": "1", "for_staff": "1"})
    assert response.status_code == 302
    survey = services.list_surveys(organisation=org)[0]
    manager_client.post(f"/staff/surveys/{survey.id}/questions/", {
        "touchpoint_id": touchpoints[0].pk, "dimension": "speed", "instrument": "nps", "text": "Recommend us?"})
    manager_client.post(f"/staff/surveys/{survey.id}/status/", {"status": "open"})
    manager_client.post(f"/staff/surveys/{survey.id}/links/", {"label": "Trade fair"})
    page = manager_client.get(f"/staff/surveys/{survey.id}/")
    assert page.status_code == 200
    assert b"Recommend us?" in page.content
    assert b"/p/surveys/a/?k=" in page.content
    assert services.get_survey(organisation=org, survey_id=survey.id).status == "open"


def test_agent_takes_self_assessment(agent_client, org, survey):
    page = agent_client.get(f"/staff/surveys/{survey.id}/self-assessment/")
    assert b"How do you think customers rate us here?" in page.content
    response = agent_client.post(f"/staff/surveys/{survey.id}/self-assessment/",
                                 {f"q{_q(survey, 'csat').id}": "5", f"q{_q(survey, 'superior').id}": "1"})
    assert response.status_code == 302
    staff = SurveyResponse.objects.for_organisation(org).get(audience="staff")
    assert staff.answers.count() == 2
    assert agent_client.post("/staff/surveys/new/", {"title": "Mine"}).status_code == 403


def test_anonymous_page_says_it_is_anonymous_and_screens(client, org, survey):
    link = services.create_link(organisation=org, survey_id=survey.id, label="Flyer")
    page = client.get(f"/p/surveys/a/?k={link.token}")
    assert page.status_code == 200
    assert b"This survey is anonymous." in page.content
    missing = client.post(f"/p/surveys/a/?k={link.token}", {"k": link.token, f"q{_q(survey, 'csat').id}": "2"})
    assert missing.status_code == 422
    assert SurveyResponse.objects.for_organisation(org).count() == 0
    done = client.post(f"/p/surveys/a/?k={link.token}", {"k": link.token, "screening": "non_customer",
                                                          f"q{_q(survey, 'csat').id}": "2"})
    assert done.status_code == 200
    assert b"Thank you!" in done.content
    assert SurveyResponse.objects.for_organisation(org).get().audience == "non_customer"
    assert client.get("/p/surveys/a/?k=nope").status_code == 404


def test_customer_answers_in_the_portal(customer_client, org, survey, customer):
    assert b"How do we do?" in customer_client.get("/portal/surveys/").content
    response = customer_client.post(f"/portal/surveys/{survey.id}/", {f"q{_q(survey, 'csat').id}": "4",
                                                                      "location": "North"})
    assert response.status_code == 302
    saved = SurveyResponse.objects.for_organisation(org).get(customer=customer)
    assert saved.location == "North"
    assert b"answered" in customer_client.get("/portal/surveys/").content


def test_gap_report_page_and_charts(owner_client, org, survey, agent):
    services.submit_self_assessment(organisation=org, survey_id=survey.id, staff_user_id=agent.pk, team="",
                                    answers=[AnswerIn(question_id=_q(survey, "csat").id, value=5),
                                             AnswerIn(question_id=_q(survey, "superior").id, value=1)])
    for value in (1, 2, 2):
        services.submit_response(organisation=org, survey_id=survey.id, data=ResponseIn(answers=[
            AnswerIn(question_id=_q(survey, "csat").id, value=value),
            AnswerIn(question_id=_q(survey, "superior").id, value=0)]))
    page = owner_client.get(f"/staff/surveys/gap/?survey={survey.id}")
    assert page.status_code == 200
    assert b"Counter" in page.content
    assert b'data-testid="gap-value">83.3' in page.content
    chart = owner_client.get("/staff/surveys/gap/chart.svg")
    assert chart["Content-Type"] == "image/svg+xml"
    assert b"<svg" in chart.content
    assert b"Counter" in chart.content
    bain = owner_client.get("/staff/surveys/gap/bain.svg")
    assert b"100%" in bain.content


def test_outsider_gets_404_everywhere(outsider_client, org, survey):
    assert outsider_client.get(f"/staff/surveys/{survey.id}/").status_code == 404
    assert outsider_client.post(f"/staff/surveys/{survey.id}/status/", {"status": "closed"}).status_code == 404
    assert outsider_client.get(f"/staff/surveys/gap/?survey={survey.id}").status_code == 404
    assert b"How do we do?" not in outsider_client.get("/staff/surveys/").content
    assert services.get_survey(organisation=org, survey_id=survey.id).status == "open"


def test_other_organisations_customer_gets_404(other_org, survey):
    from tests.factories.customers import CustomerFactory

    stranger = portal_client_for(CustomerFactory(organisation=other_org))
    assert stranger.get(f"/portal/surveys/{survey.id}/").status_code == 404


def test_dashboard_shows_survey_figures(owner_client, org, survey):
    page = owner_client.get("/staff/")
    assert b"Open surveys" in page.content


def test_anonymous_page_speaks_german(client, org, survey):
    link = services.create_link(organisation=org, survey_id=survey.id, label="Flyer")
    page = client.get(f"/p/surveys/a/?k={link.token}", headers={"Accept-Language": "de"})
    assert "Diese Umfrage ist anonym." in page.content.decode()


def test_question_form_offers_each_touchpoint_with_its_stage(manager_client, org, touchpoints):
    survey = services.create_survey(organisation=org, data=SurveyIn(title="Check"))
    page = manager_client.get(f"/staff/surveys/{survey.id}/").content.decode()
    for touchpoint in touchpoints:
        assert f'<option value="{touchpoint.pk}">{touchpoint.stage.name} · {touchpoint.name}</option>' in page
