import numpy as np
import pytest
from scipy import stats

from eyelevel.core.errors import Conflict, InvalidInput, NotFound
from eyelevel.surveys import services
from eyelevel.surveys.models import Answer, SurveyResponse
from eyelevel.surveys.schemas import AnonymousResponseIn, AnswerIn, QuestionIn, ResponseIn, SurveyIn
from tests.factories.accounts import MembershipFactory

pytestmark = pytest.mark.django_db


def _q(survey, instrument):  # type: ignore[no-untyped-def]
    return next(q for q in survey.questions if q.instrument == instrument)


def test_create_survey_names_the_bad_question_and_saves_nothing(org, other_org, touchpoints):
    from tests.factories.relationships import TouchpointFactory

    foreign = TouchpointFactory(organisation=other_org)
    with pytest.raises(InvalidInput) as excinfo:
        services.create_survey(organisation=org, data=SurveyIn(title="X", questions=[
            QuestionIn(touchpoint_id=touchpoints[0].pk, dimension="speed", instrument="csat", text="Fast?"),
            QuestionIn(touchpoint_id=foreign.pk, dimension="speed", instrument="csat", text="Fast?"),
        ]))
    assert excinfo.value.field == "questions[1].touchpoint_id"
    assert services.list_surveys(organisation=org) == []


def test_scores_share_one_scale():
    assert services.to_score("nps", 10) == 100
    assert services.to_score("csat", 1) == 0
    assert services.to_score("ces", 4) == 50
    assert services.to_score("rating", 4) == 75


def test_anonymous_answer_through_link_stores_nothing_personal(org, survey):
    link = services.create_link(organisation=org, survey_id=survey.id, label="Flyer")
    response_id = services.submit_anonymous_response(token=link.token, data=AnonymousResponseIn(
        screening="competitor_customer", answers=[AnswerIn(question_id=_q(survey, "csat").id, value=2)]))
    response = SurveyResponse.objects.for_organisation(org).get(pk=response_id)
    assert response.audience == "competitor_customer"
    assert response.customer_id is None
    assert response.staff_user_id is None
    assert response.channel == "link"
    assert not any("ip" in field.name for field in SurveyResponse._meta.get_fields())
    assert services.list_links(organisation=org, survey_id=survey.id)[0].response_count == 1
    services.deactivate_link(organisation=org, survey_link_id=link.id)
    with pytest.raises(NotFound):
        services.submit_anonymous_response(token=link.token, data=AnonymousResponseIn(
            screening="non_customer", answers=[AnswerIn(question_id=_q(survey, "csat").id, value=2)]))
    with pytest.raises(NotFound):
        services.get_survey_for_link(token="not-a-token")


def test_bad_answers_are_named_and_nothing_is_saved(org, survey):
    with pytest.raises(InvalidInput) as excinfo:
        services.submit_response(organisation=org, survey_id=survey.id, data=ResponseIn(answers=[
            AnswerIn(question_id=_q(survey, "rating").id, value=4),
            AnswerIn(question_id=_q(survey, "csat").id, value=9),
            AnswerIn(question_id=999999, value=1),
        ]))
    fields = [e["field"] for e in excinfo.value.errors]
    assert fields == ["answers[1].value", "answers[2].question_id"]
    assert SurveyResponse.objects.for_organisation(org).count() == 0
    assert Answer.objects.for_organisation(org).count() == 0


def test_customer_answers_once_in_the_portal_and_closed_surveys_refuse(org, survey, customer):
    answers = [AnswerIn(question_id=_q(survey, "csat").id, value=3)]
    services.submit_portal_response(organisation=org, customer_id=customer.pk, survey_id=survey.id, answers=answers)
    with pytest.raises(Conflict):
        services.submit_portal_response(organisation=org, customer_id=customer.pk, survey_id=survey.id,
                                        answers=answers)
    assert services.open_surveys_for_customer(organisation=org, customer_id=customer.pk)[0].response_count == 1
    services.set_survey_status(organisation=org, survey_id=survey.id, status="closed")
    with pytest.raises(Conflict):
        services.submit_response(organisation=org, survey_id=survey.id, data=ResponseIn(answers=answers))


def test_self_assessment_retake_replaces_the_earlier_one(org, survey, agent):
    question = _q(survey, "csat").id
    services.submit_self_assessment(organisation=org, survey_id=survey.id, staff_user_id=agent.pk, team="Shop",
                                    answers=[AnswerIn(question_id=question, value=5)])
    services.submit_self_assessment(organisation=org, survey_id=survey.id, staff_user_id=agent.pk, team="Shop",
                                    answers=[AnswerIn(question_id=question, value=4)])
    staff = Answer.objects.for_organisation(org).filter(audience="staff")
    assert [a.raw_value for a in staff] == [4.0]
    assert staff[0].team == "Shop"
    assert services.has_self_assessed(organisation=org, survey_id=survey.id, staff_user_id=agent.pk)


def test_free_text_is_classified_like_feedback(org, survey):
    services.submit_response(organisation=org, survey_id=survey.id, data=ResponseIn(answers=[
        AnswerIn(question_id=_q(survey, "text").id, text="Die Wartezeit an der Kasse war viel zu lang, sehr ärgerlich."),
    ]))
    answer = Answer.objects.for_organisation(org).get(instrument="text")
    assert answer.sentiment in {"negative", "neutral", "positive"}
    assert answer.text_language == "de"
    assert answer.score is None


def _fill(org, survey, staff_users):  # type: ignore[no-untyped-def]
    """Staff believe the counter is fast; customers disagree. Returns the raw CSAT values per audience."""
    csat, rating, superior = _q(survey, "csat").id, _q(survey, "rating").id, _q(survey, "superior").id
    staff_values = [5, 5, 4, 5, 4, 5]
    for user, value in zip(staff_users, staff_values, strict=True):
        services.submit_self_assessment(organisation=org, survey_id=survey.id, staff_user_id=user.pk, team="",
                                        answers=[AnswerIn(question_id=csat, value=value),
                                                 AnswerIn(question_id=rating, value=4),
                                                 AnswerIn(question_id=superior, value=1)])
    customer_values = [2, 3, 1, 2, 3, 2, 4, 2, 1, 3]
    for index, value in enumerate(customer_values):
        services.submit_response(organisation=org, survey_id=survey.id, data=ResponseIn(
            location="North" if index % 2 else "South",
            answers=[AnswerIn(question_id=csat, value=value), AnswerIn(question_id=rating, value=4),
                     AnswerIn(question_id=superior, value=1 if index == 0 else 0)]))
    return staff_values, customer_values


def test_gap_report_matches_scipy_and_sorts_by_gap(org, survey, touchpoints):
    users = [MembershipFactory(organisation=org).user for _ in range(6)]
    staff_values, customer_values = _fill(org, survey, users)
    report = services.gap_report(organisation=org, survey_id=survey.id)

    first = report.rows[0]
    assert (first.touchpoint, first.dimension) == ("Counter", "speed")
    staff = np.array([services.to_score("csat", v) for v in staff_values])
    customers = np.array([services.to_score("csat", v) for v in customer_values])
    assert first.staff.n == 6
    assert first.staff.mean == pytest.approx(staff.mean(), abs=1e-3)
    low, high = stats.t.interval(0.95, len(customers) - 1, loc=customers.mean(), scale=stats.sem(customers))
    gap = first.audiences[0]
    assert gap.audience == "customer"
    assert gap.stat.n == 10
    assert (gap.stat.low, gap.stat.high) == (pytest.approx(low, abs=1e-3), pytest.approx(high, abs=1e-3))
    assert gap.gap == pytest.approx(staff.mean() - customers.mean(), abs=1e-3)
    assert gap.p == pytest.approx(stats.ttest_ind(staff, customers, equal_var=False).pvalue, rel=1e-3)
    assert gap.significant
    # The hotline's friendliness: everyone says 4, no gap, not significant.
    second = report.rows[1]
    assert second.touchpoint == "Hotline"
    assert second.largest_gap == 0
    assert not second.audiences[0].significant

    bain = report.bain
    assert (bain.staff.n, bain.staff.yes, bain.customers.n, bain.customers.yes) == (6, 6, 10, 1)
    reference = stats.binomtest(1, 10).proportion_ci(method="wilson")
    assert bain.customers.low == pytest.approx(reference.low, abs=1e-4)
    assert report.responses_by_audience == {"staff": 6, "customer": 10}


def test_consistency_compares_locations_with_anova(org, survey):
    csat = _q(survey, "csat").id
    north, south = [5, 5, 4, 5], [1, 2, 1, 1]
    for location, values in (("North", north), ("South", south)):
        for value in values:
            services.submit_response(organisation=org, survey_id=survey.id, data=ResponseIn(
                location=location, answers=[AnswerIn(question_id=csat, value=value)]))
    rows = services.touchpoint_consistency(organisation=org)
    row = next(r for r in rows if r.by == "location")
    assert [g.name for g in row.groups] == ["North", "South"]
    scores = [[services.to_score("csat", v) for v in group] for group in (north, south)]
    assert row.p == pytest.approx(stats.f_oneway(*scores).pvalue, rel=1e-3)
    assert row.varies
    assert row.spread == pytest.approx(np.mean(scores[0]) - np.mean(scores[1]))


def test_export_and_erasure_of_a_customers_answers(org, survey, customer):
    services.submit_portal_response(organisation=org, customer_id=customer.pk, survey_id=survey.id,
                                    answers=[AnswerIn(question_id=_q(survey, "csat").id, value=4)])
    exported = services.export_customer_answers(org.pk, customer.pk)
    assert exported["responses"][0]["answers"][0]["value"] == 4.0
    assert services.erase_customer_answers(org.pk, customer.pk) == 1
    assert services.export_customer_answers(org.pk, customer.pk) == {"responses": [], "invitations": []}
    assert Answer.objects.for_organisation(org).count() == 0


def test_survey_from_the_charter_asks_to_rate_every_expectation(org):
    from tests.factories.relationships import ExpectationFactory

    first = ExpectationFactory(organisation=org, dimension="speed", statement="A reply within one working day")
    ExpectationFactory(organisation=org, dimension="honesty", statement="Prices explained before we start")
    survey = services.create_survey_from_charter(organisation=org, title="Charter check")
    rated = [q for q in survey.questions if q.instrument == "rating"]
    assert (rated[0].touchpoint_id, rated[0].dimension, rated[0].text) == (
        first.touchpoint_id, "speed", "A reply within one working day")
    assert len(rated) == 2
    assert {q.instrument for q in survey.questions} == {"rating", "superior", "text"}
    assert survey.status == "draft"


def test_survey_from_an_empty_charter_is_refused(org):
    with pytest.raises(InvalidInput):
        services.create_survey_from_charter(organisation=org, title="Nothing")
    assert services.list_surveys(organisation=org) == []


def test_dashboard_counts_open_surveys_and_recent_responses(org, survey):
    services.submit_response(organisation=org, survey_id=survey.id, data=ResponseIn(
        answers=[AnswerIn(question_id=_q(survey, "csat").id, value=3)]))
    assert services.survey_counts(organisation_id=org.pk) == (1, 1)


def test_running_totals_match_a_rebuild_after_retakes_and_erasure(org, survey, agent, customer):
    from eyelevel.surveys.models import AnswerTotal

    csat, superior = _q(survey, "csat").id, _q(survey, "superior").id
    for value in (5, 4):  # a retake replaces the first self-assessment
        services.submit_self_assessment(organisation=org, survey_id=survey.id, staff_user_id=agent.pk, team="Shop",
                                        answers=[AnswerIn(question_id=csat, value=value),
                                                 AnswerIn(question_id=superior, value=1)])
    services.submit_portal_response(organisation=org, customer_id=customer.pk, survey_id=survey.id,
                                    answers=[AnswerIn(question_id=csat, value=1)])
    services.submit_response(organisation=org, survey_id=survey.id, data=ResponseIn(
        location="North", answers=[AnswerIn(question_id=csat, value=3), AnswerIn(question_id=superior, value=0)]))
    services.erase_customer_answers(org.pk, customer.pk)

    def cells():  # type: ignore[no-untyped-def]
        return sorted((t.touchpoint_key, t.dimension, t.audience, t.team, t.location, t.kind, t.n,
                       round(t.total, 6), round(t.total_sq, 6)) for t in AnswerTotal.objects.for_organisation(org))

    running = cells()
    services.rebuild_answer_totals(organisation=org)
    assert running == cells()
    staff = [c for c in running if c[2] == "staff" and c[5] == "score"]
    assert staff == [(survey.questions[0].touchpoint_id, "speed", "staff", "Shop", "", "score", 1, 75.0, 5625.0)]


def test_rebuild_command_restores_totals_after_a_bulk_load(org, survey):
    from io import StringIO

    from django.core.management import call_command

    from eyelevel.surveys.models import AnswerTotal
    from tests.factories.surveys import AnswerFactory, SurveyResponseFactory

    response = SurveyResponseFactory(organisation=org, survey_id=survey.id, audience="customer")
    AnswerFactory(organisation=org, response=response, question_id=_q(survey, "csat").id, touchpoint_ref=None,
                  score=75.0)
    assert AnswerTotal.objects.for_organisation(org).count() == 0  # the factory bypassed the totals
    out = StringIO()
    call_command("surveys", "rebuild-totals", "--organisation", org.slug, stdout=out, verbosity=0)
    assert "rebuilt 1 running totals" in out.getvalue()
    assert services.gap_report(organisation=org).rows[0].audiences[0].stat.mean == 75.0
    call_command("surveys", "gaps", "--organisation", org.slug, stdout=out)
    assert "(general) / speed" in out.getvalue()


def test_consistency_between_staff_members_who_served(org, survey):
    csat = _q(survey, "csat").id
    for served_by, values in (("A-17", [5, 5, 5]), ("B-02", [2, 1, 2]), ("C-09", [1])):
        for value in values:
            services.submit_response(organisation=org, survey_id=survey.id, data=ResponseIn(
                served_by=served_by, answers=[AnswerIn(question_id=csat, value=value)]))
    row = next(r for r in services.touchpoint_consistency(organisation=org) if r.by == "served_by")
    assert [(g.name, g.n) for g in row.groups] == [("A-17", 3), ("B-02", 3), ("C-09", 1)]
    compared = [[100.0] * 3, [25.0, 0.0, 25.0]]  # C-09 has too few answers to compare
    assert row.p == pytest.approx(stats.f_oneway(*compared).pvalue, rel=1e-3)
    assert row.spread == pytest.approx(100 - 50 / 3)
    assert row.varies


def test_answers_on_a_removed_touchpoint_say_so(org, survey, touchpoints):
    from eyelevel.relationships import services as relationships
    from eyelevel.relationships.schemas import Author

    services.submit_response(organisation=org, survey_id=survey.id, data=ResponseIn(
        answers=[AnswerIn(question_id=_q(survey, "csat").id, value=3)]))
    relationships.delete_touchpoint(organisation=org, touchpoint_id=touchpoints[0].pk, why="Closed",
                                   author=Author(name="olivia"))
    assert services.gap_report(organisation=org).rows[0].touchpoint == "(removed touchpoint)"
