"""Touchpoint consistency from classified feedback: does the share of negative feedback depend on who served?"""

import math

from django.utils.translation import gettext as _

from eyelevel.core.models import Organisation
from eyelevel.feedback import services as feedback
from eyelevel.relationships import services as relationships
from eyelevel.surveys import statistics
from eyelevel.surveys.schemas import FeedbackConsistencyRow, SentimentGroup

SIGNIFICANCE = 0.05
# Groups with fewer classified items than this are shown but left out of the test and the spread.
MIN_GROUP_ITEMS = 5


def _clean(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) or math.isinf(value) else float(value)


def _group(name: str, negative: int, neutral: int, positive: int) -> SentimentGroup:
    n = negative + neutral + positive
    low, high = statistics.wilson_interval(negative, n)
    return SentimentGroup.model_construct(
        name=name, n=n, negative=negative, neutral=neutral, positive=positive,
        negative_share=negative / n if n else None, low=_clean(low), high=_clean(high),
        compared=n >= MIN_GROUP_ITEMS)


def feedback_consistency(*, organisation: Organisation | int,
                         touchpoints: dict[int, tuple[str, str]] | None = None) -> list[FeedbackConsistencyRow]:
    """Per touchpoint and per team or staff member: the negative share and a chi-square test across them."""
    if touchpoints is None:
        touchpoints = relationships.touchpoint_labels(organisation=organisation)
    grouped: dict[tuple[int, str], list[SentimentGroup]] = {}
    for cell in feedback.sentiment_counts_by_group(organisation=organisation):
        grouped.setdefault((cell.touchpoint_id, cell.by), []).append(
            _group(cell.group, cell.negative, cell.neutral, cell.positive))
    rows: list[FeedbackConsistencyRow] = []
    for (touchpoint_id, by), groups in grouped.items():
        compared = [g for g in groups if g.compared]
        chi2, dof, p = statistics.chi_square_homogeneity([[g.negative, g.neutral, g.positive] for g in compared])
        shares = [g.negative_share for g in compared if g.negative_share is not None]
        name, stage = touchpoints.get(touchpoint_id, (_("(removed touchpoint)"), ""))
        rows.append(FeedbackConsistencyRow.model_construct(
            touchpoint_id=touchpoint_id, touchpoint=name, journey_stage=stage, by=by,
            groups=sorted(groups, key=lambda g: (-(g.negative_share or 0), g.name)),
            spread=max(shares) - min(shares) if len(shares) >= 2 else None,
            chi2=_clean(chi2), dof=dof, p=_clean(p), q=None, varies=False))
    # One test per touchpoint and grouping: control the false discovery rate across all of them.
    qvalues = statistics.benjamini_hochberg([math.nan if row.p is None else row.p for row in rows])
    for row, q in zip(rows, qvalues, strict=True):
        row.q = _clean(q)
        row.varies = row.q is not None and row.q < SIGNIFICANCE
    rows.sort(key=lambda r: (not r.varies, r.spread is None, -(r.spread or 0), r.touchpoint, r.by))
    return rows
