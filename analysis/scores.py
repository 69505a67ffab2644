"""Domain scores: one score per response and domain from the tidy answer frame.

The tidy frame has one row per answer (``response_id``, ``item_key``, ``value``; value NaN for a
missing code such as "weet niet" or "n.v.t.") plus response-level columns. How items score into
domains is plain data (:class:`ItemScoring`), taken from the instrument definition.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.checks import numeric_values, require_frame
from analysis.result import TableResult

#: Columns that describe a response rather than an answer; kept next to the scores when present.
RESPONSE_LEVEL_COLUMNS = (
    "campaign_id",
    "year",
    "wave",
    "organisation_id",
    "panel_key",
    "respondent_group",
    "sector",
    "region",
    "size_class",
)


@dataclass(frozen=True)
class ItemScoring:
    """How one item scores: its domain, its scale range and whether it is reverse coded."""

    key: str  #: item key
    domain: str  #: domain key it scores into
    scale_min: float  #: e.g. 0 for maturity 0-4, 1 for likert5
    scale_max: float
    reverse: bool = False


@dataclass(frozen=True, eq=False)
class DomainScores(TableResult):
    """Domain scores in long form: ``response_id, domain, score, n_answered, n_items`` plus the
    response-level columns present in the input."""

    domains: tuple[str, ...]
    response_col: str
    min_answered: float

    def wide(self) -> pd.DataFrame:
        """One row per response (indexed by response id), one column per domain."""
        wide = self.table.pivot(index=self.response_col, columns="domain", values="score")
        return wide.reindex(columns=list(self.domains)).rename_axis(columns=None)


@dataclass(frozen=True)
class _Coded:
    """Scored answers after reverse coding, as aligned arrays (one entry per scored answer)."""

    response_code: np.ndarray  #: index into ``responses``
    row_response: np.ndarray  #: index into ``responses`` of every row of the input frame
    item_index: np.ndarray  #: index into the scoring sequence
    value: np.ndarray  #: reverse-coded value, NaN when missing
    responses: pd.Index  #: response ids in order of first appearance
    first_row: np.ndarray  #: position in the input frame of each response's first row


def _check_items(items: Sequence[ItemScoring]) -> None:
    """Check the scoring: at least one item, each key once, a proper scale range."""
    if not items:
        raise ValueError("items: at least one ItemScoring is needed")
    duplicated = sorted(key for key, n in Counter(item.key for item in items).items() if n > 1)
    if duplicated:
        raise ValueError(f"items: item key(s) scored twice: {', '.join(duplicated)}")
    for item in items:
        if not item.scale_min < item.scale_max:
            raise ValueError(
                f"items: {item.key!r} has scale_min {item.scale_min} >= scale_max {item.scale_max}"
            )


def _code(
    frame: pd.DataFrame,
    items: Sequence[ItemScoring],
    *,
    response_col: str,
    item_col: str,
    value_col: str,
    purpose: str,
) -> _Coded:
    """Validate the answers of scored items and reverse code them, vectorised over the frame."""
    require_frame(frame, columns=[response_col, item_col, value_col], purpose=purpose)
    _check_items(items)
    values = numeric_values(frame, value_col, purpose=purpose)
    row_response, responses = pd.factorize(frame[response_col], sort=False)
    if (row_response < 0).any():
        raise ValueError(f"{purpose}: column {response_col!r} has missing response ids")
    first_row = np.flatnonzero(~pd.Series(row_response).duplicated().to_numpy())

    item_code, item_keys = pd.factorize(frame[item_col], sort=False)
    position = {item.key: i for i, item in enumerate(items)}
    lookup = np.array([position.get(key, -1) for key in item_keys] + [-1], dtype=np.int64)
    item_index = lookup[item_code]  # code -1 (missing key) maps to the trailing -1
    scored = item_index >= 0

    response_code = row_response[scored]
    item_index = item_index[scored]
    value = values[scored]
    pair = pd.Series(response_code.astype(np.int64) * len(items) + item_index)
    if pair.duplicated().any():
        raise ValueError(
            f"{purpose}: a response answers the same item more than once; "
            "the tidy frame must have one row per response and item"
        )

    low = np.array([item.scale_min for item in items], dtype=float)[item_index]
    high = np.array([item.scale_max for item in items], dtype=float)[item_index]
    outside = (value < low) | (value > high)
    if outside.any():
        keys = sorted({items[i].key for i in item_index[outside]})
        raise ValueError(
            f"{purpose}: value(s) outside the item's scale for item(s) {', '.join(keys)}"
        )
    reverse = np.array([item.reverse for item in items], dtype=bool)[item_index]
    value = np.where(reverse, low + high - value, value)
    return _Coded(response_code, row_response, item_index, value, pd.Index(responses), first_row)


def recode_items(
    frame: pd.DataFrame,
    *,
    items: Sequence[ItemScoring],
    response_col: str = "response_id",
    item_col: str = "item_key",
    value_col: str = "value",
) -> pd.DataFrame:
    """The answers to scored items after reverse coding, one row per answer.

    Columns ``response_id, item_key, domain, value``. Use it to look at items on the scale they
    score with (a reverse-coded item then reads "higher is better" like the others).
    """
    coded = _code(
        frame,
        items,
        response_col=response_col,
        item_col=item_col,
        value_col=value_col,
        purpose="recode_items",
    )
    keys = np.array([item.key for item in items], dtype=object)
    domains = np.array([item.domain for item in items], dtype=object)
    return pd.DataFrame(
        {
            response_col: coded.responses.take(coded.response_code),
            item_col: keys[coded.item_index],
            "domain": domains[coded.item_index],
            "value": coded.value,
        }
    )


def domain_scores(
    frame: pd.DataFrame,
    *,
    items: Sequence[ItemScoring],
    min_answered: float = 0.5,
    response_col: str = "response_id",
    item_col: str = "item_key",
    value_col: str = "value",
) -> DomainScores:
    """Score every response on every domain: the mean of its answered items after reverse coding.

    A domain gets a score only when at least ``min_answered`` (a share, 0 < x <= 1) of its items
    are answered; otherwise the score is NaN. A missing code ("weet niet", "n.v.t.") counts as not
    answered, never as 0. Items in the frame that are not in ``items`` (profile questions, open
    texts) are ignored. Every response in the frame gets a row for every domain, with the
    response-level columns (year, wave, organisation, sector, ...) attached so that later steps can
    group on them.
    """
    if not 0 < min_answered <= 1:
        raise ValueError(f"min_answered must be a share in (0, 1], got {min_answered!r}")
    coded = _code(
        frame,
        items,
        response_col=response_col,
        item_col=item_col,
        value_col=value_col,
        purpose="domain_scores",
    )
    domains = tuple(dict.fromkeys(item.domain for item in items))
    domain_of_item = np.array([domains.index(item.domain) for item in items], dtype=np.int64)
    n_items = np.bincount(domain_of_item, minlength=len(domains))

    n_responses, n_domains = len(coded.responses), len(domains)
    answered = ~np.isnan(coded.value)
    cell = coded.response_code[answered] * n_domains + domain_of_item[coded.item_index[answered]]
    size = n_responses * n_domains
    total = np.bincount(cell, weights=coded.value[answered], minlength=size)
    n_answered = np.bincount(cell, minlength=size)
    items_per_cell = np.tile(n_items, n_responses)
    enough = (n_answered > 0) & (n_answered >= min_answered * items_per_cell - 1e-9)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(enough, total / n_answered, np.nan)

    response_of_cell = np.repeat(np.arange(n_responses), n_domains)
    table = pd.DataFrame(
        {
            response_col: coded.responses.take(response_of_cell),
            "domain": np.tile(np.array(domains, dtype=object), n_responses),
            "score": score,
            "n_answered": n_answered,
            "n_items": items_per_cell,
        }
    )
    level_cols = [c for c in RESPONSE_LEVEL_COLUMNS if c in frame.columns and c != response_col]
    if level_cols:
        levels = _response_levels(frame, level_cols, coded)
        table = pd.concat([table, levels.take(response_of_cell).reset_index(drop=True)], axis=1)
    return DomainScores(
        table=table, domains=domains, response_col=response_col, min_answered=min_answered
    )


def _response_levels(frame: pd.DataFrame, columns: list[str], coded: _Coded) -> pd.DataFrame:
    """The response-level columns, one row per response, checked to be constant per response."""
    firsts = frame[columns].iloc[coded.first_row].reset_index(drop=True)
    for col in columns:
        own = frame[col].to_numpy()
        first = firsts[col].to_numpy()[coded.row_response]
        same = (own == first) | (pd.isna(own) & pd.isna(first))
        if not np.all(same):
            raise ValueError(
                f"domain_scores: column {col!r} varies within a response; "
                "response-level columns must be constant per response"
            )
    return firsts
