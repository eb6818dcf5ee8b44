"""The gap report: what staff believe against what each audience experiences, per touchpoint and dimension."""

import hashlib
import math

from django.core.cache import cache
from django.db.models import Count, Max, Sum
from django.utils import translation
from django.utils.translation import gettext as _

from eyelevel.core.models import Organisation
from eyelevel.core.tenancy import organisation_id_of
from eyelevel.relationships import services as relationships
from eyelevel.surveys import statistics
from eyelevel.surveys.models import AnswerTotal, Audience, SurveyResponse
from eyelevel.surveys.schemas import (
    AudienceGap,
    BainComparison,
    ConsistencyGroup,
    ConsistencyRow,
    GapReport,
    GapRow,
    GroupStat,
    ShareStat,
)

OUTSIDE_AUDIENCES = [Audience.CUSTOMER, Audience.COMPETITOR_CUSTOMER, Audience.NON_CUSTOMER]
SIGNIFICANCE = 0.05
# The report is built from numbers computed here; model_construct skips re-validating thousands of small objects.
# Groups (teams, locations) with fewer answers than this are shown but not compared.
MIN_GROUP_ANSWERS = 3
# A built report is kept this long at most; its key changes as soon as an answer arrives or leaves.
CACHE_SECONDS = 3600


def _clean(value: float) -> float | None:
    return None if value is None or math.isnan(value) or math.isinf(value) else float(value)


def _touchpoint_name(touchpoint_id: int | None, labels: tuple[str, str] | None) -> str:
    if labels:
        return labels[0]
    # Answers outlive a touchpoint removed from the charter; say so rather than call them general.
    return _("(removed touchpoint)") if touchpoint_id else ""


def _group_stat(summary: statistics.Summary) -> GroupStat:
    low, high = statistics.mean_interval(summary)
    return GroupStat.model_construct(n=summary.n, mean=_clean(summary.mean), low=_clean(low), high=_clean(high))


def _totals(organisation: Organisation | int, survey_id: int | None, kind: str | None = "score"):  # type: ignore[no-untyped-def]
    totals = AnswerTotal.objects.for_organisation(organisation)
    if kind is not None:
        totals = totals.filter(kind=kind)
    return totals.filter(survey_id=survey_id) if survey_id is not None else totals


def _sums(queryset, *fields: str) -> dict[tuple, statistics.Summary]:  # type: ignore[no-untyped-def]
    """Count, sum and sum of squares per group, summed by the database from the running totals."""
    rows = (queryset.values(*fields).annotate(n_=Sum("n"), total_=Sum("total"), total_sq_=Sum("total_sq"))
            .order_by())
    return {tuple((row[f] or None) if f == "touchpoint_key" else row[f] for f in fields):
            statistics.summarise(row["n_"], row["total_"], row["total_sq_"]) for row in rows}


def _cache_key(organisation: Organisation | int, survey_id: int | None,
               touchpoints: dict[int, tuple[str, str]]) -> str:
    """A key that changes whenever the answers, the responses or the touchpoints' names change."""
    totals = _totals(organisation, survey_id, kind=None).aggregate(
        cells=Count("id"), n=Sum("n"), total=Sum("total"), total_sq=Sum("total_sq"))
    responses = SurveyResponse.objects.for_organisation(organisation)
    if survey_id is not None:
        responses = responses.filter(survey_id=survey_id)
    # Responses only ever arrive (a higher id) or leave (a lower count); answers come and go with them.
    stamp = (sorted(totals.items()), sorted(responses.aggregate(n=Count("id"), last=Max("id")).items()),
             sorted(touchpoints.items()), translation.get_language())
    digest = hashlib.sha256(repr(stamp).encode()).hexdigest()[:32]
    return f"surveys:gap-report:{organisation_id_of(organisation)}:{survey_id or 0}:{digest}"


def gap_report(*, organisation: Organisation | int, survey_id: int | None = None) -> GapReport:
    """Per touchpoint and dimension: staff belief, each audience's rating, the gaps and their significance.

    Built once per state of the answers: the page and its charts ask for it in turn, and the cache hands
    them the same report until an answer arrives or leaves.
    """
    touchpoints = relationships.touchpoint_labels(organisation=organisation)
    key = _cache_key(organisation, survey_id, touchpoints)
    report = cache.get(key)
    if report is None:
        report = _build_gap_report(organisation, survey_id, touchpoints)
        cache.set(key, report, CACHE_SECONDS)
    return report


def _build_gap_report(organisation: Organisation | int, survey_id: int | None,
                      touchpoints: dict[int, tuple[str, str]]) -> GapReport:
    sums = _sums(_totals(organisation, survey_id), "touchpoint_key", "dimension", "audience")
    pairs = sorted({(tp, dim) for tp, dim, _aud in sums})
    empty = statistics.Summary(0, math.nan, math.nan)
    rows: list[GapRow] = []
    for touchpoint_id, dimension in pairs:
        staff = sums.get((touchpoint_id, dimension, Audience.STAFF), empty)
        audiences = []
        for audience in OUTSIDE_AUDIENCES:
            summary = sums.get((touchpoint_id, dimension, audience))
            if summary is None:
                continue
            t, _df, p = statistics.welch_test(staff, summary)
            gap = AudienceGap.model_construct(audience=audience, stat=_group_stat(summary),
                              gap=_clean(staff.mean - summary.mean) if staff.n else None, t=_clean(t), p=_clean(p))
            audiences.append(gap)
        gaps = [abs(g.gap) for g in audiences if g.gap is not None]
        touchpoint = touchpoints.get(touchpoint_id) if touchpoint_id is not None else None
        rows.append(GapRow.model_construct(
            touchpoint_id=touchpoint_id, touchpoint=_touchpoint_name(touchpoint_id, touchpoint),
            journey_stage=touchpoint[1] if touchpoint else "", dimension=dimension,
            staff=_group_stat(staff), audiences=audiences, largest_gap=max(gaps) if gaps else None,
        ))
    # Many gaps are tested at once: control the false discovery rate across the report.
    tested = [gap for row in rows for gap in row.audiences]
    qvalues = statistics.benjamini_hochberg([math.nan if gap.p is None else gap.p for gap in tested])
    for gap, q in zip(tested, qvalues, strict=True):
        gap.q = _clean(q)
        gap.significant = gap.q is not None and gap.q < SIGNIFICANCE
    rows.sort(key=lambda r: (r.largest_gap is None, -(r.largest_gap or 0), r.touchpoint, r.dimension))
    responses = (SurveyResponse.objects.for_organisation(organisation)
                 .filter(**({"survey_id": survey_id} if survey_id is not None else {}))
                 .values("audience").annotate(n=Count("id")).order_by())
    return GapReport.model_construct(
        survey_id=survey_id, rows=rows, bain=bain_comparison(organisation=organisation, survey_id=survey_id),
        consistency=touchpoint_consistency(organisation=organisation, survey_id=survey_id, touchpoints=touchpoints),
        responses_by_audience={row["audience"]: row["n"] for row in responses},
    )


def _share(audience: str, n: int, yes: int) -> ShareStat:
    low, high = statistics.wilson_interval(yes, n)
    return ShareStat.model_construct(audience=audience, n=n, yes=yes, share=_clean(yes / n) if n else None, low=_clean(low),
                     high=_clean(high))


def bain_comparison(*, organisation: Organisation | int, survey_id: int | None = None) -> BainComparison:
    """Share of staff who believe the experience is superior against the share of customers who agree."""
    rows = (_totals(organisation, survey_id, "superior").values("audience")
            .annotate(n_=Sum("n"), yes=Sum("total")).order_by())
    counts = {row["audience"]: (row["n_"], round(row["yes"] or 0)) for row in rows}
    staff = _share(Audience.STAFF, *counts.get(Audience.STAFF, (0, 0)))
    customers = _share(Audience.CUSTOMER, *counts.get(Audience.CUSTOMER, (0, 0)))
    z, p = statistics.two_proportion_test(staff.yes, staff.n, customers.yes, customers.n)
    others = [_share(a, *counts[a]) for a in (Audience.COMPETITOR_CUSTOMER, Audience.NON_CUSTOMER) if a in counts]
    return BainComparison.model_construct(staff=staff, customers=customers, others=others, z=_clean(z), p=_clean(p))


def touchpoint_consistency(*, organisation: Organisation | int, survey_id: int | None = None,
                           touchpoints: dict[int, tuple[str, str]] | None = None) -> list[ConsistencyRow]:
    """How much customers' ratings of each touchpoint vary between teams, locations and staff members."""
    if touchpoints is None:
        touchpoints = relationships.touchpoint_labels(organisation=organisation)
    answers = _totals(organisation, survey_id).exclude(audience=Audience.STAFF)
    rows: list[ConsistencyRow] = []
    for by in ("team", "location", "served_by"):
        sums = _sums(answers.exclude(**{by: ""}), "touchpoint_key", by)
        grouped: dict[int | None, list[tuple[str, statistics.Summary]]] = {}
        for (touchpoint_id, name), summary in sums.items():
            grouped.setdefault(touchpoint_id, []).append((name, summary))
        for touchpoint_id, groups in grouped.items():
            groups.sort(key=lambda g: g[0])
            compared = [s for _name, s in groups if s.n >= MIN_GROUP_ANSWERS]
            f, p = statistics.one_way_anova(compared)
            means = [s.mean for s in compared]
            touchpoint = touchpoints.get(touchpoint_id)
            rows.append(ConsistencyRow.model_construct(
                touchpoint_id=touchpoint_id, touchpoint=_touchpoint_name(touchpoint_id, touchpoint), by=by,
                groups=[ConsistencyGroup.model_construct(name=name, n=s.n, mean=_clean(s.mean)) for name, s in groups],
                spread=_clean(max(means) - min(means)) if len(means) >= 2 else None, f=_clean(f), p=_clean(p),
                varies=not math.isnan(p) and p < SIGNIFICANCE,
            ))
    rows.sort(key=lambda r: (r.spread is None, -(r.spread or 0)))
    return rows
