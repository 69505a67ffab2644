"""Filters of a round's results page: which are offered, which a request may apply, and why not.

A filter is a GET parameter (``group``, ``sector``, ``region``, ``size``, ``role``) with a value
as stored. Its values are offered by the same disclosure functions as the PDFs: categories of
fewer than k units are pooled (``pool_small``; the pooled "overige" is never offered) and the
one-way count table of the dimension with its total passes ``protect_table`` (complementary
suppression), so that no small category can be recomputed from the round and the other
categories' views. A value is offered when its cell is visible and the rest of the round holds at
least k units as well. Several filters together are applied one by one; each must keep the
selection and, against every coarser view (the round and every sub-combination), the units left
out at k or more: no view can then be subtracted from another to show fewer than k units.

The unit is a submitted response (one respondent; for the HR-scan one organisation's scan).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from analysis.disclosure import protect_table
from monitor.reports.regional_common import OTHER, pool_small
from surveys.definition import answer_items
from surveys.definition.itemtypes import REGISTRY

#: GET parameter -> column of the units frame, in the order filters are applied
COLUMNS = {
    "group": "respondent_group",
    "sector": "sector",
    "region": "region",
    "size": "size_class",
    "role": "role",
}
LABELS = {
    "group": "Respondentgroep",
    "sector": "Sector",
    "region": "Arbeidsmarktregio",
    "size": "Omvang",
    "role": "Rol",
}
#: item keys that hold a respondent's role, when a single-choice item has one of them
ROLE_KEYS = ("rol", "role", "rol_klankbord", "functie")


@dataclass(frozen=True)
class FilterOption:
    """One filter of the page: the values it offers, or why it offers none."""

    name: str
    label: str
    values: list[str]
    reason: str | None = None


@dataclass(frozen=True)
class Selection:
    """The filters a request asked for, those applied and those refused (with the reason)."""

    applied: dict[str, str] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)
    #: response ids in the view
    response_ids: frozenset[int] = frozenset()


def role_key(definition: Mapping[str, Any]) -> str | None:
    """The item key of the instrument's role question (a single choice named in ROLE_KEYS)."""
    for item in answer_items(definition):
        if item["key"] in ROLE_KEYS and REGISTRY[item["type"]].summary_kind == "choice":
            return item["key"]
    return None


def units_frame(frame: pd.DataFrame, role: str | None) -> pd.DataFrame:
    """One row per response of the tidy answer frame with its filter columns (role: its answer)."""
    columns = ["response_id", "respondent_group", "sector", "region", "size_class"]
    units = frame[columns].drop_duplicates("response_id").set_index("response_id")
    if role is not None:
        answers = frame[frame["item_key"] == role].drop_duplicates("response_id")
        units["role"] = answers.set_index("response_id")["text"]
    else:
        units["role"] = None
    return units


def offered_values(values: pd.Series, *, k: int) -> tuple[list[str], str | None]:
    """The values of one dimension that may be selected, and why none is when none is."""
    present = values.dropna().astype(str)
    total = len(values)
    if present.empty:
        return [], "niet vastgelegd in deze meting"
    pooled = pool_small(present, k=k)
    counts = pooled.value_counts().sort_index()
    hidden = protect_table(counts.to_numpy(dtype=float), k=k)[:-1]
    offered = [
        str(value)
        for value, n, hide in zip(counts.index, counts.to_numpy(), hidden, strict=True)
        if value != OTHER and not hide and total - n >= k
    ]
    if offered:
        return offered, None
    if counts.size == 1 and OTHER not in counts.index:
        return [], "alle eenheden hebben dezelfde waarde, de selectie zou het geheel zijn"
    return [], f"elke keuze laat de selectie of de rest van de meting onder {k} eenheden"


def filter_options(units: pd.DataFrame, *, k: int, has_role: bool) -> list[FilterOption]:
    """Every filter of the page with the values it offers."""
    options = []
    for name, column in COLUMNS.items():
        if name == "role" and not has_role:
            continue
        values, reason = offered_values(units[column], k=k)
        options.append(FilterOption(name, LABELS[name], values, reason))
    return options


def select(
    units: pd.DataFrame, args: Mapping[str, str], options: list[FilterOption], *, k: int
) -> Selection:
    """Apply the requested filters that are offered and keep every view at least k units apart."""
    offered = {option.name: option for option in options}
    applied: dict[str, str] = {}
    refused: dict[str, str] = {}
    for name in COLUMNS:
        value = (args.get(name) or "").strip()
        if not value:
            continue
        option = offered.get(name)
        if option is None:
            refused[name] = "deze vragenlijst kent dit filter niet"
        elif value not in option.values:
            refused[name] = option.reason or (
                f"'{value}' is geen waarde van dit filter, of de selectie of de rest van de "
                f"meting heeft minder dan {k} eenheden"
            )
        elif not _apart(units, {**applied, name: value}, k=k):
            refused[name] = (
                f"samen met de andere filters zou een selectie of wat ervan wordt weggelaten "
                f"minder dan {k} eenheden tellen"
            )
        else:
            applied[name] = value
    mask = _mask(units, applied)
    return Selection(applied, refused, frozenset(int(i) for i in units.index[mask]))


def _mask(units: pd.DataFrame, filters: Mapping[str, str]) -> np.ndarray:
    mask = np.ones(len(units), dtype=bool)
    for name, value in filters.items():
        mask &= units[COLUMNS[name]].astype("string").fillna("").to_numpy() == value
    return mask


def _apart(units: pd.DataFrame, filters: Mapping[str, str], *, k: int) -> bool:
    """The selection has at least k units, and so has its difference with every coarser view."""
    selected = int(_mask(units, filters).sum())
    if selected < k:
        return False
    names = list(filters)
    for size in range(len(names)):
        for subset in combinations(names, size):
            coarser = int(_mask(units, {n: filters[n] for n in subset}).sum())
            if coarser - selected < k:
                return False
    return True
