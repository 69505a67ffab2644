"""Descriptives with 95% intervals: means with a t-interval, proportions with a Wilson interval.

Both are aggregates, so both apply the k rule: a group with fewer than ``k`` units is shown as
suppressed (NaN values, ``suppressed`` True, a reason).
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from analysis.checks import as_names, check_confidence, check_k, numeric_values, require_frame
from analysis.disclosure import suppress_small
from analysis.result import TableResult


@dataclass(frozen=True, eq=False)
class Descriptives(TableResult):
    """Per group: ``n`` and the statistic with its interval (``ci_low``, ``ci_high``)."""

    statistic: str  #: "mean" or "proportion"
    confidence: float
    k: int


def _values(frame: pd.DataFrame, value_col: str, by: list[str], purpose: str) -> pd.DataFrame:
    """The ``by`` columns and the value column as floats (``_value``), after checking them."""
    require_frame(frame, columns=[value_col, *by], purpose=purpose)
    data = frame[by].copy()
    data["_value"] = numeric_values(frame, value_col, purpose=purpose)
    return data


def _summarise(data: pd.DataFrame, by: list[str], functions: list[str]) -> pd.DataFrame:
    """Aggregate ``_value`` per group with ``functions`` (one row without groups)."""
    if by:
        grouped = data.groupby(by, dropna=False, observed=True, sort=True)["_value"]
        return grouped.agg(functions).reset_index()
    return data["_value"].agg(functions).to_frame().T.reset_index(drop=True)


def describe_means(
    frame: pd.DataFrame,
    *,
    value_col: str = "score",
    by: str | Sequence[str] | None = None,
    k: int = 5,
    confidence: float = 0.95,
) -> Descriptives:
    """Mean, standard deviation and t-interval of ``value_col`` per group of ``by``.

    The interval is mean ± t(n-1) · sd/√n: the usual interval for a mean whose spread is
    estimated from the same sample. NaN values are not counted. Result columns: the ``by``
    columns, ``n, mean, sd, se, ci_low, ci_high, suppressed, suppression_reason``.
    """
    check_k(k)
    check_confidence(confidence)
    names = as_names(by)
    data = _values(frame, value_col, names, "describe_means")
    table = _summarise(data, names, ["count", "mean", "std"])
    table = table.rename(columns={"count": "n", "std": "sd"})
    n = table["n"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        table["se"] = table["sd"] / np.sqrt(n)
        half = stats.t.ppf(0.5 + confidence / 2, n - 1) * table["se"]
    table["ci_low"] = table["mean"] - half
    table["ci_high"] = table["mean"] + half
    table = suppress_small(
        table, n_cols="n", value_cols=["mean", "sd", "se", "ci_low", "ci_high"], k=k
    )
    return Descriptives(table=table, statistic="mean", confidence=confidence, k=k)


def wilson_interval(
    successes: np.ndarray, n: np.ndarray, *, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a proportion: stays inside [0, 1] and behaves near 0 and 1."""
    check_confidence(confidence)
    successes = np.asarray(successes, dtype=float)
    n = np.asarray(n, dtype=float)
    z = stats.norm.ppf(0.5 + confidence / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = successes / n
        denominator = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denominator
        half = z / denominator * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    return centre - half, centre + half


def describe_proportions(
    frame: pd.DataFrame,
    *,
    value_col: str,
    by: str | Sequence[str] | None = None,
    k: int = 5,
    confidence: float = 0.95,
) -> Descriptives:
    """Share of 1 (True) in a 0/1 column per group of ``by``, with a Wilson interval.

    For yes/no outcomes such as "works in Limburg"; NaN is not counted. Result columns: the ``by``
    columns, ``n, proportion, ci_low, ci_high, suppressed, suppression_reason``.
    """
    check_k(k)
    names = as_names(by)
    data = _values(frame, value_col, names, "describe_proportions")
    if not data["_value"].dropna().isin([0.0, 1.0]).all():
        raise ValueError(
            f"describe_proportions: column {value_col!r} must hold only 0/1 (or True/False) and NaN"
        )
    table = _summarise(data, names, ["count", "sum"]).rename(columns={"count": "n"})
    n = table["n"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        table["proportion"] = table["sum"] / n
    table["ci_low"], table["ci_high"] = wilson_interval(
        table["sum"].to_numpy(), n, confidence=confidence
    )
    table = table.drop(columns="sum")
    table = suppress_small(table, n_cols="n", value_cols=["proportion", "ci_low", "ci_high"], k=k)
    return Descriptives(table=table, statistic="proportion", confidence=confidence, k=k)
