"""Expectation versus experience (CoP): what respondents expected at the nulmeting and what they
experienced in the follow-ups, asked with the same item keys.

Where the answers carry no panel key (anonymous open links) the two sides are independent
samples: Welch's interval for the difference of means, which does not assume equal variances.
Where a pseudonymous panel key links people across the waves and some of them answered both, the
sides are not independent: the same difference of means gets standard errors clustered by person
(OLS on a follow-up dummy, CR1 sandwich, t with G−1 df; ``method`` says which). Significance is
Holm-corrected over the comparisons of one call per follow-up wave (every item × group shown), as
the HR-scan's changes are over its domains.
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
from analysis.multiple import holm
from analysis.result import TableResult

_VALUES = ["difference", "se", "df", "ci_low", "ci_high", "p", "hedges_g"]
WELCH = "welch"
CLUSTERED = "ols_cluster"


@dataclass(frozen=True, eq=False)
class ExpectationGap(TableResult):
    """Per item, respondent group and follow-up wave: ``n_expectation, mean_expectation,
    n_experience, mean_experience, difference`` (experience minus expectation), ``se, df, ci_low,
    ci_high, p, hedges_g``, ``method`` ("welch" or "ols_cluster"), ``n_both`` (panel units that
    answered both sides), ``p_holm, significant``, ``suppressed, suppression_reason``."""

    confidence: float
    k: int
    alpha: float


def expectation_vs_experience(
    frame: pd.DataFrame,
    *,
    item_col: str = "item_key",
    value_col: str = "value",
    wave_col: str = "wave",
    group_col: str | None = "respondent_group",
    items: Sequence[str] | None = None,
    unit_col: str | None = "panel_key",
    k: int = 5,
    confidence: float = 0.95,
    alpha: float = 0.05,
) -> ExpectationGap:
    """Compare the expectation (wave 0) with the experience (each later wave) per item and group.

    Shows, item by item, whether the CoP delivered what its members expected at the start. A
    positive difference means the experience exceeded the expectation. ``items`` limits the items
    compared; by default every item with at least one numeric answer. ``unit_col`` (when present
    in ``frame``) links a person's answers across waves. Disclosure: a side with fewer than ``k``
    answers is hidden, and the difference with it.
    """
    check_k(k)
    check_confidence(confidence)
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha!r}")
    purpose = "expectation_vs_experience"
    groups = [group_col] if group_col is not None else []
    require_frame(frame, columns=[item_col, value_col, wave_col, *groups], purpose=purpose)
    units = unit_col if unit_col is not None and unit_col in frame.columns else None
    data = frame[[item_col, *groups, *([units] if units else [])]].copy()
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
    table["method"], table["n_both"] = WELCH, 0
    if units is not None:
        table = _clustered(table, data, keys, units, confidence)
    table = table[
        [
            *keys,
            "wave",
            "n_expectation",
            "mean_expectation",
            "n_experience",
            "mean_experience",
            *_VALUES,
            "method",
            "n_both",
        ]
    ]
    table = mark_suppressed(table, hidden, reason=ONE_SIDE, value_cols=_VALUES)
    table["p_holm"] = table.groupby("wave", sort=False)["p"].transform(
        lambda p: pd.Series(holm(p.to_numpy()), index=p.index)
    )
    table["significant"] = (table["p_holm"] < alpha).to_numpy(dtype=bool)
    return ExpectationGap(table=table, confidence=confidence, k=k, alpha=alpha)


def _clustered(
    table: pd.DataFrame, data: pd.DataFrame, keys: list[str], units: str, confidence: float
) -> pd.DataFrame:
    """Replace the Welch errors by errors clustered by person where someone answered both sides.

    The difference stays the difference of the two means (OLS on a follow-up dummy); only its
    standard error, degrees of freedom, interval and p change.
    """
    out = table.copy()
    keyed = data[data[units].notna()]
    seen = keyed.groupby(units)["wave"].agg(["min", "max"])
    if not (seen["max"] > seen["min"]).any():
        return out  # nobody answered more than one wave: every side is independent
    for i, row in out.iterrows():
        cell = data[
            ((data["wave"] == 0) | (data["wave"] == row["wave"]))
            & (data[keys] == row[keys].to_numpy()).all(axis=1)
            & data["value"].notna()
        ]
        linked = cell[units].notna()
        seen = cell.loc[linked].groupby(units)["wave"].nunique()
        both = int((seen > 1).sum())
        if both == 0:
            continue
        # a person without a key is a cluster of their own
        labels = cell[units].astype(object).copy()
        labels[~linked] = [f"row {j}" for j in range(int((~linked).sum()))]
        se, df = _cluster_se(
            cell["value"].to_numpy(float),
            (cell["wave"] > 0).to_numpy(float),
            pd.factorize(labels)[0],
        )
        difference = row["difference"]
        with np.errstate(invalid="ignore", divide="ignore"):
            half = stats.t.ppf(0.5 + confidence / 2, df) * se
            p = 2 * stats.t.sf(abs(difference / se), df)
        out.loc[i, ["se", "df", "ci_low", "ci_high", "p"]] = [
            se, df, difference - half, difference + half, p,
        ]  # fmt: skip
        out.loc[i, "method"], out.loc[i, "n_both"] = CLUSTERED, both
    return out


def _cluster_se(y: np.ndarray, later: np.ndarray, cluster: np.ndarray) -> tuple[float, float]:
    """Standard error of the follow-up dummy's coefficient (the difference of means) in OLS of
    ``y`` on it, clustered by ``cluster`` (CR1: G/(G−1) · (N−1)/(N−2)), and its G−1 df."""
    x = np.column_stack([np.ones_like(later), later])
    bread = np.linalg.inv(x.T @ x)
    residual = y - x @ (bread @ x.T @ y)
    scores = np.zeros((cluster.max() + 1, 2))
    np.add.at(scores, cluster, x * residual[:, None])
    g, n = len(scores), len(y)
    meat = scores.T @ scores * (g / (g - 1)) * ((n - 1) / (n - 2))
    return float(np.sqrt((bread @ meat @ bread)[1, 1])), float(g - 1)


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
