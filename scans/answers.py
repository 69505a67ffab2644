"""HR-scans in the tidy answer frame: which response is a company's scan of a year, its domain
scores and its closing answers (sprint themes, HR question, consent, municipality).

Everything downstream (profile, sprint grouping) starts here, so that "a company's scan" means the
same everywhere: one per organisation and year, the latest when there are several.
"""

import math

import pandas as pd

from analysis.scores import domain_scores
from scans.instrument import (
    CONSENT_ITEM,
    CONSENT_YES,
    MUNICIPALITY_ITEM,
    QUESTION_ITEM,
    THEMES_ITEM,
    Definition,
    domain_titles,
    item_scoring,
)
from surveys.definition import item_index, min_answered
from surveys.definition.itemtypes import leaf_type

#: columns of the tidy answer frame (surveys.frame.answer_frame) the scans package needs
FRAME_COLUMNS = (
    "response_id", "year", "organisation_id", "sector", "region", "size_class",
    "item_key", "text", "value",
)  # fmt: skip


def check_frame(frame: pd.DataFrame, *, purpose: str) -> None:
    """Refuse anything but a tidy answer frame with the columns listed in FRAME_COLUMNS."""
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"{purpose}: expected a pandas DataFrame, got {type(frame).__name__}")
    missing = [name for name in FRAME_COLUMNS if name not in frame.columns]
    if missing:
        raise ValueError(f"{purpose}: missing column(s) {', '.join(map(repr, missing))}")


def latest_scans(frame: pd.DataFrame) -> pd.DataFrame:
    """The answer rows of each organisation's scan per year.

    When an organisation submitted more than one scan in a year, the latest (highest response id)
    counts; responses without an organisation are left out.
    """
    rows = frame[frame["organisation_id"].notna()]
    latest = rows.groupby(["organisation_id", "year"])["response_id"].transform("max")
    return rows[rows["response_id"] == latest]


def scan_scores(scans: pd.DataFrame, definition: Definition) -> pd.DataFrame:
    """Domain scores of every scan: one row per scan and domain (``response_id, domain, score,
    n_answered, n_items`` and the profile columns), scored as the instrument says."""
    return domain_scores(
        scans, items=item_scoring(definition), min_answered=min_answered(definition)
    ).to_frame()


def closing_answers(scans: pd.DataFrame, definition: Definition) -> pd.DataFrame:
    """Per scan (index ``response_id``): ``themes`` (the domain keys chosen for a sprint, as
    stored; other choices are left out), ``question`` (the main HR question or None),
    ``consent`` (True only for an explicit "ja") and ``municipality`` (or None)."""
    domains = set(domain_titles(definition))
    index = item_index(definition)
    keys = [QUESTION_ITEM, CONSENT_ITEM, MUNICIPALITY_ITEM, THEMES_ITEM]
    texts = (
        scans[scans["item_key"].isin(keys)]
        .pivot(index="response_id", columns="item_key", values="text")
        .reindex(index=pd.unique(scans["response_id"]), columns=keys)
    )
    themes_item = index.get(THEMES_ITEM)

    def themes(stored: object) -> tuple[str, ...]:
        if themes_item is None or not isinstance(stored, str):
            return ()
        chosen = leaf_type(themes_item).condition_value(themes_item, stored)
        return tuple(value for value in chosen if value in domains)

    return pd.DataFrame(
        {
            "themes": texts[THEMES_ITEM].map(themes),
            "question": texts[QUESTION_ITEM].map(plain_text),
            "consent": texts[CONSENT_ITEM].eq(CONSENT_YES).fillna(False).astype(bool),
            "municipality": texts[MUNICIPALITY_ITEM].map(plain_text),
        },
        index=texts.index.rename("response_id"),
    )


def plain_float(value: object) -> float | None:
    """A number as a plain float; None for NaN or nothing (a hidden or missing figure)."""
    if value is None or pd.isna(value):
        return None
    number = float(value)
    return None if math.isnan(number) else number


def plain_text(value: object) -> str | None:
    """A stored text stripped; None when empty or missing."""
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip()
