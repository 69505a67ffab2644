"""Holm's step-down correction for a family of tests (e.g. the domains of one instrument)."""

from collections.abc import Sequence

import numpy as np


def holm(p_values: Sequence[float] | np.ndarray) -> np.ndarray:
    """Holm-adjusted p-values: controls the family-wise error rate without assuming independence.

    NaN entries (a test that was not run or not shown) stay NaN and are not counted in the family.
    The adjusted values are monotone in the raw ones and capped at 1.
    """
    p = np.asarray(p_values, dtype=float)
    if p.ndim != 1:
        raise ValueError("holm: p_values must be one-dimensional")
    present = ~np.isnan(p)
    if ((p[present] < 0) | (p[present] > 1)).any():
        raise ValueError("holm: p-values must lie between 0 and 1")
    adjusted = np.full(p.shape, np.nan)
    m = int(present.sum())
    order = np.argsort(p[present], kind="stable")
    stepped = (m - np.arange(m)) * p[present][order]
    values = np.empty(m)
    values[order] = np.minimum(np.maximum.accumulate(stepped), 1.0)
    adjusted[present] = values
    return adjusted
