"""Repeat-aware next-basket recommendation on implicit feedback (pure numpy/scipy, no Django).

Grocery shoppers mostly buy again what they bought before, so a customer's own history, weighted by
recency, is the backbone. Candidates come from a blend, in the spirit of TIFU-KNN (Hu et al., SIGIR 2020):

- own: each purchase of an item counts 0.5 ** (age_days / half_life); this finds favourites;
- cycle: items bought at a regular interval get a boost when the next purchase is due ("running out");
- neighbours: what the most similar customers (cosine similarity of the decayed histories) buy,
  collaborative filtering on implicit feedback, which also brings items the customer never bought.

A gradient-boosted ranker then reorders each customer's candidates. It is fitted on the data itself:
candidates as of one horizon (30 days) before the end, labelled by what each customer bought in that
horizon, for the last few horizons. Its features describe the customer and item pair (counts in several
decay windows and in the last visits, days and visits since the last purchase against the customer's and
everyone's repurchase interval), the item (buyers, repeat rate, trend) and the customer (visits, basket
size). The purchase lines are aggregated once per fit, in one sort.

Every recommendation comes with the facts for a plain-language reason (how often, since when, the
usual interval, or "customers who shop like you").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

SECONDS_PER_DAY = 86400.0
KIND_NAMES = {0: "similar", 1: "favourite", 2: "running_out", 3: "popular"}
IDEAL_DCG = np.cumsum(1 / np.log2(np.arange(2, 12)))  # ideal DCG@10 for 1..10 relevant items
NEVER = 999.0  # days or visits since a purchase that never happened, or an interval that is unknown


@dataclass(frozen=True)
class Params:
    half_life_days: float = 90.0
    neighbours: int = 300
    own_weight: float = 0.75
    cycle_weight: float = 0.5
    horizon_days: float = 30.0
    quantity_cap: float = 1.0  # each purchase line counts once: quantities are noisy (fuel, coupons)
    training_windows: int = 3  # horizons held out at the end of the history to fit the ranker on
    ranker_iterations: int = 300
    ranker_rate: float = 0.04
    ranker_min_leaf: int = 50
    recall_weighting: bool = False  # weighing hits by 1 / basket size scored lower on held-out data
    ndcg_weighting: bool = False  # weigh each customer's candidates by 1 / their ideal DCG
    training_customers: int = 40_000  # per horizon at most (a random sample): bounds the ranker's memory


@dataclass
class Reason:
    """The facts behind one recommendation; kind is favourite, running_out, similar or popular."""

    kind: str
    times: int = 0
    first_day: float = 0.0
    last_day: float = 0.0
    interval_days: float = 0.0


@dataclass
class Forest:
    """A fitted gradient-boosted ranker as plain arrays (trees x nodes), so that it is stored without pickle
    and scores a few candidates in well under a millisecond."""

    feature: np.ndarray
    threshold: np.ndarray
    missing_left: np.ndarray
    left: np.ndarray
    right: np.ndarray
    leaf: np.ndarray
    value: np.ndarray
    baseline: float
    depth: int

    FIELDS = ("feature", "threshold", "missing_left", "left", "right", "leaf", "value")

    @classmethod
    def from_sklearn(cls, ranker) -> Forest:  # type: ignore[no-untyped-def]
        """Copy the trees of a fitted binary HistGradientBoostingClassifier (numeric features only)."""
        trees = [iteration[0].nodes for iteration in ranker._predictors]
        width = max(len(nodes) for nodes in trees)
        arrays = {name: np.zeros((len(trees), width), dtype=dtype) for name, dtype in (
            ("feature", np.int32), ("threshold", np.float64), ("missing_left", bool), ("left", np.int32),
            ("right", np.int32), ("leaf", bool), ("value", np.float64))}
        arrays["leaf"][:] = True
        for t, nodes in enumerate(trees):
            n = len(nodes)
            arrays["feature"][t, :n] = nodes["feature_idx"]
            arrays["threshold"][t, :n] = nodes["num_threshold"]
            arrays["missing_left"][t, :n] = nodes["missing_go_to_left"].astype(bool)
            arrays["left"][t, :n] = nodes["left"]
            arrays["right"][t, :n] = nodes["right"]
            arrays["leaf"][t, :n] = nodes["is_leaf"].astype(bool)
            arrays["value"][t, :n] = nodes["value"]
        depth = max(int(nodes["depth"].max()) for nodes in trees) if trees else 0
        return cls(**arrays, baseline=float(np.ravel(ranker._baseline_prediction)[0]), depth=depth)

    def decision(self, features: np.ndarray) -> np.ndarray:
        """The ranker's raw score (log-odds) for each row of features."""
        x = np.asarray(features, dtype=np.float64)
        rows = np.arange(len(x))[:, None]
        trees = np.arange(self.feature.shape[0])[None, :]
        node = np.zeros((len(x), self.feature.shape[0]), dtype=np.int32)
        for _ in range(self.depth):
            value = x[rows, self.feature[trees, node]]
            left = np.where(np.isnan(value), self.missing_left[trees, node], value <= self.threshold[trees, node])
            step = np.where(left, self.left[trees, node], self.right[trees, node])
            node = np.where(self.leaf[trees, node], node, step)
        return self.baseline + self.value[trees, node].sum(axis=1)

    def to_arrays(self, prefix: str = "forest_") -> dict[str, np.ndarray]:
        out = {prefix + name: getattr(self, name) for name in self.FIELDS}
        out[prefix + "meta"] = np.array([self.baseline, self.depth], dtype=np.float64)
        return out

    @classmethod
    def from_arrays(cls, arrays, prefix: str = "forest_") -> Forest | None:  # type: ignore[no-untyped-def]
        if prefix + "meta" not in arrays:
            return None
        meta = arrays[prefix + "meta"]
        return cls(**{name: arrays[prefix + name] for name in cls.FIELDS}, baseline=float(meta[0]),
                   depth=int(meta[1]))


PAIR_FIELDS = ("row", "col", "times", "first", "last", "interval", "due", "weight", "w7", "w21", "w365", "in1",
               "in3", "in5", "in10", "visits_since", "visits_from_first", "windows", "windows_decayed", "window0",
               "window1")
ITEM_FACTS = ("buyers", "repeat_ratio", "recent", "trend", "interval")


@dataclass
class Model:
    """A fitted model: the customers' normalised decayed histories, item popularity and facts, and the ranker."""

    params: Params
    now: float
    histories: sparse.csr_matrix  # customers x items, rows L2-normalised
    popularity: np.ndarray  # items, recent purchases (decayed)
    n_items: int
    items: dict[str, np.ndarray] = field(default_factory=dict)  # ITEM_FACTS, one value per item
    forest: Forest | None = None


@dataclass
class _Tables:
    """Purchase lines aggregated once: per (customer, item) pair, sorted by customer and item, and per customer."""

    pairs: dict[str, np.ndarray]
    indptr: np.ndarray  # pairs of customer c: indptr[c]:indptr[c + 1]
    people: dict[str, np.ndarray]


def _visit_ranks(customers: np.ndarray, days: np.ndarray, n_customers: int, now: float,
                 horizon: float) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Per line, how many of the customer's visits (distinct purchase minutes) came after it; and customer facts."""
    minute = np.round(days * 1440).astype(np.int64)
    base = int(minute.min())
    span = int(minute.max()) - base + 1
    visit_key, line_visit = np.unique(customers.astype(np.int64) * span + (minute - base), return_inverse=True)
    visit_customer = visit_key // span
    visit_day = (visit_key % span + base) / 1440.0
    visits = np.bincount(visit_customer, minlength=n_customers).astype(float)
    rank = (np.cumsum(visits) - 1)[customers] - line_visit
    last_visit = np.full(n_customers, -1e9)
    np.maximum.at(last_visit, visit_customer, visit_day)
    first_visit = np.full(n_customers, 1e12)
    np.minimum.at(first_visit, visit_customer, visit_day)
    window = np.floor(np.maximum(now - visit_day, 0) / horizon).astype(np.int64)
    active = np.unique(visit_customer * 100_000 + window)  # the horizons (counted back from now) with a visit
    active_customer, active_window = active // 100_000, active % 100_000
    people = {
        "windows": np.bincount(active_customer, minlength=n_customers).astype(float),
        "windows_decayed": np.bincount(active_customer, weights=np.power(0.5, active_window / 3.0),
                                       minlength=n_customers),
        "visits": visits,
        "visits90": np.bincount(visit_customer[visit_day >= now - 90], minlength=n_customers).astype(float),
        "visits30": np.bincount(visit_customer[visit_day >= now - 30], minlength=n_customers).astype(float),
        "last_visit": last_visit,
        "gap": np.where(visits >= 2, (last_visit - first_visit) / np.maximum(visits - 1, 1), NEVER),
        "lines": np.bincount(customers, minlength=n_customers).astype(float),
    }
    return rank, people


def _tables(customers: np.ndarray, items: np.ndarray, days: np.ndarray, *, n_customers: int, n_items: int,
            now: float, params: Params) -> _Tables:
    """Aggregate purchase lines per pair (one sort) and per customer."""
    rank, people = _visit_ranks(customers, days, n_customers, now, params.horizon_days)
    key = customers.astype(np.int64) * n_items + items.astype(np.int64)
    order = np.lexsort((days, key))  # by pair, then by day
    key_sorted = key[order]
    new_pair = np.r_[True, key_sorted[1:] != key_sorted[:-1]]
    starts = np.flatnonzero(new_pair)
    age = now - days[order]
    window = np.floor(np.maximum(age, 0) / params.horizon_days)
    new_window = new_pair | np.r_[True, window[1:] != window[:-1]]  # first line of a pair in each horizon
    visits_after = rank[order]

    def total(values: np.ndarray) -> np.ndarray:
        return np.add.reduceat(values.astype(np.float64), starts)

    times = np.diff(np.r_[starts, len(key_sorted)]).astype(np.float64)
    first = now - np.maximum.reduceat(age, starts)
    last = now - np.minimum.reduceat(age, starts)
    pairs = {
        "row": key_sorted[starts] // n_items, "col": key_sorted[starts] % n_items, "times": times,
        "first": first, "last": last,
        "interval": np.where(times >= 2, (last - first) / np.maximum(times - 1, 1), 0.0),
        "due": _due(times, first, last, now, params),
        "weight": total(np.power(0.5, age / params.half_life_days)),
        "w7": total(np.power(0.5, age / 7.0)), "w21": total(np.power(0.5, age / 21.0)),
        "w365": total(np.power(0.5, age / 365.0)),
        "in1": total(visits_after < 1), "in3": total(visits_after < 3), "in5": total(visits_after < 5),
        "in10": total(visits_after < 10),
        "visits_since": np.minimum.reduceat(visits_after, starts).astype(np.float64),
        "visits_from_first": np.maximum.reduceat(visits_after, starts).astype(np.float64) + 1,
        "windows": total(new_window), "windows_decayed": total(new_window * np.power(0.5, window / 3.0)),
        "window0": total(new_window & (window == 0)), "window1": total(new_window & (window == 1)),
    }
    indptr = np.searchsorted(pairs["row"], np.arange(n_customers + 1))
    return _Tables(pairs, indptr, people)


def _item_facts(tables: _Tables, items: np.ndarray, days: np.ndarray, n_items: int, now: float) -> dict:
    pairs = tables.pairs
    cols, repeat = pairs["col"], pairs["times"] >= 2
    buyers = np.bincount(cols, minlength=n_items).astype(float)
    repeaters = np.bincount(cols[repeat], minlength=n_items).astype(float)
    interval = np.bincount(cols[repeat], weights=pairs["interval"][repeat], minlength=n_items)
    recent = np.bincount(items[days >= now - 30], minlength=n_items).astype(float)
    before = np.bincount(items[(days >= now - 60) & (days < now - 30)], minlength=n_items).astype(float)
    return {"buyers": buyers, "repeat_ratio": repeaters / np.maximum(buyers, 1),
            "recent": recent, "trend": np.log((recent + 1) / (before + 1)),
            "interval": np.where(repeaters > 0, interval / np.maximum(repeaters, 1), NEVER)}


def _normalise_rows(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return (sparse.diags(1.0 / norms) @ matrix).tocsr()


def _fit(customers: np.ndarray, items: np.ndarray, days: np.ndarray, *, n_customers: int, n_items: int,
         params: Params, now: float) -> tuple[Model, _Tables]:
    tables = _tables(customers, items, days, n_customers=n_customers, n_items=n_items, now=now, params=params)
    pairs = tables.pairs
    matrix = sparse.csr_matrix((pairs["weight"], pairs["col"], tables.indptr), shape=(n_customers, n_items))
    popularity = np.bincount(pairs["col"], weights=pairs["weight"], minlength=n_items)
    model = Model(params=params, now=now, histories=_normalise_rows(matrix), popularity=popularity,
                  n_items=n_items, items=_item_facts(tables, items, days, n_items, now))
    return model, tables


def fit(customers: np.ndarray, items: np.ndarray, days: np.ndarray, *, n_customers: int, n_items: int,
        params: Params | None = None, now: float | None = None, learn: bool = False, n_candidates: int = 60,
        chunk: int = 256) -> Model:
    """Fit on purchase lines given as integer codes and days (float, e.g. unix seconds / 86400); with learn,
    also the ranker (from the data's own last horizons), for recommend_one."""
    params = params or Params()
    now = float(days.max()) if now is None else now
    model, _unused = _fit(customers, items, days, n_customers=n_customers, n_items=n_items, params=params, now=now)
    if learn:
        ranker = _learn_ranker(customers, items, days, n_customers=n_customers, n_items=n_items, params=params,
                               n_candidates=n_candidates, chunk=chunk, progress=None)
        model.forest = Forest.from_sklearn(ranker) if ranker is not None else None
    return model


def empty_model(params: Params | None = None) -> Model:
    """A model that knows no other customers: offers then come from the customer's own history only."""
    return Model(params=params or Params(), now=0.0, histories=sparse.csr_matrix((0, 0)), popularity=np.zeros(0),
                 n_items=0)


def _due(times: np.ndarray, first: np.ndarray, last: np.ndarray, now: float, params: Params) -> np.ndarray:
    """1 where a regularly bought item (3 purchases or more) is due within the horizon, fading out for
    overdue or early items; per (customer, item) pair given by its count and first and last day."""
    due = np.zeros(len(times))
    repeat = times >= 3
    if not repeat.any():
        return due
    interval = np.maximum((last[repeat] - first[repeat]) / (times[repeat] - 1), 1.0)
    next_day = last[repeat] + interval
    # distance of the expected next purchase from the window [now, now + horizon], in intervals
    distance = np.maximum(0.0, np.maximum(now - next_day, next_day - (now + params.horizon_days))) / interval
    due[repeat] = np.exp(-distance)
    return due


def _blend(own: np.ndarray, neighbours: np.ndarray, params: Params) -> np.ndarray:
    own_max = own.max(axis=-1, keepdims=True)
    own_max[own_max == 0] = 1.0
    nb_max = neighbours.max(axis=-1, keepdims=True)
    nb_max[nb_max == 0] = 1.0
    return params.own_weight * own / own_max + (1 - params.own_weight) * neighbours / nb_max


def _neighbour_scores(model: Model, vectors: sparse.csr_matrix, exclude: np.ndarray | None) -> np.ndarray:
    """What the most similar customers buy, for each row of vectors (dense rows x items)."""
    # histories (csr) times the vectors' transpose: no conversion of the large matrix on each call
    similarity = (model.histories @ vectors.T).T.toarray()
    if exclude is not None:
        similarity[np.arange(len(exclude)), exclude] = 0.0
    k = min(model.params.neighbours, similarity.shape[1])
    if k < similarity.shape[1]:
        cut = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
        kept = np.zeros_like(similarity)
        np.put_along_axis(kept, cut, np.take_along_axis(similarity, cut, axis=1), axis=1)
        similarity = kept
    return (sparse.csr_matrix(similarity) @ model.histories).toarray()


def _padded(values: np.ndarray, n_total: int, fill: float = 0.0) -> np.ndarray:
    if len(values) >= n_total:
        return values[:n_total]
    return np.r_[values, np.full(n_total - len(values), fill)]


def _ranks(values: np.ndarray) -> np.ndarray:
    """Each candidate's rank (0 = highest) within its customer's row, by values."""
    return np.argsort(np.argsort(-values, axis=1, kind="stable"), axis=1, kind="stable")


def _block(model: Model, tables: _Tables, start: int, stop: int, neighbours: np.ndarray, n_total: int,
           n_cand: int, now: float) -> dict[str, np.ndarray]:
    """The best n_cand items by the blended score for customers start..stop, with facts and ranker features."""
    params, pairs, people = model.params, tables.pairs, tables.people
    lo, hi = tables.indptr[start], tables.indptr[stop]
    rows, cols = pairs["row"][lo:hi] - start, pairs["col"][lo:hi]
    index = np.zeros((stop - start, n_total), dtype=np.int64)  # 1 + position in pairs, 0 for never bought
    index[rows, cols] = np.arange(lo, hi) + 1
    own = np.zeros((stop - start, n_total))
    own[rows, cols] = pairs["weight"][lo:hi] * (1 + params.cycle_weight * pairs["due"][lo:hi])
    popularity = _padded(model.popularity, n_total)
    scores = _blend(own, neighbours, params) + 1e-9 * popularity / max(popularity.max(initial=0.0), 1.0)
    best = np.argpartition(-scores, n_cand - 1, axis=1)[:, :n_cand] if n_cand < n_total else \
        np.broadcast_to(np.arange(n_total), scores.shape).copy()
    best = np.take_along_axis(best, np.argsort(-np.take_along_axis(scores, best, axis=1), axis=1, kind="stable"),
                              axis=1)
    where = np.take_along_axis(index, best, axis=1) - 1
    has = where >= 0
    at = np.where(has, where, 0)

    def pair(name: str, default: float = 0.0) -> np.ndarray:
        return np.where(has, pairs[name][at], default) if len(pairs[name]) else np.full(at.shape, default)

    def item(name: str, fill: float = 0.0) -> np.ndarray:
        return _padded(model.items[name], n_total, fill)[best] if model.items else np.full(best.shape, fill)

    def person(name: str) -> np.ndarray:
        return np.broadcast_to(people[name][start:stop, None], best.shape)

    out = {"item": best, "score": np.take_along_axis(scores, best, axis=1)}
    for name in ("times", "first", "last", "interval", "due"):
        out[name] = pair(name)
    own_max = np.maximum(own.max(axis=1, keepdims=True), 1e-12)
    nb_max = np.maximum(neighbours.max(axis=1, keepdims=True), 1e-12)
    nb = np.take_along_axis(neighbours, best, axis=1) / nb_max
    times = out["times"]
    since_last = np.where(has, now - out["last"], NEVER)
    interval = np.where(times >= 2, out["interval"], NEVER)
    item_interval = item("interval", NEVER)
    visits = person("visits")
    out["features"] = np.stack([
        out["score"], np.broadcast_to(np.arange(best.shape[1]), best.shape),
        np.take_along_axis(own, best, axis=1) / own_max, nb,
        np.log1p(times), since_last, interval, out["due"], since_last / np.maximum(interval, 1.0),
        pair("w21"), np.log1p(item("recent")), item("repeat_ratio"), np.log1p(item("buyers")),
        np.log1p(visits), np.log1p(person("visits90")), now - person("last_visit"), times / np.maximum(visits, 1),
        pair("w7"), np.log1p(pair("w365")),
        # new in the second version: the last visits, the interval of everyone, trend, basket size
        pair("in1"), pair("in3"), pair("in5"), pair("in10"), pair("visits_since", NEVER),
        times / np.maximum(pair("visits_from_first", 1.0), 1.0), item("trend"), item_interval,
        since_last / np.maximum(item_interval, 1.0), person("lines") / np.maximum(visits, 1), person("gap"),
        np.log1p(person("visits30")), _ranks(nb),
        pair("weight"), interval / np.maximum(person("gap"), 1.0),
        pair("windows") / np.maximum(person("windows"), 1), pair("windows_decayed") /
        np.maximum(person("windows_decayed"), 1e-9), pair("window0"), pair("window1"),
        _ranks(pair("windows_decayed")), _ranks(pair("w7")), _ranks(pair("w21")), _ranks(pair("w365")), _ranks(times), _ranks(pair("in10")),
    ], axis=2).astype(np.float32)
    return out


def _candidates(customers: np.ndarray, items: np.ndarray, days: np.ndarray, *, n_customers: int, n_items: int,
                now: float, params: Params, n_candidates: int, chunk: int,
                progress: Callable[[int], None] | None = None,
                reduce: Callable[[dict[str, np.ndarray], int, int], dict[str, np.ndarray]] | None = None,
                ) -> dict[str, np.ndarray]:
    """The best n_candidates items per customer by the blended score, with the facts and features of each.

    reduce(block, start, stop), if given, shrinks each block of customers start..stop as it is made (keeps some
    rows, or only the top items), so that memory follows the chunk size rather than the number of customers."""
    model, tables = _fit(customers, items, days, n_customers=n_customers, n_items=n_items, params=params, now=now)
    n_cand = min(n_candidates, n_items)
    parts = []
    for start in range(0, n_customers, chunk):
        stop = min(start + chunk, n_customers)
        neighbours = _neighbour_scores(model, model.histories[start:stop], np.arange(start, stop))
        part = _block(model, tables, start, stop, neighbours, n_items, n_cand, now)
        parts.append(reduce(part, start, stop) if reduce else part)
        if progress:
            progress((stop - start) // 2 or 1)
    return {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}


def _learn_ranker(customers: np.ndarray, items: np.ndarray, days: np.ndarray, *, n_customers: int, n_items: int,
                  params: Params, n_candidates: int, chunk: int, progress: Callable[[int], None] | None):  # type: ignore[no-untyped-def]
    """Fit a ranker on the data itself: candidates as of one horizon before the end, labelled by what each
    customer bought in that last horizon. Returns None when the history is too short to hold a horizon out."""
    end = float(days.max())
    all_features, all_labels, all_weights = [], [], []
    sample = np.random.default_rng(0)
    for windows_back in range(1, params.training_windows + 1):
        cut = end - windows_back * params.horizon_days
        past = days < cut
        future = (days >= cut) & (days < cut + params.horizon_days)
        if cut - float(days.min()) < 2 * params.horizon_days or not past.any() or not future.any():
            break
        bought = sparse.csr_matrix((np.ones(int(future.sum())), (customers[future], items[future])),
                                   shape=(n_customers, n_items))
        active = np.flatnonzero(np.asarray(bought.sum(axis=1)).ravel() > 0)
        active = active[np.bincount(customers[past], minlength=n_customers)[active] > 0]
        if len(active) < 20:
            break
        if len(active) > params.training_customers:  # enough to learn from; memory stays bounded
            active = np.sort(sample.choice(active, params.training_customers, replace=False))
        is_active = np.zeros(n_customers, dtype=bool)
        is_active[active] = True

        def keep_active(block: dict[str, np.ndarray], start: int, stop: int,
                        rows: np.ndarray = is_active) -> dict[str, np.ndarray]:
            return {"item": block["item"][rows[start:stop]], "features": block["features"][rows[start:stop]]}

        candidates = _candidates(customers[past], items[past], days[past], n_customers=n_customers,
                                 n_items=n_items, now=cut, params=params, n_candidates=n_candidates, chunk=chunk,
                                 progress=progress, reduce=keep_active)
        for row, customer in enumerate(active):
            bought_items = bought.indices[bought.indptr[customer]:bought.indptr[customer + 1]]
            label = np.isin(candidates["item"][row], bought_items)
            all_labels.append(label)
            # weigh each customer's hits by 1 / what they bought, as recall does
            n_bought = len(np.unique(bought_items))
            if params.ndcg_weighting:
                all_weights.append(np.full(len(label), 1.0 / IDEAL_DCG[min(n_bought, len(IDEAL_DCG)) - 1]))
            else:
                all_weights.append(np.full(len(label), 1.0 / n_bought))
        all_features.append(candidates["features"].reshape(-1, candidates["features"].shape[2]))
    if not all_features:
        return None
    labels = np.concatenate(all_labels)
    features = np.concatenate(all_features)
    weights = np.concatenate(all_weights)
    weights = weights / weights.mean()
    if labels.all() or not labels.any():
        return None
    from sklearn.ensemble import HistGradientBoostingClassifier

    # A listwise ranker trained on NDCG directly did no better: LightGBM 4.7 LambdaMART and XE-NDCG (groups = one
    # customer per horizon, binary or capped-count labels, truncation 10-30, 3, 4 or 6 horizons, regularised or
    # not) scored NDCG@10 +3.9 to +4.8 % over own-recency on the held-out months August and September (this
    # classifier: +4.4 %), so the extra dependency is not worth it. Nor did, on August, September and October
    # (mean NDCG@10 over own-recency +4.52 % for these settings): nine more features (the item's share of buyers
    # who buy again in the next horizon, its retention, the regularity of the customer's intervals, the customer's
    # reorder share, 1 - (1 - p per visit) ** expected visits, ...) +4.1 to +4.2 % on September against +4.2 %;
    # bagging with feature subsampling; 600 slower iterations (+4.58 %); 15 or 63 leaves, 200 per leaf, L2, 500
    # iterations, weights 1 / sqrt(items bought), or only customers with a hit (+4.22 to +4.50 %); purchase
    # quantities (mean and last per pair, the interval scaled by last / mean) +4.63 %, recall +0.3 points: within
    # the months' spread, so the command keeps needing only one line per purchase.
    ranker = HistGradientBoostingClassifier(max_iter=params.ranker_iterations, learning_rate=params.ranker_rate,
                                            max_leaf_nodes=31, min_samples_leaf=params.ranker_min_leaf,
                                            random_state=0)
    from threadpoolctl import threadpool_limits

    # One thread: the data is small, and OpenMP threads that wait on a busy machine cost far more than they give.
    with threadpool_limits(limits=1):
        weighted = params.recall_weighting or params.ndcg_weighting
        ranker.fit(features, labels, sample_weight=weights if weighted else None)
    return ranker


def _kinds(times: np.ndarray, due: np.ndarray, blend: np.ndarray) -> np.ndarray:
    return np.where(times > 0, np.where(due > 0.5, 2, 1), np.where(blend > 1e-6, 0, 3)).astype(np.int8)


def recommend_all(customers: np.ndarray, items: np.ndarray, days: np.ndarray, *, n_customers: int, n_items: int,
                  k: int = 10, params: Params | None = None, chunk: int = 256, learn: bool = True,
                  n_candidates: int = 60, progress: Callable[[int], None] | None = None) -> dict[str, np.ndarray]:
    """Top k items for every customer, as arrays [customers x k]: item, kind, score, times, first, last, interval.

    The blended score (own decayed history with repurchase cycles, plus similar customers) picks candidates;
    with learn, a gradient-boosted ranker fitted on the data's own last horizons reorders them.
    kind: 0 similar customers buy it, 1 a favourite, 2 running out (due again), 3 popular (filler).
    """
    params = params or Params()
    n_candidates = max(n_candidates, k)
    ranker = _learn_ranker(customers, items, days, n_customers=n_customers, n_items=n_items, params=params,
                           n_candidates=n_candidates, chunk=chunk, progress=progress) if learn else None
    kk = min(k, n_candidates, n_items)
    names = ("item", "times", "first", "last", "interval", "due")

    def top(block: dict[str, np.ndarray], start: int, stop: int) -> dict[str, np.ndarray]:
        """The block's best kk by the ranker (or the blended score): only these are kept."""
        if ranker is not None:
            from threadpoolctl import threadpool_limits

            flat = block["features"].reshape(-1, block["features"].shape[2])
            with threadpool_limits(limits=1):
                ranked = ranker.decision_function(flat).reshape(block["item"].shape)
        else:
            ranked = block["score"]
        order = np.argsort(-ranked, axis=1, kind="stable")[:, :kk]
        out = {name: np.take_along_axis(block[name], order, axis=1) for name in names}
        out["score"] = np.take_along_axis(ranked, order, axis=1)
        out["kind"] = _kinds(out["times"], out["due"], np.take_along_axis(block["score"], order, axis=1))
        return out

    return _candidates(customers, items, days, n_customers=n_customers, n_items=n_items, now=float(days.max()),
                       params=params, n_candidates=n_candidates, chunk=chunk, progress=progress, reduce=top)


def recommend_one(model: Model, items: np.ndarray, days: np.ndarray, *, now: float, n_total: int | None = None,
                  exclude_row: int | None = None, n_candidates: int = 60) -> dict[str, np.ndarray]:
    """One customer's candidates, best first, from their purchase lines (item codes and days) and the fitted
    model, reordered by the model's ranker when it has one: arrays item, score, kind, times, first, last,
    interval, due. Item codes at or beyond model.n_items are products the model has not seen (scored from the
    customer's own history only); n_total is the number of item codes in all."""
    items = np.asarray(items, dtype=np.int64)
    n_total = max(n_total or 0, model.n_items, int(items.max()) + 1 if len(items) else 0, 1)
    if len(items):
        tables = _tables(np.zeros(len(items), dtype=np.int64), items, np.asarray(days, dtype=np.float64),
                         n_customers=1, n_items=n_total, now=now, params=model.params)
    else:
        tables = _Tables(dict.fromkeys(PAIR_FIELDS, np.zeros(0)), np.zeros(2, dtype=np.int64),
                         {**dict.fromkeys(("windows", "windows_decayed", "visits", "visits90", "visits30", "lines"),
                                          np.zeros(1)), "last_visit": np.full(1, -1e9), "gap": np.full(1, NEVER)})
        tables.pairs["row"] = tables.pairs["col"] = np.zeros(0, dtype=np.int64)
    neighbours = np.zeros((1, n_total))
    known = tables.pairs["col"] < model.n_items
    if model.histories.shape[0] and known.any():
        vector = sparse.csr_matrix((tables.pairs["weight"][known], (np.zeros(int(known.sum()), dtype=np.int64),
                                                                     tables.pairs["col"][known])),
                                   shape=(1, model.n_items))
        rows = None if exclude_row is None else np.array([exclude_row])
        neighbours[0, :model.n_items] = _neighbour_scores(model, _normalise_rows(vector), rows)[0]
    cand = _block(model, tables, 0, 1, neighbours, n_total, min(n_candidates, n_total), now)
    cand = {name: values[0] for name, values in cand.items()}
    ranked = model.forest.decision(cand["features"]) if model.forest is not None else cand["score"]
    order = np.argsort(-ranked, kind="stable")
    out = {name: cand[name][order] for name in ("item", "times", "first", "last", "interval", "due")}
    out["score"] = ranked[order]
    out["kind"] = _kinds(out["times"], out["due"], cand["score"][order])
    return out


def reason_of(result: dict[str, np.ndarray], position: int) -> Reason:
    """The facts behind the recommendation at position in a recommend_one result."""
    return Reason(KIND_NAMES[int(result["kind"][position])], times=int(result["times"][position]),
                  first_day=float(result["first"][position]), last_day=float(result["last"][position]),
                  interval_days=float(result["interval"][position]))
