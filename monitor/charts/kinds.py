"""The chart kinds drawn with matplotlib: the domain profile against peers, grouped means with
their intervals, and the daily trend.

Each function takes plain values (sequences, mappings, floats, dates), checks them, and returns a
`Chart` whose alt text comes from `monitor.charts.alt`. matplotlib is imported when a chart is
drawn (`monitor.charts.draw`), never when this module is. No in-image title (the caption carries
it); numbers on axes and labels use the Dutch decimal comma.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date

from monitor.charts import alt as alts
from monitor.charts.chart import Chart
from monitor.charts.layout import LegendEntry
from monitor.charts.style import (
    BAND,
    FONT_SIZE,
    GRID,
    INK,
    MUTED,
    PALETTE,
    SUPPRESSED_TEXT,
    WIDTH_CM,
)
from monitor.charts.textwidth import widest
from monitor.charts.values import check_len, nice_ceiling
from monitor.formatting import number_nl


def domain_profile(
    domains: Sequence[str],
    scores: Sequence[float | None],
    *,
    peer_median: Sequence[float | None] | None = None,
    peer_q1: Sequence[float | None] | None = None,
    peer_q3: Sequence[float | None] | None = None,
    title: str = "Domeinprofiel",
    subject: str = "bedrijf",
    peer_label: str = "vergelijkingsgroep",
    scale: tuple[float, float] = (0.0, 4.0),
    width_cm: float = WIDTH_CM,
) -> Chart:
    """Horizontal bars of one organisation's domain scores against its peers.

    `scores` are the organisation's domain scores on `scale` (the HR-scan: maturity 0-4), None when
    a domain has no score. The peers are given per domain as median and quartiles; a None median
    means the peer figure is suppressed (too few peers): no marker, and the alt text says so.
    """
    from monitor.charts import draw, svgpost

    n = len(domains)
    if n == 0:
        raise ValueError("domains is empty")
    scores = check_len("scores", scores, n)
    medians = check_len("peer_median", peer_median, n) if peer_median is not None else [None] * n
    q1s = check_len("peer_q1", peer_q1, n) if peer_q1 is not None else [None] * n
    q3s = check_len("peer_q3", peer_q3, n) if peer_q3 is not None else [None] * n
    has_peers = peer_median is not None
    lo, hi = scale
    pad = (hi - lo) * 0.012

    legend: list[LegendEntry] = [
        ("bar", PALETTE[0], subject.capitalize()),
        ("diamond", INK, f"mediaan {peer_label}"),
        ("line", BAND, "middelste 50% (kwartielen)"),
    ]
    row_h = 0.85 if has_peers else 0.5
    fig, ax = draw.figure(
        width_cm, domains, rows_height=n * row_h, legend=legend if has_peers else ()
    )
    ys = list(range(n))
    bar_h = 0.4 if has_peers else 0.62
    bar_y = [y - 0.14 if has_peers else y for y in ys]
    draw.bars_h(ax, bar_y, scores, bar_h, PALETTE[0], left=lo)
    for y, value in zip(bar_y, scores, strict=True):
        if value is not None:
            draw.note(ax, value + pad, y, number_nl(value, 1), size=FONT_SIZE)
        else:
            draw.note(ax, lo + pad, y, "geen score", size=FONT_SIZE - 0.5, color=MUTED)

    if has_peers:
        peer_y = [y + 0.24 for y in ys]
        segments = [
            [(q1, y), (q3, y)]
            for y, q1, q3, m in zip(peer_y, q1s, q3s, medians, strict=True)
            if m is not None and q1 is not None and q3 is not None
        ]
        draw.strokes(ax, segments, BAND, 2.2)
        shown = [(m, y) for y, m in zip(peer_y, medians, strict=True) if m is not None]
        if shown:
            ax.scatter(
                [m for m, _ in shown],
                [y for _, y in shown],
                marker="D",
                s=22,
                color=INK,
                zorder=4,
                clip_on=False,
                linewidths=0,
            )
        for y, m in zip(peer_y, medians, strict=True):
            if m is None:
                text = f"{peer_label}: {SUPPRESSED_TEXT}"
                draw.note(ax, lo + pad, y, text, size=FONT_SIZE - 1, color=MUTED)

    draw.y_categories(ax, domains)
    ax.set_ylim(n - 0.5, -0.5)
    draw.x_value_axis(ax, lo, hi, integer_ticks=True)
    alt = alts.profile_alt(
        domains,
        scores,
        peer_median=medians if has_peers else None,
        peer_q1=q1s,
        peer_q3=q3s,
        title=title,
        subject=subject,
        peer_label=peer_label,
        scale=scale,
    )
    return svgpost.finish(fig, title, alt)


def grouped_means(
    categories: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    ci: Mapping[str, Sequence[tuple[float, float] | None]] | None = None,
    marks: Mapping[str, Sequence[bool]] | None = None,
    mark_label: str = "significant verschil met de nulmeting",
    title: str = "Gemiddelden",
    scale: tuple[float, float] | None = None,
    decimals: int = 1,
    width_cm: float = WIDTH_CM,
) -> Chart:
    """Grouped horizontal bars of means with 95% confidence intervals.

    `categories` are the groups on the y axis (domains, respondent groups); `series` maps a series
    label (a year, "verwachting", "ervaring") to one mean per category, None when suppressed or
    missing. `ci` gives (low, high) per mean; `marks` flags means to mark with an asterisk (for
    example a significant change against the nulmeting), explained by `mark_label`.
    """
    from monitor.charts import draw, svgpost

    n = len(categories)
    if n == 0:
        raise ValueError("categories is empty")
    if not series:
        raise ValueError("series is empty")
    if len(series) > len(PALETTE):
        raise ValueError(f"at most {len(PALETTE)} series")
    names = list(series)
    values = {s: check_len(f"series[{s!r}]", series[s], n) for s in names}
    intervals = {s: check_len(f"ci[{s!r}]", (ci or {}).get(s) or [None] * n, n) for s in names}
    flags = {s: check_len(f"marks[{s!r}]", (marks or {}).get(s) or [False] * n, n) for s in names}
    if scale is None:
        top = max(
            [v for s in names for v in values[s] if v is not None]
            + [iv[1] for s in names for iv in intervals[s] if iv is not None]
            + [1.0]
        )
        scale = (0.0, nice_ceiling(top))
    lo, hi = scale

    legend: list[LegendEntry] = [("bar", PALETTE[j], name) for j, name in enumerate(names)]
    if any(iv is not None for s in names for iv in intervals[s]):
        legend.append(("whisker", INK, "95%-betrouwbaarheidsinterval"))
    if any(any(f) for f in flags.values()):
        legend.append(("text", INK, f"* {mark_label}"))
    k = len(names)
    group_h = 0.8
    bar_h = group_h / k
    fig, ax = draw.figure(width_cm, categories, rows_height=n * (0.3 + 0.3 * k), legend=legend)
    whiskers, caps = [], []
    cap = bar_h * 0.22
    for j, name in enumerate(names):
        ys = [i - group_h / 2 + bar_h * (j + 0.5) for i in range(n)]
        draw.bars_h(ax, ys, values[name], bar_h * 0.88, PALETTE[j], left=lo)
        for y, value, iv, flag in zip(ys, values[name], intervals[name], flags[name], strict=True):
            if value is None:
                draw.note(
                    ax, lo + (hi - lo) * 0.01, y, SUPPRESSED_TEXT, size=FONT_SIZE - 1.5, color=MUTED
                )
                continue
            end = value
            if iv is not None:
                whiskers.append([(iv[0], y), (iv[1], y)])
                caps += [[(iv[0], y - cap), (iv[0], y + cap)], [(iv[1], y - cap), (iv[1], y + cap)]]
                end = max(value, iv[1])
            label = number_nl(value, decimals) + (" *" if flag else "")
            draw.note(ax, end + (hi - lo) * 0.012, y, label, size=FONT_SIZE - 1)
    draw.strokes(ax, whiskers + caps, INK, 0.9, zorder=4)
    draw.y_categories(ax, categories)
    ax.set_ylim(n - 0.5, -0.5)
    draw.x_value_axis(ax, lo, hi)
    alt = alts.means_alt(
        categories,
        values,
        ci=intervals,
        marks=flags,
        mark_label=mark_label,
        title=title,
        decimals=decimals,
    )
    return svgpost.finish(fig, title, alt)


def daily_trend(
    days: Sequence[date],
    values: Sequence[float | None],
    *,
    title: str = "Respons per dag",
    label: str = "responsen",
    decimals: int = 0,
    width_cm: float = WIDTH_CM,
    height_cm: float = 5.5,
) -> Chart:
    """A line of one value per day (for example responses per day of a campaign).

    Missing days (None) break the line. The alt text lists every day for short periods (up to 14
    days) and otherwise the period, the total, the highest day and the last day.
    """
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    from monitor.charts import draw, svgpost

    n = len(days)
    if n == 0:
        raise ValueError("days is empty")
    values = check_len("values", values, n)
    if list(days) != sorted(days):
        raise ValueError("days must be in ascending order")
    draw.configure()
    width_in, height_in = width_cm / 2.54, height_cm / 2.54
    fig = Figure(figsize=(width_in, height_in))
    xs = [d.toordinal() for d in days]
    ys = [math.nan if v is None else v for v in values]
    shown = [v for v in values if v is not None]
    top = nice_ceiling(max(shown, default=1.0) or 1.0)
    yticks = [
        t for t in MaxNLocator(nbins=4, integer=decimals == 0).tick_values(0, top) if t <= top
    ]
    label_pt = widest([number_nl(t, decimals) for t in yticks], FONT_SIZE - 0.5)
    left_in, right_in, top_in, bottom_in = label_pt / 72 + 0.1, 0.15, 0.1, 0.3
    ax = fig.add_axes(
        (
            left_in / width_in,
            bottom_in / height_in,
            1 - (left_in + right_in) / width_in,
            1 - (top_in + bottom_in) / height_in,
        )
    )
    ax.set_axis_off()
    fig.patch.set_visible(False)  # no background rectangle: hidden artists are not written
    ax.set_ylim(0, top)
    ax.set_xlim(xs[0] - 0.5, xs[-1] + 0.5)
    ax.plot(xs, ys, color=PALETTE[0], linewidth=1.6, clip_on=False, solid_joinstyle="round")
    if n <= 16:  # dots only where they can be told apart
        ax.scatter(xs, ys, s=9, color=PALETTE[0], linewidths=0, clip_on=False, zorder=3)
    trans = ax.get_yaxis_transform()
    draw.strokes(ax, [[(0, t), (1, t)] for t in yticks if t != 0], GRID, 0.6, transform=trans)
    draw.strokes(ax, [[(0, 0), (1, 0)]], MUTED, 0.6, transform=trans)
    width_pt, height_pt = draw.axes_size_pt(ax)
    for t in yticks:
        ax.text(
            -5 / width_pt, t, number_nl(t, decimals), transform=trans, ha="right", va="center",
            fontsize=FONT_SIZE - 0.5, color=MUTED,
        )  # fmt: skip
    step = max(1, math.ceil(n / 8))
    xtrans = ax.get_xaxis_transform()
    for x in xs[::step]:
        ax.text(
            x, -4 / height_pt, _short_date(x), transform=xtrans, ha="center", va="top",
            fontsize=FONT_SIZE - 0.5, color=MUTED,
        )  # fmt: skip
    alt = alts.trend_alt(days, values, title=title, label=label, decimals=decimals)
    return svgpost.finish(fig, title, alt)


_MONTH_ABBR = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def _short_date(ordinal: int) -> str:
    """'3 mrt' style axis label."""
    d = date.fromordinal(ordinal)
    return f"{d.day} {_MONTH_ABBR[d.month - 1]}"
