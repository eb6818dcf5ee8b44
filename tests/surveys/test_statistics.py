"""The gap report's statistics against scipy's reference implementations on the same numbers."""

import math

import numpy as np
import pytest
from scipy import stats

from eyelevel.surveys import statistics


def _summary(values) -> statistics.Summary:  # type: ignore[no-untyped-def]
    values = np.asarray(values, dtype=float)
    return statistics.summarise(len(values), float(values.sum()), float((values * values).sum()))


@pytest.fixture
def samples():  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(7)
    return rng.integers(0, 101, 40).astype(float), rng.integers(0, 101, 75).astype(float) * 0.7


def test_summary_matches_numpy(samples):
    a, _b = samples
    summary = _summary(a)
    assert summary.mean == pytest.approx(a.mean())
    assert summary.variance == pytest.approx(a.var(ddof=1))


def test_t_interval_matches_scipy(samples):
    a, _b = samples
    low, high = statistics.mean_interval(_summary(a))
    ref_low, ref_high = stats.t.interval(0.95, len(a) - 1, loc=a.mean(), scale=stats.sem(a))
    assert low == pytest.approx(ref_low)
    assert high == pytest.approx(ref_high)


def test_welch_test_matches_scipy(samples):
    a, b = samples
    t, df, p = statistics.welch_test(_summary(a), _summary(b))
    reference = stats.ttest_ind(a, b, equal_var=False)
    assert t == pytest.approx(reference.statistic)
    assert p == pytest.approx(reference.pvalue)
    assert df == pytest.approx(reference.df)


def test_wilson_interval_matches_scipy():
    for successes, n in [(8, 100), (80, 100), (0, 12), (12, 12), (3, 7)]:
        low, high = statistics.wilson_interval(successes, n)
        reference = stats.binomtest(successes, n).proportion_ci(confidence_level=0.95, method="wilson")
        assert low == pytest.approx(reference.low, abs=1e-9)
        assert high == pytest.approx(reference.high, abs=1e-9)


def test_two_proportion_test_matches_chi_square():
    z, p = statistics.two_proportion_test(40, 50, 8, 100)
    chi2, reference_p, _dof, _expected = stats.chi2_contingency([[40, 10], [8, 92]], correction=False)
    assert z * z == pytest.approx(chi2)
    assert p == pytest.approx(reference_p)


def test_one_way_anova_matches_scipy():
    rng = np.random.default_rng(3)
    groups = [rng.normal(60, 15, 20), rng.normal(70, 15, 25), rng.normal(62, 10, 8)]
    f, p = statistics.one_way_anova([_summary(g) for g in groups])
    reference = stats.f_oneway(*groups)
    assert f == pytest.approx(reference.statistic)
    assert p == pytest.approx(reference.pvalue)


def test_benjamini_hochberg_matches_scipy():
    pvalues = [0.01, 0.04, 0.03, 0.2, math.nan, 0.0001]
    q = statistics.benjamini_hochberg(pvalues)
    reference = stats.false_discovery_control([p for p in pvalues if not math.isnan(p)], method="bh")
    assert [v for v in q if not math.isnan(v)] == pytest.approx(list(reference))
    assert math.isnan(q[4])


def test_degenerate_inputs_give_nan_not_errors():
    one = statistics.summarise(1, 50.0, 2500.0)
    assert math.isnan(statistics.mean_interval(one)[0])
    assert math.isnan(statistics.welch_test(one, one)[2])
    assert math.isnan(statistics.wilson_interval(0, 0)[0])


@pytest.mark.parametrize("table", [
    [[30, 12, 8], [12, 10, 28], [20, 15, 15]],  # three teams, three sentiments
    [[9, 1], [3, 7]],  # two by two: scipy would apply Yates' correction by default; the report does not
    [[14, 0, 6], [4, 0, 16]],  # a sentiment no team has: left out, as scipy needs
])
def test_chi_square_homogeneity_matches_scipy(table):
    chi2, dof, p = statistics.chi_square_homogeneity(table)
    reference = np.asarray(table)
    reference = reference[:, reference.sum(axis=0) > 0]
    expected = stats.chi2_contingency(reference, correction=False)
    assert chi2 == pytest.approx(expected.statistic)
    assert dof == expected.dof
    assert p == pytest.approx(expected.pvalue)


def test_chi_square_needs_two_groups_and_two_categories():
    assert math.isnan(statistics.chi_square_homogeneity([[5, 3, 2]])[2])
    assert math.isnan(statistics.chi_square_homogeneity([[5, 0], [7, 0]])[2])
    assert math.isnan(statistics.chi_square_homogeneity([[5, 3], [0, 0]])[2])
