"""Domain scores from the tidy answer frame."""

import time

import numpy as np
import pandas as pd
import pytest

from analysis.scores import ItemScoring, domain_scores, recode_items

ITEMS = [
    ItemScoring("a1", "alpha", 0, 4),
    ItemScoring("a2", "alpha", 0, 4),
    ItemScoring("a3", "alpha", 0, 4, reverse=True),
    ItemScoring("a4", "alpha", 0, 4),
    ItemScoring("b1", "beta", 1, 5),
    ItemScoring("b2", "beta", 1, 5, reverse=True),
]


def answers(rows: list[tuple[str, str, float]], **levels: object) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["response_id", "item_key", "value"])
    return frame.assign(**levels)


def test_score_is_mean_of_answered_items_after_reverse_coding():
    frame = answers(
        [("r1", "a1", 4), ("r1", "a2", 2), ("r1", "a3", 1), ("r1", "a4", np.nan)],
    )
    scores = domain_scores(frame, items=ITEMS).to_frame().set_index("domain")
    # a3 reversed: 0 + 4 - 1 = 3; the missing a4 is not a 0.
    assert scores.loc["alpha", "score"] == pytest.approx((4 + 2 + 3) / 3)
    assert scores.loc["alpha", "n_answered"] == 3
    assert scores.loc["alpha", "n_items"] == 4


def test_domain_without_enough_answered_items_has_no_score():
    frame = answers([("r1", "a1", 4), ("r1", "a2", np.nan), ("r1", "b1", 5), ("r1", "b2", 2)])
    scores = domain_scores(frame, items=ITEMS, min_answered=0.5).to_frame().set_index("domain")
    assert np.isnan(scores.loc["alpha", "score"])  # 1 of 4 answered < 50%
    assert scores.loc["beta", "score"] == pytest.approx((5 + (1 + 5 - 2)) / 2)


def test_exactly_the_minimum_share_answered_is_enough():
    frame = answers([("r1", "a1", 1), ("r1", "a2", 3)])
    scores = domain_scores(frame, items=ITEMS, min_answered=0.5).to_frame().set_index("domain")
    assert scores.loc["alpha", "score"] == pytest.approx(2.0)


def test_every_response_gets_a_row_per_domain_with_its_response_level_columns():
    frame = pd.concat(
        [
            answers([("r1", "a1", 1), ("r1", "a2", 2)], year=2024, wave=0, sector="ICT"),
            answers([("r2", "b1", 3), ("r2", "b2", 3)], year=2025, wave=1, sector="zorg"),
        ]
    )
    table = domain_scores(frame, items=ITEMS).to_frame()
    assert list(table.columns) == [
        "response_id",
        "domain",
        "score",
        "n_answered",
        "n_items",
        "year",
        "wave",
        "sector",
    ]
    assert len(table) == 4
    r2 = table[table["response_id"] == "r2"]
    assert set(r2["sector"]) == {"zorg"} and set(r2["wave"]) == {1}
    assert r2.set_index("domain").loc["alpha", "n_answered"] == 0


def test_wide_has_one_row_per_response_and_one_column_per_domain():
    frame = answers(
        [("r1", "a1", 1), ("r1", "a2", 3), ("r2", "b1", 2), ("r2", "b2", 5), ("r2", "a1", 0)]
    )
    wide = domain_scores(frame, items=ITEMS).wide()
    assert list(wide.columns) == ["alpha", "beta"]
    assert list(wide.index) == ["r1", "r2"]
    assert wide.loc["r1", "alpha"] == pytest.approx(2.0)
    assert wide.loc["r2", "beta"] == pytest.approx((2 + 1) / 2)
    assert np.isnan(wide.loc["r1", "beta"])


def test_items_outside_the_scoring_are_ignored():
    frame = answers([("r1", "a1", 2), ("r1", "a2", 2), ("r1", "vacatures", 120.0)])
    scores = domain_scores(frame, items=ITEMS).to_frame().set_index("domain")
    assert scores.loc["alpha", "score"] == pytest.approx(2.0)


def test_recode_items_reverses_only_reverse_items():
    frame = answers([("r1", "a1", 1), ("r1", "a3", 1), ("r1", "b2", 2)])
    recoded = recode_items(frame, items=ITEMS).set_index("item_key")
    assert recoded.loc["a1", "value"] == 1
    assert recoded.loc["a3", "value"] == 3
    assert recoded.loc["b2", "value"] == 4
    assert recoded.loc["b2", "domain"] == "beta"


def test_scores_a_million_answers_in_a_few_seconds():
    rng = np.random.default_rng(0)
    n_responses, n_items = 10_000, 100
    items = [ItemScoring(f"i{j}", f"d{j // 10}", 0, 4, reverse=j % 5 == 0) for j in range(100)]
    frame = pd.DataFrame(
        {
            "response_id": np.repeat(np.arange(n_responses), n_items),
            "item_key": np.tile([item.key for item in items], n_responses),
            "value": rng.integers(0, 5, n_responses * n_items).astype(float),
            "wave": np.repeat(np.arange(n_responses) % 5, n_items),
        }
    )
    started = time.perf_counter()
    scores = domain_scores(frame, items=items)
    assert time.perf_counter() - started < 5
    assert len(scores.to_frame()) == n_responses * 10


@pytest.mark.parametrize(
    ("frame", "kwargs", "message"),
    [
        (pd.DataFrame({"response_id": [1], "item_key": ["a1"]}), {}, "missing column"),
        (pd.DataFrame(columns=["response_id", "item_key", "value"]), {}, "empty"),
        (answers([("r1", "a1", 1), ("r1", "a1", 2)]), {}, "more than once"),
        (answers([("r1", "a1", 7)]), {}, "outside the item's scale"),
        (answers([("r1", "a1", "eens")]), {}, "must be numeric"),
        (answers([("r1", "a1", 1)]), {"min_answered": 0}, "min_answered"),
        (answers([("r1", "a1", 1)]), {"items": []}, "at least one"),
        (answers([("r1", "a1", 1)]), {"items": [ITEMS[0], ITEMS[0]]}, "scored twice"),
        (
            answers([("r1", "a1", 1), ("r1", "a2", 1)]).assign(year=[2024, 2025]),
            {},
            "varies within a response",
        ),
        (answers([(None, "a1", 1)]), {}, "missing response ids"),
        (answers([("r1", "a1", 1)]), {"items": [ItemScoring("a1", "alpha", 4, 0)]}, "scale_min"),
    ],
)
def test_bad_input_raises_value_error(frame, kwargs, message):
    with pytest.raises(ValueError, match=message):
        domain_scores(frame, **{"items": ITEMS, **kwargs})
