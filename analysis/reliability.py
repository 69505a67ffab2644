"""Internal consistency of each domain: Cronbach's alpha."""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.checks import check_k
from analysis.disclosure import suppress_small
from analysis.result import TableResult
from analysis.scores import ItemScoring, recode_items


@dataclass(frozen=True, eq=False)
class Reliability(TableResult):
    """Per domain: ``domain, alpha, n, n_items, note, suppressed, suppression_reason``."""

    k: int


def cronbach_alpha(
    frame: pd.DataFrame,
    *,
    items: Sequence[ItemScoring],
    response_col: str = "response_id",
    item_col: str = "item_key",
    value_col: str = "value",
    k: int = 5,
) -> Reliability:
    """Cronbach's alpha per domain, on the wide item matrix of complete cases (reverse coded).

    Tells whether a domain's items measure one thing well enough to be averaged into a score.
    ``n`` is the number of responses that answered every item of the domain; alpha rests on them
    only, so a domain with fewer than ``k`` complete responses is suppressed. Alpha is NaN, with
    a ``note``, for a domain of one item or with no variance in the total.
    """
    check_k(k)
    answers = recode_items(
        frame, items=items, response_col=response_col, item_col=item_col, value_col=value_col
    )
    rows = []
    for domain in dict.fromkeys(item.domain for item in items):
        keys = [item.key for item in items if item.domain == domain]
        own = answers[answers["domain"] == domain]
        wide = own.pivot(index=response_col, columns=item_col, values="value")
        complete = wide.reindex(columns=keys).dropna().to_numpy()
        alpha, note = _alpha(complete)
        rows.append(
            {
                "domain": domain,
                "alpha": alpha,
                "n": len(complete),
                "n_items": len(keys),
                "note": note,
            }
        )
    table = suppress_small(pd.DataFrame(rows), n_cols="n", value_cols=["alpha"], k=k)
    return Reliability(table=table, k=k)


def _alpha(matrix: np.ndarray) -> tuple[float, str]:
    """Alpha of a complete-case matrix (rows: responses, columns: items), or NaN and why."""
    n, n_items = matrix.shape
    if n_items < 2:
        return np.nan, "alpha needs at least 2 items"
    if n < 2:
        return np.nan, "alpha needs at least 2 complete responses"
    total_variance = matrix.sum(axis=1).var(ddof=1)
    if total_variance == 0:
        return np.nan, "no variance in the domain total"
    item_variance = matrix.var(axis=0, ddof=1).sum()
    return n_items / (n_items - 1) * (1 - item_variance / total_variance), ""
