"""Charts as inline SVG, for the PDF reports and the web pages alike.

Every chart function takes plain values (sequences, mappings, floats, dates) and returns a `Chart`:
the SVG markup (no XML prolog, `role="img"`, a `<title>` and a `<desc>`), the title and a Dutch text
alternative that states the figures in words. The alt text goes into the figure caption of a report
and into the `<desc>` of the SVG, so a reader without the picture misses nothing.

The charts are drawn with matplotlib's object API (`Figure`, never pyplot: no global figure state,
safe in threads) and kept lean because every SVG path and text costs render time in WeasyPrint: no
clip paths, no hidden artists, text as `<text>` (`svg.fonttype = "none"`), no in-image title (the
caption carries it). Numbers on axes and labels use the Dutch decimal comma.
"""

from __future__ import annotations

import io
import math
import re
import threading
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

import matplotlib
from markupsafe import Markup
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path
from matplotlib.ticker import MaxNLocator

from monitor.formatting import date_nl, number_nl, percent_nl

__all__ = [
    "FONT_STACK",
    "INK",
    "MUTED",
    "PALETTE",
    "Chart",
    "bar_chart",
    "daily_trend",
    "domain_profile",
    "grouped_means",
]

#: Colour-blind safe: the Okabe-Ito hues, darkened where needed so that every colour has a contrast
#: of at least 3:1 against white (the WCAG minimum for graphical objects). Used in this order.
PALETTE: tuple[str, ...] = ("#0072B2", "#D55E00", "#00795A", "#A4508B", "#8F6400", "#4D4D4D")
INK = "#1B1F23"  #: text and markers (peer median)
MUTED = "#5B636B"  #: axis labels, notes
GRID = "#D5D9DD"  #: grid lines (decoration only)
BAND = "#7A8288"  #: interquartile band of the peers (3.9:1 against white)

#: Font family written into the SVG text. The print CSS registers "Report Sans" (the embedded
#: DejaVu Sans subset); web pages fall back to DejaVu Sans or the system sans-serif. matplotlib
#: measures text with its bundled DejaVu Sans, the same design, so labels fit in print.
FONT_STACK = "'Report Sans', 'DejaVu Sans', Verdana, sans-serif"

FONT_SIZE = 8.5  # points; the chart is drawn at its printed size
WIDTH_CM = 16.0  # fits A4 with 2 cm margins left and right
SUPPRESSED_TEXT = "te weinig waarnemingen"

_configured = False
_configure_lock = threading.Lock()


@dataclass(frozen=True)
class Chart:
    """A rendered chart: inline SVG plus the title and the Dutch text alternative."""

    svg: Markup
    title: str
    alt: str

    def __html__(self) -> str:
        return str(self.svg)

    def to_dict(self) -> dict[str, str]:
        """Plain values, for the JSON form of a report context."""
        return {"title": self.title, "alt": self.alt, "svg": str(self.svg)}


# -- public chart functions ----------------------------------------------------------------------


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
    n = len(domains)
    if n == 0:
        raise ValueError("domains is empty")
    scores = _check_len("scores", scores, n)
    medians = _check_len("peer_median", peer_median, n) if peer_median is not None else [None] * n
    q1s = _check_len("peer_q1", peer_q1, n) if peer_q1 is not None else [None] * n
    q3s = _check_len("peer_q3", peer_q3, n) if peer_q3 is not None else [None] * n
    has_peers = peer_median is not None
    lo, hi = scale

    legend = [
        ("bar", PALETTE[0], subject.capitalize()),
        ("diamond", INK, f"mediaan {peer_label}"),
        ("line", BAND, "middelste 50% (kwartielen)"),
    ]
    row_h = 0.85 if has_peers else 0.5
    fig, ax = _figure(
        width_cm, _label_width(domains), rows_height=n * row_h, legend=legend if has_peers else ()
    )
    ys = list(range(n))
    bar_h = 0.4 if has_peers else 0.62
    bar_y = [y - 0.14 if has_peers else y for y in ys]
    _bars_h(ax, bar_y, scores, bar_h, PALETTE[0], left=lo)
    for y, value in zip(bar_y, scores, strict=True):
        if value is not None:
            ax.text(
                value + (hi - lo) * 0.012,
                y,
                number_nl(value, 1),
                va="center",
                ha="left",
                fontsize=FONT_SIZE,
                color=INK,
                clip_on=False,
            )
        else:
            ax.text(
                lo + (hi - lo) * 0.012,
                y,
                "geen score",
                va="center",
                ha="left",
                fontsize=FONT_SIZE - 0.5,
                color=MUTED,
                clip_on=False,
            )

    if has_peers:
        peer_y = [y + 0.24 for y in ys]
        segments = [
            [(q1, y), (q3, y)]
            for y, q1, q3, m in zip(peer_y, q1s, q3s, medians, strict=True)
            if m is not None and q1 is not None and q3 is not None
        ]
        _strokes(ax, segments, BAND, 2.2)
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
                ax.text(
                    lo + (hi - lo) * 0.012,
                    y,
                    f"{peer_label}: {SUPPRESSED_TEXT}",
                    va="center",
                    ha="left",
                    fontsize=FONT_SIZE - 1,
                    color=MUTED,
                    clip_on=False,
                )

    _y_categories(ax, domains)
    ax.set_ylim(n - 0.5, -0.5)
    _x_value_axis(ax, lo, hi, integer_ticks=True)

    parts = []
    for name, value, m, q1, q3 in zip(domains, scores, medians, q1s, q3s, strict=True):
        own = f"{subject} {_nl(value)}" if value is not None else f"{subject} geen score"
        if not has_peers:
            parts.append(f"{name}: {own}")
        elif m is None:
            parts.append(f"{name}: {own}; {peer_label} niet getoond ({SUPPRESSED_TEXT})")
        elif q1 is None or q3 is None:
            parts.append(f"{name}: {own}; mediaan {peer_label} {_nl(m)}")
        else:
            parts.append(
                f"{name}: {own}; mediaan {peer_label} {_nl(m)} (kwartielen {_nl(q1)}–{_nl(q3)})"
            )
    alt = f"{title} (schaal {_nl(lo, 0)}–{_nl(hi, 0)}). " + ". ".join(parts) + "."
    return _finish(fig, title, alt)


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
    n = len(categories)
    if n == 0:
        raise ValueError("categories is empty")
    if not series:
        raise ValueError("series is empty")
    if len(series) > len(PALETTE):
        raise ValueError(f"at most {len(PALETTE)} series")
    names = list(series)
    values = {s: _check_len(f"series[{s!r}]", series[s], n) for s in names}
    intervals = {s: _check_len(f"ci[{s!r}]", (ci or {}).get(s) or [None] * n, n) for s in names}
    flags = {s: _check_len(f"marks[{s!r}]", (marks or {}).get(s) or [False] * n, n) for s in names}
    if scale is None:
        top = max(
            [v for s in names for v in values[s] if v is not None]
            + [iv[1] for s in names for iv in intervals[s] if iv is not None]
            + [1.0]
        )
        scale = (0.0, _nice_ceiling(top))
    lo, hi = scale

    legend = [("bar", PALETTE[j], name) for j, name in enumerate(names)]
    if any(iv is not None for s in names for iv in intervals[s]):
        legend.append(("whisker", INK, "95%-betrouwbaarheidsinterval"))
    if any(any(f) for f in flags.values()):
        legend.append(("text", INK, f"* {mark_label}"))
    k = len(names)
    group_h = 0.8
    bar_h = group_h / k
    fig, ax = _figure(
        width_cm, _label_width(categories), rows_height=n * (0.3 + 0.3 * k), legend=legend
    )
    whiskers, caps = [], []
    cap = bar_h * 0.22
    for j, name in enumerate(names):
        ys = [i - group_h / 2 + bar_h * (j + 0.5) for i in range(n)]
        _bars_h(ax, ys, values[name], bar_h * 0.88, PALETTE[j], left=lo)
        for y, value, iv, flag in zip(ys, values[name], intervals[name], flags[name], strict=True):
            if value is None:
                ax.text(
                    lo + (hi - lo) * 0.01,
                    y,
                    SUPPRESSED_TEXT,
                    va="center",
                    ha="left",
                    fontsize=FONT_SIZE - 1.5,
                    color=MUTED,
                    clip_on=False,
                )
                continue
            end = value
            if iv is not None:
                whiskers.append([(iv[0], y), (iv[1], y)])
                caps += [[(iv[0], y - cap), (iv[0], y + cap)], [(iv[1], y - cap), (iv[1], y + cap)]]
                end = max(value, iv[1])
            label = number_nl(value, decimals) + (" *" if flag else "")
            ax.text(
                end + (hi - lo) * 0.012,
                y,
                label,
                va="center",
                ha="left",
                fontsize=FONT_SIZE - 1,
                color=INK,
                clip_on=False,
            )
    _strokes(ax, whiskers + caps, INK, 0.9, zorder=4)
    _y_categories(ax, categories)
    ax.set_ylim(n - 0.5, -0.5)
    _x_value_axis(ax, lo, hi, decimals=None)

    parts = []
    for i, cat in enumerate(categories):
        pieces = []
        for name in names:
            value, iv, flag = values[name][i], intervals[name][i], flags[name][i]
            if value is None:
                pieces.append(f"{name} niet getoond ({SUPPRESSED_TEXT})")
                continue
            text = f"{name} {_nl(value, decimals)}"
            if iv is not None:
                text += f" (95%-BI {_nl(iv[0], decimals)}–{_nl(iv[1], decimals)})"
            if flag:
                text += f", {mark_label}"
            pieces.append(text)
        parts.append(f"{cat}: " + "; ".join(pieces))
    alt = f"{title}. " + ". ".join(parts) + "."
    return _finish(fig, title, alt)


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    title: str = "Aantallen",
    percent: bool = False,
    decimals: int | None = None,
    unit: str = "",
    width_cm: float = WIDTH_CM,
) -> Chart:
    """Simple horizontal bars of counts or shares (for example response by sector or region).

    With `percent=True` the values are fractions (0.42 is 42%). A None value is suppressed (too few
    observations): no bar, the text "te weinig waarnemingen" instead.
    """
    n = len(labels)
    if n == 0:
        raise ValueError("labels is empty")
    values = _check_len("values", values, n)
    if decimals is None:
        decimals = (
            0 if percent or all(float(v).is_integer() for v in values if v is not None) else 1
        )

    def fmt(v: float) -> str:
        text = percent_nl(v, decimals) if percent else number_nl(v, decimals)
        return f"{text} {unit}".rstrip()

    shown = [v for v in values if v is not None]
    top = max(shown, default=1.0) or 1.0
    hi = min(1.0, _nice_ceiling(top, 0.1)) if percent else _nice_ceiling(top)
    fig, ax = _figure(width_cm, _label_width(labels), rows_height=n * 0.5)
    ys = list(range(n))
    _bars_h(ax, ys, values, 0.66, PALETTE[0], left=0)
    for y, v in zip(ys, values, strict=True):
        text, color, x = (fmt(v), INK, v) if v is not None else (SUPPRESSED_TEXT, MUTED, 0)
        ax.text(
            x + hi * 0.012,
            y,
            text,
            va="center",
            ha="left",
            fontsize=FONT_SIZE - 0.5,
            color=color,
            clip_on=False,
        )
    _y_categories(ax, labels)
    ax.set_ylim(n - 0.5, -0.5)
    _x_value_axis(ax, 0.0, hi, decimals=None, percent=percent)
    parts = [
        f"{lab}: {fmt(v) if v is not None else SUPPRESSED_TEXT}"
        for lab, v in zip(labels, values, strict=True)
    ]
    alt = f"{title}. " + "; ".join(parts) + "."
    return _finish(fig, title, alt)


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
    n = len(days)
    if n == 0:
        raise ValueError("days is empty")
    values = _check_len("values", values, n)
    if list(days) != sorted(days):
        raise ValueError("days must be in ascending order")
    _configure()
    width_in, height_in = width_cm / 2.54, height_cm / 2.54
    fig = Figure(figsize=(width_in, height_in))
    xs = [d.toordinal() for d in days]
    ys = [math.nan if v is None else v for v in values]
    shown = [v for v in values if v is not None]
    top = _nice_ceiling(max(shown, default=1.0) or 1.0)
    yticks = [
        t for t in MaxNLocator(nbins=4, integer=decimals == 0).tick_values(0, top) if t <= top
    ]
    label_pt = _label_width([number_nl(t, decimals) for t in yticks], FONT_SIZE - 0.5)
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
    _strokes(ax, [[(0, t), (1, t)] for t in yticks if t != 0], GRID, 0.6, transform=trans)
    _strokes(ax, [[(0, 0), (1, 0)]], MUTED, 0.6, transform=trans)
    for t in yticks:
        ax.text(
            -5 / (ax.get_position().width * width_in * 72),
            t,
            number_nl(t, decimals),
            transform=trans,
            ha="right",
            va="center",
            fontsize=FONT_SIZE - 0.5,
            color=MUTED,
        )
    step = max(1, math.ceil(n / 8))
    xtrans = ax.get_xaxis_transform()
    dy = -4 / (ax.get_position().height * height_in * 72)
    for x in xs[::step]:
        ax.text(
            x,
            dy,
            _short_date(x),
            transform=xtrans,
            ha="center",
            va="top",
            fontsize=FONT_SIZE - 0.5,
            color=MUTED,
        )

    def fmt(v: float | None) -> str:
        return "geen gegevens" if v is None else number_nl(v, decimals)

    if n <= 14:
        body = "; ".join(f"{date_nl(d)}: {fmt(v)}" for d, v in zip(days, values, strict=True))
    else:
        peak = max(
            (p for p in zip(days, values, strict=True) if p[1] is not None),
            key=lambda p: p[1],  # type: ignore[arg-type, return-value]
            default=None,
        )
        body = f"van {date_nl(days[0])} tot en met {date_nl(days[-1])}, totaal {fmt(sum(shown))}"
        if peak is not None:
            body += f"; hoogste dag {date_nl(peak[0])} ({fmt(peak[1])})"
        body += f"; laatste dag {fmt(values[-1])}"
    alt = f"{title} ({label}): {body}."
    return _finish(fig, title, alt)


# -- helpers ---------------------------------------------------------------------------------------


def _configure() -> None:
    """Set the few global matplotlib options the SVG output needs, once."""
    global _configured
    if _configured:
        return
    with _configure_lock:
        if not _configured:
            matplotlib.rcParams["svg.fonttype"] = "none"
            matplotlib.rcParams["svg.hashsalt"] = None  # random ids: unique per inlined chart
            matplotlib.rcParams["font.family"] = "sans-serif"
            matplotlib.rcParams["font.sans-serif"] = ["DejaVu Sans"]
            matplotlib.rcParams["axes.unicode_minus"] = False
            matplotlib.rcParams["text.parse_math"] = False  # "$" in a label is a dollar sign
            _configured = True


def _check_len(name: str, values: Sequence | None, n: int) -> list:
    values = list(values or [])
    if len(values) != n:
        raise ValueError(f"{name} has {len(values)} values, expected {n}")
    for v in values:
        if isinstance(v, float) and math.isnan(v):
            raise ValueError(f"{name} contains NaN; use None for a missing value")
    return values


def _nl(value: float, decimals: int = 1) -> str:
    return number_nl(value, decimals)


def _nice_ceiling(value: float, step: float | None = None) -> float:
    """A round upper limit a bit above `value` (5, 10, 20, 50, ...)."""
    if value <= 0:
        return 1.0
    if step is not None:
        return math.ceil(value / step + 1e-9) * step
    magnitude = 10 ** math.floor(math.log10(value))
    for factor in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if value * 1.02 <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


_MEASURE = None


def _label_width(labels: Sequence[str], size: float = FONT_SIZE) -> float:
    """Width in points of the longest label at the chart font size (no renderer needed)."""
    global _MEASURE
    _configure()
    if _MEASURE is None:
        from matplotlib.textpath import TextToPath

        _MEASURE = TextToPath()
    prop = FontProperties(family="DejaVu Sans", size=size)
    widest = 0.0
    for label in labels:
        width, _h, _d = _MEASURE.get_text_width_height_descent(str(label), prop, ismath=False)
        widest = max(widest, width)
    return widest


LegendEntry = tuple[str, str, str]  # (kind: bar|diamond|line|whisker|text, colour, text)
_LEGEND_KEY = {"bar": 13.0, "diamond": 13.0, "line": 16.0, "whisker": 16.0, "text": 0.0}
_LEGEND_SIZE = FONT_SIZE - 0.5
_LEGEND_LINE = 13.0  # points


def _figure(
    width_cm: float,
    label_pt: float,
    *,
    rows_height: float,
    legend: Sequence[LegendEntry] = (),
) -> tuple[Figure, Axes]:
    """A figure whose axes leave exactly room for the category labels (no tight_layout pass).

    `rows_height` is the height of the plot area in row units (0.42 inch each). The axes are
    switched off: labels and grid lines are drawn as plain texts and one line collection, far
    cheaper (in matplotlib and in WeasyPrint) than matplotlib's tick machinery. The legend goes
    above the axes, wrapped over as many lines as it needs.
    """
    _configure()
    width_in = width_cm / 2.54
    lines = _legend_lines(legend, width_in * 72 - 8)
    top_in = (len(lines) * _LEGEND_LINE + 6) / 72 if lines else 0.06
    bottom_in = 0.24
    height_in = max(0.9, rows_height * 0.42) + top_in + bottom_in
    fig = Figure(figsize=(width_in, height_in))
    left_in = min(width_in * 0.45, label_pt / 72 + 0.1)
    right_in = 0.45  # room for the value labels at the end of the longest bar
    ax = fig.add_axes(
        (
            left_in / width_in,
            bottom_in / height_in,
            (width_in - left_in - right_in) / width_in,
            (height_in - top_in - bottom_in) / height_in,
        )
    )
    ax.set_axis_off()
    fig.patch.set_visible(False)  # no background rectangle: hidden artists are not written
    if lines:
        _draw_legend(fig, lines)
    return fig, ax


def _legend_lines(
    entries: Sequence[LegendEntry], width_pt: float
) -> list[list[tuple[float, LegendEntry]]]:
    """Place the legend entries left to right, wrapping to a new line when one would not fit."""
    lines: list[list[tuple[float, LegendEntry]]] = []
    x = width_pt + 1
    for entry in entries:
        size = _LEGEND_KEY[entry[0]] + _label_width([entry[2]], _LEGEND_SIZE)
        if x + size > width_pt and (not lines or x > 4.0):
            lines.append([])
            x = 4.0
        lines[-1].append((x, entry))
        x += size + 14
    return lines


def _axes_size_pt(ax: Axes) -> tuple[float, float]:
    fig_w, fig_h = ax.get_figure().get_size_inches()
    box = ax.get_position()
    return box.width * fig_w * 72, box.height * fig_h * 72


def _bars_h(
    ax: Axes,
    ys: Sequence[float],
    values: Sequence[float | None],
    height: float,
    color: str,
    *,
    left: float,
) -> None:
    """All bars of one colour as one SVG path (each SVG element costs render time)."""
    rects = [
        (left, y - height / 2, v, y + height / 2)
        for y, v in zip(ys, values, strict=True)
        if v is not None
    ]
    if not rects:
        return
    verts: list[tuple[float, float]] = []
    codes: list[int] = []
    for x0, y0, x1, y1 in rects:
        verts += [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
        codes += [Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY]
    ax.add_patch(
        PathPatch(Path(verts, codes), facecolor=color, edgecolor="none", lw=0, clip_on=False)
    )


def _strokes(
    ax: Axes,
    segments: Sequence[Sequence[tuple[float, float]]],
    color: str,
    width: float,
    *,
    transform: Any = None,
    zorder: float = 2,
) -> None:
    """Line segments of one colour as one SVG path."""
    if not segments:
        return
    verts: list[tuple[float, float]] = []
    codes: list[int] = []
    for a, b in segments:
        verts += [a, b]
        codes += [Path.MOVETO, Path.LINETO]
    ax.add_patch(
        PathPatch(
            Path(verts, codes),
            facecolor="none",
            edgecolor=color,
            lw=width,
            capstyle="butt",
            clip_on=False,
            zorder=zorder,
            transform=ax.transData if transform is None else transform,
        )
    )


def _y_categories(ax: Axes, labels: Sequence[str]) -> None:
    """Category labels left of the axes, one per row (row i at y = i)."""
    trans = ax.get_yaxis_transform()
    x = -6 / _axes_size_pt(ax)[0]
    for y, label in enumerate(labels):
        ax.text(
            x,
            y,
            str(label),
            transform=trans,
            ha="right",
            va="center",
            fontsize=FONT_SIZE,
            color=INK,
        )


def _x_value_axis(
    ax: Axes,
    lo: float,
    hi: float,
    *,
    integer_ticks: bool = False,
    decimals: int | None = None,
    percent: bool = False,
) -> None:
    """A value axis: light vertical grid lines with Dutch tick labels below them."""
    ax.set_xlim(lo, hi)
    if integer_ticks:
        ticks = [float(t) for t in range(math.ceil(lo), math.floor(hi) + 1)]
    else:
        locator = MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10])
        ticks = [t for t in locator.tick_values(lo, hi) if lo - 1e-9 <= t <= hi + 1e-9]
    if percent:
        places = 0 if all(round(t * 100, 6).is_integer() for t in ticks) else 1
        labels = [percent_nl(t, places) for t in ticks]
    else:
        if decimals is None:
            decimals = 0 if all(round(t, 6).is_integer() for t in ticks) else 1
        labels = [number_nl(t, decimals) for t in ticks]
    trans = ax.get_xaxis_transform()
    _strokes(ax, [[(t, 0), (t, 1)] for t in ticks if t != lo], GRID, 0.6, transform=trans, zorder=0)
    _strokes(ax, [[(lo, 0), (lo, 1)]], MUTED, 0.6, transform=trans, zorder=0)
    dy = -4 / _axes_size_pt(ax)[1]
    for t, label in zip(ticks, labels, strict=True):
        ax.text(
            t,
            dy,
            label,
            transform=trans,
            ha="center",
            va="top",
            fontsize=FONT_SIZE - 0.5,
            color=MUTED,
        )


def _draw_legend(fig: Figure, lines: list[list[tuple[float, LegendEntry]]]) -> None:
    """Draw the legend with plain artists (far cheaper than `Figure.legend`)."""
    width_pt = fig.get_figwidth() * 72
    height_pt = fig.get_figheight() * 72
    trans = fig.transFigure
    for row, line in enumerate(lines):
        y = 1 - (4 + _LEGEND_LINE * (row + 0.5)) / height_pt
        for x, (kind, color, text) in line:
            fx = x / width_pt
            if kind == "bar":
                fig.patches.append(
                    Rectangle(
                        (fx, y - 3.5 / height_pt),
                        9 / width_pt,
                        7 / height_pt,
                        transform=trans,
                        facecolor=color,
                        linewidth=0,
                    )
                )
            elif kind == "diamond":
                fig.add_artist(
                    Line2D(
                        [fx + 4.5 / width_pt],
                        [y],
                        marker="D",
                        markersize=4.5,
                        color=color,
                        linestyle="none",
                        transform=trans,
                        markeredgewidth=0,
                    )
                )
            elif kind in ("line", "whisker"):
                fig.add_artist(
                    Line2D(
                        [fx, fx + 12 / width_pt],
                        [y, y],
                        color=color,
                        linewidth=2.2 if kind == "line" else 0.9,
                        transform=trans,
                        solid_capstyle="butt",
                    )
                )
            fig.text(
                (x + _LEGEND_KEY[kind]) / width_pt,
                y,
                text,
                fontsize=_LEGEND_SIZE,
                color=INK,
                va="center",
            )


_G_ID = re.compile(r'<g id="[^"]*">')
_NOOP_ROTATE = re.compile(r' transform="rotate\(-?0 [^")]*\)"')
_STYLE_ATTR = re.compile(r' style="([^"]*)"')
_STYLE_DEFS = re.compile(r"<defs>\s*<style[^<]*</style>\s*</defs>")
_BETWEEN_TAGS = re.compile(r">\s+<")
_GEOMETRY = re.compile(r' (d|x|y|width|height|viewBox|transform)="([^"]*)"')
_LONG_DECIMAL = re.compile(r"(\d\.\d\d)\d+")


def _short_numbers(match: re.Match[str]) -> str:
    """Coordinates to 0.01 pt and single spaces: less markup for the HTML parser to read."""
    value = _LONG_DECIMAL.sub(r"\1", " ".join(match[2].split()))
    return f' {match[1]}="{value}"'


def _presentation_attributes(match: re.Match[str]) -> str:
    """`style="fill: #fff; stroke: none"` -> `fill="#fff" stroke="none"`.

    Inline in HTML, an SVG element's style attribute goes through the HTML CSS engine, which does
    not know the SVG properties (WeasyPrint logs a warning per property, slowly); presentation
    attributes are read by the SVG renderer directly, and by browsers alike.
    """
    attrs = []
    for declaration in match[1].split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if name == "font-family" or (name, value) == ("stroke-linejoin", "miter"):
            continue  # the family is set once on the root; miter is the default join
        if name and value:
            attrs.append(f' {name}="{value}"')
    return "".join(attrs)


def _finish(fig: Figure, title: str, alt: str) -> Chart:
    """Write the figure as lean inline SVG with its accessible name and description."""
    buf = io.StringIO()
    fig.savefig(
        buf,
        format="svg",
        metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
    )
    raw = buf.getvalue()
    svg = raw[raw.index("<svg") :]
    svg = _STYLE_DEFS.sub("", svg)
    svg = _G_ID.sub("<g>", svg)
    svg = _NOOP_ROTATE.sub("", svg)
    svg = _STYLE_ATTR.sub(_presentation_attributes, svg)
    svg = _GEOMETRY.sub(_short_numbers, svg)
    if not re.search(r"<g\s", svg):  # only bare groups left: they group nothing
        svg = svg.replace("<g>", "").replace("</g>", "")
    svg = _BETWEEN_TAGS.sub("><", svg)
    uid = uuid.uuid4().hex[:10]
    open_end = svg.index(">") + 1
    svg = (
        svg[:4]
        + f' class="chart" role="img" aria-labelledby="c{uid}-t c{uid}-d"'
        + f' font-family="{FONT_STACK}"'
        + svg[4:open_end]
        + f'<title id="c{uid}-t">{escape(title)}</title><desc id="c{uid}-d">{escape(alt)}</desc>'
        + svg[open_end:]
    )
    return Chart(svg=Markup(svg.strip()), title=title, alt=alt)  # noqa: S704 (our own markup)


_MONTH_ABBR = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def _short_date(ordinal: int) -> str:
    """'3 mrt' style axis label."""
    d = date.fromordinal(ordinal)
    return f"{d.day} {_MONTH_ABBR[d.month - 1]}"
