"""Next-basket recommendation quality and speed on The Complete Journey, against four baselines.

Split by time: train on every transaction before the last month of the file (2017-10-01), test on that
month. For each household with history and at least one purchase in the test month: recall@10 (hits
divided by the number of distinct products bought in the test month) and NDCG@10 (binary relevance).
Compared in one run: `eyelevel offers recommend` (run as the command, CSV in and out), (a) most popular,
(b) each customer's own most-bought items, (c) the same weighted by recency 0.5 ** (age_days / 120),
(d) the implicit library's ALS with its default settings. Baselines (a)-(c) and (d) fill up with the most
popular items where a customer has fewer than 10. Also: the time to recommend for everyone (the command),
and for one customer on request inside the app (median of many customers).

Run: nice -n 10 .venv/bin/python -m benchmarks.offers_recommend
"""

import csv
import gzip
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
from scipy import sparse

from benchmarks.report import write_section

REPOSITORY = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("EYELEVEL_SHARED_DATA", REPOSITORY.parent / "shared" / "data")) / "completejourney"
CUTOFF = "2017-10-01"
K = 10


def load() -> tuple[list[tuple[str, str, str, str]], list[tuple[str, str, str, str]]]:
    """Transaction lines (household, product, quantity, timestamp) before and after the cutoff."""
    train, test = [], []
    with gzip.open(DATA / "transactions_train.csv.gz", "rt", newline="") as stream:
        reader = csv.DictReader(stream)
        for row in reader:
            line = (row["household_id"], row["product_id"], row["quantity"], row["transaction_timestamp"])
            (train if row["transaction_timestamp"] < CUTOFF else test).append(line)
    return train, test


def ground_truth(test: list[tuple[str, str, str, str]]) -> dict[str, set[str]]:
    truth: dict[str, set[str]] = {}
    for household, product, quantity, _stamp in test:
        if float(quantity) > 0:
            truth.setdefault(household, set()).add(product)
    return truth


def evaluate(recommendations: dict[str, list[str]], truth: dict[str, set[str]]) -> tuple[float, float]:
    """Mean recall@K and NDCG@K over the customers in truth that have recommendations."""
    discounts = 1 / np.log2(np.arange(2, K + 2))
    recalls, ndcgs = [], []
    for customer, bought in truth.items():
        ranked = recommendations.get(customer)
        if ranked is None:
            continue
        hits = np.array([product in bought for product in ranked[:K]], dtype=float)
        recalls.append(hits.sum() / len(bought))
        ideal = discounts[: min(len(bought), K)].sum()
        ndcgs.append(float((hits * discounts[: len(hits)]).sum() / ideal))
    return float(np.mean(recalls)), float(np.mean(ndcgs))


def baselines(train: list[tuple[str, str, str, str]]) -> dict[str, dict[str, list[str]]]:
    """(a) most popular, (b) own most bought, (c) own recency-weighted, (d) implicit ALS defaults."""
    rows = [line for line in train if float(line[2]) > 0]
    customers, customer_codes = np.unique([r[0] for r in rows], return_inverse=True)
    products, product_codes = np.unique([r[1] for r in rows], return_inverse=True)
    stamps = np.array([r[3] for r in rows], dtype="datetime64[s]").astype(np.int64) / 86400.0
    now = stamps.max()
    shape = (len(customers), len(products))
    counts = sparse.csr_matrix((np.ones(len(rows)), (customer_codes, product_codes)), shape=shape)
    recency = sparse.csr_matrix((np.power(0.5, (now - stamps) / 120.0), (customer_codes, product_codes)),
                                shape=shape)
    popularity = np.asarray(counts.sum(axis=0)).ravel()
    popular = list(np.argsort(-popularity, kind="stable")[:K * 3])

    def own_top(matrix: sparse.csr_matrix) -> dict[str, list[str]]:
        result = {}
        for code, customer in enumerate(customers):
            row = matrix.getrow(code)
            order = row.indices[np.argsort(-row.data, kind="stable")][:K]
            picked = list(order) + [p for p in popular if p not in set(order)]
            result[customer] = [products[p] for p in picked[:K]]
        return result

    out = {"(a) most popular": {c: [products[p] for p in popular[:K]] for c in customers},
           "(b) own most bought": own_top(counts), "(c) own, recency-weighted (half-life 120 d)": own_top(recency)}
    from implicit.als import AlternatingLeastSquares

    model = AlternatingLeastSquares(random_state=0)
    model.fit(counts.tocsr(), show_progress=False)
    ids, _scores = model.recommend(np.arange(len(customers)), counts.tocsr(), N=K, filter_already_liked_items=False)
    out["(d) implicit ALS, default settings"] = {customers[i]: [products[p] for p in ids[i]]
                                                 for i in range(len(customers))}
    return out


def run_command(train: list[tuple[str, str, str, str]], folder: Path) -> tuple[dict[str, list[str]], float]:
    """Run `eyelevel offers recommend` on the training lines; returns its recommendations and seconds."""
    purchases, output = folder / "purchases.csv", folder / "recommendations.csv"
    with purchases.open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["customer_id", "product_id", "quantity", "timestamp"])
        writer.writerows(train)
    eyelevel = Path(sys.executable).parent / "eyelevel"
    started = time.perf_counter()
    subprocess.run([str(eyelevel), "offers", "recommend", str(purchases), str(output), "--k", str(K)], check=True,
                   env={**os.environ, "EYELEVEL_TESTING": os.environ.get("EYELEVEL_TESTING", "1")})
    seconds = time.perf_counter() - started
    result: dict[str, list[str]] = {}
    with output.open(newline="") as stream:
        for row in csv.DictReader(stream):
            result.setdefault(row["customer_id"], []).append(row["product_id"])
    return result, seconds


def one_customer_latency(train: list[tuple[str, str, str, str]], samples: int = 200) -> float:
    """Median milliseconds to rank one customer's offers with the stored model and its learned ranker (the in-app
    path: candidates, features, ranker; without the database)."""
    from eyelevel.analysis import recommend

    rows = [line for line in train if float(line[2]) > 0]
    customers, customer_codes = np.unique([r[0] for r in rows], return_inverse=True)
    _products, product_codes = np.unique([r[1] for r in rows], return_inverse=True)
    days = np.array([r[3] for r in rows], dtype="datetime64[s]").astype(np.int64) / 86400.0
    model = recommend.fit(customer_codes, product_codes, days, n_customers=len(customers),
                          n_items=int(product_codes.max()) + 1, learn=True)
    timings = []
    rng = np.random.default_rng(0)
    for code in rng.choice(len(customers), size=min(samples, len(customers)), replace=False):
        mine = customer_codes == code
        started = time.perf_counter()
        result = recommend.recommend_one(model, product_codes[mine], days[mine], now=model.now,
                                         exclude_row=int(code))
        result["item"][:K]
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main() -> None:
    started = datetime.now()
    train, test = load()
    truth = ground_truth(test)
    print(f"train lines {len(train):,}, test lines {len(test):,}, test customers {len(truth):,}", flush=True)
    results: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        ours, seconds = run_command(train, Path(folder))
    results["eyelevel offers recommend"] = evaluate(ours, truth)
    for name, recommendations in baselines(train).items():
        results[name] = evaluate(recommendations, truth)
    latency = one_customer_latency(train)
    base_recall, base_ndcg = results["(c) own, recency-weighted (half-life 120 d)"]
    table = ["| method | recall@10 | NDCG@10 |", "|---|---:|---:|"]
    for name, (recall, ndcg) in results.items():
        table.append(f"| {name} | {recall:.4f} | {ndcg:.4f} |")
        print(f"{name:48s} recall@10 {recall:.4f}  NDCG@10 {ndcg:.4f}")
    ours_recall, ours_ndcg = results["eyelevel offers recommend"]
    best_other = max(r for name, (r, _n) in results.items() if name != "eyelevel offers recommend")
    summary = (
        f"\n\nAgainst (c): recall@10 x{ours_recall / base_recall:.3f} ({(ours_recall / base_recall - 1) * 100:+.1f} %), "
        f"NDCG@10 x{ours_ndcg / base_ndcg:.3f} ({(ours_ndcg / base_ndcg - 1) * 100:+.1f} %). "
        f"Best baseline recall@10 {best_other:.4f}.\n\n"
        f"Time to recommend for all {len(ours):,} customers (the command, from {len(train):,} purchase lines, "
        f"CSV in and out): {seconds:.1f} s. One customer on request (stored model with its learned ranker in "
        f"memory: candidates, features, ranker, top 10): median {latency:.1f} ms over 200 customers.\n\n"
        f"Test: {len(truth):,} households that bought in October 2017 ({len(test):,} lines); training lines "
        f"before {CUTOFF}. Evaluated over the customers each method recommends for "
        "(all customers with history). Benchmark run took "
        f"{(datetime.now() - started).total_seconds():.0f} s."
    )
    print(summary)
    write_section("offers-recommend", "Offers: next-basket recommendation (The Complete Journey)",
                  "nice -n 10 .venv/bin/python -m benchmarks.offers_recommend", "\n".join(table) + summary)


if __name__ == "__main__":
    main()
