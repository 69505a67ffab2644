"""Small shared pieces of the regional monitor: plain values, labels, protected figures.

The protection helpers combine two functions of ``analysis``: ``describe_means`` and
``describe_proportions`` give the interval, ``crosstab`` (complementary suppression) and
``protect_table`` decide what may be shown. A subgroup figure printed next to its total passes
both: a hidden subgroup can then not be recomputed from the total and the other subgroups.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from analysis.crosstab import TOTAL, crosstab
from analysis.descriptives import describe_means, describe_proportions
from analysis.disclosure import protect_table
from scans.instrument import domain_titles as instrument_domain_titles
from surveys.definition.messages import translate

#: label of a missing category (kept in tables so that margins stay complete)
UNKNOWN = "onbekend"
#: label of the categories pooled because each holds fewer than k units (none of them is named)
OTHER = "overige"
#: the Dutch label of a table's margin
TOTAL_NL = "Totaal"
#: chart labels longer than this are cut at their first " en " or " (" (the text keeps the title)
SHORT_LABEL = 38


def pool_small(values: pd.Series, *, k: int, counts: pd.Series | None = None) -> pd.Series:
    """``values`` with every category of fewer than ``k`` units replaced by ``OTHER``.

    A category's name alone can single out a company ("ICT, Zuid-Limburg, 10-49 fte" when one
    company is scanned), even when every count next to it is hidden: only categories of at least
    ``k`` units are named. ``counts`` (category -> units) decides which, when the units that
    count are not the rows of ``values`` (e.g. this year's companies for a frame of all years).
    """
    sizes = values.value_counts() if counts is None else counts
    named = set(sizes[sizes >= k].index)
    return values.where(values.isin(named), OTHER)


def plain(value: Any, digits: int = 4) -> float | None:
    """A number as a rounded float for the JSON context; None for NaN, None or pd.NA."""
    if value is None or value is pd.NA:
        return None
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        return None
    return round(number, digits)


def count(value: Any) -> int | None:
    """A count as int; None when hidden (NaN) or missing."""
    number = plain(value, 0)
    return None if number is None else int(number)


def capitalise(text: str) -> str:
    """First letter upper case, the rest as written ("zorg en welzijn" -> "Zorg en welzijn")."""
    return text[:1].upper() + text[1:] if text else text


def short_label(title: str) -> str:
    """A chart label for a long domain title: "Talent behouden en loopbaan" stays, "Talent
    identificeren en strategische personeelsplanning" -> "Talent identificeren"."""
    if len(title) <= SHORT_LABEL:
        return title
    for separator in (" (", " en "):
        head = title.split(separator, 1)[0]
        if head != title:
            return head
    return title[: SHORT_LABEL - 1].rstrip() + "…"


def domain_titles(definition: dict[str, Any] | None) -> dict[str, str]:
    """Domain key -> Dutch title, in the order of the definition ({} without a definition)."""
    return instrument_domain_titles(definition) if definition else {}


def group_labels(definition: dict[str, Any] | None) -> dict[str, str]:
    """Respondent group key -> Dutch label, in the order of the definition."""
    if not definition:
        return {}
    return {
        group["key"]: translate(group.get("label"), "nl") or group["key"]
        for group in definition.get("respondent_groups") or []
    }


def interval(row: Any) -> dict[str, float | None]:
    """``mean``/``proportion`` with its interval from a descriptives row."""
    value = row["mean"] if "mean" in row else row["proportion"]
    return {"value": plain(value), "ci_low": plain(row["ci_low"]), "ci_high": plain(row["ci_high"])}


def ci_pair(figure: dict[str, Any]) -> tuple[float, float] | None:
    """(low, high) for a chart, None when hidden or not computable."""
    if figure.get("ci_low") is None or figure.get("ci_high") is None:
        return None
    return (figure["ci_low"], figure["ci_high"])


def protected_means(
    frame: pd.DataFrame,
    *,
    by: str,
    value_col: str,
    k: int,
    tables: Sequence[str] = (),
) -> pd.DataFrame:
    """Means with a t-interval per category of ``by`` (within each ``tables`` combination),
    hidden where the one-way table of ``by`` with its total needs it (fewer than ``k`` units, or
    complementary: recomputable from the total mean and the other categories).

    Columns: the ``tables`` columns, ``by``, ``n, mean, ci_low, ci_high, suppressed``; rows for
    the categories only (not the total).
    """
    keys = [*tables, by]
    values = frame[frame[value_col].notna()]
    if values.empty:
        return pd.DataFrame(columns=[*keys, "n", "mean", "ci_low", "ci_high", "suppressed"])
    means = describe_means(values, value_col=value_col, by=keys, k=k).to_frame()
    table = crosstab(values, rows=by, value_col=value_col, by=list(tables) or None, k=k)
    cells = table.to_frame()
    cells = cells[cells[by] != TOTAL][[*keys, "suppressed"]].rename(
        columns={"suppressed": "hidden"}
    )
    merged = means.merge(cells, on=keys, how="left")
    hidden = merged["suppressed"].astype(bool) | merged["hidden"].fillna(True).astype(bool)
    for column in ("n", "mean", "ci_low", "ci_high"):
        merged[column] = merged[column].astype(float).where(~hidden)
    merged["suppressed"] = hidden
    return merged[[*keys, "n", "mean", "ci_low", "ci_high", "suppressed"]]


def protected_counts(
    values: pd.Series, *, k: int, order: Iterable[str] = ()
) -> tuple[list[dict[str, Any]], int | None]:
    """A one-way count table with its total, disclosure-controlled: per category ``label, n,
    share`` (share of the total), None where hidden. Missing values count as "onbekend".
    Returns the rows (in ``order`` first, then the rest sorted) and the total (None if hidden).
    """
    data = pd.DataFrame({"category": values.fillna(UNKNOWN).astype(str)})
    if data.empty:
        return [], None
    table = crosstab(data, rows="category", k=k).to_frame()
    total_row = table[table["category"] == TOTAL].iloc[0]
    total = count(total_row["n"])
    cells = table[table["category"] != TOTAL]
    wanted = [c for c in order if c in set(cells["category"])]
    rest = sorted(set(cells["category"]) - set(wanted), key=lambda c: (c == UNKNOWN, c))
    by_label = cells.set_index("category")
    rows = []
    for label in [*wanted, *rest]:
        n = count(by_label.loc[label, "n"])
        share = None if n is None or not total else plain(n / total)
        rows.append({"key": label, "n": n, "share": share})
    return rows, total


def protected_share(
    outcome: pd.Series, *, k: int, confidence: float = 0.95
) -> dict[str, float | int | None]:
    """The share of 1 (True) in a 0/1 column with its Wilson interval and ``n``.

    Hidden (None) when the yes or the no cell has fewer than ``k`` units: with the total, a
    share discloses both cells.
    """
    values = pd.to_numeric(outcome, errors="coerce").dropna()
    n = len(values)
    yes = int((values == 1).sum())
    hidden = bool(n == 0 or protect_table(np.array([yes, n - yes], dtype=float), k=k).any())
    if hidden:
        return {"value": None, "ci_low": None, "ci_high": None, "n": count(n) if n >= k else None}
    row = (
        describe_proportions(pd.DataFrame({"v": values}), value_col="v", k=k, confidence=confidence)
        .to_frame()
        .iloc[0]
    )
    return {**interval(row), "n": n}


def mean_with_ci(values: pd.Series, *, k: int) -> dict[str, float | int | None]:
    """Mean with t-interval and ``n`` of a numeric column; hidden below ``k`` values."""
    data = pd.DataFrame({"v": pd.to_numeric(values, errors="coerce")}).dropna()
    if data.empty:
        return {"value": None, "ci_low": None, "ci_high": None, "n": None}
    row = describe_means(data, value_col="v", k=k).to_frame().iloc[0]
    return {**interval(row), "n": count(row["n"])}
