"""Layout computed before drawing, shared by both renderers: the room for the category labels and
where the legend entries go."""

from __future__ import annotations

from collections.abc import Sequence

from monitor.charts.style import FONT_SIZE, LEGEND_KEY, LEGEND_LINE, LEGEND_SIZE
from monitor.charts.textwidth import text_width, widest

LegendEntry = tuple[str, str, str]  # (kind: bar|diamond|line|whisker|text, colour, text)
LegendLine = list[tuple[float, LegendEntry]]  # (x in points, entry)


def label_room_in(labels: Sequence[str], width_in: float) -> float:
    """Inches left of the plot area for the category labels: the widest label and a gap, at most
    45% of the chart's width."""
    return min(width_in * 0.45, widest(labels, FONT_SIZE) / 72 + 0.1)


def legend_lines(entries: Sequence[LegendEntry], width_pt: float) -> list[LegendLine]:
    """Place the legend entries left to right, wrapping to a new line when one would not fit."""
    lines: list[LegendLine] = []
    x = width_pt + 1
    for entry in entries:
        size = LEGEND_KEY[entry[0]] + text_width(entry[2], LEGEND_SIZE)
        if x + size > width_pt and (not lines or x > 4.0):
            lines.append([])
            x = 4.0
        lines[-1].append((x, entry))
        x += size + 14
    return lines


def legend_room_pt(lines: Sequence[LegendLine]) -> float:
    """Points above the plot area: the legend's lines and a gap, or a small margin without one."""
    return len(lines) * LEGEND_LINE + 6 if lines else 0.06 * 72
