"""File-level training and classification for `eyelevel feedback train|classify` (streaming, flat memory)."""

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from eyelevel.analysis.text.classifier import (
    LabelledExample,
    TextModels,
    encode_aspects,
    parse_aspects,
    train,
)
from eyelevel.analysis.text.features import Embedder
from eyelevel.core.errors import InvalidInput

CHUNK = 256
OUTPUT_COLUMNS = ("id", "language", "sentiment", "aspects", "urgency")
SENTIMENT_VALUES = {"negative", "neutral", "positive"}


def _clean(value: str) -> str:
    return value.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def read_rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for each data row of a TSV (tab-split, no quoting) or CSV (by extension) with a header."""
    handle = path.open(encoding="utf-8", newline="")
    with handle:
        if path.suffix.lower() == ".csv":
            reader: Iterator[list[str]] = csv.reader(handle)
        else:
            reader = (line.rstrip("\r\n").split("\t") for line in handle)
        header = next(reader, None)
        if header is None:
            raise InvalidInput(f"{path.name}: the file is empty; expected a header row", field="header")
        header = [name.strip().lstrip("\ufeff") for name in header]
        missing = [name for name in required if name not in header]
        if missing:
            raise InvalidInput(f"{path.name}: the header lacks the column(s) {', '.join(missing)}", field="header")
        index = {name: header.index(name) for name in header}
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            yield number, {name: (cells[i] if i < len(cells) else "") for name, i in index.items()}


def read_labelled(path: Path) -> list[LabelledExample]:
    """Training rows; every bad cell is reported by line and column, and nothing is trained until all are fixed."""
    examples, errors = [], []
    for number, row in read_rows(path, ("id", "text", "sentiment", "aspects")):
        text = row["text"].strip()
        sentiment = row["sentiment"].strip().lower()
        if not text:
            errors.append(f"line {number}: column text is empty")
            continue
        if sentiment and sentiment not in SENTIMENT_VALUES:
            errors.append(f"line {number}: column sentiment: {sentiment!r} is not negative/neutral/positive/empty")
            continue
        try:
            aspects = parse_aspects(row["aspects"])
        except ValueError as error:
            errors.append(f"line {number}: column aspects: {error}")
            continue
        examples.append(LabelledExample(text, sentiment or None, aspects))
    if errors:
        raise InvalidInput("; ".join(errors[:20]) + (f"; and {len(errors) - 20} more" if len(errors) > 20 else ""),
                           field="rows", errors=[{"field": "rows", "message": e} for e in errors])
    if not examples:
        raise InvalidInput(f"{path.name}: no rows to train on", field="rows")
    return examples


def train_file(labelled: Path, model_dir: Path, *, embed: Embedder | None, progress: Callable[[str], None] | None = None,
               embedding_weight: float = 1.0, gate: bool = True) -> TextModels:
    """Train sentiment and aspect models from a labelled TSV and write them to model_dir."""
    examples = read_labelled(labelled)
    models = train(examples, embed=embed, progress=progress, embedding_weight=embedding_weight, gate=gate,
                   meta={"name": model_dir.name, "training_file": labelled.name})
    models.save(model_dir)
    return models


@dataclass
class ClassifiedFile:
    rows: int = 0
    embedded: int = 0  # rows whose decision used the sentence embedding (the gate was unsure about the rest)


def classify_file(source: Path, target: Path, *, models: TextModels, embed: Embedder | None,
                  progress: Callable[[int], None] | None = None, embed_all: bool = False) -> ClassifiedFile:
    """Classify every row of source into a TSV at target, chunk by chunk."""
    done = ClassifiedFile()
    with target.open("w", encoding="utf-8", newline="") as out:
        out.write("\t".join(OUTPUT_COLUMNS) + "\n")
        chunk: list[tuple[str, str]] = []

        def flush() -> None:
            results = models.classify([text for _id, text in chunk], embed, embed_all=embed_all)
            done.embedded += sum(result.embedded for result in results)
            buffer = io.StringIO()
            for (row_id, _text), result in zip(chunk, results, strict=True):
                buffer.write("\t".join((_clean(row_id), result.language, result.sentiment,
                                        encode_aspects(result.aspects), result.urgency)) + "\n")
            out.write(buffer.getvalue())
            if progress:
                progress(len(chunk))
            chunk.clear()

        for _number, row in read_rows(source, ("id", "text")):
            chunk.append((row["id"], row["text"]))
            done.rows += 1
            if len(chunk) >= CHUNK:
                flush()
        if chunk:
            flush()
    return done
