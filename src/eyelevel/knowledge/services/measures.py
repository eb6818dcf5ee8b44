"""KCS measures: reuse rate, articles per solved case, time to publish, article quality index, self-service success."""

from __future__ import annotations

import bisect
import io
import random
import statistics
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eyelevel.accounts.schemas import ActingStaff
from eyelevel.core.errors import InvalidInput
from eyelevel.core.models import Organisation
from eyelevel.core.permissions import KNOWLEDGE_VALIDATE, require
from eyelevel.core.tenancy import get_scoped, organisation_id_of
from eyelevel.feedback import services as feedback
from eyelevel.knowledge.models import (
    Article,
    ArticleLink,
    ArticleVote,
    EventKind,
    LinkKind,
    QualityReview,
    SelfServiceEvent,
    State,
)
from eyelevel.knowledge.schemas import ArticleOut, MeasuresOut, ReviewOut, WeekCount
from eyelevel.knowledge.services.articles import _annotated, to_out

# The content standard's checklist a coach checks a sample of articles against (KCS practices guide).
CHECKLIST: dict[str, object] = {
    "customer_words": gettext_lazy("The issue is in the customer's words"),
    "complete": gettext_lazy("Issue, environment and resolution are filled in"),
    "clear": gettext_lazy("Clear and concise: one issue, easy to follow"),
    "correct": gettext_lazy("The resolution is correct and works"),
    "unique": gettext_lazy("No duplicate of another article"),
    "metadata": gettext_lazy("Title, language and visibility are right"),
}
SAMPLE_SIZE = 5
# A customer who found an answer and did not submit feedback within this time was helped by self-service.
SELF_SERVICE_WINDOW = timedelta(hours=24)


def _review_out(review: QualityReview) -> ReviewOut:
    return ReviewOut(id=review.pk, article_id=review.article_id, article_title=review.article.title,
                     coach_name=review.coach.username if review.coach_id else "", checks=review.checks,
                     score=review.score, created_at=review.created_at)


@transaction.atomic
def review_article(*, organisation: Organisation, actor: ActingStaff, article_id: int,
                   passed: list[str]) -> ReviewOut:
    """Record a coach's check of an article against the checklist (those not in `passed` failed)."""
    require(actor.role, KNOWLEDGE_VALIDATE)
    article = get_scoped(Article, organisation=organisation, pk=article_id)
    unknown = sorted(set(passed) - set(CHECKLIST))
    if unknown:
        raise InvalidInput(_("unknown checklist items: %(items)s") % {"items": ", ".join(unknown)}, field="passed")
    checks = {code: code in passed for code in CHECKLIST}
    review = QualityReview.objects.create(organisation=organisation, article=article, coach_id=actor.user_id,
                                          checks=checks, score=sum(checks.values()) / len(checks))
    return _review_out(review)


def pick_review_sample(*, organisation: Organisation | int, size: int = SAMPLE_SIZE, days: int = 30,
                       seed: int | None = None) -> list[ArticleOut]:
    """A random sample of live articles not reviewed in the last days, for the coach to check."""
    since = timezone.now() - timedelta(days=days)
    reviewed = QualityReview.objects.for_organisation(organisation).filter(created_at__gte=since).values("article_id")
    candidates = list(Article.objects.for_organisation(organisation).exclude(state=State.ARCHIVED).exclude(
        pk__in=reviewed).values_list("pk", flat=True))
    chosen = random.Random(seed).sample(candidates, min(size, len(candidates)))
    return [to_out(article) for article in _annotated(organisation).filter(pk__in=chosen)]


def recent_reviews(*, organisation: Organisation | int, limit: int = 20) -> list[ReviewOut]:
    """The newest quality reviews."""
    reviews = QualityReview.objects.for_organisation(organisation).select_related("article", "coach")[:limit]
    return [_review_out(review) for review in reviews]


def _ratio(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


def _self_service(organisation_id: int, since) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """(sessions where suggestions were shown or an article was read, those that ended in an answer)."""
    events = SelfServiceEvent.objects.for_organisation(organisation_id).filter(created_at__gte=since)
    sessions = {(e.customer_id, e.created_at.date()) for e in events if e.kind in (EventKind.SUGGESTED, EventKind.VIEWED)}
    answered = [e for e in events if e.kind == EventKind.ANSWERED]
    customers = {event.customer_id for event in answered if event.customer_id is not None}
    submissions = feedback.feedback_times_of_customers(
        organisation=organisation_id, customer_ids=customers, since=min(event.created_at for event in answered),
        until=max(event.created_at for event in answered) + SELF_SERVICE_WINDOW) if customers else {}
    successes = set()
    for event in answered:
        times = submissions.get(event.customer_id, [])  # oldest first
        first_after = bisect.bisect_left(times, event.created_at)
        asked_anyway = first_after < len(times) and times[first_after] <= event.created_at + SELF_SERVICE_WINDOW
        if not asked_anyway:
            successes.add((event.customer_id, event.created_at.date()))
    sessions |= successes
    return len(sessions), len(successes)


def compute_measures(*, organisation: Organisation | int, days: int = 90, weeks: int = 8) -> MeasuresOut:
    """The KCS measures over the last days (and weekly creation and reuse for the chart)."""
    if not 1 <= days <= 3650:
        raise InvalidInput(_("days must be between 1 and 3650"), field="days")
    organisation_id = organisation_id_of(organisation)
    now = timezone.now()
    since = now - timedelta(days=days)
    articles = Article.objects.for_organisation(organisation_id)
    links = list(ArticleLink.objects.for_organisation(organisation_id).filter(created_at__gte=since)
                 .values_list("kind", "created_at"))
    created = sum(1 for kind, _at in links if kind == LinkKind.CREATED)
    reused = len(links) - created
    cases = feedback.solved_count(organisation_id=organisation_id, days=days)  # KCS: new articles per closed case
    hours = [(published - made).total_seconds() / 3600 for made, published in articles.filter(
        published_at__gte=since).values_list("created_at", "published_at")]
    scores = list(QualityReview.objects.for_organisation(organisation_id).filter(created_at__gte=since)
                  .values_list("score", flat=True))
    votes = list(ArticleVote.objects.for_organisation(organisation_id).filter(created_at__gte=since)
                 .values_list("helped", flat=True))
    sessions, successes = _self_service(organisation_id, since)
    today = timezone.localdate(now)  # weeks in local days, like the created_at__date lookup (not UTC's)
    start_of_week = today - timedelta(days=today.weekday())
    firsts = [start_of_week - timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]
    tally = {first: {LinkKind.CREATED: 0, LinkKind.REUSED: 0} for first in firsts}
    for kind, at in ArticleLink.objects.for_organisation(organisation_id).filter(
            created_at__date__gte=firsts[0] if firsts else start_of_week).values_list("kind", "created_at"):
        day = timezone.localdate(at)
        first = day - timedelta(days=day.weekday())
        if first in tally and kind in tally[first]:
            tally[first][kind] += 1
    week_rows = [WeekCount(week=first.isoformat(), created=tally[first][LinkKind.CREATED],
                           reused=tally[first][LinkKind.REUSED]) for first in firsts]
    return MeasuresOut(
        days=days, articles=articles.count(), validated=articles.filter(state=State.VALIDATED).count(),
        published=articles.filter(published=True).count(), links=len(links), created_from_cases=created,
        reuses=reused, reuse_rate=_ratio(reused, len(links)), solved_cases=cases,
        articles_per_solved_case=_ratio(created, cases),
        median_hours_to_publish=round(statistics.median(hours), 2) if hours else None,
        quality_index=round(statistics.fmean(scores), 4) if scores else None, reviews=len(scores),
        self_service_sessions=sessions, self_service_successes=successes,
        self_service_success_rate=_ratio(successes, sessions),
        helpful_votes=sum(votes), unhelpful_votes=len(votes) - sum(votes), weeks=week_rows,
    )


def measures_chart_svg(*, measures: MeasuresOut) -> str:
    """A bar chart (SVG) of articles created from cases and reuses per week."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, axes = pyplot.subplots(figsize=(7, 2.8), dpi=100)
    positions = range(len(measures.weeks))
    axes.bar([p - 0.2 for p in positions], [w.created for w in measures.weeks], width=0.4, label=_("created"),
             color="#0f3d3e")
    axes.bar([p + 0.2 for p in positions], [w.reused for w in measures.weeks], width=0.4, label=_("reused"),
             color="#e0a100")
    axes.set_xticks(list(positions), [w.week[5:] for w in measures.weeks], fontsize=8)
    axes.set_title(_("Articles linked to cases per week"), fontsize=10)
    axes.legend(fontsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg")
    pyplot.close(figure)
    svg = buffer.getvalue()
    return svg[svg.index("<svg"):]
