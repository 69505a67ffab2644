"""Cronbach's alpha per domain."""

import numpy as np
import pandas as pd
import pytest

from analysis.reliability import cronbach_alpha
from analysis.scores import ItemScoring


def long_frame(matrix: np.ndarray, keys: list[str]) -> pd.DataFrame:
    rows = [(r, key, matrix[r, j]) for r in range(matrix.shape[0]) for j, key in enumerate(keys)]
    return pd.DataFrame(rows, columns=["response_id", "item_key", "value"])


def alpha_from_covariance(matrix: np.ndarray) -> float:
    """Alpha from the item covariance matrix: K/(K-1) * (1 - trace(C) / sum(C))."""
    cov = np.cov(matrix, rowvar=False)
    n_items = matrix.shape[1]
    return n_items / (n_items - 1) * (1 - np.trace(cov) / cov.sum())


def simulated(n: int, n_items: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    trait = rng.normal(size=(n, 1))
    return np.clip(np.round(2 + trait + rng.normal(0, 0.8, (n, n_items))), 0, 4)


def test_alpha_matches_the_covariance_formula_on_complete_cases():
    matrix = simulated(60, 4, seed=1)
    with_gaps = matrix.copy()
    with_gaps[[3, 10], [1, 2]] = np.nan
    items = [ItemScoring(f"q{j}", "d", 0, 4) for j in range(4)]
    table = cronbach_alpha(long_frame(with_gaps, [i.key for i in items]), items=items).to_frame()
    complete = with_gaps[~np.isnan(with_gaps).any(axis=1)]
    assert table.loc[0, "n"] == 58
    assert table.loc[0, "alpha"] == pytest.approx(alpha_from_covariance(complete))


def test_alpha_is_computed_after_reverse_coding():
    matrix = simulated(40, 3, seed=2)
    stored = matrix.copy()
    stored[:, 1] = 4 - stored[:, 1]  # the questionnaire asked item 2 the other way round
    items = [
        ItemScoring("q0", "d", 0, 4),
        ItemScoring("q1", "d", 0, 4, reverse=True),
        ItemScoring("q2", "d", 0, 4),
    ]
    table = cronbach_alpha(long_frame(stored, ["q0", "q1", "q2"]), items=items).to_frame()
    assert table.loc[0, "alpha"] == pytest.approx(alpha_from_covariance(matrix))


def test_one_item_domain_has_no_alpha_and_says_why():
    items = [ItemScoring("q0", "single", 0, 4)]
    table = cronbach_alpha(long_frame(simulated(20, 1, seed=3), ["q0"]), items=items).to_frame()
    assert np.isnan(table.loc[0, "alpha"])
    assert "2 items" in table.loc[0, "note"]


def test_alpha_on_fewer_than_k_complete_responses_is_suppressed():
    items = [ItemScoring(f"q{j}", "d", 0, 4) for j in range(3)]
    frame = long_frame(simulated(4, 3, seed=4), ["q0", "q1", "q2"])
    row = cronbach_alpha(frame, items=items, k=5).to_frame().iloc[0]
    assert row["suppressed"] and np.isnan(row["alpha"]) and np.isnan(row["n"])


def test_missing_value_column_raises_value_error():
    with pytest.raises(ValueError, match="missing column"):
        cronbach_alpha(
            pd.DataFrame({"response_id": [1], "item_key": ["q0"]}),
            items=[ItemScoring("q0", "d", 0, 4)],
        )
