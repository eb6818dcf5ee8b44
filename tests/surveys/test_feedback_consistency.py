"""Touchpoint consistency from classified feedback: per team and staff member, tested with chi-square."""

import pytest
from scipy import stats

from eyelevel.surveys import services
from tests.factories.accounts import UserFactory
from tests.factories.feedback import FeedbackItemFactory
from tests.factories.relationships import TouchpointFactory

pytestmark = pytest.mark.django_db

# Negative, neutral, positive items per team at the counter: the north team's customers are far unhappier.
COUNTER = {"North": (12, 3, 5), "South": (2, 4, 14)}


@pytest.fixture
def classified_feedback(org, other_org, touchpoints):  # type: ignore[no-untyped-def]
    counter, hotline = touchpoints
    staff = {"North": UserFactory(username="anna"), "South": UserFactory(username="ben")}

    def items(touchpoint, team, counts, owner=None):  # type: ignore[no-untyped-def]
        for sentiment, count in zip(("negative", "neutral", "positive"), counts, strict=True):
            FeedbackItemFactory.create_batch(count, organisation=org, touchpoint=touchpoint, team=team,
                                             owner=owner, sentiment=sentiment, customer=None)

    for team, counts in COUNTER.items():
        items(counter, team, counts, owner=staff[team])
    items(counter, "Night shift", (1, 0, 1))  # too few items to compare
    items(hotline, "North", (5, 0, 5))
    items(hotline, "South", (5, 0, 5))
    FeedbackItemFactory.create_batch(6, organisation=other_org, touchpoint=TouchpointFactory(organisation=other_org),
                                     team="Zyx team", sentiment="negative", customer=None)
    return counter, hotline


def _row(rows, touchpoint, by):  # type: ignore[no-untyped-def]
    return next(r for r in rows if r.touchpoint_id == touchpoint.pk and r.by == by)


def test_negative_share_per_team_and_chi_square_as_scipy(org, classified_feedback):
    counter, hotline = classified_feedback
    rows = services.feedback_consistency(organisation=org)

    by_team = _row(rows, counter, "team")
    assert by_team.touchpoint == "Counter"
    assert [(g.name, g.n, g.negative_share, g.compared) for g in by_team.groups] == [
        ("North", 20, 0.6, True), ("Night shift", 2, 0.5, False), ("South", 20, 0.1, True)]
    expected = stats.chi2_contingency([COUNTER["North"], COUNTER["South"]], correction=False)
    assert by_team.chi2 == pytest.approx(expected.statistic)
    assert by_team.dof == expected.dof == 2
    assert by_team.p == pytest.approx(expected.pvalue)
    assert by_team.spread == pytest.approx(0.5)
    assert by_team.varies
    # The same items by the staff member who handled them: the same difference.
    assert _row(rows, counter, "owner").p == pytest.approx(expected.pvalue)
    # At the hotline both teams' customers feel the same: nothing to flag.
    steady = _row(rows, hotline, "team")
    assert steady.p == pytest.approx(1.0)
    assert not steady.varies
    assert rows[0].varies  # the flagged touchpoints come first
    assert all("Zyx" not in g.name for r in rows for g in r.groups)


def test_q_values_control_the_false_discovery_rate(org, classified_feedback):
    rows = services.feedback_consistency(organisation=org)
    tested = sorted((r.p, r.q) for r in rows if r.p is not None)
    m = len(tested)
    # Benjamini–Hochberg: q is never below p and, ranked, never above p * m / rank.
    for rank, (p, q) in enumerate(tested, start=1):
        assert p <= q <= min(1.0, p * m / rank) + 1e-12


def test_gap_report_page_shows_feedback_consistency_with_its_chart(owner_client, org, classified_feedback):
    page = owner_client.get("/staff/surveys/gap/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "North: 60% negative (n=20)" in body
    assert 'data-testid="feedback-varies"' in body
    assert "/staff/surveys/gap/feedback.svg" in body
    chart = owner_client.get("/staff/surveys/gap/feedback.svg")
    assert chart["Content-Type"] == "image/svg+xml"
    assert b"Counter" in chart.content
    assert b"North" in chart.content


def test_feedback_consistency_page_speaks_german(owner_client, org, classified_feedback):
    body = owner_client.get("/staff/surveys/gap/", headers={"Accept-Language": "de"}).content.decode()
    assert "North: 60 % negativ (n=20)" in body


def test_empty_chart_says_so(owner_client, org):
    chart = owner_client.get("/staff/surveys/gap/feedback.svg")
    assert b"No touchpoint with two teams or staff members to compare yet." in chart.content


def test_feedback_consistency_over_the_api(api_client, outsider_api_client, org, classified_feedback):
    counter, _hotline = classified_feedback
    rows = api_client.get("/api/v1/surveys/feedback-consistency").json()
    row = next(r for r in rows if r["touchpoint_id"] == counter.pk and r["by"] == "team")
    assert row["varies"] is True
    assert row["groups"][0] == {"name": "North", "n": 20, "negative": 12, "neutral": 3, "positive": 5,
                                "negative_share": 0.6, "low": pytest.approx(0.387, abs=1e-3),
                                "high": pytest.approx(0.781, abs=1e-3), "compared": True}
    theirs = outsider_api_client.get("/api/v1/surveys/feedback-consistency").json()
    assert [g["name"] for r in theirs for g in r["groups"]] == ["Zyx team"]
