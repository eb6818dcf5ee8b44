"""The batch interface of the recommender: purchase lines in a CSV, top k per customer out to a CSV.

Input: a header row with at least customer_id, product_id, quantity, timestamp (ISO date or date and
time, or unix seconds). Lines with a quantity of 0 or less (returns, voids) are skipped. Output:
customer_id, rank, product_id, reason (plain English; the portal explains offers in the customer's
own language).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from eyelevel.analysis import recommend

REQUIRED = ("customer_id", "product_id", "quantity", "timestamp")


class PurchaseFileError(ValueError):
    """The purchases file is malformed; the message names the row and column."""


@dataclass
class Purchases:
    customer_ids: np.ndarray  # unique customer ids (strings), index = code
    product_ids: np.ndarray  # unique product ids (strings), index = code
    customers: np.ndarray  # code per line
    products: np.ndarray  # code per line
    days: np.ndarray  # days since 1970 per line


def _to_days(values: list[str], row_numbers: list[int]) -> np.ndarray:
    try:
        return np.array(values, dtype=np.float64) / recommend.SECONDS_PER_DAY
    except ValueError:
        pass
    try:
        stamps = np.array([v.replace("T", " ")[:19] for v in values], dtype="datetime64[s]")
    except ValueError:
        for index, value in enumerate(values):
            try:
                datetime.fromisoformat(value)
            except ValueError:
                raise PurchaseFileError(f"row {row_numbers[index]}: timestamp {value!r} is not a date and time") \
                    from None
        raise
    return stamps.astype(np.int64).astype(np.float64) / recommend.SECONDS_PER_DAY


def read_purchases(path: Path | str, *, progress: Callable[[int], None] | None = None) -> Purchases:
    """Read and check a purchases CSV; raises PurchaseFileError naming the first bad row."""
    customers, products, stamps, rows = [], [], [], []  # rows: each kept line's number in the file
    everyone: set[str] = set()  # customers with only returns still get a row of (popular) recommendations
    with Path(path).open(encoding="utf-8", newline="") as stream:
        reader = csv.reader(stream)
        header = next(reader, None) or []
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise PurchaseFileError(f"row 1 (header): missing columns {', '.join(missing)}")
        c, p, q, t = (header.index(name) for name in REQUIRED)
        for number, row in enumerate(reader, start=2):
            try:
                quantity = float(row[q])
                if not (row[c] and row[p] and row[t]):
                    raise PurchaseFileError(f"row {number}: customer_id, product_id and timestamp must not be empty")
            except (ValueError, IndexError) as error:
                if isinstance(error, PurchaseFileError):
                    raise
                raise PurchaseFileError(f"row {number}: quantity {row[q] if len(row) > q else ''!r} is not a number"
                                        if len(row) > max(c, p, q, t) else f"row {number}: too few fields") from None
            everyone.add(row[c])
            if quantity <= 0:
                continue
            customers.append(row[c])
            products.append(row[p])
            stamps.append(row[t])
            rows.append(number)
            if progress and number % 100000 == 0:
                progress(100000)
    if not customers:
        raise PurchaseFileError("the file holds no purchase lines with a positive quantity")
    customer_ids = np.array(sorted(everyone))
    customer_codes = np.searchsorted(customer_ids, np.array(customers))
    product_ids, product_codes = np.unique(np.array(products), return_inverse=True)
    return Purchases(customer_ids, product_ids, customer_codes, product_codes, _to_days(stamps, rows))


def _month(day: float) -> str:
    return datetime.fromtimestamp(day * recommend.SECONDS_PER_DAY, tz=UTC).strftime("%B %Y")


def reason_text(kind: int, times: float, first: float, last: float, interval: float, now: float) -> str:
    """A plain-language reason in English for one recommendation."""
    if kind == 2:
        return (f"you buy this about every {max(1, round(interval))} days; "
                f"last time {max(0, round(now - last))} days ago")
    if kind == 1:
        return f"you bought this {int(times)} times since {_month(first)}" if times > 1 else \
            f"you bought this in {_month(first)}"
    if kind == 0:
        return "customers who shop like you buy this"
    return "popular with all customers"


def recommend_csv(purchases_path: Path | str, output_path: Path | str, *, k: int = 10,
                  params: recommend.Params | None = None, progress: Callable[[int], None] | None = None,
                  on_customers: Callable[[int], None] | None = None) -> int:
    """Write the top k products for every customer in the purchases file; returns the customer count."""
    data = read_purchases(purchases_path)
    n_customers, n_items = len(data.customer_ids), len(data.product_ids)
    if on_customers:
        on_customers(n_customers)
    result = recommend.recommend_all(data.customers, data.products, data.days, n_customers=n_customers,
                                     n_items=n_items, k=k, params=params, progress=progress)
    now = float(data.days.max())
    with Path(output_path).open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["customer_id", "rank", "product_id", "reason"])
        for code in range(n_customers):
            customer = data.customer_ids[code]
            for rank in range(result["item"].shape[1]):
                writer.writerow([customer, rank + 1, data.product_ids[result["item"][code, rank]], reason_text(
                    int(result["kind"][code, rank]), result["times"][code, rank], result["first"][code, rank],
                    result["last"][code, rank], result["interval"][code, rank], now)])
    return n_customers
