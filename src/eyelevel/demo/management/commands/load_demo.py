import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from eyelevel.demo.generator import load_demo


class Command(BaseCommand):
    help = "Load the deterministic demo organisation (does nothing if it exists)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--customers", type=int, default=2400)
        parser.add_argument("--feedback", type=int, default=600)

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        steps = ["staff", "customers", "products", "receipts", "feedback", "charter, purposes, stamp card, articles"]
        with tqdm(total=len(steps), desc="demo data", unit="step", disable=options["verbosity"] == 0) as bar:
            def progress(label: str) -> None:
                bar.set_postfix_str(label)
                bar.update(1)

            summary = load_demo(customers_count=options["customers"], feedback_count=options["feedback"],
                                progress=progress)
        elapsed = time.perf_counter() - started
        if summary.created:
            self.stdout.write(self.style.SUCCESS(
                f"demo loaded in {elapsed:.1f} s: {summary.customers} customers, {summary.products} products, "
                f"{summary.receipts} receipts, {summary.feedback} feedback items"
            ))
        else:
            self.stdout.write("demo organisation exists already; nothing changed")
