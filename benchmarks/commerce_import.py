"""Import throughput of The Complete Journey retail data, against a bare bulk insert of the same rows.

Ours: `import_completejourney` (what `eyelevel commerce import-completejourney` runs): every row checked,
products, households as customers, baskets as receipts, lines, in batches of 5,000 receipts, each in a
transaction. Baseline, in the same run and database: the same transaction rows read with the csv module
and inserted with one `executemany` into a table of the same columns, without checks or the ORM.
A second import of the same folder shows the idempotent re-run (everything skipped).

Run: nice -n 10 .venv/bin/python -m benchmarks.commerce_import
(PostgreSQL: scripts/with-postgres nice -n 10 .venv/bin/python -m benchmarks.commerce_import; empty database)
"""

import csv
import gzip
import os
import tempfile
import time
from pathlib import Path

from benchmarks.report import write_section

REPOSITORY = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("EYELEVEL_SHARED_DATA", REPOSITORY.parent / "shared" / "data")) / "completejourney"
COMMAND = "nice -n 10 .venv/bin/python -m benchmarks.commerce_import"


def _setup(folder: Path) -> None:
    os.environ.pop("EYELEVEL_TESTING", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eyelevel.settings")
    os.environ.update(DEBUG="1", EYELEVEL_DATA_DIR=str(folder))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder / 'eyelevel.sqlite3'}")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _bare_insert() -> tuple[int, float]:
    from django.db import connection, transaction

    started, cpu = time.perf_counter(), time.process_time()
    with gzip.open(DATA / "transactions_train.csv.gz", "rt", newline="") as stream:
        reader = csv.reader(stream)
        next(reader)
        rows = [(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[10]) for r in reader]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_bare_lines (household_id varchar(20), store_id varchar(20), "
                       "basket_id varchar(30), product_id varchar(20), quantity numeric, sales_value numeric, "
                       "retail_disc numeric, coupon_disc numeric, coupon_match_disc numeric, purchased_at varchar(30))")
        cursor.executemany("INSERT INTO bench_bare_lines VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", rows)
    return len(rows), time.perf_counter() - started, time.process_time() - cpu


def _offers_latency(organisation) -> None:  # type: ignore[no-untyped-def]
    """On the imported data: fit the recommender, then time one customer's offers on request (the full path:
    consent check, purchase history from the database, scoring, exclusions, product names and reasons)."""
    import statistics

    from eyelevel.commerce import services as commerce
    from eyelevel.customers import services as customers
    from eyelevel.offers import services as offers

    started = time.perf_counter()
    run = offers.train_recommender(organisation=organisation)
    fit_seconds = time.perf_counter() - started
    offers.ensure_purpose(organisation=organisation)
    sample = commerce.customer_ids_with_receipts(organisation=organisation)[::12][:200]
    for customer_id in sample:
        customers.set_consent(organisation=organisation, customer_id=customer_id, purpose_code=offers.PURPOSE_CODE,
                              granted=True, channel="import")
    offers.offers_for(organisation=organisation, customer_id=sample[0])  # loads the model once
    timings = []
    for customer_id in sample:
        started = time.perf_counter()
        result = offers.offers_for(organisation=organisation, customer_id=customer_id)
        timings.append((time.perf_counter() - started) * 1000)
        if not (result.personal and result.offers):
            raise RuntimeError(f"customer {customer_id} got no personal offers")
    median, p90 = statistics.median(timings), sorted(timings)[int(len(timings) * 0.9)]
    print(f"offers for one customer: median {median:.1f} ms, p90 {p90:.1f} ms; fit {fit_seconds:.1f} s")
    from django.db import connection

    write_section(f"offers-latency-{connection.vendor}", f"Offers: one customer on request ({connection.vendor})",
                  COMMAND, (
                      f"On the imported Complete Journey data ({run.lines:,} purchase lines, {run.customers:,} "
                      f"customers, {run.products:,} products): fitting the recommender took {fit_seconds:.1f} s. "
                      f"Then `offers_for` for {len(timings)} consenting customers, one at a time, the whole path "
                      "(consent, purchase history from the database, scoring against every customer, exclusions, "
                      f"names and reasons): median **{median:.1f} ms**, 90th percentile {p90:.1f} ms (goal: under "
                      "50 ms median). Baseline in the same run: the purchase-history query alone, median "
                      f"{_history_median(organisation, sample):.1f} ms.\n"))


def _history_median(organisation, sample) -> float:  # type: ignore[no-untyped-def]
    import statistics

    from eyelevel.commerce import services as commerce

    timings = []
    for customer_id in sample:
        started = time.perf_counter()
        commerce.purchase_times(organisation=organisation, customer_id=customer_id)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        _setup(Path(folder))
        from django.db import connection

        from eyelevel.commerce import services
        from eyelevel.core.models import Organisation

        database = connection.vendor
        bare_rows, bare_seconds, bare_cpu = _bare_insert()
        print(f"bare bulk insert: {bare_rows:,} rows in {bare_seconds:.1f} s ({bare_cpu:.1f} s CPU)", flush=True)
        organisation = Organisation.objects.create(name="Complete Journey", slug="completejourney-bench")
        started, cpu = time.perf_counter(), time.process_time()
        report = services.import_completejourney(organisation=organisation, directory=DATA)
        seconds, import_cpu = time.perf_counter() - started, time.process_time() - cpu
        print(f"import: {report.rows:,} rows, {report.receipts_created:,} receipts in {seconds:.1f} s "
              f"({import_cpu:.1f} s CPU)", flush=True)
        started = time.perf_counter()
        again = services.import_completejourney(organisation=organisation, directory=DATA)
        rerun = time.perf_counter() - started
        print(f"re-run: {again.receipts_created} created, {again.receipts_skipped:,} skipped in {rerun:.1f} s")
        _offers_latency(organisation)
    ours_rate, bare_rate = report.rows / seconds, bare_rows / bare_seconds
    body = (
        f"Database: {database}. {report.rows:,} transaction lines, {report.receipts_created:,} receipts, "
        f"{report.customers_created:,} customers, {report.products_created:,} products, "
        f"{len(report.bad_rows)} bad rows.\n\n"
        "| step | seconds (wall) | seconds (CPU) | rows per second (wall) |\n|---|---:|---:|---:|\n"
        f"| bare bulk insert of the same rows (baseline) | {bare_seconds:.1f} | {bare_cpu:.1f} | {bare_rate:,.0f} |\n"
        f"| `import_completejourney` (checks, products, customers, receipts, lines) | {seconds:.1f} | "
        f"{import_cpu:.1f} | {ours_rate:,.0f} |\n"
        f"| re-run of the same import (idempotent: {again.receipts_skipped:,} receipts skipped) | {rerun:.1f} | | |\n\n"
        f"The import runs at {ours_rate / bare_rate:.2f}× the rows per second of the bare insert "
        f"({seconds / bare_seconds:.1f}× its wall time, {import_cpu / bare_cpu:.1f}× its CPU time; the machine is "
        "shared, so the CPU ratio is the steadier figure).\n"
    )
    write_section(f"commerce-import-{database}", f"Commerce: Complete Journey import ({database})", COMMAND, body)


if __name__ == "__main__":
    main()
