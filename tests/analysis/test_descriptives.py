"""Means with t-intervals and proportions with Wilson intervals."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.descriptives import describe_means, describe_proportions, wilson_interval

# Cushny & Peebles' sleep data (Student 1908): extra hours of sleep, drug 2 minus drug 1.
# R's t.test(extra ~ group, data = sleep, paired = TRUE) reports the interval -2.4598858 to
# -0.7001142 for group 1 minus group 2, i.e. 0.7001142 to 2.4598858 for these differences.
SLEEP_DIFFERENCES = [1.2, 2.4, 1.3, 1.3, 0.0, 1.0, 1.8, 0.8, 4.6, 1.4]


def test_mean_interval_matches_the_published_sleep_data_interval():
    frame = pd.DataFrame({"score": SLEEP_DIFFERENCES})
    row = describe_means(frame, k=5).to_frame().iloc[0]
    assert row["n"] == 10
    assert row["mean"] == pytest.approx(1.58)
    assert row["ci_low"] == pytest.approx(0.7001142, abs=1e-7)
    assert row["ci_high"] == pytest.approx(2.4598858, abs=1e-7)


def test_mean_interval_per_group_matches_a_hand_computation():
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"sector": np.repeat(["ICT", "zorg"], 12), "score": rng.normal(2, 1, 24)})
    frame.loc[3, "score"] = np.nan
    table = describe_means(frame, by="sector").to_frame().set_index("sector")
    for sector, group in frame.groupby("sector"):
        x = group["score"].dropna().to_numpy()
        n = len(x)
        mean = x.sum() / n
        sd = np.sqrt(((x - mean) ** 2).sum() / (n - 1))
        half = stats.t.ppf(0.975, n - 1) * sd / np.sqrt(n)
        assert table.loc[sector, "n"] == n
        assert table.loc[sector, "sd"] == pytest.approx(sd)
        assert table.loc[sector, "ci_low"] == pytest.approx(mean - half)
        assert table.loc[sector, "ci_high"] == pytest.approx(mean + half)


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    # Newcombe (1998), Statistics in Medicine 17:857-872, table II, method 3 (Wilson score).
    [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_interval_matches_newcombes_published_values(successes, n, low, high):
    ci_low, ci_high = wilson_interval(np.array([successes]), np.array([n]))
    assert ci_low[0] == pytest.approx(low, abs=5e-5)
    assert ci_high[0] == pytest.approx(high, abs=5e-5)


def test_proportion_per_group_uses_the_wilson_interval():
    frame = pd.DataFrame(
        {
            "group": ["a"] * 263 + ["b"] * 148,
            "works_in_limburg": [1] * 81 + [0] * 182 + [1] * 15 + [0] * 133,
        }
    )
    table = describe_proportions(frame, value_col="works_in_limburg", by="group").to_frame()
    table = table.set_index("group")
    assert table.loc["a", "proportion"] == pytest.approx(81 / 263)
    assert table.loc["a", "ci_low"] == pytest.approx(0.2553, abs=5e-5)
    assert table.loc["b", "ci_high"] == pytest.approx(0.1605, abs=5e-5)


def test_groups_below_k_are_suppressed_with_nan_and_a_reason():
    frame = pd.DataFrame({"region": ["Noord"] * 6 + ["Zuid"] * 4, "score": np.arange(10.0)})
    table = describe_means(frame, by="region", k=5).to_frame().set_index("region")
    assert not table.loc["Noord", "suppressed"]
    assert table.loc["Zuid", "suppressed"]
    assert table.loc["Zuid", "suppression_reason"] == "fewer than 5 units"
    assert table.loc["Zuid", ["n", "mean", "sd", "ci_low", "ci_high"]].isna().all()


def test_proportions_reject_values_other_than_zero_and_one():
    with pytest.raises(ValueError, match="only 0/1"):
        describe_proportions(pd.DataFrame({"y": [0, 1, 2]}), value_col="y")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"value_col": "missing"}, "missing column"),
        ({"by": "sector"}, "missing column"),
        ({"k": 0}, "k must be"),
        ({"confidence": 95}, "confidence"),
    ],
)
def test_bad_arguments_raise_value_error(kwargs, message):
    with pytest.raises(ValueError, match=message):
        describe_means(pd.DataFrame({"score": [1.0, 2.0]}), **kwargs)


def test_an_empty_frame_raises_value_error():
    with pytest.raises(ValueError, match="empty"):
        describe_means(pd.DataFrame({"score": []}))
