"""The gap report for 200 touchpoint-dimension pairs from 100,000 survey responses (goal: under 1 s).

The report reads running totals (count, sum, sum of squares per survey, touchpoint, dimension, audience,
team and location) that every submission keeps up to date, and sums them in the database.
The staff page (the report with its statistics, Bain comparison and touchpoint consistency from ratings
and from 20,000 classified feedback items, rendered through the whole Django stack) and the report
service alone are compared with a baseline measured in the same run: one plain aggregate query (count and
mean per touchpoint, dimension and audience) over the same answers, without statistics or rendering.
A built report is cached until the answers change: the page is timed with the cache emptied before each
run (the first view after new answers) and with the report cached (the charts' requests, later views).
The gap chart (SVG) is timed separately.
Runs on a throw-away test database: SQLite, or PostgreSQL when DATABASE_URL names one
(run it through scripts/with-postgres).
"""

import os
import random
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings_for_tests")
os.environ.setdefault("EYELEVEL_TESTING", "1")

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Avg, Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_databases, setup_test_environment, teardown_databases  # noqa: E402
from django.utils import timezone  # noqa: E402
from tqdm import tqdm  # noqa: E402

from benchmarks.report import write_section  # noqa: E402

COMMAND = (".venv/bin/python -m benchmarks.surveys_gap_report  "
           "(PostgreSQL: scripts/with-postgres .venv/bin/python -m benchmarks.surveys_gap_report)")
RESPONSES = int(os.environ.get("BENCH_RESPONSES", "100000"))
TOUCHPOINTS = 100
DIMENSIONS = ("speed", "friendliness")  # 100 touchpoints x 2 dimensions = 200 pairs
ANSWERS_PER_RESPONSE = 2
RUNS = 7
AUDIENCES = (("staff", 0.05), ("customer", 0.6), ("competitor_customer", 0.2), ("non_customer", 0.15))
BATCH = 5000
FEEDBACK_ITEMS = 20000
TEAMS, OWNERS = 6, 12


def _load() -> tuple:  # type: ignore[type-arg]
    from eyelevel.accounts.models import Membership, User
    from eyelevel.core.models import Organisation
    from eyelevel.relationships.models import JourneyStage, Touchpoint
    from eyelevel.surveys.models import Answer, Question, Survey, SurveyResponse
    from eyelevel.surveys.services import to_score

    rng = random.Random(42)
    organisation = Organisation.objects.create(name="Benchmark Bakery", slug="bench")
    user = User.objects.create_user(username="bench-owner")  # logged in with force_login; no password
    Membership.objects.create(organisation=organisation, user=user, role="owner")
    stages = [JourneyStage.objects.create(organisation=organisation, name=f"Stage {i}", position=i) for i in range(5)]
    touchpoints = Touchpoint.objects.bulk_create([
        Touchpoint(organisation=organisation, name=f"Touchpoint {i:03d}", stage=stages[i % 5], position=i,
                   channels=["phone"]) for i in range(TOUCHPOINTS)])
    survey = Survey.objects.create(organisation=organisation, title="Benchmark", status="open")
    questions = Question.objects.bulk_create([
        Question(organisation=organisation, survey=survey, position=i, touchpoint=t, dimension=d, instrument="csat",
                 text=f"{t.name} {d}") for i, (t, d) in enumerate((t, d) for t in touchpoints for d in DIMENSIONS)])
    question_ids = [(q.pk, q.touchpoint_id, q.dimension) for q in questions]
    # Each pair has its own truth and its own staff optimism, so the gaps differ in size.
    truth = {q[0]: rng.uniform(1.5, 4.5) for q in question_ids}
    optimism = {q[0]: rng.uniform(0, 1.5) for q in question_ids}
    audiences, weights = zip(*AUDIENCES, strict=True)
    with tqdm(total=RESPONSES, desc="responses", unit="resp") as progress:
        for start in range(0, RESPONSES, BATCH):
            size = min(BATCH, RESPONSES - start)
            chosen = rng.choices(audiences, weights, k=size)
            responses = SurveyResponse.objects.bulk_create([
                SurveyResponse(organisation=organisation, survey=survey, audience=a, channel="api",
                               team=f"Team {rng.randrange(6)}", location=f"Branch {rng.randrange(4)}")
                for a in chosen])
            answers = []
            for response in responses:
                for question_id, touchpoint_id, dimension in rng.sample(question_ids, ANSWERS_PER_RESPONSE):
                    mean = truth[question_id] + (optimism[question_id] if response.audience == "staff" else 0)
                    value = float(min(5, max(1, round(rng.gauss(mean, 1.0)))))
                    answers.append(Answer(
                        organisation=organisation, response=response, question_id=question_id, survey=survey,
                        audience=response.audience, touchpoint_ref=touchpoint_id, dimension=dimension,
                        instrument="csat", raw_value=value, score=to_score("csat", value), team=response.team,
                        location=response.location))
            Answer.objects.bulk_create(answers, batch_size=2500)
            progress.update(size)
    # Classified feedback on the same touchpoints, handled by teams and staff members; a few teams are worse.
    from eyelevel.feedback.models import FeedbackItem

    owners = [User.objects.create_user(username=f"bench-staff-{i}") for i in range(OWNERS)]
    worse = {t.pk: rng.randrange(TEAMS) for t in touchpoints[::5]}
    items = []
    for _ in range(FEEDBACK_ITEMS):
        touchpoint, team = rng.choice(touchpoints), rng.randrange(TEAMS)
        negative = 0.6 if worse.get(touchpoint.pk) == team else 0.25
        sentiment = rng.choices(("negative", "neutral", "positive"), (negative, 0.2, 0.8 - negative))[0]
        items.append(FeedbackItem(organisation=organisation, channel="import", text="Benchmark feedback",
                                  touchpoint=touchpoint, sentiment=sentiment, team=f"Team {team}",
                                  owner=owners[team * 2 + rng.randrange(2)], received_at=timezone.now()))
    FeedbackItem.objects.bulk_create(items, batch_size=2500)
    # A bulk load bypasses the running totals that submissions keep; rebuild them once.
    started = time.perf_counter()
    from eyelevel.surveys.services import rebuild_answer_totals

    cells = rebuild_answer_totals(organisation=organisation)
    print(f"running totals rebuilt: {cells:,} cells in {time.perf_counter() - started:.1f} s")
    return organisation, user, survey


def _time(function, runs: int = RUNS) -> float:  # type: ignore[no-untyped-def]
    function()  # warm caches (templates, query plans)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from eyelevel.surveys import services
        from eyelevel.surveys.models import Answer

        organisation, user, _survey = _load()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        client = Client()
        client.force_login(user)

        def baseline() -> list:  # type: ignore[type-arg]
            return list(Answer.objects.for_organisation(organisation).filter(score__isnull=False)
                        .values("touchpoint_ref", "dimension", "audience")
                        .annotate(n=Count("id"), mean=Avg("score")).order_by())

        def report() -> object:
            cache.clear()  # built, not taken from the cache
            return services.gap_report(organisation=organisation)

        def page() -> None:
            response = client.get("/staff/surveys/gap/")
            assert response.status_code == 200, response.status_code

        def page_cold() -> None:
            cache.clear()
            page()

        def feedback() -> object:
            return services.feedback_consistency(organisation=organisation)

        def chart() -> None:
            response = client.get("/staff/surveys/gap/chart.svg")
            assert response.status_code == 200

        rows = report().rows  # type: ignore[attr-defined]
        answers = Answer.objects.for_organisation(organisation).count()
        assert len(rows) == TOUCHPOINTS * len(DIMENSIONS), len(rows)
        t_base, t_report, t_feedback = _time(baseline), _time(report), _time(feedback)
        t_page, t_page_cached, t_chart = _time(page_cold), _time(page), _time(chart, 3)
        significant = sum(1 for r in rows for g in r.audiences if g.significant)
        flagged = sum(1 for r in feedback() if r.varies)  # type: ignore[attr-defined]
        vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
        print(f"{vendor}: {RESPONSES:,} responses, {answers:,} answers, {len(rows)} pairs, "
              f"{significant} significant gaps")
        print(f"  plain aggregate query (baseline): {t_base * 1000:.0f} ms")
        print(f"  gap report service (built):       {t_report * 1000:.0f} ms ({t_report / t_base:.2f}x baseline)")
        print(f"  feedback consistency service:     {t_feedback * 1000:.0f} ms ({flagged} rows flagged)")
        print(f"  gap report page, report built:    {t_page * 1000:.0f} ms ({t_page / t_base:.2f}x baseline)")
        print(f"  gap report page, report cached:   {t_page_cached * 1000:.0f} ms")
        print(f"  gap chart (SVG, top 15 gaps):     {t_chart * 1000:.0f} ms (report cached)")
        body = (
            f"{RESPONSES:,} responses ({answers:,} answers: staff 5%, own customers 60%, competitors' customers "
            f"20%, non-customers 15%) on {len(rows)} touchpoint-dimension pairs, and {FEEDBACK_ITEMS:,} classified "
            f"feedback items on the same touchpoints ({TEAMS} teams, {OWNERS} staff members); median of {RUNS} runs."
            "\n\n"
            "| database | baseline: one aggregate query | gap report service (built) | feedback consistency "
            "| gap report page (report built) | ratio page/baseline | page (report cached) | gap chart (SVG) "
            "| goal |\n|---|---|---|---|---|---|---|---|---|\n"
            f"| {vendor} | {t_base * 1000:.0f} ms | {t_report * 1000:.0f} ms | {t_feedback * 1000:.0f} ms "
            f"| {t_page * 1000:.0f} ms | {t_page / t_base:.2f}x | {t_page_cached * 1000:.0f} ms "
            f"| {t_chart * 1000:.0f} ms | page under 1 s: {'met' if t_page < 1 else 'NOT met'} |\n\n"
            "The report sums the running totals (kept per survey, touchpoint, dimension, audience, team and location "
            "as answers arrive) in the database instead of scanning every answer; the baseline scans the answers. "
            "On top it computes the sums of squares for the intervals, Welch tests and "
            "Benjamini–Hochberg q-values for every gap, the Bain comparison and three consistency aggregates "
            "(by team, location and staff member); the page renders all 200 rows. The built report is cached, keyed "
            "on a stamp of the running totals and the responses (two small aggregates), so the page's two charts "
            "and later views do not build it again; the feedback consistency (one aggregate query over the "
            f"feedback items, chi-square tests for {TOUCHPOINTS} touchpoints by team and by staff member) is "
            "computed on every view."
        )
        write_section(f"surveys-gap-report-{vendor.lower()}", f"Surveys: gap report ({vendor})", COMMAND, body)
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
