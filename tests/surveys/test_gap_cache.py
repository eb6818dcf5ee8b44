"""The gap report is built once per state of the answers: the page and its two charts share one build."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from eyelevel.surveys import services
from eyelevel.surveys.schemas import AnswerIn, ResponseIn

pytestmark = pytest.mark.django_db


def _answer(org, survey, value):  # type: ignore[no-untyped-def]
    services.submit_response(organisation=org, survey_id=survey.id, data=ResponseIn(answers=[
        AnswerIn(question_id=survey.questions[0].id, value=value)]))


def _n(report):  # type: ignore[no-untyped-def]
    return sum(g.stat.n for row in report.rows for g in row.audiences)


def test_second_build_is_skipped_until_an_answer_arrives(org, survey, django_assert_num_queries):
    for value in (2, 3, 4):
        _answer(org, survey, value)
    first = services.gap_report(organisation=org, survey_id=survey.id)
    assert _n(first) == 3
    # Touchpoint names, a stamp of the running totals and one of the responses: no aggregate is redone.
    with django_assert_num_queries(3):
        again = services.gap_report(organisation=org, survey_id=survey.id)
    assert again == first

    _answer(org, survey, 5)
    assert _n(services.gap_report(organisation=org, survey_id=survey.id)) == 4


def test_a_response_without_ratings_and_an_erasure_invalidate_it_too(org, survey, customer):
    services.gap_report(organisation=org, survey_id=survey.id)
    text = next(q for q in survey.questions if q.instrument == "text")
    services.submit_portal_response(organisation=org, customer_id=customer.pk, survey_id=survey.id,
                                    answers=[AnswerIn(question_id=text.id, text="More seats, please")])
    assert services.gap_report(organisation=org, survey_id=survey.id).responses_by_audience == {"customer": 1}
    services.erase_customer_answers(org.pk, customer.pk)
    assert services.gap_report(organisation=org, survey_id=survey.id).responses_by_audience == {}


def test_a_renamed_touchpoint_shows_its_new_name(org, survey, touchpoints):
    _answer(org, survey, 3)
    assert services.gap_report(organisation=org).rows[0].touchpoint == "Counter"
    touchpoints[0].name = "Front desk"
    touchpoints[0].save()
    assert services.gap_report(organisation=org).rows[0].touchpoint == "Front desk"


def test_charts_reuse_the_report_the_page_built(owner_client, org, survey):
    for value in (1, 2, 5):
        _answer(org, survey, value)
    assert owner_client.get(f"/staff/surveys/gap/?survey={survey.id}").status_code == 200
    for chart in ("chart.svg", "bain.svg"):
        with CaptureQueriesContext(connection) as queries:
            response = owner_client.get(f"/staff/surveys/gap/{chart}?survey={survey.id}")
        assert response.status_code == 200
        rebuilt = [q["sql"] for q in queries if "surveys_answertotal" in q["sql"] and "GROUP BY" in q["sql"]]
        assert rebuilt == [], f"{chart} built the report again"


def test_organisations_never_share_a_cached_report(org, other_org, survey):
    _answer(org, survey, 4)
    assert services.gap_report(organisation=org).rows
    assert services.gap_report(organisation=other_org).rows == []
