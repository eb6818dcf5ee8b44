"""Insights: time to acknowledge and to act, loops closed, weekly trends with charts, rising-negative alerts."""

import io
from collections import Counter, defaultdict
from datetime import datetime, timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from eyelevel.core.models import Organisation
from eyelevel.feedback.models import FeedbackItem, Sentiment, Status
from eyelevel.feedback.schemas import AlertOut, InsightsOut
from eyelevel.feedback.services.actions import contempt_by_team

ALERT_P_VALUE = 0.01
RECENT_DAYS = 7
HISTORY_WEEKS = 12
MIN_RECENT_NEGATIVE = 3


def aspect_alerts(*, organisation: Organisation | int, now: datetime | None = None) -> list[AlertOut]:
    """Aspects whose negative share in the last week is significantly above their previous weeks."""
    # scipy.stats takes most of a second to load: on first use, not when Django starts
    from eyelevel.analysis.text.trends import rising_share

    now = now or timezone.now()
    recent_start = now - timedelta(days=RECENT_DAYS)
    history_start = recent_start - timedelta(weeks=HISTORY_WEEKS)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # recent neg, recent all, history neg, all
    rows = FeedbackItem.objects.for_organisation(organisation).filter(
        received_at__gte=history_start, received_at__lt=now).values_list("received_at", "aspects")
    for received_at, aspects in rows.iterator():
        offset = 0 if received_at >= recent_start else 2
        for label, polarity in {(a["label"].split("#")[0], a["polarity"]) for a in aspects or []}:
            counts[label][offset] += polarity == "negative"
            counts[label][offset + 1] += 1
    alerts = []
    for label, (recent_neg, recent_all, history_neg, history_all) in sorted(counts.items()):
        if recent_neg < MIN_RECENT_NEGATIVE:
            continue
        test = rising_share(recent_neg, recent_all, history_neg, history_all)
        if test.p_value < ALERT_P_VALUE:
            alerts.append(AlertOut(aspect=label, recent_negative=recent_neg, recent_total=recent_all,
                                   history_negative=history_neg, history_total=history_all,
                                   recent_share=test.recent_share, history_share=test.history_share,
                                   p_value=test.p_value))
    return alerts


def _median_hours(items: QuerySet, start: str, end: str, count: int) -> float | None:
    """The median of end - start in hours over the items that have an end, read from the database.

    Only the middle row (odd count) or the middle two (even count) of the ordered durations leave the
    database, so the figure costs the same to fetch for a hundred items or a million (portable: SQLite
    has no percentile_cont). The same value as statistics.median of the same durations.
    """
    if not count:
        return None
    duration = ExpressionWrapper(F(end) - F(start), output_field=DurationField())
    middle = list(items.filter(**{f"{end}__isnull": False}).annotate(duration=duration).order_by("duration")
                  .values_list("duration", flat=True)[(count - 1) // 2: count // 2 + 1])
    if not middle:  # rows went away between the count and this read
        return None
    return round(sum(middle, timedelta()).total_seconds() / len(middle) / 3600, 1)


def summarise(*, organisation: Organisation | int) -> InsightsOut:
    """The figures of the insights page."""
    items = FeedbackItem.objects.for_organisation(organisation)
    counts = items.aggregate(
        total=Count("pk"), acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False)),
        closed=Count("pk", filter=Q(closed_at__isnull=False)), done=Count("pk", filter=Q(status=Status.DONE)))
    total = counts["total"]
    return InsightsOut(
        items=total,
        median_hours_to_acknowledge=_median_hours(items, "received_at", "acknowledged_at", counts["acknowledged"]),
        median_hours_to_act=_median_hours(items, "received_at", "closed_at", counts["closed"]),
        loops_closed_share=round(counts["done"] / total, 3) if total else None,
        acknowledged_share=round(counts["acknowledged"] / total, 3) if total else None,
        alerts=aspect_alerts(organisation=organisation),
        flagged_notes_by_team=contempt_by_team(organisation=organisation),
    )


def weekly_trends(*, organisation: Organisation | int, weeks: int = HISTORY_WEEKS) -> dict:
    """Per ISO week: items per sentiment and per coarse aspect (top five aspects)."""
    start = timezone.now() - timedelta(weeks=weeks)
    sentiment: dict[str, Counter] = defaultdict(Counter)
    aspects: dict[str, Counter] = defaultdict(Counter)
    totals: Counter = Counter()
    for received_at, label, found in FeedbackItem.objects.for_organisation(organisation).filter(
            received_at__gte=start).values_list("received_at", "sentiment", "aspects").iterator():
        week = f"{received_at.isocalendar()[0]}-W{received_at.isocalendar()[1]:02d}"
        sentiment[week][label or "unknown"] += 1
        for name in {a["label"].split("#")[0] for a in found or []}:
            aspects[week][name] += 1
            totals[name] += 1
    order = sorted(sentiment)
    top = [name for name, _n in totals.most_common(5)]
    return {"weeks": order, "sentiment": {s: [sentiment[w][s] for w in order] for s in ("negative", "neutral", "positive")},
            "aspects": {name: [aspects[w][name] for w in order] for name in top}}


def _svg(figure) -> str:  # type: ignore[no-untyped-def]
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def trend_charts(*, organisation: Organisation | int) -> dict[str, str]:
    """Inline SVG charts of the weekly sentiment shares and aspect counts ('' when there is no data)."""
    data = weekly_trends(organisation=organisation)
    if not data["weeks"]:
        return {"sentiment": "", "aspects": ""}
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    plt.rcParams["svg.fonttype"] = "none"
    charts = {}
    weeks = data["weeks"]
    figure, axes = plt.subplots(figsize=(7, 2.8))
    totals = [max(1, sum(data["sentiment"][s][i] for s in data["sentiment"])) for i in range(len(weeks))]
    colours = {"negative": "#cf222e", "neutral": "#8c959f", "positive": "#1a7f37"}
    for name, values in data["sentiment"].items():
        axes.plot(weeks, [v / t for v, t in zip(values, totals, strict=True)], marker="o",
                  label=str(Sentiment(name).label), color=colours[name])
    axes.set_ylim(0, 1)
    axes.set_ylabel(_("share of items"))
    axes.legend(loc="upper left", fontsize=8)
    axes.tick_params(axis="x", labelrotation=45, labelsize=8)
    charts["sentiment"] = _svg(figure)
    plt.close(figure)
    figure, axes = plt.subplots(figsize=(7, 2.8))
    for name, values in data["aspects"].items():
        axes.plot(weeks, values, marker="o", label=name)
    axes.set_ylabel(_("items"))
    axes.legend(loc="upper left", fontsize=8)
    axes.tick_params(axis="x", labelrotation=45, labelsize=8)
    charts["aspects"] = _svg(figure)
    plt.close(figure)
    return charts
