"""eyelevel commerce import-completejourney DIR --organisation SLUG [--reject-file PATH];
eyelevel commerce import-receipts FILE --organisation SLUG [--import-good-rows --reject-file PATH]."""

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

        receipts = commands.add_parser(
            "import-receipts", help="import a receipt CSV from any till system (one row per receipt line; the "
                                    "format is in docs/commerce.md)")
        receipts.add_argument("file", type=Path)
        receipts.add_argument("--organisation", required=True, help="the organisation's slug")
        receipts.add_argument("--import-good-rows", action="store_true",
                              help="import the good receipts and write the bad rows to --reject-file (without "
                                   "it, bad rows stop the import and nothing is imported)")
        receipts.add_argument("--reject-file", type=Path, default=None,
                              help="where the bad rows go with --import-good-rows (default: FILE.rejects.csv)")

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        if options["action"] == "import-receipts":
            return self._import_receipts(options)
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

    def _import_receipts(self, options: dict) -> None:
        from eyelevel.commerce import services
        from eyelevel.core.errors import InvalidInput
        from eyelevel.core.models import Organisation

        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"no organisation {options['organisation']!r}")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file")
        started = time.perf_counter()
        bar = tqdm(total=0, unit="lines", desc="importing", disable=None)
        try:
            result = services.import_receipts_csv(
                organisation=organisation, payload=path.read_bytes(), filename=path.name,
                import_good_rows=options["import_good_rows"], progress=bar.update,
                on_total=lambda n: setattr(bar, "total", n))
        except InvalidInput as error:
            details = "\n".join(f"  {e['field']}: {e['message']}" for e in error.errors[:50])
            raise CommandError(f"{error.detail}\n{details}") from None
        finally:
            bar.close()
        if result.rejects:
            reject_file = options["reject_file"] or path.with_name(path.name + ".rejects.csv")
            reject_file.write_text(result.rejects, encoding="utf-8")
            self.stderr.write(f"{len(result.errors)} bad rows; their receipts are in {reject_file}")
        self.stdout.write(
            f"{result.rows} rows: {result.receipts_created} receipts created, {result.receipts_skipped} already "
            f"there, {result.lines_created} lines, {result.customers_created} customers and "
            f"{result.products_created} products created, {len(result.errors)} bad rows, "
            f"in {time.perf_counter() - started:.1f} s")
