"""Charts written as SVG directly, without matplotlib: horizontal bars and stacked distributions.

A results page shows dozens of these per request, so they cost string building only (under a
hundredth of a matplotlib chart, see docs/performance.md) and need no matplotlib in the web
process. They follow the house style of the matplotlib kinds (`monitor.charts.style`: colours,
font, sizes, the label room left of the bars, Dutch tick labels below a light grid) and the same
lean SVG: one path per colour, texts as `<text>` with every user text escaped, coordinates to
0.01 pt, a `role="img"` root with `<title>` and `<desc>` (`monitor.charts.chart.accessible`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape

from monitor.charts import alt as alts
from monitor.charts.chart import Chart, accessible
from monitor.charts.layout import LegendLine, label_room_in, legend_lines, legend_room_pt
from monitor.charts.style import (
    BOTTOM_IN,
    FONT_SIZE,
    GRID,
    INK,
    LEGEND_KEY,
    LEGEND_LINE,
    LEGEND_SIZE,
    MUTED,
    PALETTE,
    RIGHT_IN,
    ROW_IN,
    SUPPRESSED_TEXT,
    WIDTH_CM,
)
from monitor.charts.textwidth import widest
from monitor.charts.values import check_len, nice_ceiling, tick_labels, value_ticks

_CENTRE = 0.26  # baseline below a row's centre, in font sizes (as matplotlib centres a label)
_TOP = 0.76  # baseline below the top of a text, in font sizes (as matplotlib aligns a top)


def _num(value: float) -> str:
    """A coordinate to 0.01 pt, without trailing zeros."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


class _Canvas:
    """The elements of one SVG, in points, written in the order drawn."""

    def __init__(self, width: float, height: float) -> None:
        self.width, self.height = width, height
        self.parts: list[str] = []

    def text(
        self, x: float, y: float, text: str, *, size: float, color: str = INK, anchor: str = ""
    ) -> None:
        """`text` with its baseline at y; `anchor` "end" or "middle" aligns it at x."""
        where = f' text-anchor="{anchor}"' if anchor else ""
        self.parts.append(
            f'<text x="{_num(x)}" y="{_num(y)}" font-size="{_num(size)}" fill="{color}"{where}>'
            f"{escape(str(text))}</text>"
        )

    def rects(
        self, rects: Sequence[tuple[float, float, float, float]], color: str, *, edge: str = ""
    ) -> None:
        """Filled rectangles (x, y, width, height) of one colour as one path, with a thin `edge`
        stroke when given."""
        if rects:
            d = "".join(
                f"M{_num(x)} {_num(y)}h{_num(w)}v{_num(h)}h{_num(-w)}z" for x, y, w, h in rects
            )
            stroke = f' stroke="{edge}" stroke-width="0.8"' if edge else ""
            self.parts.append(f'<path d="{d}" fill="{color}"{stroke}/>')

    def vlines(self, xs: Sequence[float], y0: float, y1: float, color: str, width: float) -> None:
        """Vertical lines from y0 to y1 of one colour as one path."""
        if xs:
            d = "".join(f"M{_num(x)} {_num(y0)}V{_num(y1)}" for x in xs)
            self.parts.append(
                f'<path d="{d}" fill="none" stroke="{color}" stroke-width="{width}"/>'
            )

    def svg(self) -> str:
        w, h = _num(self.width), _num(self.height)
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}pt" height="{h}pt" '
            f'viewBox="0 0 {w} {h}" version="1.1">' + "".join(self.parts) + "</svg>"
        )


class _Plot:
    """The plot area of a horizontal bar chart: rows of categories, values from 0 to `hi`."""

    def __init__(self, canvas: _Canvas, left: float, top: float, right: float, rows: int) -> None:
        self.canvas, self.left, self.top, self.rows = canvas, left, top, rows
        self.width = canvas.width - left - right
        self.height = canvas.height - top - BOTTOM_IN * 72

    def x(self, value: float, hi: float) -> float:
        return self.left + value / hi * self.width

    def row_y(self, row: int) -> float:
        """The centre of row `row`, counted from the top."""
        return self.top + (row + 0.5) * self.height / self.rows

    def row_h(self, share: float) -> float:
        return share * self.height / self.rows

    def categories(self, labels: Sequence[str]) -> None:
        for i, label in enumerate(labels):
            y = self.row_y(i) + FONT_SIZE * _CENTRE
            self.canvas.text(self.left - 6, y, label, size=FONT_SIZE, anchor="end")

    def value_axis(self, hi: float, *, percent: bool, grid: bool = True) -> None:
        """Grid lines (unless `grid` is false) and the axis line, with Dutch labels below."""
        ticks = value_ticks(0.0, hi)
        bottom = self.top + self.height
        if grid:
            xs = [self.x(t, hi) for t in ticks if t != 0]
            self.canvas.vlines(xs, self.top, bottom, GRID, 0.6)
        self.canvas.vlines([self.left], self.top, bottom, MUTED, 0.6)
        size = FONT_SIZE - 0.5
        for t, label in zip(ticks, tick_labels(ticks, percent=percent), strict=True):
            y = bottom + 4 + size * _TOP
            self.canvas.text(self.x(t, hi), y, label, size=size, color=MUTED, anchor="middle")


def _frame(width_cm: float, rows: int, top: float) -> tuple[_Canvas, float]:
    """A canvas for `rows` rows below `top` points of legend, and its width in inches."""
    width_in = width_cm / 2.54
    height = max(0.9, rows * 0.5 * ROW_IN) * 72 + top + BOTTOM_IN * 72
    return _Canvas(width_in * 72, height), width_in


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
    values = check_len("values", values, n)
    if decimals is None:
        decimals = alts.bar_decimals(values, percent)
    largest = max((v for v in values if v is not None), default=1.0) or 1.0
    hi = min(1.0, nice_ceiling(largest, 0.1)) if percent else nice_ceiling(largest)

    top = legend_room_pt([])
    canvas, width_in = _frame(width_cm, n, top)
    plot = _Plot(canvas, label_room_in(labels, width_in) * 72, top, RIGHT_IN * 72, n)
    plot.value_axis(hi, percent=percent)
    bar_h = plot.row_h(0.66)
    canvas.rects(
        [
            (plot.left, plot.row_y(i) - bar_h / 2, plot.x(v, hi) - plot.left, bar_h)
            for i, v in enumerate(values)
            if v is not None
        ],
        PALETTE[0],
    )
    size = FONT_SIZE - 0.5
    for i, v in enumerate(values):
        text = alts.bar_text(v, percent=percent, decimals=decimals, unit=unit)
        x = plot.x((v or 0) + hi * 0.012, hi)
        canvas.text(
            x,
            plot.row_y(i) + size * _CENTRE,
            text,
            size=size,
            color=INK if v is not None else MUTED,
        )
    plot.categories(labels)
    alt = alts.bars_alt(labels, values, title=title, percent=percent, decimals=decimals, unit=unit)
    return accessible(canvas.svg(), title, alt)


def distribution_chart(
    rows: Sequence[str],
    categories: Sequence[str],
    counts: Sequence[Sequence[int] | None],
    *,
    missing: Mapping[str, Sequence[int]] | None = None,
    title: str = "Verdeling",
    width_cm: float = WIDTH_CM,
) -> Chart:
    """Stacked horizontal bars of how answers are distributed over ordered `categories` (a Likert
    or maturity scale), one bar per row (an item, a respondent group), as shares of its valid
    answers.

    `counts` gives per row the number of answers per category, None when the row is suppressed
    (too few observations). `missing` maps a missing code ("weet niet", "n.v.t.") to its count per
    row: kept apart, printed after the bar with the number of valid answers, never in the shares.
    """
    n, k = len(rows), len(categories)
    if n == 0:
        raise ValueError("rows is empty")
    if k == 0 or k > len(PALETTE):
        raise ValueError(f"categories must number 1 to {len(PALETTE)}")
    counts = check_len("counts", counts, n)
    counts = [None if c is None else check_len(f"counts[{i}]", c, k) for i, c in enumerate(counts)]
    if any(c < 0 for row_counts in counts if row_counts is not None for c in row_counts):
        raise ValueError("counts must not be negative")
    missing = {code: check_len(f"missing[{code!r}]", c, n) for code, c in (missing or {}).items()}

    after = [
        ""
        if row_counts is None
        else alts.distribution_note(sum(row_counts), {code: c[i] for code, c in missing.items()})
        for i, row_counts in enumerate(counts)
    ]
    width_pt = width_cm / 2.54 * 72
    lines = legend_lines(
        [("bar", PALETTE[j], cat) for j, cat in enumerate(categories)], width_pt - 8
    )
    top = legend_room_pt(lines)
    canvas, width_in = _frame(width_cm, n, top)
    size = FONT_SIZE - 1
    right = min(width_pt * 0.3, widest(after, size) + 10)
    plot = _Plot(canvas, label_room_in(rows, width_in) * 72, top, right, n)
    _legend(canvas, lines)
    plot.value_axis(1.0, percent=True, grid=False)
    bar_h = plot.row_h(0.66)
    segments: list[list[tuple[float, float, float, float]]] = [[] for _ in categories]
    for i, row_counts in enumerate(counts):
        y = plot.row_y(i)
        note_y = y + size * _CENTRE
        if row_counts is None or not sum(row_counts):
            text = SUPPRESSED_TEXT if row_counts is None else alts.NO_VALID_TEXT
            canvas.text(plot.left + 3, note_y, text, size=size, color=MUTED)
        else:
            total, start = sum(row_counts), 0
            for j, c in enumerate(row_counts):
                x0, x1 = plot.x(start / total, 1.0), plot.x((start + c) / total, 1.0)
                if c:
                    segments[j].append((x0, y - bar_h / 2, x1 - x0, bar_h))
                start += c
        canvas.text(plot.left + plot.width + 5, note_y, after[i], size=size, color=MUTED)
    for j, rects in enumerate(segments):
        # a white edge parts neighbouring segments by more than their hue
        canvas.rects(rects, PALETTE[j], edge="#FFFFFF")
    plot.categories(rows)
    alt = alts.distribution_alt(rows, categories, counts, missing=missing, title=title)
    return accessible(canvas.svg(), title, alt)


def _legend(canvas: _Canvas, lines: list[LegendLine]) -> None:
    """Colour keys and their texts above the plot (bar keys only: the direct charts' kinds)."""
    keys: dict[str, list[tuple[float, float, float, float]]] = {}
    for row, line in enumerate(lines):
        y = 4 + LEGEND_LINE * (row + 0.5)
        for x, (kind, color, text) in line:
            keys.setdefault(color, []).append((x, y - 3.5, 9.0, 7.0))
            canvas.text(x + LEGEND_KEY[kind], y + LEGEND_SIZE * _CENTRE, text, size=LEGEND_SIZE)
    for color, rects in keys.items():
        canvas.rects(rects, color)
