"""`eyelevel customers retention`: delete personal facts past their expiry (the task's cron-less twin)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from eyelevel.customers import services


class Command(BaseCommand):
    help = "Transparency and consent chores: retention."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        retention = commands.add_parser("retention", help="delete facts past their expiry, in every organisation")
        retention.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["command"] == "retention":
            bar = tqdm(total=0, unit="facts", desc="retention", disable=options.get("verbosity", 1) == 0)

            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.n = done
                bar.refresh()

            deleted = services.delete_expired_facts(batch_size=options["batch_size"], progress=progress)
            bar.close()
            self.stdout.write(f"deleted {deleted} expired facts")
