"""`eyelevel feedback ...`: train and classify files, retrain an organisation, import feedback, escalate."""

import os
import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from eyelevel.core.errors import DomainError


class Command(BaseCommand):
    help = "Feedback models and batch work: train, classify, retrain, import, import-email, escalate."

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        train = commands.add_parser("train", help="train sentiment and aspect models from a labelled TSV")
        train.add_argument("labelled", type=Path, help="TSV with header: id, text, sentiment, aspects")
        train.add_argument("model_dir", type=Path)
        train.add_argument("--embedding-cache", type=Path, help="npz file caching text embeddings between runs")
        train.add_argument("--no-embeddings", action="store_true", help="TF-IDF features only (faster, weaker)")
        train.add_argument("--no-gate", action="store_true",
                           help="no TF-IDF-only gate: classify embeds every text (slower, rarely better)")
        classify = commands.add_parser("classify", help="classify a TSV/CSV with columns id, text into a TSV")
        classify.add_argument("input", type=Path)
        classify.add_argument("output", type=Path)
        classify.add_argument("--model", type=Path, help="a model directory from `train` (default: shipped models)")
        classify.add_argument("--embedding-cache", type=Path, help="npz file caching text embeddings")
        classify.add_argument("--embed-all", action="store_true",
                              help="embed every text instead of only those the model's gate is unsure about")
        commands.add_parser("build-default", help="retrain the shipped default models from the project's examples")
        retrain = commands.add_parser("retrain", help="retrain an organisation's models from base data + corrections")
        retrain.add_argument("--organisation", required=True, help="organisation slug")
        importer = commands.add_parser("import", help="import feedback from CSV or JSON lines")
        importer.add_argument("file", type=Path)
        importer.add_argument("--organisation", required=True)
        importer.add_argument("--reject-file", type=Path,
                              help="import the good rows and write the bad ones here (else: nothing until fixed)")
        importer.add_argument("--no-classify", action="store_true")
        email = commands.add_parser("import-email", help="import .eml files or mbox archives")
        email.add_argument("files", type=Path, nargs="+")
        email.add_argument("--organisation", required=True)
        escalate = commands.add_parser("escalate", help="escalate items past their deadlines to a manager")
        escalate.add_argument("--organisation", help="organisation slug (default: every organisation)")

    def handle(self, *args: Any, **options: Any) -> None:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
        try:
            getattr(self, "_" + options["subcommand"].replace("-", "_"))(options)
        except DomainError as error:
            raise CommandError(error.detail) from None
        except FileNotFoundError as error:
            raise CommandError(str(error)) from None

    def _embedder(self, cache: Path | None, label: str):  # type: ignore[no-untyped-def]
        from eyelevel.analysis.text.features import CachedEmbedder

        if cache is None:
            from eyelevel.feedback.services.classification import embedder

            return embedder()
        bar = tqdm(desc=label, unit="text", disable=None)
        return CachedEmbedder(cache, progress=bar.update)

    def _train(self, options: dict[str, Any]) -> None:
        from eyelevel.feedback.services.batch import train_file

        embed = None if options["no_embeddings"] else self._embedder(options["embedding_cache"], "embedding")
        started = time.perf_counter()
        steps = 3 if options["no_gate"] or options["no_embeddings"] else 5
        with tqdm(total=steps, desc="training", unit="step", disable=None) as bar:
            models = train_file(options["labelled"], options["model_dir"], embed=embed,
                                progress=lambda step: (bar.set_postfix_str(step), bar.update(1)),
                                embedding_weight=0.0 if options["no_embeddings"] else 1.0,
                                gate=not options["no_gate"])
            bar.update(bar.total - bar.n)
        if hasattr(embed, "save"):
            embed.save()
        meta = models.meta
        self.stdout.write(f"trained on {meta['examples']} rows ({meta['sentiment_examples']} with sentiment, "
                          f"{meta['aspect_examples']} labelled for aspects; {len(models.aspect_labels)} aspect labels)"
                          f" in {time.perf_counter() - started:.1f} s -> {options['model_dir']}")

    def _classify(self, options: dict[str, Any]) -> None:
        from eyelevel.analysis.text.classifier import TextModels
        from eyelevel.feedback.services.batch import classify_file
        from eyelevel.feedback.services.classification import default_models

        models = TextModels.load(options["model"]) if options["model"] else default_models()
        embed = self._embedder(options["embedding_cache"], "embedding") if options["embedding_cache"] else None
        if embed is None and models.uses_embeddings:
            from eyelevel.feedback.services.classification import embedder

            embed = embedder()
        started = time.perf_counter()
        with tqdm(desc="classifying", unit="row", disable=None) as bar:
            done = classify_file(options["input"], options["output"], models=models, embed=embed,
                                 progress=bar.update, embed_all=options["embed_all"])
        if hasattr(embed, "save"):
            embed.save()
        elapsed = time.perf_counter() - started
        self.stdout.write(f"classified {done.rows} rows in {elapsed:.1f} s ({done.rows / max(elapsed, 1e-9):.1f} rows/s; "
                          f"{done.embedded} embedded) -> {options['output']}")

    def _build_default(self, options: dict[str, Any]) -> None:
        from eyelevel.analysis.text.features import CachedEmbedder
        from eyelevel.feedback.services.classification import (
            base_examples,
            default_model_dir,
            seed_embedding_path,
            train_default_models,
        )

        del options
        with tqdm(desc="embedding examples", unit="text", disable=None) as bar:
            embed = CachedEmbedder(seed_embedding_path(), progress=bar.update)
            models = train_default_models(embed=embed)
        current = {embed.key(example.text) for example in base_examples()}
        embed.vectors = {key: vector for key, vector in embed.vectors.items() if key in current}
        embed.dirty = True
        embed.save()
        models.save(default_model_dir())
        self.stdout.write(f"default models: {models.meta['examples']} examples -> {default_model_dir()}")

    def _organisation(self, slug: str):  # type: ignore[no-untyped-def]
        from eyelevel.core.models import Organisation

        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            raise CommandError(f"no organisation {slug!r}")
        return organisation

    def _retrain(self, options: dict[str, Any]) -> None:
        from eyelevel.feedback import services

        summary = services.retrain_organisation(organisation=self._organisation(options["organisation"]))
        self.stdout.write(f"retrained from {summary['examples']} examples ({summary['corrections']} corrected items)")

    def _import(self, options: dict[str, Any]) -> None:
        from eyelevel.feedback.services import importing

        organisation = self._organisation(options["organisation"])
        with tqdm(desc="importing", unit="row", disable=None) as bar:
            result = importing.import_file(
                organisation=organisation, filename=options["file"].name, payload=options["file"].read_bytes(),
                skip_bad_rows=options["reject_file"] is not None, classify=not options["no_classify"],
                progress=lambda done, total: (setattr(bar, "total", total), bar.update(done - bar.n)))
        for error in result.errors:
            self.stderr.write(f"row {error.row}: {error.field}: {error.message}")
        if result.errors and options["reject_file"] is None:
            raise CommandError(f"{len(result.errors)} bad row(s); nothing was imported. Fix them, or pass "
                               "--reject-file to import the good rows and write the bad ones there.")
        if options["reject_file"] is not None and result.rejected:
            options["reject_file"].write_text(result.reject_text, encoding="utf-8")
        self.stdout.write(f"{result.rows} rows: {result.created} new, {result.duplicates} already imported, "
                          f"{result.rejected} rejected")

    def _import_email(self, options: dict[str, Any]) -> None:
        from eyelevel.feedback.services import importing

        organisation = self._organisation(options["organisation"])
        created = duplicates = 0
        skipped: list[str] = []
        for path in tqdm(options["files"], desc="mail files", unit="file", disable=None):
            result = importing.import_email_file(organisation=organisation, filename=path.name,
                                                 payload=path.read_bytes())
            created += result.created
            duplicates += result.duplicates
            skipped += [f"{path.name}, message {error.row}: {error.message}" for error in result.errors]
        for line in skipped:  # nothing is dropped without saying so
            self.stderr.write(f"skipped {line}")
        self.stdout.write(f"{created} new items from mail, {duplicates} already imported, {len(skipped)} skipped")

    def _escalate(self, options: dict[str, Any]) -> None:
        from eyelevel.core.models import Organisation
        from eyelevel.feedback import services

        organisations = ([self._organisation(options["organisation"])] if options["organisation"]
                         else list(Organisation.objects.all()))
        total = sum(len(services.escalate_overdue(organisation=o)) for o in organisations)
        self.stdout.write(f"escalated {total} item(s)")

