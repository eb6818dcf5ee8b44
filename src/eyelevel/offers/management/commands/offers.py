"""eyelevel offers recommend PURCHASES OUTPUT --k 10 | train --organisation SLUG | newsletter --organisation SLUG."""

import os
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm


class Command(BaseCommand):
    help = "Personal offers: batch recommendations from a CSV, fitting the recommender, personal newsletters."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        rec = commands.add_parser("recommend", help="top k products for every customer in a purchases CSV")
        rec.add_argument("purchases", type=Path,
                         help="CSV with a header and at least customer_id, product_id, quantity, timestamp")
        rec.add_argument("output", type=Path, help="CSV to write: customer_id, rank, product_id, reason")
        rec.add_argument("--k", type=int, default=10, help="how many products per customer (default 10)")
        train = commands.add_parser("train", help="fit the organisation's recommender on its receipts")
        train.add_argument("--organisation", required=True, help="the organisation's slug")
        news = commands.add_parser("newsletter", help="send each consenting customer their personal newsletter")
        news.add_argument("--organisation", required=True, help="the organisation's slug")

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        getattr(self, f"_{options['action']}")(options)

    def _recommend(self, options: dict) -> None:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
        from eyelevel.analysis.recommend_csv import PurchaseFileError, recommend_csv

        if options["k"] < 1:
            raise CommandError("--k must be at least 1")
        if not options["purchases"].is_file():
            raise CommandError(f"{options['purchases']} is not a file")
        started = time.perf_counter()
        bar = tqdm(total=0, unit="customers", desc="recommending", disable=None)
        try:
            customers = recommend_csv(options["purchases"], options["output"], k=options["k"],
                                      progress=bar.update, on_customers=lambda n: setattr(bar, "total", n))
        except PurchaseFileError as error:
            raise CommandError(str(error)) from None
        finally:
            bar.close()
        self.stderr.write(f"{customers} customers, top {options['k']} each, written to {options['output']} "
                          f"in {time.perf_counter() - started:.1f} s")

    def _organisation(self, slug: str):  # type: ignore[no-untyped-def]
        from eyelevel.core.models import Organisation

        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            raise CommandError(f"no organisation {slug!r}")
        return organisation

    def _train(self, options: dict) -> None:
        from eyelevel.offers import services

        organisation = self._organisation(options["organisation"])
        with tqdm(unit="lines", desc="reading purchases", disable=None) as bar:
            run = services.train_recommender(organisation=organisation, progress=bar.update)
        self.stdout.write(f"recommender {run.status}: {run.customers} customers, {run.products} products, "
                          f"{run.lines} purchase lines")

    def _newsletter(self, options: dict) -> None:
        from eyelevel.commerce import services as commerce
        from eyelevel.offers import services

        organisation = self._organisation(options["organisation"])
        total = len(commerce.customer_ids_with_receipts(organisation=organisation))
        with tqdm(total=total, unit="customers", desc="newsletters", disable=None) as bar:
            report = services.send_newsletters(organisation=organisation, progress=bar.update)
        self.stdout.write(f"{report.sent} sent, {report.refused} refused by the gate, {report.skipped} without "
                          f"consent or offers, of {report.considered} customers")
