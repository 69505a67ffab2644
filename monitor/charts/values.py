"""Checks and scales on a chart's plain input values, shared by every chart kind and renderer."""

from __future__ import annotations

import math
from collections.abc import Sequence

from monitor.formatting import number_nl, percent_nl


def check_len(name: str, values: Sequence | None, n: int) -> list:
    """`values` as a list of exactly `n` values, with None (never NaN) for a missing one."""
    values = list(values or [])
    if len(values) != n:
        raise ValueError(f"{name} has {len(values)} values, expected {n}")
    for v in values:
        if isinstance(v, float) and math.isnan(v):
            raise ValueError(f"{name} contains NaN; use None for a missing value")
    return values


def nice_ceiling(value: float, step: float | None = None) -> float:
    """A round upper limit a bit above `value` (5, 10, 20, 50, ...), or the next multiple of
    `step` when given."""
    if value <= 0:
        return 1.0
    if step is not None:
        return math.ceil(value / step + 1e-9) * step
    magnitude = 10 ** math.floor(math.log10(value))
    for factor in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if value * 1.02 <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


#: the tick steps tried, per power of ten: matplotlib's MaxNLocator(steps=[1, 2, 2.5, 5, 10])
_STEPS = (0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 2.5, 5.0, 10.0, 20.0)


def value_ticks(lo: float, hi: float, nbins: int = 5) -> list[float]:
    """Round tick values within [lo, hi], at most `nbins` intervals.

    The same ticks as matplotlib's `MaxNLocator(nbins, steps=[1, 2, 2.5, 5, 10])` (a test compares
    them), computed without matplotlib so that the charts written directly need none.
    """
    if hi <= lo:
        raise ValueError("hi must be above lo")
    raw = (hi - lo) / nbins
    scale = 10 ** math.floor(math.log10(raw))
    steps = [s * scale for s in _STEPS]
    largest = next(i for i, s in enumerate(steps) if s >= raw)
    ticks: list[float] = []
    for step in reversed(steps[: largest + 1]):
        best = (lo // step) * step
        low = _edge_le(lo - best, step)
        high = _edge_ge(hi - best, step)
        ticks = [i * step + best for i in range(low, high + 1)]
        if sum(1 for t in ticks if lo <= t <= hi) >= 2:
            break
    return [t for t in ticks if lo - 1e-9 <= t <= hi + 1e-9]


def _edge_le(x: float, step: float) -> int:
    """The largest n with n * step <= x, counting values within 1e-10 steps as on the edge."""
    d, m = divmod(x, step)
    return int(d) + 1 if abs(m / step - 1) < 1e-10 else int(d)


def _edge_ge(x: float, step: float) -> int:
    """The smallest n with n * step >= x, counting values within 1e-10 steps as on the edge."""
    d, m = divmod(x, step)
    return int(d) if abs(m / step) < 1e-10 else int(d) + 1


def tick_labels(ticks: Sequence[float], *, percent: bool = False) -> list[str]:
    """Dutch tick labels, with one decimal only where a tick needs it."""
    if percent:
        places = 0 if all(round(t * 100, 6).is_integer() for t in ticks) else 1
        return [percent_nl(t, places) for t in ticks]
    decimals = 0 if all(round(t, 6).is_integer() for t in ticks) else 1
    return [number_nl(t, decimals) for t in ticks]
