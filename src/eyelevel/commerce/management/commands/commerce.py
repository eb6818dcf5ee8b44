"""eyelevel commerce import-completejourney DIR --organisation SLUG [--reject-file PATH]."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm


class Command(BaseCommand):
    help = "Commerce: import purchase history."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        cj = commands.add_parser("import-completejourney",
                                 help="import The Complete Journey folder (products and transactions) as it is")
        cj.add_argument("directory", type=Path)
        cj.add_argument("--organisation", required=True, help="the organisation's slug")
        cj.add_argument("--reject-file", type=Path, default=None,
                        help="write bad rows here and import the rest (without it, bad rows stop the import)")
        cj.add_argument("--batch-size", type=int, default=5000, help="receipts per transaction")

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        from eyelevel.commerce import services
        from eyelevel.core.errors import InvalidInput
        from eyelevel.core.models import Organisation

        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"no organisation {options['organisation']!r}")
        if not options["directory"].is_dir():
            raise CommandError(f"{options['directory']} is not a folder")
        started = time.perf_counter()
        self.stderr.write("checking every row ...")
        bar = tqdm(total=0, unit="lines", desc="importing", disable=None)
        try:
            report = services.import_completejourney(
                organisation=organisation, directory=options["directory"], reject_file=options["reject_file"],
                batch_size=options["batch_size"], progress=bar.update, on_total=lambda n: setattr(bar, "total", n))
        except InvalidInput as error:
            details = "\n".join(f"  {e['field']}: {e['message']}" for e in error.errors[:20])
            raise CommandError(f"{error.detail}\n{details}") from None
        finally:
            bar.close()
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"{report.rows} rows: {report.receipts_created} receipts created, {report.receipts_skipped} already "
            f"there, {report.lines_created} lines, {report.customers_created} customers and "
            f"{report.products_created} products created, {len(report.bad_rows)} bad rows, in {seconds:.0f} s")
