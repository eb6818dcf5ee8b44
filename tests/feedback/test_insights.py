"""Insights: time to acknowledge and to act, loops closed, weekly trends, and the rising-negative alert."""

import random
import statistics
from datetime import timedelta

import pytest
from django.utils import timezone

from eyelevel.analysis.text.trends import rising_share
from eyelevel.feedback.services import insights
from tests.factories.feedback import FeedbackItemFactory


def _items(org, count, *, days_ago, polarity, label="Toiletten"):  # type: ignore[no-untyped-def]
    for n in range(count):
        FeedbackItemFactory(organisation=org, customer=None, received_at=timezone.now() - timedelta(days=days_ago, hours=n),
                            aspects=[{"label": label, "polarity": polarity}])


def test_the_z_test_is_one_sided_and_needs_evidence() -> None:
    assert rising_share(8, 10, 10, 100).p_value < 0.001
    assert rising_share(1, 10, 10, 100).p_value == 0.5  # the same share is no rise
    assert rising_share(2, 10, 40, 100).p_value > 0.5  # a fall is no rise
    assert rising_share(0, 0, 5, 10).p_value == 1.0


def test_alert_when_an_aspects_negative_share_rises_against_its_history(org) -> None:  # type: ignore[no-untyped-def]
    _items(org, 20, days_ago=30, polarity="positive")
    _items(org, 4, days_ago=30, polarity="negative")
    _items(org, 6, days_ago=2, polarity="negative")
    _items(org, 1, days_ago=2, polarity="positive")
    _items(org, 10, days_ago=30, polarity="negative", label="Zugfahrt")  # always negative: no rise
    _items(org, 5, days_ago=2, polarity="negative", label="Zugfahrt")
    alerts = insights.aspect_alerts(organisation=org)
    assert [a.aspect for a in alerts] == ["Toiletten"]
    assert alerts[0].recent_negative == 6
    assert alerts[0].history_total == 24
    assert alerts[0].p_value < 0.01


def test_summary_times_and_trends(org) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    FeedbackItemFactory(organisation=org, received_at=now - timedelta(hours=10), acknowledged_at=now - timedelta(hours=8),
                        closed_at=now - timedelta(hours=4), status="done")
    FeedbackItemFactory(organisation=org, received_at=now - timedelta(hours=5), acknowledged_at=now - timedelta(hours=1),
                        status="acknowledged")
    FeedbackItemFactory(organisation=org, received_at=now - timedelta(hours=1))
    summary = insights.summarise(organisation=org)
    assert summary.items == 3
    assert summary.median_hours_to_acknowledge == 3.0
    assert summary.median_hours_to_act == 6.0
    assert summary.loops_closed_share == round(1 / 3, 3)
    trends = insights.weekly_trends(organisation=org)
    assert sum(trends["sentiment"]["negative"]) == 3
    assert sum(trends["aspects"]["Gastronomisches_Angebot"]) == 3
    charts = insights.trend_charts(organisation=org)
    assert charts["sentiment"].startswith("<svg")
    assert "<script" not in charts["sentiment"]
    assert "share of items" in charts["sentiment"]
    from django.utils import translation

    with translation.override("de"):
        german = insights.trend_charts(organisation=org)
    assert "Anteil der Rückmeldungen" in german["sentiment"]
    assert "negativ" in german["sentiment"]
    assert "Einträge" in german["aspects"]


@pytest.mark.parametrize("count", [0, 1, 2, 7, 8])
def test_the_medians_come_from_the_database_and_equal_statistics_median(org, count, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    randomness = random.Random(count)
    now = timezone.now()
    to_acknowledge, to_act = [], []
    for n in range(count):
        received = now - timedelta(days=30, seconds=randomness.randrange(10**6), microseconds=randomness.randrange(10**6))
        acknowledged = received + timedelta(seconds=randomness.randrange(3 * 10**5), microseconds=randomness.randrange(10**6))
        closed = acknowledged + timedelta(seconds=randomness.randrange(10**6)) if n % 3 else None  # some still open
        FeedbackItemFactory(organisation=org, customer=None, aspects=[], received_at=received,
                            acknowledged_at=acknowledged, closed_at=closed, status="done" if closed else "in_action")
        to_acknowledge.append((acknowledged - received).total_seconds() / 3600)
        if closed:
            to_act.append((closed - received).total_seconds() / 3600)
    FeedbackItemFactory(organisation=other_organisation(), received_at=now - timedelta(days=400),
                        acknowledged_at=now, closed_at=now)  # another organisation's item counts nowhere
    with django_assert_max_num_queries(5):  # counts, the middle of each median, alerts, notes: not a row per item
        summary = insights.summarise(organisation=org)
    assert summary.items == count
    assert summary.median_hours_to_acknowledge == (round(statistics.median(to_acknowledge), 1) if to_acknowledge else None)
    assert summary.median_hours_to_act == (round(statistics.median(to_act), 1) if to_act else None)
    assert summary.acknowledged_share == (1.0 if count else None)


def other_organisation():  # type: ignore[no-untyped-def]
    from tests.factories.core import OrganisationFactory

    return OrganisationFactory()
