"""`eyelevel knowledge rank ARTICLES QUERIES OUTPUT --k 5`: the product's search, in batch, over CSV files.

ARTICLES: CSV with a header row and the columns id, title, body (and optionally language: en or de).
QUERIES: CSV with id, text. OUTPUT: CSV with query_id, rank, article_id, score — the top k articles per
query, ranked by exactly the search the knowledge base uses (`eyelevel.analysis.search.HybridIndex`).
Bad input stops the command with the file, row and field at fault, before anything is written; the
output appears only once complete (it is written to a temporary file and renamed).
"""

from __future__ import annotations

import csv
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from eyelevel.analysis.embeddings import embed_passages, embed_queries
from eyelevel.analysis.search import HybridIndex, document_text, embedding_text

QUERY_BATCH = 256
LANGUAGES = {"", "en", "de"}


def _read_csv(path: Path, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> list[dict[str, str]]:
    """Rows of a CSV file with the required columns, or CommandError naming the file, row and field."""
    if not path.is_file():
        raise CommandError(f"{path}: no such file")
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = reader.fieldnames or []
        missing = [column for column in required if column not in columns]
        if missing:
            raise CommandError(f"{path}: header row lacks the column(s) {', '.join(missing)} "
                               f"(found: {', '.join(columns) or 'nothing'})")
        rows, seen = [], {}
        try:
            for number, row in enumerate(reader, start=2):  # row 1 is the header
                if None in row:
                    raise CommandError(f"{path}, row {number}: more fields than the header has columns")
                cleaned = {key: (row.get(key) or "") for key in (*required, *optional)}
                identifier = cleaned["id"].strip()
                if not identifier:
                    raise CommandError(f"{path}, row {number}, field id: empty")
                if identifier in seen:
                    raise CommandError(f"{path}, row {number}, field id: {identifier!r} repeats row {seen[identifier]}")
                seen[identifier] = number
                cleaned["id"] = identifier
                cleaned["_row"] = str(number)
                rows.append(cleaned)
        except UnicodeDecodeError as error:
            raise CommandError(f"{path}: not UTF-8 ({error})") from None
        except csv.Error as error:
            raise CommandError(f"{path}, row {reader.line_num}: {error}") from None
    return rows


def read_articles(path: Path) -> list[dict[str, str]]:
    """The articles of a rank run, checked."""
    rows = _read_csv(path, ("id", "title", "body"), ("language",))
    for row in rows:
        if not (row["title"].strip() or row["body"].strip()):
            raise CommandError(f"{path}, row {row['_row']}, fields title and body: both empty")
        if row["language"].strip().lower() not in LANGUAGES:
            raise CommandError(f"{path}, row {row['_row']}, field language: {row['language']!r} is not en or de")
    return rows


def read_queries(path: Path) -> list[dict[str, str]]:
    """The queries of a rank run, checked."""
    rows = _read_csv(path, ("id", "text"))
    for row in rows:
        if not row["text"].strip():
            raise CommandError(f"{path}, row {row['_row']}, field text: empty")
    return rows


def rank(articles: list[dict[str, str]], queries: list[dict[str, str]], k: int, output: Path, *,
         progress: bool = True) -> tuple[int, int]:
    """Write the top k articles per query to output (CSV); the number of result rows and of distinct queries."""
    texts = [document_text(row["title"], row["body"]) for row in articles]
    with tqdm(total=len(texts), desc="embedding articles", unit="article", disable=not progress) as bar:
        vectors = embed_passages([embedding_text(text) for text in texts], progress=bar.update)
    index = HybridIndex(texts, vectors)
    # Query logs repeat themselves ("reset my password"): embed each distinct text once.
    distinct = list(dict.fromkeys(row["text"] for row in queries))
    with tqdm(total=len(distinct), desc="embedding queries", unit="query", disable=not progress) as bar:
        query_vectors = embed_queries(distinct, progress=bar.update)
    vector_row = {text: position for position, text in enumerate(distinct)}
    article_ids = [row["id"] for row in articles]
    written = 0
    output.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".rank-", suffix=".csv", dir=output.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow(["query_id", "rank", "article_id", "score"])
            with tqdm(total=len(queries), desc="ranking queries", unit="query", disable=not progress) as bar:
                for start in range(0, len(queries), QUERY_BATCH):
                    batch = queries[start:start + QUERY_BATCH]
                    query_texts = [row["text"] for row in batch]
                    found = index.search(query_texts, query_vectors[[vector_row[text] for text in query_texts]], k=k)
                    for row, hits in zip(batch, found, strict=True):
                        for position, hit in enumerate(hits, start=1):
                            writer.writerow([row["id"], position, article_ids[hit.position], f"{hit.score:.6f}"])
                            written += 1
                    bar.update(len(batch))
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return written, len(distinct)


class Command(BaseCommand):
    help = "Knowledge base tools. `knowledge rank ARTICLES QUERIES OUTPUT --k 5` ranks articles for queries."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        ranking = commands.add_parser("rank", help="rank articles for queries with the product's search")
        ranking.add_argument("articles", type=Path, help="CSV with id, title, body (optional: language)")
        ranking.add_argument("queries", type=Path, help="CSV with id, text")
        ranking.add_argument("output", type=Path, help="CSV to write: query_id, rank, article_id, score")
        ranking.add_argument("--k", type=int, default=5, help="articles per query (default 5)")
        ranking.add_argument("--no-progress", action="store_true", help="no progress bars")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "rank":
            if not 1 <= options["k"] <= 1000:
                raise CommandError("--k must be between 1 and 1000")
            articles = read_articles(options["articles"])
            queries = read_queries(options["queries"])
            if not articles:
                raise CommandError(f"{options['articles']}: no articles")
            written, distinct = rank(articles, queries, options["k"], options["output"],
                                     progress=not options["no_progress"])
            self.stdout.write(f"{len(queries)} queries ({distinct} distinct texts), {len(articles)} articles: "
                              f"{written} rows written to {options['output']}")
