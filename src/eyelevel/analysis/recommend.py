"""Repeat-aware next-basket recommendation on implicit feedback (pure numpy/scipy, no Django).

Grocery shoppers mostly buy again what they bought before, so a customer's own history, weighted by
recency, is the backbone. Three parts are blended, in the spirit of TIFU-KNN (Hu et al., SIGIR 2020):

- own: each purchase of an item counts 0.5 ** (age_days / half_life); this finds favourites;
- cycle: items bought at a regular interval get a boost when the next purchase is due ("running out");
- neighbours: what the most similar customers (cosine similarity of the decayed histories) buy,
  collaborative filtering on implicit feedback, which also brings items the customer never bought.

Every recommendation comes with the facts for a plain-language reason (how often, since when, the
usual interval, or "customers who shop like you").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

SECONDS_PER_DAY = 86400.0


@dataclass(frozen=True)
class Params:
    half_life_days: float = 90.0
    neighbours: int = 300
    own_weight: float = 0.75
    cycle_weight: float = 0.5
    horizon_days: float = 30.0
    quantity_cap: float = 1.0  # each purchase line counts once: quantities are noisy (fuel, coupons)
    training_windows: int = 2  # horizons held out at the end of the history to fit the ranker on
    ranker_iterations: int = 300
    ranker_rate: float = 0.04
    ranker_min_leaf: int = 50
    recall_weighting: bool = False  # weighing hits by 1 / basket size scored lower on held-out data


@dataclass
class Reason:
    """The facts behind one recommendation; kind is favourite, running_out, similar or popular."""

    kind: str
    times: int = 0
    first_day: float = 0.0
    last_day: float = 0.0
    interval_days: float = 0.0


@dataclass
class Model:
    """A fitted model: the customers' normalised decayed histories and item popularity."""

    params: Params
    now: float
    histories: sparse.csr_matrix  # customers x items, rows L2-normalised
    popularity: np.ndarray  # items, recent purchases (decayed)
    n_items: int
    extra: dict = field(default_factory=dict)


@dataclass
class History:
    """One customer's purchases aggregated per item."""

    items: np.ndarray
    weight: np.ndarray
    times: np.ndarray
    first_day: np.ndarray
    last_day: np.ndarray


def _aggregate(rows: np.ndarray, cols: np.ndarray, days: np.ndarray, n_cols: int, now: float,
               params: Params) -> tuple[np.ndarray, ...]:
    """Per (row, col) pair: decayed weight, count, first and last day (pairs sorted by row, col)."""
    key = rows.astype(np.int64) * n_cols + cols.astype(np.int64)
    order = np.argsort(key, kind="stable")
    key_sorted = key[order]
    starts = np.flatnonzero(np.r_[True, key_sorted[1:] != key_sorted[:-1]])
    day_sorted = days[order]
    decay = np.power(0.5, (now - day_sorted) / params.half_life_days)
    weight = np.add.reduceat(decay, starts)
    times = np.diff(np.r_[starts, len(key_sorted)])
    first = np.minimum.reduceat(day_sorted, starts)
    last = np.maximum.reduceat(day_sorted, starts)
    pair = key_sorted[starts]
    return pair // n_cols, pair % n_cols, weight, times, first, last


def _normalise_rows(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.diags(1.0 / norms) @ matrix


def fit(customers: np.ndarray, items: np.ndarray, days: np.ndarray, *, n_customers: int, n_items: int,
        params: Params | None = None, now: float | None = None) -> Model:
    """Fit on purchase lines given as integer codes and days (float, e.g. unix seconds / 86400)."""
    params = params or Params()
    now = float(days.max()) if now is None else now
    rows, cols, weight, _times, _first, _last = _aggregate(customers, items, days, n_items, now, params)
    matrix = sparse.csr_matrix((weight, (rows, cols)), shape=(n_customers, n_items), dtype=np.float64)
    popularity = np.bincount(cols, weights=weight, minlength=n_items)
    return Model(params=params, now=now, histories=_normalise_rows(matrix).tocsr(), popularity=popularity,
                 n_items=n_items)


def history_of(items: np.ndarray, days: np.ndarray, *, now: float, params: Params) -> History:
    """One customer's purchases (item codes and days) aggregated per item."""
    if len(items) == 0:
        empty = np.zeros(0)
        return History(np.zeros(0, dtype=np.int64), empty, empty, empty, empty)
    _rows, cols, weight, times, first, last = _aggregate(np.zeros(len(items), dtype=np.int64), items, days,
                                                         int(items.max()) + 1, now, params)
    return History(cols, weight, times.astype(float), first, last)


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


def _cycle_due(history: History, now: float, params: Params) -> np.ndarray:
    """_due for one customer's history."""
    return _due(history.times, history.first_day, history.last_day, now, params)


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


def score_customer(model: Model, history: History, *, now: float, n_total: int | None = None,
                   exclude_row: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Scores for one customer over n_total items (the model's items first; codes beyond them are items
    the model has not seen, scored from the customer's own history only); also own weights and due-ness."""
    n_total = max(n_total or model.n_items, model.n_items, int(history.items.max()) + 1 if len(history.items) else 0)
    own = np.zeros(n_total)
    own[history.items] = history.weight
    due = np.zeros(n_total)
    due[history.items] = _cycle_due(history, now, model.params)
    neighbours = np.zeros(n_total)
    if model.histories.shape[0] and own[:model.n_items].any():
        vector = _normalise_rows(sparse.csr_matrix(own[:model.n_items].reshape(1, -1)))
        rows = None if exclude_row is None else np.array([exclude_row])
        neighbours[:model.n_items] = _neighbour_scores(model, vector, rows)[0]
    popularity = np.zeros(n_total)
    popularity[:model.n_items] = model.popularity
    scores = _blend(own * (1 + model.params.cycle_weight * due), neighbours, model.params)
    return scores + 1e-9 * popularity / max(popularity.max(), 1.0), own, due


def score_one(model: Model, history: History, *, exclude_row: int | None = None) -> tuple[np.ndarray, np.ndarray,
                                                                                           np.ndarray]:
    """Scores over the model's items for one customer at the model's time (see score_customer)."""
    return score_customer(model, history, now=model.now, exclude_row=exclude_row)


def empty_model(params: Params | None = None) -> Model:
    """A model that knows no other customers: offers then come from the customer's own history only."""
    return Model(params=params or Params(), now=0.0, histories=sparse.csr_matrix((0, 0)), popularity=np.zeros(0),
                 n_items=0)


def reason_for(item: int, own: np.ndarray, due: np.ndarray, history: History) -> Reason:
    """Why an item is recommended to the customer whose own weights and due-ness are given."""
    if own[item] <= 0:
        return Reason("similar")
    where = np.flatnonzero(history.items == item)[0]
    times = int(history.times[where])
    interval = (history.last_day[where] - history.first_day[where]) / max(times - 1, 1)
    kind = "running_out" if due[item] > 0.5 else "favourite"
    return Reason(kind, times=times, first_day=float(history.first_day[where]),
                  last_day=float(history.last_day[where]), interval_days=float(interval))


def _candidates(customers: np.ndarray, items: np.ndarray, days: np.ndarray, *, n_customers: int, n_items: int,
                now: float, params: Params, n_candidates: int, chunk: int,
                progress: Callable[[int], None] | None = None) -> dict[str, np.ndarray]:
    """The best n_candidates items per customer by the blended score, with the facts and features of each."""
    model = fit(customers, items, days, n_customers=n_customers, n_items=n_items, params=params, now=now)
    rows, cols, weight, times, first, last = _aggregate(customers, items, days, n_items, now, params)
    interval = np.where(times >= 2, (last - first) / np.maximum(times - 1, 1), 0.0)
    due = _due(times, first, last, now, params)
    recent = _aggregate(customers, items, days, n_items, now, Params(half_life_days=21.0))[2]
    short = _aggregate(customers, items, days, n_items, now, Params(half_life_days=7.0))[2]
    long = _aggregate(customers, items, days, n_items, now, Params(half_life_days=365.0))[2]

    def matrix(values: np.ndarray) -> sparse.csr_matrix:
        return sparse.csr_matrix((values.astype(float), (rows, cols)), shape=(n_customers, n_items))

    facts = {"times": matrix(times), "first": matrix(first), "last": matrix(last), "interval": matrix(interval),
             "due": matrix(due), "recent": matrix(recent), "short": matrix(short), "long": matrix(long)}
    boosted_all = matrix(weight * (1 + params.cycle_weight * due))
    # customer facts: visits (distinct purchase times) in all and in the last 90 days, days since the last visit
    visit_key = np.unique(customers.astype(np.int64) * 10_000_000 + np.round(days * 1440).astype(np.int64) % 10_000_000)
    visit_customer = visit_key // 10_000_000
    visits = np.bincount(visit_customer, minlength=n_customers).astype(float)
    last_visit = np.full(n_customers, -1e9)
    np.maximum.at(last_visit, customers, days)
    recent_visits = np.bincount(customers[days >= now - 90], minlength=n_customers).astype(float)
    item_recent = np.bincount(items[days >= now - 30], minlength=n_items).astype(float)
    buyers = np.bincount(cols, minlength=n_items).astype(float)
    repeaters = np.bincount(cols[times >= 2], minlength=n_items).astype(float)
    repeat_ratio = repeaters / np.maximum(buyers, 1)
    n_cand = min(n_candidates, n_items)
    names = ("score", "own", "neighbours", *facts)
    out = {name: np.zeros((n_customers, n_cand)) for name in names}
    out["item"] = np.zeros((n_customers, n_cand), dtype=np.int64)
    pop_tiebreak = 1e-9 * model.popularity / max(model.popularity.max(), 1)
    for start in range(0, n_customers, chunk):
        stop = min(start + chunk, n_customers)
        neighbours = _neighbour_scores(model, model.histories[start:stop], np.arange(start, stop))
        own = boosted_all[start:stop].toarray()
        scores = _blend(own, neighbours, params) + pop_tiebreak
        best = np.argpartition(-scores, n_cand - 1, axis=1)[:, :n_cand]
        order = np.argsort(-np.take_along_axis(scores, best, axis=1), axis=1, kind="stable")
        best = np.take_along_axis(best, order, axis=1)
        out["item"][start:stop] = best
        out["score"][start:stop] = np.take_along_axis(scores, best, axis=1)
        own_max = np.maximum(own.max(axis=1, keepdims=True), 1e-12)
        nb_max = np.maximum(neighbours.max(axis=1, keepdims=True), 1e-12)
        out["own"][start:stop] = np.take_along_axis(own, best, axis=1) / own_max
        out["neighbours"][start:stop] = np.take_along_axis(neighbours, best, axis=1) / nb_max
        for name, values in facts.items():
            out[name][start:stop] = np.take_along_axis(values[start:stop].toarray(), best, axis=1)
        if progress:
            progress((stop - start) // 2 or 1)
    item = out["item"]
    since_last = np.where(out["times"] > 0, now - out["last"], 999.0)
    interval_or = np.where(out["times"] >= 2, out["interval"], 999.0)
    out["features"] = np.stack([
        out["score"], np.broadcast_to(np.arange(n_cand), item.shape), out["own"], out["neighbours"],
        np.log1p(out["times"]), since_last, interval_or, out["due"], since_last / np.maximum(interval_or, 1.0),
        out["recent"], np.log1p(item_recent[item]), repeat_ratio[item], np.log1p(buyers[item]),
        np.broadcast_to(np.log1p(visits)[:, None], item.shape),
        np.broadcast_to(np.log1p(recent_visits)[:, None], item.shape),
        np.broadcast_to((now - last_visit)[:, None], item.shape),
        out["times"] / np.maximum(visits, 1)[:, None], out["short"], np.log1p(out["long"]),
    ], axis=2)
    return out


def _learn_ranker(customers: np.ndarray, items: np.ndarray, days: np.ndarray, *, n_customers: int, n_items: int,
                  params: Params, n_candidates: int, chunk: int, progress: Callable[[int], None] | None):  # type: ignore[no-untyped-def]
    """Fit a ranker on the data itself: candidates as of one horizon before the end, labelled by what each
    customer bought in that last horizon. Returns None when the history is too short to hold a horizon out."""
    end = float(days.max())
    all_features, all_labels, all_weights = [], [], []
    for windows_back in range(1, params.training_windows + 1):
        cut = end - windows_back * params.horizon_days
        past = days < cut
        future = (days >= cut) & (days < cut + params.horizon_days)
        if cut - float(days.min()) < 2 * params.horizon_days or not past.any() or not future.any():
            break
        candidates = _candidates(customers[past], items[past], days[past], n_customers=n_customers,
                                 n_items=n_items, now=cut, params=params, n_candidates=n_candidates, chunk=chunk,
                                 progress=progress)
        bought = sparse.csr_matrix((np.ones(int(future.sum())), (customers[future], items[future])),
                                   shape=(n_customers, n_items))
        active = np.flatnonzero(np.asarray(bought.sum(axis=1)).ravel() > 0)
        active = active[np.bincount(customers[past], minlength=n_customers)[active] > 0]
        if len(active) < 20:
            break
        for customer in active:
            bought_items = bought.indices[bought.indptr[customer]:bought.indptr[customer + 1]]
            label = np.isin(candidates["item"][customer], bought_items)
            all_labels.append(label)
            # weigh each customer's hits by 1 / what they bought, as recall does
            all_weights.append(np.full(len(label), 1.0 / len(np.unique(bought_items))))
        all_features.append(candidates["features"][active].reshape(-1, candidates["features"].shape[2]))
    if not all_features:
        return None
    labels = np.concatenate(all_labels)
    features = np.concatenate(all_features)
    weights = np.concatenate(all_weights)
    weights = weights / weights.mean()
    if labels.all() or not labels.any():
        return None
    from sklearn.ensemble import HistGradientBoostingClassifier

    ranker = HistGradientBoostingClassifier(max_iter=params.ranker_iterations, learning_rate=params.ranker_rate,
                                            max_leaf_nodes=31, min_samples_leaf=params.ranker_min_leaf,
                                            random_state=0)
    from threadpoolctl import threadpool_limits

    # One thread: the data is small, and OpenMP threads that wait on a busy machine cost far more than they give.
    with threadpool_limits(limits=1):
        ranker.fit(features, labels, sample_weight=weights if params.recall_weighting else None)
    return ranker


def recommend_all(customers: np.ndarray, items: np.ndarray, days: np.ndarray, *, n_customers: int, n_items: int,
                  k: int = 10, params: Params | None = None, chunk: int = 256, learn: bool = True,
                  n_candidates: int = 60, progress: Callable[[int], None] | None = None) -> dict[str, np.ndarray]:
    """Top k items for every customer, as arrays [customers x k]: item, kind, score, times, first, last, interval.

    The blended score (own decayed history with repurchase cycles, plus similar customers) picks candidates;
    with learn, a gradient-boosted ranker fitted on the data's own last horizon reorders them.
    kind: 0 similar customers buy it, 1 a favourite, 2 running out (due again), 3 popular (filler).
    """
    params = params or Params()
    n_candidates = max(n_candidates, k)
    ranker = _learn_ranker(customers, items, days, n_customers=n_customers, n_items=n_items, params=params,
                           n_candidates=n_candidates, chunk=chunk, progress=progress) if learn else None
    cand = _candidates(customers, items, days, n_customers=n_customers, n_items=n_items, now=float(days.max()),
                       params=params, n_candidates=n_candidates, chunk=chunk, progress=progress)
    if ranker is not None:
        flat = cand["features"].reshape(-1, cand["features"].shape[2])
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1):
            ranked = ranker.predict_proba(flat)[:, 1].reshape(cand["item"].shape)
    else:
        ranked = cand["score"]
    kk = min(k, cand["item"].shape[1])
    order = np.argsort(-ranked, axis=1, kind="stable")[:, :kk]
    out = {name: np.take_along_axis(cand[name], order, axis=1)
           for name in ("item", "times", "first", "last", "interval", "due")}
    out["score"] = np.take_along_axis(ranked, order, axis=1)
    blend = np.take_along_axis(cand["score"], order, axis=1)
    out["kind"] = np.where(out["times"] > 0, np.where(out["due"] > 0.5, 2, 1),
                           np.where(blend > 1e-6, 0, 3)).astype(np.int8)
    return out


KIND_NAMES = {0: "similar", 1: "favourite", 2: "running_out", 3: "popular"}
