"""Cross-tables for the regional monitor: counts and mean scores by sector, region, size class.

Every table carries its margins ("Total"), and disclosure control protects them: cells with fewer
than ``k`` units are hidden, then complementary cells so that no hidden cell can be recomputed from
its row or column total (see :func:`analysis.disclosure.protect_table`). Year-on-year differences
of a cell are hidden when either year's cell is.
"""

import itertools
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.checks import as_names, check_k, numeric_values, require_frame
from analysis.disclosure import (
    COMPLEMENTARY,
    ONE_SIDE,
    SUPPRESSED,
    mark_suppressed,
    protect_table,
    small_n_reason,
)
from analysis.result import TableResult

TOTAL = "Total"
#: why an unpublished margin (a row total nobody prints) carries no number
UNPUBLISHED = "not published"


@dataclass(frozen=True, eq=False)
class CrossTab(TableResult):
    """Long table: the ``by`` columns, ``rows`` and ``columns`` labels (``"Total"`` on margins),
    ``n``, ``mean`` (with a value column), ``suppressed``, ``suppression_reason``."""

    rows: str
    columns: str | None
    value_col: str | None
    by: tuple[str, ...]
    k: int


@dataclass(frozen=True, eq=False)
class YearOnYear(TableResult):
    """Per cell and pair of consecutive years: ``year, previous_year, n, n_previous, n_change``
    (and ``mean, mean_previous, mean_change`` with a value column), suppression columns."""

    k: int


def crosstab(
    frame: pd.DataFrame,
    *,
    rows: str,
    columns: str | None = None,
    value_col: str | None = None,
    by: str | Sequence[str] | None = None,
    k: int = 5,
    structural: Collection[tuple[object, object]] = (),
    row_totals: bool = True,
) -> CrossTab:
    """Count units (and average ``value_col``) per cell of ``rows`` x ``columns``, with margins.

    One table per combination of ``by`` (e.g. per domain and year), each with its own margins and
    disclosure control. Without ``columns`` the table is one-way with a total. With ``value_col``
    a unit counts where it has a value, so ``n`` is the number behind each mean. Rows with a
    missing category are left out of the table and its margins. For a two-way table,
    ``structural`` names the (row, column) cells that cannot occur: when empty they stay visible
    as 0 and need no protection; ``row_totals=False`` says the row totals (and the grand total)
    are never printed: they are hidden as unknowns, not protected (``protect_table``).
    """
    check_k(k)
    keys = as_names(by)
    dims = [rows, *as_names(columns)]
    purpose = "crosstab"
    require_frame(frame, columns=[*keys, *dims, *as_names(value_col)], purpose=purpose)
    data = frame[[*keys, *dims]].copy()
    data["_value"] = (
        numeric_values(frame, value_col, purpose=purpose) if value_col is not None else 0.0
    )
    data = data.dropna(subset=[*dims, "_value"] if value_col is not None else dims)
    if data.empty:
        raise ValueError(f"{purpose}: no rows with a category (and a value) to tabulate")

    two_way = columns is not None
    tables, row_labels, col_labels, counts, sums = _tabulate(data, keys, rows, columns)
    labels = _cell_labels(row_labels, col_labels, two_way=two_way)
    pieces = []
    for t, counts_t in enumerate(counts):
        n = _with_margins(counts_t, two_way=two_way)
        piece = pd.DataFrame({rows: labels[0]})
        if two_way:
            piece[columns] = labels[1]
        for i, key in enumerate(keys):
            piece.insert(i, key, tables[t][i])
        piece["n"] = n
        if value_col is not None:
            with np.errstate(invalid="ignore", divide="ignore"):
                piece["mean"] = _with_margins(sums[t], two_way=two_way) / n
        if two_way:
            known = np.array(
                [[(r, c) in structural and counts_t[i, j] == 0 for j, c in enumerate(col_labels)]
                 for i, r in enumerate(row_labels)]
            )  # fmt: skip
            hidden_t = protect_table(counts_t, k=k, structural=known, row_totals=row_totals)
            piece["_known"] = np.pad(known, ((0, 1), (0, 1))).ravel()
            piece["_unpublished"] = _unpublished(hidden_t.shape, row_totals).ravel()
        else:
            hidden_t = protect_table(counts_t[:, 0], k=k)
            piece["_known"] = piece["_unpublished"] = False
        piece["_hidden"] = hidden_t.ravel()
        pieces.append(piece)
    table = pd.concat(pieces, ignore_index=True)
    hidden = table.pop("_hidden").to_numpy(dtype=bool)
    known = table.pop("_known").to_numpy(dtype=bool)
    unpublished = table.pop("_unpublished").to_numpy(dtype=bool)
    values = ["n", *(["mean"] if value_col is not None else [])]
    table = mark_suppressed(table, unpublished, reason=UNPUBLISHED, value_cols=values)
    small = (table["n"] < k).to_numpy() & ~known
    table = mark_suppressed(table, small, reason=small_n_reason(k), value_cols=values)
    table = mark_suppressed(table, hidden, reason=COMPLEMENTARY, value_cols=values)
    return CrossTab(
        table=table, rows=rows, columns=columns, value_col=value_col, by=tuple(keys), k=k
    )


def year_on_year(
    frame: pd.DataFrame,
    *,
    rows: str,
    columns: str | None = None,
    value_col: str | None = None,
    year_col: str = "year",
    by: str | Sequence[str] | None = None,
    k: int = 5,
) -> YearOnYear:
    """The change of every cell of :func:`crosstab` from one year to the next.

    Each year's table is protected on its own; a difference is then hidden when either year's
    cell is hidden, so that a hidden cell cannot be recovered from the other year and the change.
    """
    keys = as_names(by)
    require_frame(frame, columns=[year_col], purpose="year_on_year")
    years = np.sort(frame[year_col].dropna().unique())
    if len(years) < 2:
        raise ValueError("year_on_year: only one year in the frame; a change needs two")
    tab = crosstab(
        frame, rows=rows, columns=columns, value_col=value_col, by=[*keys, year_col], k=k
    )
    cells = [*keys, rows, *as_names(columns)]
    stats = ["n", *(["mean"] if value_col is not None else [])]
    changes = [f"{stat}_change" for stat in stats]
    order = [
        *keys,
        "year",
        "previous_year",
        *cells[len(keys) :],
        *(f"{stat}{suffix}" for stat in stats for suffix in ("", "_previous", "_change")),
    ]
    table = tab.table
    pairs = []
    for previous, year in itertools.pairwise(years):
        now = table[table[year_col] == year][[*cells, *stats, SUPPRESSED]]
        before = table[table[year_col] == previous][[*cells, *stats, SUPPRESSED]]
        pair = now.merge(before, on=cells, how="left", suffixes=("", "_previous"))
        hidden = pair[SUPPRESSED].to_numpy(bool) | pair[f"{SUPPRESSED}_previous"].fillna(
            True
        ).to_numpy(bool)
        for stat in stats:
            pair[f"{stat}_change"] = pair[stat] - pair[f"{stat}_previous"]
        pair = pair.assign(year=year, previous_year=previous)[order]
        pairs.append(mark_suppressed(pair, hidden, reason=ONE_SIDE, value_cols=changes))
    return YearOnYear(table=pd.concat(pairs, ignore_index=True), k=k)


def _tabulate(
    data: pd.DataFrame, keys: list[str], rows: str, columns: str | None
) -> tuple[pd.Index | None, list[object], list[object], np.ndarray, np.ndarray]:
    """Counts and value sums per table (``by`` combination), row and column, as 3-D arrays."""
    if keys:
        table_code, tables = pd.factorize(pd.MultiIndex.from_frame(data[keys]), sort=True)
    else:
        table_code, tables = np.zeros(len(data), dtype=np.int64), None
    row_code, row_labels = _categories(data[rows])
    if columns is None:
        col_code, col_labels = np.zeros(len(data), dtype=np.int64), [None]
    else:
        col_code, col_labels = _categories(data[columns])
    shape = (int(table_code.max()) + 1, len(row_labels), len(col_labels))
    cell = (table_code * shape[1] + row_code) * shape[2] + col_code
    size = shape[0] * shape[1] * shape[2]
    counts = np.bincount(cell, minlength=size).reshape(shape).astype(float)
    sums = np.bincount(cell, weights=data["_value"].to_numpy(), minlength=size).reshape(shape)
    return tables, row_labels, col_labels, counts, sums


def _unpublished(shape: tuple[int, ...], row_totals: bool) -> np.ndarray:
    """The margin cells of a two-way table with margins that are never printed."""
    mask = np.zeros(shape, dtype=bool)
    if not row_totals:
        mask[:, -1] = True
    return mask


def _categories(values: pd.Series) -> tuple[np.ndarray, list[object]]:
    """Codes and labels of a category column, labels sorted when they can be."""
    try:
        codes, labels = pd.factorize(values, sort=True)
    except TypeError:
        codes, labels = pd.factorize(values, sort=False)
    return codes, list(labels)


def _with_margins(grid: np.ndarray, *, two_way: bool) -> np.ndarray:
    """A table's values with margins, flattened in the order of :func:`_cell_labels`."""
    if not two_way:
        column = grid[:, 0]
        return np.append(column, column.sum())
    full = np.zeros((grid.shape[0] + 1, grid.shape[1] + 1))
    full[:-1, :-1] = grid
    full[-1, :-1] = grid.sum(axis=0)
    full[:-1, -1] = grid.sum(axis=1)
    full[-1, -1] = grid.sum()
    return full.reshape(-1)


def _cell_labels(
    row_labels: list[object], col_labels: list[object], *, two_way: bool
) -> tuple[list[object], list[object]]:
    """Row and column labels of every cell, margins labelled ``Total``, row-major."""
    all_rows = [*row_labels, TOTAL]
    if not two_way:
        return all_rows, []
    all_cols = [*col_labels, TOTAL]
    return (
        [r for r in all_rows for _ in all_cols],
        [c for _ in all_rows for c in all_cols],
    )
