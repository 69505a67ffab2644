"""Shares per category under the k rule: which part of the companies or respondents in a sector,
region or field chose an option (a sprint theme, a skill, "ja").

One table per option: category x chosen/not chosen, with margins, protected by
``analysis.protect_table`` (the rule of ``analysis.crosstab``: cells below k hidden, then
complementary suppression). A share is printed only when both its
"chosen" and its "not chosen" cell are shown: a share of 0% or 100% tells what every unit in the
category answered, and either cell below k could single someone out. The number of units per
category comes from a one-way table protected on its own (``protected_counts``), so that it is
the same in every column of the printed table.

Answers are read through the item types' interface (``options`` and ``condition_value``), so a
single choice, a yes/no and a multiple choice item all give one 0/1 flag per option.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from analysis.crosstab import TOTAL
from analysis.disclosure import protect_table
from monitor.reports.regional_common import TOTAL_NL, UNKNOWN, plain, protected_counts
from surveys.definition import item_index
from surveys.definition.itemtypes.registry import leaf_type


def item_options(definition: dict[str, Any] | None, key: str) -> list[tuple[str, str]]:
    """The substantive options of item ``key`` as (stored value, Dutch label); [] without it."""
    item = item_index(definition or {}).get(key)
    return leaf_type(item).options(item, "nl") if item else []


def option_flags(frame: pd.DataFrame, definition: dict[str, Any] | None, key: str) -> pd.DataFrame:
    """One row per response that answered item ``key`` (index ``response_id``), with a 0/1
    column per substantive option: 1 where the answer holds that option."""
    item = item_index(definition or {}).get(key)
    rows = frame[frame["item_key"] == key].drop_duplicates("response_id")
    if item is None or rows.empty:
        return pd.DataFrame(index=pd.Index([], name="response_id"))
    kind = leaf_type(item)

    def chosen(text: str) -> set[str]:
        value = kind.condition_value(item, text)
        return {str(v) for v in value} if isinstance(value, list) else {str(value)}

    picked = rows.set_index("response_id")["text"].map(chosen)
    picked = picked[picked.map(bool)]
    return pd.DataFrame(
        {
            value: picked.map(lambda c, v=value: float(v in c))
            for value, _ in kind.options(item, "nl")
        }
    )


def share_table(
    flags: pd.DataFrame,
    by: str,
    options: Sequence[tuple[str, str]],
    *,
    k: int,
    order: Sequence[str] = (),
    labels: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Shares of 1 in each option column of ``flags``, per category of ``by`` and in total.

    ``flags`` has one row per unit, the category column ``by`` and a 0/1 (or NaN: not asked)
    column per option. Returns ``{"columns": [{key, label}] (the options), "rows": [{key, label,
    n, total, cells: [share or None per option]}]}`` with the categories in ``order`` first and
    the total last. Every option is protected in its own two-way table.
    """
    labels = labels or {}
    categories = flags[by].fillna(UNKNOWN).astype(str) if by in flags else pd.Series(dtype=str)
    columns = [{"key": key, "label": label} for key, label in options]
    if categories.empty:
        return {"columns": columns, "rows": []}
    counted, total = protected_counts(categories, k=k, order=order)
    shares = {key: _option_shares(categories, flags[key], k=k) for key, _ in options}
    rows = [
        {
            "key": row["key"],
            "label": labels.get(row["key"], row["key"]),
            "n": row["n"],
            "total": False,
            "cells": [shares[key].get(row["key"]) for key, _ in options],
        }
        for row in counted
    ]
    rows.append(
        {
            "key": TOTAL,
            "label": TOTAL_NL,
            "n": total,
            "total": True,
            "cells": [shares[key].get(TOTAL) for key, _ in options],
        }
    )
    return {"columns": columns, "rows": rows}


def _option_shares(categories: pd.Series, flag: pd.Series, *, k: int) -> dict[str, float | None]:
    """Category (and ``TOTAL``) -> share of 1 in ``flag``, None where the protected two-way
    table (``protect_table``: cells below k, then complementary cells) hides the chosen or the
    not-chosen cell."""
    data = pd.DataFrame({"category": categories, "flag": flag.reindex(categories.index)}).dropna()
    if data.empty:
        return {}
    yes = data.groupby("category")["flag"].agg(["sum", "count"])
    counts = np.column_stack([yes["sum"], yes["count"] - yes["sum"]])
    hidden = protect_table(counts, k=k)
    with_total = np.vstack([counts, counts.sum(axis=0)])
    return {
        category: None if hidden[row, 0] or hidden[row, 1] else plain(with_total[row, 0] / n)
        for row, (category, n) in enumerate(
            zip([*yes.index, TOTAL], with_total.sum(axis=1), strict=True)
        )
    }


def align_totals(tables: Sequence[dict[str, Any]]) -> None:
    """Hide (in place) a total share that any of ``tables`` hides.

    Breakdowns of the same answers (by sector, by region, ...) share their total row, and each
    table's complementary suppression may rely on that total being hidden: printing it from
    another table would undo that. Hiding more is always safe.
    """
    totals = [next(r for r in t["rows"] if r["total"]) for t in tables if t["rows"]]
    if not totals:
        return
    for i in range(len(totals[0]["cells"])):
        if any(total["cells"][i] is None for total in totals):
            for total in totals:
                total["cells"][i] = None


def without_hidden_columns(table: dict[str, Any]) -> dict[str, Any]:
    """``table`` without the options whose every share is hidden (a column of markers only says
    that the option was rarely chosen or chosen by nearly everyone, and crowds the page)."""
    keep = [
        i
        for i in range(len(table["columns"]))
        if any(row["cells"][i] is not None for row in table["rows"])
    ]
    return {
        "columns": [table["columns"][i] for i in keep],
        "rows": [{**row, "cells": [row["cells"][i] for i in keep]} for row in table["rows"]],
    }
