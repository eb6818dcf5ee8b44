"""`eyelevel surveys ...`: rebuild the running totals of the gap report, print the largest gaps."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from eyelevel.core.models import Organisation
from eyelevel.surveys import services


class Command(BaseCommand):
    help = "Perception surveys: rebuild-totals (after bulk loads), gaps (the largest gaps as text)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        rebuild = commands.add_parser("rebuild-totals", help="recompute the gap report's running totals from answers")
        rebuild.add_argument("--organisation", help="organisation slug (default: every organisation)")
        gaps = commands.add_parser("gaps", help="print the largest gaps of an organisation")
        gaps.add_argument("--organisation", required=True, help="organisation slug")
        gaps.add_argument("--top", type=int, default=10)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "rebuild-totals":
            organisations = Organisation.objects.all()
            if options["organisation"]:
                organisations = organisations.filter(slug=options["organisation"])
                if not organisations.exists():
                    raise CommandError(f"no organisation {options['organisation']!r}")
            cells = 0
            for organisation in tqdm(list(organisations), desc="organisations", disable=options["verbosity"] == 0):
                cells += services.rebuild_answer_totals(organisation=organisation)
            self.stdout.write(f"rebuilt {cells} running totals")
        else:
            organisation = Organisation.objects.filter(slug=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"no organisation {options['organisation']!r}")
            report = services.gap_report(organisation=organisation)
            for row in report.rows[: options["top"]]:
                gaps = ", ".join(f"{g.audience} {g.gap:+.1f}{' *' if g.significant else ''}"
                                 for g in row.audiences if g.gap is not None)
                self.stdout.write(f"{row.touchpoint or '(general)'} / {row.dimension}: staff {row.staff.mean}, {gaps}")
