import pytest

from eyelevel.surveys import services

pytestmark = pytest.mark.django_db


def test_create_open_answer_and_report_over_the_api(api_client, org, touchpoints):
    created = api_client.post("/api/v1/surveys/", content_type="application/json", data={
        "title": "API survey",
        "questions": [{"touchpoint_id": touchpoints[0].pk, "dimension": "speed", "instrument": "csat",
                       "text": "Fast?"}]})
    assert created.status_code == 201
    survey = created.json()
    question = survey["questions"][0]["id"]
    assert api_client.post(f"/api/v1/surveys/{survey['id']}/status", content_type="application/json",
                           data={"status": "open"}).json()["status"] == "open"
    bad = api_client.post(f"/api/v1/surveys/{survey['id']}/responses", content_type="application/json",
                          data={"answers": [{"question_id": question, "value": 11}]})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "answers[0].value"
    ok = api_client.post(f"/api/v1/surveys/{survey['id']}/responses", content_type="application/json",
                         data={"answers": [{"question_id": question, "value": 2}], "location": "North"})
    assert ok.status_code == 201
    link = api_client.post(f"/api/v1/surveys/{survey['id']}/links", content_type="application/json",
                           data={"label": "Newsletter of a partner"}).json()
    assert api_client.get(f"/api/v1/surveys/public?token={link['token']}").json()["title"] == "API survey"


def test_anonymous_submission_needs_no_token(client, org, survey):
    link = services.create_link(organisation=org, survey_id=survey.id, label="Flyer")
    question = survey.questions[0].id
    response = client.post(f"/api/v1/surveys/public/{link.token}/responses", content_type="application/json",
                           data={"screening": "competitor_customer", "answers": [{"question_id": question,
                                                                                   "value": 3}]})
    assert response.status_code == 201
    report = services.gap_report(organisation=org)
    assert report.responses_by_audience == {"competitor_customer": 1}
    unknown = client.post("/api/v1/surveys/public/nope/responses", content_type="application/json",
                          data={"screening": "non_customer", "answers": [{"question_id": question, "value": 3}]})
    assert unknown.status_code == 404


def test_gap_report_and_responses_over_the_api(api_client, outsider_api_client, org, survey):
    services.submit_response(organisation=org, survey_id=survey.id, data=__import__(
        "eyelevel.surveys.schemas", fromlist=["ResponseIn"]).ResponseIn(
        answers=[{"question_id": survey.questions[0].id, "value": 4}]))
    report = api_client.get(f"/api/v1/surveys/gap-report?survey_id={survey.id}").json()
    assert report["rows"][0]["audiences"][0]["stat"]["n"] == 1
    assert api_client.get(f"/api/v1/surveys/{survey.id}/responses").json()["total"] == 1
    assert outsider_api_client.get(f"/api/v1/surveys/{survey.id}/responses").status_code == 404
    assert outsider_api_client.get(f"/api/v1/surveys/gap-report?survey_id={survey.id}").status_code == 404
    assert outsider_api_client.get("/api/v1/surveys/gap-report").json()["rows"] == []



def test_listing_responses_logs_the_read_of_each_customers_answers(api_client, org, survey, customer):
    from eyelevel.customers.models import AccessLogEntry
    from eyelevel.surveys.schemas import AnswerIn

    services.submit_portal_response(organisation=org, customer_id=customer.pk, survey_id=survey.id,
                                    answers=[AnswerIn(question_id=survey.questions[0].id, value=4)])
    listed = api_client.get(f"/api/v1/surveys/{survey.id}/responses")
    assert listed.status_code == 200
    assert listed.json()["items"][0]["customer_id"] == customer.pk
    entry = AccessLogEntry.objects.for_organisation(org).get(customer=customer)
    assert entry.actor_kind == "token"
    assert entry.reason == "syncing the shop system"
    assert "survey answers" in entry.what
