"""Expectation versus experience (CoP): what respondents expected at the nulmeting and what they
experienced in the follow-ups, asked with the same item keys.

The surveys are anonymous, so the two sides are independent samples: Welch's interval for the
difference of means, which does not assume equal variances.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from analysis.checks import check_confidence, check_k, numeric_values, require_frame
from analysis.descriptives import describe_means
from analysis.disclosure import ONE_SIDE, mark_suppressed
from analysis.effect_size import hedges_g
from analysis.result import TableResult

_VALUES = ["difference", "se", "df", "ci_low", "ci_high", "p", "hedges_g"]


@dataclass(frozen=True, eq=False)
class ExpectationGap(TableResult):
    """Per item, respondent group and follow-up wave: ``n_expectation, mean_expectation,
    n_experience, mean_experience, difference`` (experience minus expectation), ``se, df, ci_low,
    ci_high, p, hedges_g, suppressed, suppression_reason``."""

    confidence: float
    k: int


def expectation_vs_experience(
    frame: pd.DataFrame,
    *,
    item_col: str = "item_key",
    value_col: str = "value",
    wave_col: str = "wave",
    group_col: str | None = "respondent_group",
    items: Sequence[str] | None = None,
    k: int = 5,
    confidence: float = 0.95,
) -> ExpectationGap:
    """Compare the expectation (wave 0) with the experience (each later wave) per item and group.

    Shows, item by item, whether the CoP delivered what its members expected at the start. A
    positive difference means the experience exceeded the expectation. ``items`` limits the items
    compared; by default every item with at least one numeric answer. Disclosure: a side with
    fewer than ``k`` answers is hidden, and the difference with it.
    """
    check_k(k)
    check_confidence(confidence)
    purpose = "expectation_vs_experience"
    groups = [group_col] if group_col is not None else []
    require_frame(frame, columns=[item_col, value_col, wave_col, *groups], purpose=purpose)
    data = frame[[item_col, *groups]].copy()
    data["value"] = numeric_values(frame, value_col, purpose=purpose)
    data["wave"] = numeric_values(frame, wave_col, purpose=purpose)
    if items is not None:
        data = data[data[item_col].isin(list(items))]
    scored = data.groupby(item_col, sort=False)["value"].transform("count") > 0
    data = data[scored]
    if data.empty:
        raise ValueError(f"{purpose}: no numeric answers to compare")
    if not (data["wave"] == 0).any():
        raise ValueError(f"{purpose}: no expectations: no answers in wave 0 (the nulmeting)")
    if not (data["wave"] > 0).any():
        raise ValueError(f"{purpose}: no experiences: no answers in a follow-up wave (>= 1)")

    keys = [item_col, *groups]
    before = describe_means(
        data[data["wave"] == 0], value_col="value", by=keys, k=k, confidence=confidence
    ).table
    after = describe_means(
        data[data["wave"] > 0], value_col="value", by=[*keys, "wave"], k=k, confidence=confidence
    ).table
    table = after[[*keys, "wave", "n", "mean", "sd", "suppressed"]].merge(
        before[[*keys, "n", "mean", "sd", "suppressed"]],
        on=keys,
        how="left",
        suffixes=("_experience", "_expectation"),
    )
    table["wave"] = table["wave"].astype(np.int64)
    hidden_before = table["suppressed_expectation"].astype("boolean").fillna(True)
    hidden = hidden_before.to_numpy(dtype=bool) | table["suppressed_experience"].to_numpy(bool)
    table = _welch(table, confidence)
    table = table[
        [
            *keys,
            "wave",
            "n_expectation",
            "mean_expectation",
            "n_experience",
            "mean_experience",
            *_VALUES,
        ]
    ]
    table = mark_suppressed(table, hidden, reason=ONE_SIDE, value_cols=_VALUES)
    return ExpectationGap(table=table, confidence=confidence, k=k)


def _welch(table: pd.DataFrame, confidence: float) -> pd.DataFrame:
    """Add the Welch difference, its standard error, degrees of freedom, interval and p-value."""
    n1, m1, s1 = (table[f"{c}_expectation"].to_numpy(dtype=float) for c in ("n", "mean", "sd"))
    n2, m2, s2 = (table[f"{c}_experience"].to_numpy(dtype=float) for c in ("n", "mean", "sd"))
    out = table.copy()
    with np.errstate(invalid="ignore", divide="ignore"):
        v1, v2 = s1**2 / n1, s2**2 / n2
        se = np.sqrt(v1 + v2)
        df = (v1 + v2) ** 2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1))
        difference = m2 - m1
        half = stats.t.ppf(0.5 + confidence / 2, df) * se
        out["p"] = 2 * stats.t.sf(np.abs(difference / se), df)
    out["difference"] = difference
    out["se"] = se
    out["df"] = df
    out["ci_low"] = difference - half
    out["ci_high"] = difference + half
    out["hedges_g"] = hedges_g(m1, s1, n1, m2, s2, n2)
    return out
