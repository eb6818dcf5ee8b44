"""The statistics of the gap report, from sufficient statistics (counts, sums, sums of squares).

The aggregates come from the database; these functions turn them into means with t-intervals,
Welch tests, Wilson intervals, two-proportion tests, one-way ANOVA, chi-square tests of homogeneity
and Benjamini–Hochberg q-values.
The tests check each one against scipy's own functions on the same raw numbers.
"""

import math
from dataclasses import dataclass

from scipy import special

# The distribution functions come straight from scipy.special's ufuncs: the same numbers as
# scipy.stats' distributions at a fraction of the call overhead (the report makes thousands of calls).

CONFIDENCE = 0.95


@dataclass(frozen=True)
class Summary:
    n: int
    mean: float
    variance: float  # sample variance (n - 1 in the denominator); 0 when n < 2

    @property
    def sd(self) -> float:
        return math.sqrt(self.variance)


def summarise(n: int, total: float, total_sq: float) -> Summary:
    """Mean and sample variance from a count, a sum and a sum of squares."""
    if n <= 0:
        return Summary(0, math.nan, math.nan)
    mean = total / n
    variance = max(total_sq - n * mean * mean, 0.0) / (n - 1) if n > 1 else 0.0
    return Summary(n, mean, variance)


def mean_interval(summary: Summary, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """The t-interval for the mean (NaN bounds with fewer than two values)."""
    if summary.n < 2:
        return math.nan, math.nan
    half = float(special.stdtrit(summary.n - 1, (1 + confidence) / 2)) * summary.sd / math.sqrt(summary.n)
    return summary.mean - half, summary.mean + half


def welch_test(a: Summary, b: Summary) -> tuple[float, float, float]:
    """Welch's unequal-variance t-test of a.mean == b.mean: (t, degrees of freedom, two-sided p)."""
    if a.n < 2 or b.n < 2:
        return math.nan, math.nan, math.nan
    va, vb = a.variance / a.n, b.variance / b.n
    if va + vb == 0:
        return (0.0, math.inf, 1.0) if a.mean == b.mean else (math.copysign(math.inf, a.mean - b.mean), math.inf, 0.0)
    t = (a.mean - b.mean) / math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va**2 / (a.n - 1) + vb**2 / (b.n - 1))
    p = 2 * float(special.stdtr(df, -abs(t)))
    return t, df, p


def wilson_interval(successes: int, n: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """The Wilson score interval for a proportion."""
    if n == 0:
        return math.nan, math.nan
    z = float(special.ndtri((1 + confidence) / 2))
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return centre - half, centre + half


def two_proportion_test(x1: int, n1: int, x2: int, n2: int) -> tuple[float, float]:
    """The pooled two-proportion z-test: (z, two-sided p)."""
    if n1 == 0 or n2 == 0:
        return math.nan, math.nan
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return 0.0, 1.0
    z = (x1 / n1 - x2 / n2) / se
    return z, 2 * float(special.ndtr(-abs(z)))


def one_way_anova(groups: list[Summary]) -> tuple[float, float]:
    """One-way ANOVA across groups (e.g. teams) from their summaries: (F, p)."""
    groups = [g for g in groups if g.n > 0]
    k, n = len(groups), sum(g.n for g in groups)
    if k < 2 or n <= k:
        return math.nan, math.nan
    grand = sum(g.n * g.mean for g in groups) / n
    between = sum(g.n * (g.mean - grand) ** 2 for g in groups) / (k - 1)
    within = sum((g.n - 1) * g.variance for g in groups) / (n - k)
    if within == 0:
        return (math.inf, 0.0) if between > 0 else (math.nan, math.nan)
    f = between / within
    return f, float(special.fdtrc(k - 1, n - k, f))


def benjamini_hochberg(pvalues: list[float]) -> list[float]:
    """False-discovery-rate q-values for many gaps tested at once (NaN stays NaN)."""
    indexed = sorted((p, i) for i, p in enumerate(pvalues) if not math.isnan(p))
    m = len(indexed)
    q = [math.nan] * len(pvalues)
    running = 1.0
    for rank in range(m, 0, -1):
        p, i = indexed[rank - 1]
        running = min(running, p * m / rank)
        q[i] = running
    return q


def chi_square_homogeneity(table: list[list[int]]) -> tuple[float, int, float]:
    """Pearson's chi-square test that groups (rows) share one distribution over categories (columns).

    Returns (chi-square, degrees of freedom, p) without continuity correction, as
    scipy.stats.chi2_contingency(table, correction=False); empty rows and categories that no group
    has are left out first (their expected counts would be zero). NaN when fewer than two groups or
    two categories remain.
    """
    rows = [row for row in table if sum(row) > 0]
    columns = [j for j in range(len(rows[0])) if any(row[j] for row in rows)] if rows else []
    if len(rows) < 2 or len(columns) < 2:
        return math.nan, 0, math.nan
    rows = [[row[j] for j in columns] for row in rows]
    row_totals = [sum(row) for row in rows]
    column_totals = [sum(row[j] for row in rows) for j in range(len(columns))]
    n = sum(row_totals)
    chi2 = 0.0
    for row, row_total in zip(rows, row_totals, strict=True):
        for observed, column_total in zip(row, column_totals, strict=True):
            expected = row_total * column_total / n
            chi2 += (observed - expected) ** 2 / expected
    dof = (len(rows) - 1) * (len(columns) - 1)
    return chi2, dof, float(special.chdtrc(dof, chi2))
