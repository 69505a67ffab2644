"""The tables of a round's results page, one summariser per item type's ``summary_kind``.

Every table is aggregated and disclosure-controlled before it leaves this module: count tables
pass ``analysis.protect_table`` (cells below k hidden, then complementary suppression within the
table and its margins), and in a filtered view a cell is hidden as well when the same cell of the
rest of the round (the unfiltered table minus this one) is below k, so that subtracting a view
from the unfiltered page never shows a figure about fewer than k units. A hidden value is None.
The same ``Table`` feeds the HTML table, its chart and its CSV download.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analysis.descriptives import describe_means
from analysis.disclosure import protect_table
from monitor import charts
from monitor.charts.chart import Chart
from monitor.charts.style import PALETTE
from monitor.reports.regional_common import plain
from surveys.definition.itemtypes import REGISTRY
from surveys.definition.messages import MISSING_LABELS, translate

#: column kinds: how a cell is formatted (and what a CSV column holds)
N, SHARE, MEAN, TEXT = "n", "share", "mean", "text"
TOTAL_LABEL = "Totaal"
#: NPS classes as (label, lowest, highest score)
NPS_CLASSES = (("Criticasters (0-6)", 0, 6), ("Passief (7-8)", 7, 8), ("Promotors (9-10)", 9, 10))


@dataclass
class Table:
    """One aggregated table: a header, rows of cells (None = hidden), a chart and a note."""

    id: str
    title: str
    kind: str
    header: list[str]
    formats: list[str]
    rows: list[list[Any]]
    chart: Chart | None = None
    note: str = ""
    texts: list[str] = field(default_factory=list)
    label: str = ""


@dataclass(frozen=True)
class Columns:
    """The respondent-group columns of a view: (key, label) pairs, plus a total when several."""

    groups: list[tuple[str, str]]

    @property
    def labels(self) -> list[str]:
        return [label for _, label in self.groups] + ([TOTAL_LABEL] if self.total else [])

    @property
    def total(self) -> bool:
        return len(self.groups) > 1


@dataclass(frozen=True)
class ItemData:
    """The stored answers of one item in the view, and in the whole round (None: no filter)."""

    item: dict[str, Any]
    view: pd.DataFrame
    whole: pd.DataFrame | None
    lang: str


def group_counts(answers: pd.DataFrame, columns: Columns, categories: Sequence[str]) -> np.ndarray:
    """Answers per category (rows) and respondent group (columns) of the view."""
    table = pd.crosstab(answers["text"], answers["respondent_group"])
    table = table.reindex(index=list(categories), columns=[g for g, _ in columns.groups])
    return table.fillna(0).to_numpy(dtype=float)


def protect(view: np.ndarray, whole: np.ndarray | None, *, k: int) -> np.ndarray:
    """The hidden mask of a count table with margins (1-D or 2-D), also hiding the cells whose
    rest of the round (``whole - view``) is below k and those hidden in the round's own table."""
    also = None
    if whole is not None:
        also = (_with_margins(whole) - _with_margins(view) < k) | protect_table(whole, k=k)
    return protect_table(view, k=k, also=also)


def _with_margins(cells: np.ndarray) -> np.ndarray:
    if cells.ndim == 1:
        return np.append(cells, cells.sum())
    rows, cols = cells.shape
    full = np.zeros((rows + 1, cols + 1))
    full[:rows, :cols] = cells
    full[rows, :cols] = cells.sum(axis=0)
    full[:rows, cols] = cells.sum(axis=1)
    full[rows, cols] = cells.sum()
    return full


def _visible(full: np.ndarray, hidden: np.ndarray) -> list[list[int | None]]:
    return [
        [None if h else int(v) for v, h in zip(row, hide, strict=True)]
        for row, hide in zip(full, hidden, strict=True)
    ]


def _category_table(
    data: ItemData, columns: Columns, categories: list[tuple[str, str]], codes: list[str], *, k: int
) -> tuple[list[list[int | None]], list[str]]:
    """Protected counts per category (and missing code) and column, margins included (last row:
    every answer of the column; last column: the total, when there are several groups)."""
    keys = [c for c, _ in categories] + codes
    view = group_counts(data.view, columns, keys)
    whole = None if data.whole is None else group_counts(data.whole, columns, keys)
    cells = _visible(_with_margins(view), protect(view, whole, k=k))
    if not columns.total:
        cells = [row[:1] for row in cells]
    return cells, keys


def _shares(cells: list[list[int | None]], substantive: int) -> list[list[float | None]]:
    """Share of the valid answers per visible cell, in the columns whose valid total is already
    known from the table (its total and every missing-code cell shown): a share elsewhere would
    disclose the valid total and with it a sum of hidden cells."""
    out: list[list[float | None]] = [[None] * len(cells[0]) for _ in range(substantive)]
    for j in range(len(cells[0])):
        column = [cells[i][j] for i in range(len(cells))]
        if any(c is None for c in column[substantive:]):
            continue
        valid = column[-1] - sum(column[substantive:-1])
        for i in range(substantive):
            if column[i] is not None and valid:
                out[i][j] = plain(column[i] / valid)
    return out


def _count_rows(
    labels: list[str], cells: list[list[int | None]], shares: list[list[float | None]]
) -> list[list[Any]]:
    rows = []
    for i, label in enumerate(labels):
        row: list[Any] = [label]
        for j, n in enumerate(cells[i]):
            row += [n, shares[i][j] if i < len(shares) else None]
        rows.append(row)
    return rows


def _count_header(first: str, columns: Columns) -> tuple[list[str], list[str]]:
    header, formats = [first], [TEXT]
    for label in columns.labels:
        header += [f"{label}: aantal", f"{label}: %"]
        formats += [N, SHARE]
    return header, formats


def _missing_labels(codes: list[str], lang: str) -> list[str]:
    return [translate(MISSING_LABELS[code], lang) for code in codes]


def categorical(
    data: ItemData, columns: Columns, *, k: int, classes: list[tuple[str, str]] | None = None
) -> Table:
    """Counts and shares per answer and group, the missing codes apart; stacked bars per group
    for an ordered scale, bars of the total's shares for unordered choices."""
    kind = REGISTRY[data.item["type"]]
    categories = classes if classes is not None else kind.options(data.item, data.lang)
    codes = kind.missing_codes(data.item)
    cells, _ = _category_table(data, columns, categories, codes, k=k)
    labels = [label for _, label in categories]
    shares = _shares(cells, len(categories))
    header, formats = _count_header("Antwoord", columns)
    rows = _count_rows(
        labels + _missing_labels(codes, data.lang) + ["Alle antwoorden"], cells, shares
    )
    table = Table(data.item["key"], "", kind.summary_kind, header, formats, rows)
    table.chart = _category_chart(table, columns, labels, cells, codes, data.lang)
    return table


def _category_chart(
    table: Table,
    columns: Columns,
    labels: list[str],
    cells: list[list[int | None]],
    codes: list[str],
    lang: str,
) -> Chart | None:
    substantive = len(labels)
    per_column = [[cells[i][j] for i in range(substantive)] for j in range(len(columns.labels))]
    counts = [None if any(c is None for c in col) else col for col in per_column]
    if all(c is None for c in counts):
        return None
    if table.kind in ("distribution", "nps") and 0 < substantive <= len(PALETTE):
        missing = {
            label: [cells[substantive + m][j] or 0 for j in range(len(columns.labels))]
            for m, label in enumerate(_missing_labels(codes, lang))
        }
        return charts.distribution_chart(
            columns.labels, labels, counts, missing=missing, title="Verdeling per groep"
        )
    last = counts[-1]
    shares = [None if last is None or not sum(last) else c / sum(last) for c in (last or [])]
    if not shares:
        return None
    return charts.bar_chart(
        labels, shares, title=f"Antwoorden ({columns.labels[-1]})", percent=True
    )


def nps(data: ItemData, columns: Columns, *, k: int) -> Table:
    """Detractors, passives and promoters per group, and the net promoter score where all three
    are shown."""
    classes = [(label, label) for label, _, _ in NPS_CLASSES]
    classed = {
        frame_name: _nps_classes(frame)
        for frame_name, frame in (("view", data.view), ("whole", data.whole))
        if frame is not None
    }
    table = categorical(
        ItemData(data.item, classed["view"], classed.get("whole"), data.lang),
        columns,
        k=k,
        classes=classes,
    )
    score: list[Any] = ["NPS"]
    for j in range(len(columns.labels)):
        shares = [table.rows[i][1 + 2 * j + 1] for i in range(3)]
        value = None if None in shares else plain(100 * (shares[2] - shares[0]), 1)
        score += [None, value]
    table.rows.append(score)
    return table


def _nps_classes(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for label, low, high in NPS_CLASSES:
        out.loc[out["value"].between(low, high), "text"] = label
    return out


def multi_choice(data: ItemData, columns: Columns, *, k: int) -> Table:
    """How often each option was chosen per group, as a count and a share of the group's
    respondents; a cell is shown when both the choosers and the others number at least k."""
    kind = REGISTRY[data.item["type"]]
    options = kind.options(data.item, data.lang)
    header, formats = _count_header("Antwoord", columns)
    view_n, view_c = _chosen(data.view, data.item, columns, options)
    whole = None if data.whole is None else _chosen(data.whole, data.item, columns, options)
    n_hidden = protect(view_n, None if whole is None else whole[0], k=k)
    n_cells = _visible(_with_margins(view_n)[None, :], n_hidden[None, :])[0]
    if not columns.total:
        n_cells = n_cells[:1]
    view_c = np.column_stack([view_c, view_c.sum(axis=1)]) if columns.total else view_c
    rows = []
    for i, (_, label) in enumerate(options):
        row: list[Any] = [label]
        for j, n in enumerate(n_cells):
            chosen = float(view_c[i, j])
            rest_ok = whole is None or _rest_ok(whole, i, j, chosen, n, columns, k)
            shown = n is not None and chosen >= k and n - chosen >= k and rest_ok
            row += [int(chosen) if shown else None, plain(chosen / n) if shown else None]
        rows.append(row)
    rows.append(["Respondenten", *[v for n in n_cells for v in (n, None)]])
    table = Table(data.item["key"], "", "multi_choice", header, formats, rows)
    shares = [row[-1] for row in rows[:-1]]
    if any(s is not None for s in shares):
        table.chart = charts.bar_chart(
            [label for _, label in options],
            shares,
            title=f"Gekozen ({columns.labels[-1]})",
            percent=True,
        )
    return table


def _rest_ok(whole, i: int, j: int, chosen: float, n: int | None, columns: Columns, k: int) -> bool:
    whole_n, whole_c = whole
    total_n = whole_n.sum() if j == len(columns.groups) else whole_n[j]
    total_c = whole_c[i].sum() if j == len(columns.groups) else whole_c[i, j]
    rest_c, rest_n = total_c - chosen, total_n - (n or 0)
    return rest_c >= k and rest_n - rest_c >= k


def _chosen(
    frame: pd.DataFrame, item: dict[str, Any], columns: Columns, options: list[tuple[str, str]]
) -> tuple[np.ndarray, np.ndarray]:
    """Respondents per group, and per option and group how many chose it."""
    kind = REGISTRY[item["type"]]
    groups = [g for g, _ in columns.groups]
    n = np.zeros(len(groups))
    chosen = np.zeros((len(options), len(groups)))
    index = {value: i for i, (value, _) in enumerate(options)}
    for group, text in zip(frame["respondent_group"], frame["text"], strict=True):
        if group not in groups or not isinstance(text, str) or not text:
            continue
        j = groups.index(group)
        picked = [index[v] for v in kind.condition_value(item, text) if v in index]
        if picked:
            n[j] += 1
        for i in picked:
            chosen[i, j] += 1
    return n, chosen


def number(data: ItemData, columns: Columns, *, k: int) -> Table:
    """Mean with its interval per group, where the group's count may be shown."""
    header = ["Groep", "Aantal", "Gemiddelde", "Ondergrens 95%", "Bovengrens 95%"]
    formats = [TEXT, N, MEAN, MEAN, MEAN]
    values = data.view[data.view["value"].notna()]
    rows = mean_rows(values, data.whole, columns, value_col="value", k=k)
    return Table(data.item["key"], "", "number", header, formats, rows)


def mean_rows(
    values: pd.DataFrame,
    whole: pd.DataFrame | None,
    columns: Columns,
    *,
    value_col: str,
    k: int,
) -> list[list[Any]]:
    """Per group (and the total) ``label, n, mean, ci_low, ci_high``: the counts pass the one-way
    table protection (with the rest of the round), the means are hidden with their count."""
    groups = [g for g, _ in columns.groups]
    counts = values["respondent_group"].value_counts().reindex(groups).fillna(0)
    whole_counts = None
    if whole is not None:
        present = whole[whole[value_col].notna()]["respondent_group"].value_counts()
        whole_counts = present.reindex(groups).fillna(0).to_numpy(dtype=float)
    hidden = protect(counts.to_numpy(dtype=float), whole_counts, k=k)
    rows = []
    for j, label in enumerate(columns.labels):
        subset = values if j == len(groups) else values[values["respondent_group"] == groups[j]]
        if hidden[j] or subset.empty:
            rows.append([label, None, None, None, None])
            continue
        row = describe_means(subset, value_col=value_col, k=k).to_frame().iloc[0]
        rows.append(
            [label, int(row["n"]), plain(row["mean"]), plain(row["ci_low"]), plain(row["ci_high"])]
        )
    return rows if columns.total else rows[:1]


def texts(data: ItemData, columns: Columns, *, k: int) -> Table:
    """The open answers (sorted, apart from the respondents' other answers) and their count;
    none when fewer than k, or when the rest of the round would hold fewer than k."""
    answers = data.view["text"].dropna()
    answers = sorted(a.strip() for a in answers if isinstance(a, str) and a.strip())
    rest = None if data.whole is None else data.whole["text"].notna().sum() - len(answers)
    shown = len(answers) >= k and (rest is None or rest >= k)
    table = Table(
        data.item["key"],
        "",
        "text",
        ["Aantal open antwoorden"],
        [N],
        [[len(answers) if shown else None]],
    )
    table.texts = answers if shown else []
    if not shown:
        table.note = f"Open antwoorden staan hier pas vanaf {k} antwoorden (ook buiten het filter)."
    return table


#: summary_kind -> the summariser of its table (kinds without answers have none)
Summariser = Callable[..., Table]
SUMMARISERS: dict[str, Summariser] = {
    "distribution": categorical,
    "choice": categorical,
    "yes_no": categorical,
    "nps": nps,
    "multi_choice": multi_choice,
    "number": number,
    "text": texts,
}
