"""The recommender on small hand-made histories, and the batch command's CSV interface."""

import csv

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from eyelevel.analysis import recommend
from eyelevel.analysis.recommend_csv import PurchaseFileError, read_purchases, reason_text


def _data():  # type: ignore[no-untyped-def]
    # customer 0 buys item 0 every 7 days and item 1 once long ago; customers 1, 2 buy 0 and 2 together.
    rows = [(0, 0, 100 - 7 * w) for w in range(6)] + [(0, 1, 10.0)]
    rows += [(c, item, 95 - 7 * w) for c in (1, 2) for w in range(3) for item in (0, 2)]
    customers, items, days = (np.array(x) for x in zip(*rows, strict=True))
    return customers, items, days.astype(float)


def test_own_history_first_then_what_similar_customers_buy():  # type: ignore[no-untyped-def]
    customers, items, days = _data()
    out = recommend.recommend_all(customers, items, days, n_customers=3, n_items=3, k=3)
    assert list(out["item"][0]) == [0, 2, 1]
    assert list(out["kind"][0]) == [2, 0, 1]  # running out, similar customers, favourite
    assert out["times"][0, 0] == 6
    assert out["interval"][0, 0] == pytest.approx(7.0)


def test_one_customer_matches_the_batch():  # type: ignore[no-untyped-def]
    customers, items, days = _data()
    model = recommend.fit(customers, items, days, n_customers=3, n_items=3)
    mine = customers == 0
    result = recommend.recommend_one(model, items[mine], days[mine], now=model.now, exclude_row=0)
    assert list(result["item"]) == [0, 2, 1]
    assert recommend.reason_of(result, 0).kind == "running_out"
    assert recommend.reason_of(result, 1).kind == "similar"
    assert recommend.reason_of(result, 2).times == 1
    # a customer without purchases gets only popular filler, which the app does not show as personal
    assert set(recommend.recommend_one(model, np.zeros(0, dtype=int), np.zeros(0), now=model.now)["kind"]) == {3}


def test_reason_texts():  # type: ignore[no-untyped-def]
    assert reason_text(1, 7, 17226.0, 17400.0, 20, 17450.0) == "you bought this 7 times since March 2017"
    assert reason_text(2, 5, 0, 17440.0, 8.6, 17450.0) == "you buy this about every 9 days; last time 10 days ago"


def _write(path, rows):  # type: ignore[no-untyped-def]
    with path.open("w", newline="") as stream:
        csv.writer(stream).writerows(rows)
    return path


def test_the_command_writes_top_k_for_every_customer(tmp_path):  # type: ignore[no-untyped-def]
    rows = [["customer_id", "product_id", "quantity", "timestamp", "extra"]]
    for week in range(5):
        rows.append(["c1", "milk", "1", f"2017-03-{1 + 7 * week:02d} 10:00:00", "x"])
        rows.append(["c2", "milk", "2", f"2017-03-{2 + 7 * week:02d}", "x"])
        rows.append(["c2", "jam", "1", f"2017-03-{2 + 7 * week:02d}", "x"])
    rows.append(["c1", "beer", "0", "2017-03-05", "x"])  # a return: ignored
    rows.append(["c3", "milk", "-1", "2017-03-06", "x"])  # only a return: popular products
    output = tmp_path / "out.csv"
    call_command("offers", "recommend", str(_write(tmp_path / "in.csv", rows)), str(output), "--k", "2")
    result = list(csv.DictReader(output.open()))
    assert [(r["customer_id"], r["rank"], r["product_id"]) for r in result] == [
        ("c1", "1", "milk"), ("c1", "2", "jam"), ("c2", "1", "milk"), ("c2", "2", "jam"),
        ("c3", "1", "milk"), ("c3", "2", "jam")]
    assert result[-1]["reason"] == "popular with all customers"
    assert result[0]["reason"].startswith("you buy this about every 7 days")
    assert result[1]["reason"] == "customers who shop like you buy this"


def test_bad_files_are_refused_naming_the_row(tmp_path):  # type: ignore[no-untyped-def]
    with pytest.raises(PurchaseFileError, match="missing columns timestamp"):
        read_purchases(_write(tmp_path / "a.csv", [["customer_id", "product_id", "quantity"]]))
    with pytest.raises(PurchaseFileError, match="row 3: quantity 'lots'"):
        read_purchases(_write(tmp_path / "b.csv", [["customer_id", "product_id", "quantity", "timestamp"],
                                                   ["1", "2", "1", "2017-01-01"], ["1", "2", "lots", "2017-01-01"]]))
    with pytest.raises(PurchaseFileError, match="row 2: timestamp 'soon'"):
        read_purchases(_write(tmp_path / "c.csv", [["customer_id", "product_id", "quantity", "timestamp"],
                                                   ["1", "2", "1", "soon"]]))
    # a skipped return before the bad line does not shift the row number in the message
    with pytest.raises(PurchaseFileError, match="row 4: timestamp 'soon'"):
        read_purchases(_write(tmp_path / "d.csv", [["customer_id", "product_id", "quantity", "timestamp"],
                                                   ["1", "2", "1", "2017-01-01"], ["1", "2", "-1", "2017-01-02"],
                                                   ["1", "2", "1", "soon"]]))
    with pytest.raises(CommandError, match="row 3"):
        call_command("offers", "recommend", str(tmp_path / "b.csv"), str(tmp_path / "out.csv"))


def test_the_ranker_learns_from_the_last_horizons_of_a_longer_history():  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(1)
    rows = []
    for customer in range(60):
        staple = customer % 5  # bought every 6 days
        rows += [(customer, staple, day) for day in range(0, 150, 6)]
        rows += [(customer, 5 + rng.integers(0, 15), rng.uniform(0, 150)) for _ in range(12)]  # noise
    customers, items, days = (np.array(x) for x in zip(*rows, strict=True))
    ranker = recommend._learn_ranker(customers, items, days.astype(float), n_customers=60, n_items=20,
                                     params=recommend.Params(), n_candidates=10, chunk=16, progress=None)
    assert ranker is not None
    out = recommend.recommend_all(customers, items, days.astype(float), n_customers=60, n_items=20, k=3)
    assert out["item"].shape == (60, 3)
    assert all(out["item"][c, 0] == c % 5 for c in range(60))
    assert set(out["kind"][:, 0]) == {2}


def _longer_history():  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(1)
    rows = []
    for customer in range(60):
        rows += [(customer, customer % 5, day) for day in range(0, 150, 6)]
        rows += [(customer, 5 + rng.integers(0, 15), rng.uniform(0, 150)) for _ in range(12)]
    customers, items, days = (np.array(x) for x in zip(*rows, strict=True))
    return customers, items, days.astype(float)


def test_the_stored_ranker_scores_one_customer_as_the_batch_does():  # type: ignore[no-untyped-def]
    customers, items, days = _longer_history()
    ranker = recommend._learn_ranker(customers, items, days, n_customers=60, n_items=20, params=recommend.Params(),
                                     n_candidates=20, chunk=16, progress=None)
    cand = recommend._candidates(customers, items, days, n_customers=60, n_items=20, now=float(days.max()),
                                 params=recommend.Params(), n_candidates=20, chunk=16)
    flat = cand["features"].reshape(-1, cand["features"].shape[2])
    forest = recommend.Forest.from_sklearn(ranker)
    assert np.allclose(forest.decision(flat), ranker.decision_function(flat))
    again = recommend.Forest.from_arrays(forest.to_arrays())
    assert np.allclose(again.decision(flat[:50]), forest.decision(flat[:50]))

    model = recommend.fit(customers, items, days, n_customers=60, n_items=20, learn=True)
    assert model.forest is not None
    batch = recommend.recommend_all(customers, items, days, n_customers=60, n_items=20, k=5)
    for customer in (0, 7, 33):
        mine = customers == customer
        one = recommend.recommend_one(model, items[mine], days[mine], now=model.now, exclude_row=customer,
                                      n_candidates=60)
        assert list(one["item"][:5]) == list(batch["item"][customer])


def test_memory_follows_the_chunk_and_a_sample_of_customers_trains_the_ranker():  # type: ignore[no-untyped-def]
    customers, items, days = _longer_history()
    params = recommend.Params()
    kept: list[tuple[int, int, int]] = []

    def top_two(block, start, stop):  # type: ignore[no-untyped-def]
        kept.append((start, stop, block["features"].shape[0]))
        return {"item": block["item"][:, :2]}

    reduced = recommend._candidates(customers, items, days, n_customers=60, n_items=20, now=float(days.max()),
                                    params=params, n_candidates=20, chunk=16, reduce=top_two)
    whole = recommend._candidates(customers, items, days, n_customers=60, n_items=20, now=float(days.max()),
                                  params=params, n_candidates=20, chunk=16)
    assert kept == [(0, 16, 16), (16, 32, 16), (32, 48, 16), (48, 60, 12)]
    assert np.array_equal(reduced["item"], whole["item"][:, :2])
    # Fewer customers per horizon than there are: the ranker still learns the staples from the sample.
    sampled = recommend.Params(training_customers=25)
    ranker = recommend._learn_ranker(customers, items, days, n_customers=60, n_items=20, params=sampled,
                                     n_candidates=10, chunk=16, progress=None)
    assert ranker is not None
    out = recommend.recommend_all(customers, items, days, n_customers=60, n_items=20, k=3, params=sampled)
    assert all(out["item"][c, 0] == c % 5 for c in range(60))
