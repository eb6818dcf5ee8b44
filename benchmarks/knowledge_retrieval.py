"""Retrieval quality of the knowledge search on real support data, and its query latency.

Two data sets from the shared data folder (see their READMEs): bitext-customer-support (27 intents,
customer requests and agent answers) and banking77 (77 intents, customer queries). For each intent
one article is built from a few of its requests (the issue in the customer's words; for bitext also
one agent answer as the resolution); the remaining requests of a held-back part are the queries. A
query is a hit when an article of its own intent is among the top 5. The same `HybridIndex` the
product uses is run three ways in one run: combined (the product), BM25 alone, meaning alone.

Latency: 10,000 articles (texts from both data sets), median time of one search including the
query's embedding, combined against BM25 alone as the baseline.
"""

import csv
import os
import random
import statistics
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits
from tqdm import tqdm

from benchmarks.report import write_section
from eyelevel.analysis.embeddings import embed_passages, embed_queries
from eyelevel.analysis.search import MODES, HybridIndex, document_text, embedding_text, search_one

COMMAND = "nice -n 10 .venv/bin/python -m benchmarks.knowledge_retrieval"
DATA = Path(os.environ.get("EYELEVEL_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
EXAMPLES_PER_ARTICLE = 5
QUERIES_PER_DATA_SET = 1500
SEED = 7


def _title(intent: str) -> str:
    return intent.replace("_", " ").capitalize()


def _read(name: str) -> list[dict[str, str]]:
    with (DATA / name / "train.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def build(rows: list[dict[str, str]], *, text: str, intent: str, answer: str | None) -> tuple[list, list]:
    """One article per intent from a few of its requests; the others become (query, intent) pairs."""
    by_intent: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_intent[row[intent]].append(row)
    generator = random.Random(SEED)
    articles, queries = [], []
    for name in sorted(by_intent):
        examples = by_intent[name][:]
        generator.shuffle(examples)
        chosen, rest = examples[:EXAMPLES_PER_ARTICLE], examples[EXAMPLES_PER_ARTICLE:]
        body = "\n".join(row[text] for row in chosen)
        if answer:
            body += "\n\n" + chosen[0][answer]
        articles.append((name, document_text(_title(name), body)))
        queries += [(row[text], name) for row in rest]
    generator.shuffle(queries)
    return articles, queries[:QUERIES_PER_DATA_SET]


def evaluate(articles: list, queries: list, k: int = 5) -> dict[str, tuple[float, float]]:
    """recall@k and MRR (of the first right article within the top k) per search mode."""
    texts = [text for _name, text in articles]
    vectors = embed_passages([embedding_text(text) for text in tqdm(texts, desc="articles", leave=False)])
    index = HybridIndex(texts, vectors)
    query_texts = [text for text, _intent in queries]
    with tqdm(total=len(query_texts), desc="query embeddings", leave=False) as bar:
        query_vectors = embed_queries(query_texts, progress=bar.update)
    intents = [name for name, _text in articles]
    results = {}
    for mode in MODES:
        hits, reciprocal = 0, 0.0
        for start in range(0, len(query_texts), 256):
            batch = index.search(query_texts[start:start + 256], query_vectors[start:start + 256], k=k, mode=mode)
            for (_text, intent), found in zip(queries[start:start + 256], batch, strict=True):
                ranks = [rank for rank, hit in enumerate(found, 1) if intents[hit.position] == intent]
                if ranks:
                    hits += 1
                    reciprocal += 1 / ranks[0]
        results[mode] = (hits / len(queries), reciprocal / len(queries))
    return results


def latency(articles_count: int = 10_000, searches: int = 200) -> dict[str, float]:
    """Median milliseconds of one search (query embedding included) over articles_count articles."""
    generator = random.Random(SEED)
    pool = [row["text"] for row in _read("banking77")] + [row["instruction"] for row in _read("bitext-customer-support")]
    texts = [document_text(generator.choice(pool), " ".join(generator.sample(pool, 4))) for _ in range(articles_count)]
    # The vectors' values do not change the work of a search; random unit vectors spare embedding 10,000 texts.
    vectors = np.random.default_rng(SEED).standard_normal((articles_count, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = HybridIndex(texts, vectors)
    queries = generator.sample(pool, searches)
    medians = {}
    durations: dict[str, list[float]] = {"keyword": [], "combined": []}
    for query in queries:  # exactly the product's call (knowledge.services.search_articles), which limits threads
        started = time.perf_counter()
        search_one(index, query, k=5)
        durations["combined"].append((time.perf_counter() - started) * 1000)
    with threadpool_limits(limits=1):  # the baseline on one thread too (set once), without the query's embedding
        for query in queries:
            started = time.perf_counter()
            index.search([query], np.zeros((1, 384), dtype=np.float32), k=5, mode="keyword")
            durations["keyword"].append((time.perf_counter() - started) * 1000)
    for mode, values in durations.items():
        medians[mode] = statistics.median(values)
    return medians


def main() -> None:
    data_sets = {
        "bitext-customer-support": build(_read("bitext-customer-support"), text="instruction", intent="intent",
                                         answer="response"),
        "banking77": build(_read("banking77"), text="text", intent="category", answer=None),
    }
    lines = ["| data set | articles | queries | method | recall@5 | MRR@5 |", "|---|---|---|---|---|---|"]
    verdicts = []
    for name, (articles, queries) in data_sets.items():
        results = evaluate(articles, queries)
        for mode in MODES:
            recall, mrr = results[mode]
            label = {"combined": "combined (product)", "keyword": "BM25 alone", "meaning": "meaning alone"}[mode]
            lines.append(f"| {name} | {len(articles)} | {len(queries)} | {label} | {recall:.3f} | {mrr:.3f} |")
            print(f"{name:25} {mode:9} recall@5={recall:.3f} MRR={mrr:.3f}")
        best_single = max(results["keyword"][1], results["meaning"][1])
        verdicts.append(f"{name}: combined MRR is {results['combined'][1] / best_single:.3f}x the better single method"
                        f" (recall@5 {results['combined'][0] / max(results['keyword'][0], results['meaning'][0]):.3f}x)")
    medians = latency()
    print(f"latency over 10,000 articles: combined {medians['combined']:.1f} ms, BM25 alone {medians['keyword']:.1f} ms")
    body = "\n".join(lines) + "\n\n" + "\n".join(f"- {line}" for line in verdicts) + (
        f"\n- Query latency, 10,000 articles, median of 200 searches: combined {medians['combined']:.1f} ms "
        f"(query embedding included) vs BM25 alone {medians['keyword']:.1f} ms "
        f"({medians['combined'] / medians['keyword']:.1f}x); goal under 100 ms.\n\n"
        f"One article per intent from {EXAMPLES_PER_ARTICLE} of its requests (bitext: plus one agent answer); "
        f"up to {QUERIES_PER_DATA_SET} other requests per data set as queries (seed {SEED}). "
        "A hit: an article of the query's intent in the top 5. For the latency run the article vectors are "
        "random unit vectors (the values do not change the cost); article texts and queries are real."
    )
    write_section("knowledge-retrieval", "Knowledge search: retrieval quality and latency", COMMAND, body)


if __name__ == "__main__":
    main()
