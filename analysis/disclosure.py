"""Disclosure control: no figure about fewer than k units, and no hidden figure recomputable.

Three rules, applied by every public function of this package:

* primary suppression: a row (an aggregate, a cell, a benchmark) resting on fewer than ``k`` units
  is hidden;
* complementary suppression in tables with margins: when a hidden cell could be recomputed from the
  other cells and the totals, more cells are hidden until it cannot;
* comparisons (a difference between two waves or years) are hidden when either side is.

A hidden value is NaN, never 0, and its row says so: ``suppressed`` is True and
``suppression_reason`` tells why. Counts below ``k`` are hidden as well (NaN), because the count
itself would disclose the small group.
"""

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.checks import as_names, check_k

SUPPRESSED = "suppressed"
REASON = "suppression_reason"
COMPLEMENTARY = "complementary suppression: would reveal a hidden cell through the totals"
ONE_SIDE = "one side of the comparison is suppressed"


def small_n_reason(k: int) -> str:
    """The reason given for primary suppression."""
    return f"fewer than {k} units"


def mark_suppressed(
    frame: pd.DataFrame, mask: pd.Series | np.ndarray, *, reason: str, value_cols: Sequence[str]
) -> pd.DataFrame:
    """Hide ``value_cols`` (set to NaN) in the rows selected by ``mask`` and flag those rows.

    Rows that were already suppressed keep their first reason. Returns a new frame with the
    ``suppressed`` and ``suppression_reason`` columns added when absent.
    """
    out = frame.copy()
    if SUPPRESSED not in out.columns:
        out[SUPPRESSED] = False
        out[REASON] = ""
    mask = np.asarray(mask, dtype=bool)
    newly = mask & ~out[SUPPRESSED].to_numpy(dtype=bool)
    out.loc[newly, REASON] = reason
    out.loc[mask, SUPPRESSED] = True
    for col in value_cols:
        out[col] = out[col].astype(float)
        out.loc[mask, col] = np.nan
    return out


def suppress_small(
    frame: pd.DataFrame,
    *,
    n_cols: str | Sequence[str],
    value_cols: Sequence[str],
    k: int,
) -> pd.DataFrame:
    """Apply primary suppression: hide rows where any of ``n_cols`` is below ``k`` (or missing).

    The values in ``value_cols`` become NaN, and so does each count that is below ``k``; counts of
    k or more stay visible.
    """
    check_k(k)
    names = as_names(n_cols)
    counts = frame[names].astype(float).fillna(0).to_numpy()
    small_each = counts < k
    out = mark_suppressed(
        frame, small_each.any(axis=1), reason=small_n_reason(k), value_cols=value_cols
    )
    for i, col in enumerate(names):
        out[col] = out[col].astype(float)
        out.loc[small_each[:, i], col] = np.nan
    return out


def protect_table(
    counts: np.ndarray,
    *,
    k: int,
    structural: np.ndarray | None = None,
    row_totals: bool = True,
    also: np.ndarray | None = None,
) -> np.ndarray:
    """Which cells of a count table with margins must be hidden so that none below k is disclosed.

    ``counts`` holds the interior cells: 1-D for a one-way table, 2-D for a two-way table. The
    result is a boolean mask over the table *with* its margins: length ``R + 1`` (the last entry is
    the total) or shape ``(R + 1, C + 1)`` (last row: column totals, last column: row totals).
    Cells below ``k`` (zero included) are hidden first; then, while some hidden cell below ``k``
    could still be recomputed from the visible cells and totals, the smallest cell that prevents
    it is hidden too.

    Suppress what protects someone, not more:

    * ``structural`` (a mask over ``counts``) marks structural zeros, cells that cannot occur (a
      group not asked in a wave): they describe nobody, stay visible and need no protection;
    * ``row_totals=False`` (two-way tables) says the row totals and the grand total are never
      published: they are hidden, but as unknowns of the table, not as figures to protect, so a
      small cell of a row is not recomputable from a total nobody sees;
    * ``also`` (a mask shaped like the result) marks more cells as sensitive from the start, for a
      reason the table does not know (on the web: the same cell of the rest of the round is
      below k).
    """
    check_k(k)
    cells = np.asarray(counts, dtype=float)
    if cells.ndim not in (1, 2) or cells.size == 0:
        raise ValueError("protect_table: counts must be a non-empty 1-D or 2-D table")
    if np.isnan(cells).any() or (cells < 0).any():
        raise ValueError("protect_table: counts must be non-negative numbers without NaN")
    known = np.zeros(cells.shape, dtype=bool) if structural is None else np.asarray(structural)
    if known.shape != cells.shape or (cells[known.astype(bool)] != 0).any():
        raise ValueError("protect_table: structural must mark zero cells of the table's shape")
    if cells.ndim == 1:
        full = np.append(cells, cells.sum())
        # One linear relation (cells sum to the total): every entry joins the same two nodes.
        ends = [(0, 1)] * full.size
        fixed = np.append(known, known.all())
        sensitive = ((full < k) & ~fixed) | _also(also, full.shape)
        return _protect(ends, full, sensitive, sensitive, fixed=fixed)
    rows, cols = cells.shape
    full = np.zeros((rows + 1, cols + 1))
    full[:rows, :cols] = cells
    full[rows, :cols] = cells.sum(axis=0)
    full[:rows, cols] = cells.sum(axis=1)
    full[rows, cols] = cells.sum()
    not_sensitive = np.zeros(full.shape, dtype=bool)
    not_sensitive[:rows, :cols] = known
    # a margin made of structural zeros only is a structural zero itself
    not_sensitive[rows, :cols] = known.all(axis=0)
    not_sensitive[:rows, cols] = known.all(axis=1)
    not_sensitive[rows, cols] = known.all()
    unpublished = np.zeros(full.shape, dtype=bool)
    if not row_totals:
        unpublished[:, cols] = True
    # Each line of the table with its margin is one linear relation: a node. A cell joins its
    # row's node and its column's node.
    ends = [(i, rows + 1 + j) for i in range(rows + 1) for j in range(cols + 1)]
    sensitive = (((full < k) & ~not_sensitive & ~unpublished) | _also(also, full.shape)).ravel()
    hidden = _protect(
        ends, full.ravel(), sensitive, sensitive | unpublished.ravel(), fixed=not_sensitive.ravel()
    )
    return hidden.reshape(full.shape)


def _also(also: np.ndarray | None, shape: tuple[int, ...]) -> np.ndarray:
    """The extra sensitive cells of ``protect_table`` (none by default)."""
    if also is None:
        return np.zeros(shape, dtype=bool)
    mask = np.asarray(also, dtype=bool)
    if mask.shape != shape:
        raise ValueError("protect_table: also must have the shape of the table with its margins")
    return mask


def _protect(
    ends: list[tuple[int, int]],
    cost: np.ndarray,
    sensitive: np.ndarray,
    hidden: np.ndarray,
    fixed: np.ndarray | None = None,
) -> np.ndarray:
    """Extend ``hidden`` until no ``sensitive`` cell can be solved from the table's relations.

    Cells are edges between relation nodes; the hidden values are uniquely determined exactly when
    their edge is a bridge of the graph of hidden edges (no cycle through it lets the value shift
    while every relation still holds). Each round hides the cheapest cell closing a cycle through
    the first sensitive bridge found, or, when no single cell can, the cheapest cell next to it.
    A hidden cell of k or more (a complementary cell, an unpublished total) may be recoverable:
    it protects someone only by keeping a sensitive cell on a cycle. ``fixed`` cells (structural
    zeros) are known to every reader: hiding them would protect nothing, so they stay visible.
    """
    hidden = hidden.copy()
    free = ~hidden if fixed is None else ~hidden & ~fixed
    order = np.argsort(cost, kind="stable")
    while (bridge := _find_bridge(ends, hidden, order, sensitive)) is not None:
        side_a, side_b = bridge
        crossing = [
            e
            for e in order
            if free[e]
            and (
                (ends[e][0] in side_a and ends[e][1] in side_b)
                or (ends[e][0] in side_b and ends[e][1] in side_a)
            )
        ]
        near = side_a | side_b
        choice = crossing or [e for e in order if free[e] and not near.isdisjoint(ends[e])]
        choice = choice or [e for e in order if free[e]]
        if not choice:
            break  # every cell that could help is hidden already
        hidden[choice[0]], free[choice[0]] = True, False
    return hidden


def _find_bridge(
    ends: list[tuple[int, int]], hidden: np.ndarray, order: np.ndarray, sensitive: np.ndarray
) -> tuple[set[int], set[int]] | None:
    """The node sets on either side of the first sensitive hidden edge (cheapest first) that is
    a bridge."""
    adjacency: dict[int, list[tuple[int, int]]] = {}
    for e in np.flatnonzero(hidden):
        a, b = ends[e]
        adjacency.setdefault(a, []).append((e, b))
        adjacency.setdefault(b, []).append((e, a))
    for e in order:
        if not (hidden[e] and sensitive[e]):
            continue
        a, b = ends[e]
        side_a = _reach(adjacency, a, skip=e)
        if b not in side_a:
            return side_a, _reach(adjacency, b, skip=e)
    return None


def _reach(adjacency: dict[int, list[tuple[int, int]]], start: int, *, skip: int) -> set[int]:
    """Nodes reachable from ``start`` over hidden edges other than ``skip``."""
    seen = {start}
    stack = [start]
    while stack:
        node = stack.pop()
        for edge, other in adjacency.get(node, []):
            if edge != skip and other not in seen:
                seen.add(other)
                stack.append(other)
    return seen
