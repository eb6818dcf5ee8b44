"""Can `eyelevel knowledge rank` handle 100,000 articles and 100,000 queries here? Throughput and memory.

A full run embeds 200,000 texts, which takes most of an hour on 2 cores; this script measures the
parts instead, in one run, and extrapolates:
1. the command end to end on 2,000 articles and 2,000 queries from the shared support data (real
   embeddings), with its peak memory;
2. the ranking step alone on 100,000 articles (texts from the data sets, random unit vectors: the
   values do not change the cost) for 2,560 queries, combined search vs BM25 alone as the baseline;
3. the embedding rate, from part 1.

With `--full` it runs the command end to end on 100,000 articles and 100,000 queries instead (about an hour on an
idle 2-core machine; progress bars on the terminal) and writes that figure to its own section.
"""

import argparse
import csv
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.report import write_section
from eyelevel.analysis.search import HybridIndex, document_text
from eyelevel.knowledge.management.commands.knowledge import QUERY_BATCH

COMMAND = "nice -n 10 .venv/bin/python -m benchmarks.knowledge_rank_scale"
DATA = Path(os.environ.get("EYELEVEL_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
FULL_COMMAND = "nice -n 10 .venv/bin/python -m benchmarks.knowledge_rank_scale --full"
SEED = 11
SMALL = 2_000
LARGE = 100_000
SCORED_QUERIES = 2_560


def _pool() -> list[str]:
    texts = []
    for name, column in (("banking77", "text"), ("bitext-customer-support", "instruction")):
        with (DATA / name / "train.csv").open(encoding="utf-8", newline="") as handle:
            texts += [row[column] for row in csv.DictReader(handle)]
    return texts


def _articles(pool: list[str], count: int, generator: random.Random) -> list[tuple[str, str]]:
    return [(generator.choice(pool), " ".join(generator.sample(pool, 4))) for _ in range(count)]


def end_to_end(pool: list[str], generator: random.Random, size: int = SMALL, *,
               progress: bool = False) -> tuple[float, float]:
    """(seconds, peak MiB) of the real command on `size` articles and `size` queries."""
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        with (base / "articles.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "title", "body"])
            writer.writerows((f"a{i}", title, body) for i, (title, body) in enumerate(_articles(pool, size, generator)))
        with (base / "queries.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "text"])
            queries = generator.sample(pool, size) if size <= len(pool) else generator.choices(pool, k=size)
            writer.writerows((f"q{i}", text) for i, text in enumerate(queries))
        # The command needs no database; a development environment in a throw-away folder is enough.
        env = {**os.environ, "DEBUG": "1", "EYELEVEL_DATA_DIR": str(base)}
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "eyelevel", "knowledge", "rank", str(base / "articles.csv"),
                        str(base / "queries.csv"), str(base / "out.csv"), "--k", "5",
                        *([] if progress else ["--no-progress"])],
                       check=True, stdout=subprocess.DEVNULL, env=env)
        seconds = time.perf_counter() - started
        with (base / "out.csv").open(encoding="utf-8") as handle:
            assert sum(1 for _ in handle) == size * 5 + 1
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak


def ranking(pool: list[str], generator: random.Random) -> dict[str, float]:
    """Queries per second of the ranking step over LARGE articles, combined and BM25 alone."""
    articles = _articles(pool, LARGE, generator)
    started = time.perf_counter()
    vectors = np.random.default_rng(SEED).standard_normal((LARGE, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = HybridIndex([document_text(title, body) for title, body in articles], vectors)
    build = time.perf_counter() - started
    queries = generator.sample(pool, SCORED_QUERIES)
    query_vectors = np.random.default_rng(SEED + 1).standard_normal((SCORED_QUERIES, 384)).astype(np.float32)
    rates = {"index build s": build}
    for mode in ("keyword", "combined"):
        started = time.perf_counter()
        for start in range(0, SCORED_QUERIES, QUERY_BATCH):
            index.search(queries[start:start + QUERY_BATCH], query_vectors[start:start + QUERY_BATCH], k=5, mode=mode)
        rates[mode] = SCORED_QUERIES / (time.perf_counter() - started)
    rates["peak MiB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return rates


def full() -> None:
    """The command end to end on LARGE articles and LARGE queries."""
    generator = random.Random(SEED)
    load_before = os.getloadavg()[0]
    seconds, peak = end_to_end(_pool(), generator, LARGE, progress=True)
    load = (load_before + os.getloadavg()[0]) / 2
    print(f"end to end, {LARGE} x {LARGE}: {seconds:.0f} s, peak {peak:.0f} MiB")
    body = (
        f"`eyelevel knowledge rank ARTICLES QUERIES OUTPUT --k 5` on {LARGE:,} articles and {LARGE:,} queries "
        f"(requests from banking77 and bitext-customer-support: titles one request, bodies four; queries drawn "
        f"with repetition from the {len(_pool()):,} requests), real embeddings, output checked ({LARGE * 5:,} rows).\n\n"
        f"| figure | value |\n|---|---|\n| wall time | {seconds / 60:.0f} min ({2 * LARGE / seconds:.0f} texts/s "
        f"embedded and ranked) |\n| peak resident memory | {peak:.0f} MiB |\n\n"
        f"Load average during the run: about {load:.1f} on {os.cpu_count()} cores (other work shared the machine)."
    )
    write_section("knowledge-rank-full", "Knowledge rank command: 100,000 x 100,000 end to end", FULL_COMMAND, body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--full", action="store_true", help="run the command on 100,000 x 100,000 (about an hour)")
    if parser.parse_args().full:
        full()
        return
    generator = random.Random(SEED)
    pool = _pool()
    load_before = os.getloadavg()[0]
    seconds, peak_small = end_to_end(pool, generator)
    embed_rate = 2 * SMALL / seconds  # texts per second, an upper bound on the time embedding takes
    print(f"end to end, {SMALL} x {SMALL}: {seconds:.0f} s, peak {peak_small:.0f} MiB, >= {embed_rate:.0f} texts/s")
    rates = ranking(pool, generator)
    print(f"ranking over {LARGE} articles: combined {rates['combined']:.0f} queries/s, BM25 alone "
          f"{rates['keyword']:.0f} queries/s; index build {rates['index build s']:.0f} s; peak {rates['peak MiB']:.0f} MiB")
    load = (load_before + os.getloadavg()[0]) / 2
    hours = (2 * LARGE / embed_rate + LARGE / rates["combined"] + rates["index build s"]) / 3600
    body = (
        f"| step | figure |\n|---|---|\n"
        f"| `knowledge rank` end to end, {SMALL:,} articles x {SMALL:,} queries (real embeddings) | "
        f"{seconds:.0f} s, peak memory {peak_small:.0f} MiB |\n"
        f"| embedding rate implied (texts/s, lower bound) | {embed_rate:.0f} |\n"
        f"| index build, {LARGE:,} articles (BM25 matrix; vectors given) | {rates['index build s']:.1f} s |\n"
        f"| ranking, {LARGE:,} articles, combined search | {rates['combined']:.0f} queries/s |\n"
        f"| ranking, {LARGE:,} articles, BM25 alone (baseline) | {rates['keyword']:.0f} queries/s "
        f"(combined: {rates['combined'] / rates['keyword']:.2f}x) |\n"
        f"| peak memory of the ranking step at {LARGE:,} articles | {rates['peak MiB']:.0f} MiB |\n"
        f"| extrapolated: {LARGE:,} articles x {LARGE:,} queries | about {hours:.1f} h, embedding most of it |\n\n"
        "Texts are requests from banking77 and bitext-customer-support (titles one request, bodies four). "
        "For the ranking step the vectors are random unit vectors; its cost does not depend on their values. "
        f"Load average during the run: about {load:.1f} on {os.cpu_count()} cores (the embedding rate, and so the "
        "extrapolated hours, fall with the load; the script runs niced)."
    )
    write_section("knowledge-rank-scale", "Knowledge rank command: 100,000 articles x 100,000 queries", COMMAND, body)


if __name__ == "__main__":
    main()
