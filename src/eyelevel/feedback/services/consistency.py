"""Sentiment of classified feedback per touchpoint and per team or staff member, counted by the database.

The surveys domain turns these counts into its touchpoint-consistency test: where the share of negative
feedback depends on who handled the customer, the charter is not lived.
"""

from django.db.models import Count, Q
from ninja import Schema

from eyelevel.core.models import Organisation
from eyelevel.feedback.models import FeedbackItem, Sentiment


class SentimentCounts(Schema):
    """Classified items on one touchpoint handled by one team (by="team") or one staff member (by="owner")."""

    touchpoint_id: int
    by: str
    group: str
    negative: int = 0
    neutral: int = 0
    positive: int = 0


def sentiment_counts_by_group(*, organisation: Organisation | int) -> list[SentimentCounts]:
    """Negative, neutral and positive items per touchpoint and team, and per touchpoint and owner (one query)."""
    rows = (FeedbackItem.objects.for_organisation(organisation)
            .filter(touchpoint__isnull=False, sentiment__in=Sentiment.values)
            .exclude(team="", owner__isnull=True)
            .values("touchpoint_id", "team", "owner__username")
            .annotate(**{label: Count("id", filter=Q(sentiment=label)) for label in Sentiment.values})
            .order_by())
    # One query grouped by touchpoint, team and owner; rolled up here into the two groupings.
    cells: dict[tuple[int, str, str], list[int]] = {}
    for row in rows:
        for by, group in (("team", row["team"]), ("owner", row["owner__username"] or "")):
            if group:
                cell = cells.setdefault((row["touchpoint_id"], by, group), [0, 0, 0])
                cell[0] += row[Sentiment.NEGATIVE]
                cell[1] += row[Sentiment.NEUTRAL]
                cell[2] += row[Sentiment.POSITIVE]
    # Counted here, not read from outside: model_construct skips re-validating a few thousand small objects.
    return [SentimentCounts.model_construct(touchpoint_id=key[0], by=key[1], group=key[2], negative=negative,
                                            neutral=neutral, positive=positive)
            for key, (negative, neutral, positive) in sorted(cells.items())]
