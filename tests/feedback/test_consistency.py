"""Sentiment counts of classified feedback per touchpoint and team or owner, for touchpoint consistency."""

import pytest

from eyelevel.feedback import services
from tests.factories.accounts import UserFactory
from tests.factories.feedback import FeedbackItemFactory
from tests.factories.relationships import TouchpointFactory

pytestmark = pytest.mark.django_db


def _items(organisation, touchpoint, sentiment, count, **fields):  # type: ignore[no-untyped-def]
    FeedbackItemFactory.create_batch(count, organisation=organisation, touchpoint=touchpoint, sentiment=sentiment,
                                     customer=None, **fields)


def test_counts_per_touchpoint_by_team_and_by_owner_in_one_query(org, other_org, django_assert_num_queries):
    counter = TouchpointFactory(organisation=org, name="Counter")
    anna, ben = UserFactory(username="anna"), UserFactory(username="ben")
    _items(org, counter, "negative", 3, team="North", owner=anna)
    _items(org, counter, "positive", 1, team="North", owner=ben)
    _items(org, counter, "neutral", 2, team="South", owner=ben)
    _items(org, counter, "positive", 1, team="South")  # no owner: counts for its team only
    _items(org, counter, "negative", 1, owner=anna)  # no team: counts for its owner only
    _items(org, counter, "negative", 4)  # neither: no group to compare
    _items(org, counter, "", 5, team="North", owner=anna)  # not classified yet
    _items(org, None, "negative", 5, team="North", owner=anna)  # on no touchpoint
    _items(other_org, TouchpointFactory(organisation=other_org), "negative", 5, team="North", owner=anna)

    with django_assert_num_queries(1):
        counts = services.sentiment_counts_by_group(organisation=org)

    table = {(c.touchpoint_id, c.by, c.group): (c.negative, c.neutral, c.positive) for c in counts}
    assert table == {
        (counter.pk, "team", "North"): (3, 0, 1),
        (counter.pk, "team", "South"): (0, 2, 1),
        (counter.pk, "owner", "anna"): (4, 0, 0),
        (counter.pk, "owner", "ben"): (0, 2, 1),
    }
