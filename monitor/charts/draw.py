"""matplotlib drawing helpers for the chart kinds in `monitor.charts.kinds`.

The only module of the package that imports matplotlib at its top: the chart kinds import it when
they draw, so importing `monitor.charts` (a web worker, the alt texts, the charts written as SVG
directly) loads no matplotlib. Charts use matplotlib's object API (`Figure`, never pyplot: no
global figure state, safe in threads) and stay lean because every SVG path and text costs render
time in WeasyPrint: axes switched off, labels and grid lines drawn as plain texts and one path per
colour, far cheaper than matplotlib's tick and legend machinery.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path

from monitor.charts.layout import (
    LegendEntry,
    LegendLine,
    label_room_in,
    legend_lines,
    legend_room_pt,
)
from monitor.charts.style import (
    BOTTOM_IN,
    FONT_SIZE,
    GRID,
    INK,
    LEGEND_KEY,
    LEGEND_LINE,
    LEGEND_SIZE,
    MUTED,
    RIGHT_IN,
    ROW_IN,
)
from monitor.charts.values import tick_labels, value_ticks

_configured = False
_configure_lock = threading.Lock()


def configure() -> None:
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


def figure(
    width_cm: float,
    labels: Sequence[str],
    *,
    rows_height: float,
    legend: Sequence[LegendEntry] = (),
) -> tuple[Figure, Axes]:
    """A figure whose axes leave exactly room for the category `labels` (no tight_layout pass).

    `rows_height` is the height of the plot area in row units (`ROW_IN` each). The axes are
    switched off. The legend goes above the axes, wrapped over as many lines as it needs.
    """
    configure()
    width_in = width_cm / 2.54
    lines = legend_lines(legend, width_in * 72 - 8)
    top_in = legend_room_pt(lines) / 72
    height_in = max(0.9, rows_height * ROW_IN) + top_in + BOTTOM_IN
    fig = Figure(figsize=(width_in, height_in))
    left_in = label_room_in(labels, width_in)
    ax = fig.add_axes(
        (
            left_in / width_in,
            BOTTOM_IN / height_in,
            (width_in - left_in - RIGHT_IN) / width_in,
            (height_in - top_in - BOTTOM_IN) / height_in,
        )
    )
    ax.set_axis_off()
    fig.patch.set_visible(False)  # no background rectangle: hidden artists are not written
    if lines:
        _draw_legend(fig, lines)
    return fig, ax


def axes_size_pt(ax: Axes) -> tuple[float, float]:
    """Width and height of the plot area in points."""
    fig_w, fig_h = ax.get_figure().get_size_inches()
    box = ax.get_position()
    return box.width * fig_w * 72, box.height * fig_h * 72


def bars_h(
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


def strokes(
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


def note(ax: Axes, x: float, y: float, text: str, *, size: float, color: str = INK) -> None:
    """A text starting at (x, y) in data coordinates, vertically centred: a value at the end of
    a bar, or why a bar is missing."""
    ax.text(x, y, text, va="center", ha="left", fontsize=size, color=color, clip_on=False)


def y_categories(ax: Axes, labels: Sequence[str]) -> None:
    """Category labels left of the axes, one per row (row i at y = i)."""
    trans = ax.get_yaxis_transform()
    x = -6 / axes_size_pt(ax)[0]
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


def x_value_axis(
    ax: Axes,
    lo: float,
    hi: float,
    *,
    integer_ticks: bool = False,
    percent: bool = False,
) -> None:
    """A value axis: light vertical grid lines with Dutch tick labels below them."""
    ax.set_xlim(lo, hi)
    if integer_ticks:
        ticks = [float(t) for t in range(int(-(-lo // 1)), int(hi // 1) + 1)]
    else:
        ticks = value_ticks(lo, hi)
    trans = ax.get_xaxis_transform()
    strokes(ax, [[(t, 0), (t, 1)] for t in ticks if t != lo], GRID, 0.6, transform=trans, zorder=0)
    strokes(ax, [[(lo, 0), (lo, 1)]], MUTED, 0.6, transform=trans, zorder=0)
    dy = -4 / axes_size_pt(ax)[1]
    for t, label in zip(ticks, tick_labels(ticks, percent=percent), strict=True):
        ax.text(
            t, dy, label, transform=trans, ha="center", va="top", fontsize=FONT_SIZE - 0.5,
            color=MUTED,
        )  # fmt: skip


def _draw_legend(fig: Figure, lines: list[LegendLine]) -> None:
    """Draw the legend with plain artists (far cheaper than `Figure.legend`)."""
    width_pt = fig.get_figwidth() * 72
    height_pt = fig.get_figheight() * 72
    trans = fig.transFigure
    for row, line in enumerate(lines):
        y = 1 - (4 + LEGEND_LINE * (row + 0.5)) / height_pt
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
                (x + LEGEND_KEY[kind]) / width_pt,
                y,
                text,
                fontsize=LEGEND_SIZE,
                color=INK,
                va="center",
            )
