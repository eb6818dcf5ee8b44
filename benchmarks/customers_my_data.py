"""The portal's "My data" page, the access-log page and the export, for a customer with 10,000 facts and
10,000 access-log entries in a database of 100,000 customers (goals: page median under 150 ms, export
under 2 s).

Each is measured through the whole Django stack (middleware, portal session, templates) and compared
with a plain Django view, measured the same way in the same run, that reads the same rows without the
product's logic (no scoping, no schemas, no purposes or consent, a bare template or json.dumps).
Runs on a throw-away test database: SQLite in memory, or PostgreSQL when DATABASE_URL names one
(run it through scripts/with-postgres).
"""

import json
import os
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings_for_tests")
os.environ.setdefault("EYELEVEL_TESTING", "1")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.http import HttpRequest, HttpResponse, JsonResponse  # noqa: E402
from django.template import Context, Template  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_databases, setup_test_environment, teardown_databases  # noqa: E402
from django.urls import path  # noqa: E402
from tqdm import tqdm  # noqa: E402

from benchmarks.report import write_section  # noqa: E402
from eyelevel.core.models import Organisation  # noqa: E402
from eyelevel.customers import services  # noqa: E402
from eyelevel.customers.middleware import PORTAL_SESSION_KEY  # noqa: E402
from eyelevel.customers.models import AccessLogEntry, PersonalFact  # noqa: E402
from eyelevel.customers.schemas import CustomerIn, FactIn, FactSource, PurposeIn  # noqa: E402

COMMAND = (".venv/bin/python -m benchmarks.customers_my_data  "
           "(PostgreSQL: scripts/with-postgres .venv/bin/python -m benchmarks.customers_my_data)")
CUSTOMERS = int(os.environ.get("BENCH_CUSTOMERS", "100000"))
FACTS = 10_000
LOG_ENTRIES = 10_000
PURPOSES = ("order-handling", "loyalty", "service-history", "preferences", "delivery")
PAGE_RUNS = 30
EXPORT_RUNS = 5
TARGET = {"id": 0}

_PLAIN_PAGE = Template(
    "<html><body>{% for code, rows in groups %}<h2>{{ code }}</h2><table>{% for row in rows %}<tr><td>{{ row.key }}"
    "</td><td>{{ row.value }}</td><td>{{ row.source_detail }}</td><td>{{ row.expires_at }}</td></tr>{% endfor %}"
    "</table>{% endfor %}</body></html>"
)


def plain_my_data(request: HttpRequest) -> HttpResponse:
    """Baseline: the same first 25 facts per purpose and the counts, straight from the ORM."""
    customer_id = TARGET["id"]
    facts = PersonalFact.objects.unscoped().filter(customer_id=customer_id)
    counts = dict(facts.values_list("purpose__code").order_by().annotate(n=Count("id")))
    groups = [(code, list(facts.filter(purpose__code=code).order_by("key", "pk").values(
        "key", "value", "source_detail", "expires_at")[:25])) for code in sorted(counts)]
    return HttpResponse(_PLAIN_PAGE.render(Context({"groups": groups})))


def plain_export(request: HttpRequest) -> HttpResponse:
    """Baseline: every fact and access-log entry of the customer, dumped as JSON."""
    customer_id = TARGET["id"]
    facts = list(PersonalFact.objects.unscoped().filter(customer_id=customer_id).values(
        "key", "value", "purpose__code", "source_kind", "source_detail", "collected_at", "expires_at"))
    log = list(AccessLogEntry.objects.unscoped().filter(customer_id=customer_id).values(
        "actor_label", "what", "reason", "accessed_at"))
    return JsonResponse({"facts": facts, "access_log": log})


def _urlpatterns() -> list:
    from eyelevel.urls import urlpatterns as product

    return [path("bench/plain-my-data/", plain_my_data), path("bench/plain-export/", plain_export), *product]


urlpatterns = _urlpatterns()


def _populate() -> tuple[Organisation, int]:
    organisation = Organisation.objects.create(name="Benchmark Bakery", slug="bench")
    other = Organisation.objects.create(name="Other Bakery", slug="other")
    for code in PURPOSES:
        for org in (organisation, other):
            services.declare_purpose(organisation=org, data=PurposeIn(
                code=code, name_en=code.title(), name_de=code.title(), description_en=f"For {code}.",
                description_de=f"Für {code}.", legal_basis="contract", retention_days=3650))
    batch = 10_000
    ids: list[int] = []
    for start in tqdm(range(0, CUSTOMERS, batch), desc="customers", unit="batch"):
        org = organisation if start % (2 * batch) == 0 else other
        ids += services.import_customers(organisation=org, rows=[
            CustomerIn(display_name=f"Customer {n}", email=f"customer{n}@example.com", external_ref=f"C{n:07d}")
            for n in range(start, min(start + batch, CUSTOMERS))])
    target = ids[0]
    source = FactSource(kind="import", detail="benchmark.csv")
    for number, code in enumerate(tqdm(PURPOSES, desc="facts", unit="purpose")):
        services.record_facts(organisation=organisation, customer_id=target, source=source, facts=[
            FactIn(key=f"{code[:4]}-{n:05d}", value=f"value {n} for {code}", purpose_code=code)
            for n in range(number, FACTS, len(PURPOSES))])
    # Noise: other customers hold facts too, so the target's rows are found among many.
    for customer_id in tqdm(ids[1:2001:10], desc="other facts", unit="customer"):
        services.record_facts(organisation=organisation, customer_id=customer_id, source=source,
                              facts=[FactIn(key=f"k{n}", value="v", purpose_code="loyalty") for n in range(20)])
    reader = services.staff_reader(user_id=None, username="agent", reason="benchmark reads")
    for _ in tqdm(range(LOG_ENTRIES // 1000), desc="access log", unit="1000"):
        services.record_access_many(organisation=organisation, customer_ids=[target] * 1000, reader=reader,
                                    what="customer record")
    return organisation, target


def _get_ms(client: Client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    assert body
    return elapsed


def _times(client: Client, url: str, runs: int, plain_url: str | None = None) -> tuple[list[float], list[float]]:
    """Timings of url (and of the plain baseline, alternating with it, so both see the same machine load)."""
    client.get(url)  # warm caches and templates
    if plain_url:
        client.get(plain_url)
    product, plain = [], []
    for _ in range(runs):
        product.append(_get_ms(client, url))
        if plain_url:
            plain.append(_get_ms(client, plain_url))
    return product, plain


def main() -> None:
    settings.ROOT_URLCONF = __name__
    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        organisation, target = _populate()
        TARGET["id"] = target
        client = Client()
        session = client.session
        session[PORTAL_SESSION_KEY] = {"customer_id": target, "organisation_id": organisation.pk}
        session.save()
        figures = {
            "My data page": (*_times(client, "/portal/my-data/", PAGE_RUNS, "/bench/plain-my-data/"), 150),
            "Access-log page": (*_times(client, "/portal/access-log/", PAGE_RUNS), 150),
            "Export (JSON)": (*_times(client, "/portal/export/download/?format=json", EXPORT_RUNS,
                                      "/bench/plain-export/"), 2000),
            "Export (HTML document)": (*_times(client, "/portal/export/download/?format=html", EXPORT_RUNS), 2000),
        }
        exported = json.loads(client.get("/portal/export/download/?format=json").content)
        assert len(exported["domains"]["customers"]["facts"]) == FACTS
        assert len(exported["domains"]["customers"]["access_log"]) == LOG_ENTRIES
    finally:
        teardown_databases(old, verbosity=0)
    database = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    rows = []
    for label, (product, plain, goal) in figures.items():
        median = statistics.median(product)
        plain_median = statistics.median(plain) if plain else None
        ratio = f"{median / plain_median:.1f}×" if plain_median else "–"
        verdict = "met" if median < goal else "MISSED"
        rows.append(f"| {label} | {median:.0f} | {max(product):.0f} | "
                    f"{f'{plain_median:.0f}' if plain_median else '–'} | {ratio} | {goal} ({verdict}) |")
        print(f"{label}: median {median:.0f} ms (plain {plain_median or 0:.0f} ms, {ratio}), goal {goal} ms: {verdict}")
    body = (
        f"Database: {database}, {CUSTOMERS:,} customers in two organisations; the measured customer holds "
        f"{FACTS:,} facts in {len(PURPOSES)} purposes and {LOG_ENTRIES:,} access-log entries. Full Django stack "
        "(test client with a portal session); product and plain requests alternate, so both see the same load "
        "on this shared machine. The plain view reads the same rows with the bare ORM and a bare "
        "template (page) or `json.dumps` (export): no tenancy scoping, schemas, purpose texts, identity or "
        "other domains' exporters.\n\n"
        "| request | median ms | max ms | plain view median ms | ratio | goal ms |\n|---|---|---|---|---|---|\n"
        + "\n".join(rows)
        + "\n\nMy data shows the customer account and the first 25 facts of each purpose with its total "
        "(htmx pages through the rest); the export holds everything.\n"
    )
    write_section(f"customers-my-data-{database.lower()}", f"Portal My data and export ({database})", COMMAND, body)


if __name__ == "__main__":
    main()
