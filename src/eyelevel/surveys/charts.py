"""Server-side SVG charts of the gap report (matplotlib, Agg backend)."""

import io

import matplotlib

matplotlib.use("Agg")
matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: smaller, searchable, translatable

from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from eyelevel.surveys.schemas import BainComparison, FeedbackConsistencyRow, GapReport  # noqa: E402

COLOURS = {"staff": "#1f5fa8", "customer": "#d1495b", "competitor_customer": "#edae49",
           "non_customer": "#66a182"}


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg")
    plt.close(figure)
    svg = buffer.getvalue()
    return svg[svg.index("<svg"):]


def gap_chart(report: GapReport, *, labels: dict[str, str], top: int = 15) -> str:
    """A dot plot: staff belief and each audience's mean (with 95% intervals) for the largest gaps."""
    rows = [r for r in report.rows if r.largest_gap is not None][:top]
    height = max(2.2, 0.42 * len(rows) + 1.2)
    figure, axes = plt.subplots(figsize=(9, height))
    figure.subplots_adjust(left=0.36, right=0.97, top=1 - 0.7 / height, bottom=0.6 / height)
    if not rows:
        axes.text(0.5, 0.5, labels["empty"], ha="center", va="center")
        axes.set_axis_off()
        return _svg(figure)
    names = [f"{r.touchpoint or labels['general']} · {labels.get('dim:' + r.dimension, r.dimension)}"
             for r in rows]
    positions = list(range(len(rows)))[::-1]
    # One collection per audience (not one artist per point): drawing stays fast for many rows.
    series: dict[str, tuple[list[float], list[float], list[float], list[float]]] = {}
    spans_y, spans_low, spans_high = [], [], []
    for y, row in zip(positions, rows, strict=True):
        points = [("staff", row.staff)] + [(g.audience, g.stat) for g in row.audiences]
        means = [s.mean for _a, s in points if s.mean is not None]
        if means:
            spans_y.append(y)
            spans_low.append(min(means))
            spans_high.append(max(means))
        for offset, (audience, stat) in enumerate(points):
            if stat.mean is None:
                continue
            xs, ys, lows, highs = series.setdefault(audience, ([], [], [], []))
            dy = (offset - (len(points) - 1) / 2) * 0.12
            xs.append(stat.mean)
            ys.append(y + dy)
            lows.append(stat.low if stat.low is not None else stat.mean)
            highs.append(stat.high if stat.high is not None else stat.mean)
    axes.hlines(spans_y, spans_low, spans_high, color="#c8ccd0", linewidth=2, zorder=1)
    for audience, (xs, ys, lows, highs) in series.items():
        axes.hlines(ys, lows, highs, color=COLOURS[audience], linewidth=1, alpha=.6)
        axes.scatter(xs, ys, color=COLOURS[audience], s=36, zorder=2, label=labels[audience])
    axes.set_yticks(positions, names)
    axes.set_xlim(0, 100)
    axes.set_xlabel(labels["axis"])
    axes.grid(axis="x", color="#eeeeee")
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=4, frameon=False, fontsize=8)
    return _svg(figure)


def bain_chart(bain: BainComparison, *, labels: dict[str, str]) -> str:
    """Bars: share of staff who believe the experience is superior against the share of each audience who agree."""
    shares = [bain.staff, bain.customers, *bain.others]
    figure, axes = plt.subplots(figsize=(7, 2.6))
    figure.subplots_adjust(left=0.36, right=0.97, top=0.95, bottom=0.2)
    names, values, errors_low, errors_high, colours = [], [], [], [], []
    for share in shares:
        names.append(f"{labels[share.audience]} (n={share.n})")
        value = (share.share or 0) * 100
        values.append(value)
        errors_low.append(max(0.0, value - (share.low or 0) * 100) if share.low is not None else 0)
        errors_high.append(max(0.0, (share.high or 0) * 100 - value) if share.high is not None else 0)
        colours.append(COLOURS[share.audience])
    positions = list(range(len(shares)))[::-1]
    axes.barh(positions, values, color=colours, xerr=[errors_low, errors_high], ecolor="#555555", capsize=3)
    for y, value in zip(positions, values, strict=True):
        axes.text(min(value + 2, 92), y, f"{value:.0f}%", va="center", fontsize=9)
    axes.set_yticks(positions, names)
    axes.set_xlim(0, 100)
    axes.set_xlabel(labels["bain_axis"])
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure)


def feedback_consistency_chart(rows: list[FeedbackConsistencyRow], *, labels: dict[str, str], top: int = 12) -> str:
    """Dots: each team's or staff member's share of negative feedback (with 95% intervals) per touchpoint.

    Rows where the groups differ most come first; the best and the worst group are named beside their dot.
    """
    rows = [r for r in rows if r.spread is not None][:top]
    height = max(2.2, 0.5 * len(rows) + 1.2)
    figure, axes = plt.subplots(figsize=(9, height))
    figure.subplots_adjust(left=0.36, right=0.97, top=1 - 0.5 / height, bottom=0.6 / height)
    if not rows:
        axes.text(0.5, 0.5, labels["feedback_empty"], ha="center", va="center")
        axes.set_axis_off()
        return _svg(figure)
    positions = list(range(len(rows)))[::-1]
    xs, ys, lows, highs, colours = [], [], [], [], []
    spans_y, spans_low, spans_high = [], [], []
    for y, row in zip(positions, rows, strict=True):
        compared = [g for g in row.groups if g.compared and g.negative_share is not None]
        spans_y.append(y)
        spans_low.append(min(g.negative_share for g in compared) * 100)  # type: ignore[operator]
        spans_high.append(max(g.negative_share for g in compared) * 100)  # type: ignore[operator]
        spacing = min(0.12, 0.6 / len(compared))  # each group on its own line, so intervals do not hide each other
        for offset, group in enumerate(compared):
            xs.append(group.negative_share * 100)  # type: ignore[operator]
            ys.append(y + (offset - (len(compared) - 1) / 2) * spacing)
            lows.append((group.low if group.low is not None else group.negative_share) * 100)  # type: ignore[operator]
            highs.append((group.high if group.high is not None else group.negative_share) * 100)  # type: ignore[operator]
            colours.append(COLOURS["customer"] if row.varies else "#7a7f85")
        # The groups come sorted by negative share, highest first: name the worst above, the best below.
        for group, shift in ((compared[0], 7), (compared[-1], -12)):
            axes.annotate(group.name, (group.negative_share * 100, y), xytext=(0, shift),  # type: ignore[operator]
                          textcoords="offset points", ha="center", fontsize=7)
    axes.hlines(spans_y, spans_low, spans_high, color="#c8ccd0", linewidth=3, zorder=1)
    axes.hlines(ys, lows, highs, color=colours, linewidth=1, alpha=.5)
    axes.scatter(xs, ys, color=colours, s=30, zorder=2)
    axes.set_yticks(positions, [f"{r.touchpoint} · {labels['by:' + r.by]}" for r in rows])
    axes.set_ylim(-0.6, len(rows) - 0.3)
    axes.set_xlim(0, 100)
    axes.set_xlabel(labels["feedback_axis"])
    axes.grid(axis="x", color="#eeeeee")
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure)
