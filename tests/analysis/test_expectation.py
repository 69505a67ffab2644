"""Expectation (nulmeting) versus experience (follow-ups) per item and respondent group."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.expectation import expectation_vs_experience


def cop_answers(sizes: dict[int, int], seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for wave, n in sizes.items():
        for group, shift in [("studenten", 0.0), ("voorzitters", 0.5)]:
            for r in range(n):
                for item in ["cop_afstemming", "cop_kennis"]:
                    value = np.clip(np.round(3 + shift + 0.4 * wave + rng.normal(0, 1)), 1, 5)
                    rows.append((f"{wave}-{group}-{r}", item, value, wave, group))
                rows.append((f"{wave}-{group}-{r}", "cop_tip", np.nan, wave, group))
    return pd.DataFrame(
        rows, columns=["response_id", "item_key", "value", "wave", "respondent_group"]
    )


def test_difference_and_welch_interval_match_a_hand_computation():
    frame = cop_answers({0: 30, 1: 22})
    table = expectation_vs_experience(frame).to_frame()
    row = table[
        (table["item_key"] == "cop_kennis") & (table["respondent_group"] == "studenten")
    ].iloc[0]
    own = frame[(frame["item_key"] == "cop_kennis") & (frame["respondent_group"] == "studenten")]
    before = own.loc[own["wave"] == 0, "value"].to_numpy()
    after = own.loc[own["wave"] == 1, "value"].to_numpy()
    v1, v2 = before.var(ddof=1) / len(before), after.var(ddof=1) / len(after)
    df = (v1 + v2) ** 2 / (v1**2 / (len(before) - 1) + v2**2 / (len(after) - 1))
    half = stats.t.ppf(0.975, df) * np.sqrt(v1 + v2)
    difference = after.mean() - before.mean()
    assert row["n_expectation"] == 30 and row["n_experience"] == 22
    assert row["difference"] == pytest.approx(difference)
    assert row["df"] == pytest.approx(df)
    assert row["ci_low"] == pytest.approx(difference - half)
    assert row["ci_high"] == pytest.approx(difference + half)
    assert row["p"] == pytest.approx(stats.ttest_ind(after, before, equal_var=False).pvalue)


def test_each_follow_up_wave_is_compared_with_the_nulmeting_per_item_and_group():
    table = expectation_vs_experience(cop_answers({0: 20, 1: 20, 2: 20})).to_frame()
    assert len(table) == 2 * 2 * 2  # items x groups x follow-up waves; the open item is left out
    assert set(table["wave"]) == {1, 2}
    assert "cop_tip" not in set(table["item_key"])


def test_a_side_with_fewer_than_k_answers_hides_the_difference():
    table = expectation_vs_experience(cop_answers({0: 20, 1: 3}), k=5).to_frame()
    assert table["suppressed"].all()
    assert table[["difference", "ci_low", "ci_high", "p", "n_experience"]].isna().all().all()
    assert (table["n_expectation"] == 20).all()


def test_without_groups_all_respondents_are_pooled():
    table = expectation_vs_experience(cop_answers({0: 10, 1: 10}), group_col=None).to_frame()
    assert set(table["n_expectation"]) == {20}


@pytest.mark.parametrize(
    ("sizes", "message"),
    [({1: 10}, "no expectations"), ({0: 10}, "no experiences")],
)
def test_missing_side_raises_value_error(sizes, message):
    with pytest.raises(ValueError, match=message):
        expectation_vs_experience(cop_answers(sizes))


def test_missing_group_column_raises_value_error():
    frame = cop_answers({0: 5, 1: 5}).drop(columns="respondent_group")
    with pytest.raises(ValueError, match="respondent_group"):
        expectation_vs_experience(frame)


def _panel_answers(seed: int = 8) -> pd.DataFrame:
    """30 people at the nulmeting, 20 of them (and 5 newcomers) again in wave 1; each person has
    a stable level, so the two sides are strongly correlated; one item, one group."""
    rng = np.random.default_rng(seed)
    level = rng.normal(3, 0.8, 35)
    rows = [(f"p{i}", 0, level[i] + rng.normal(0, 0.3)) for i in range(30)]
    rows += [(f"p{i}", 1, level[i] + 0.3 + rng.normal(0, 0.3)) for i in range(10, 35)]
    frame = pd.DataFrame(rows, columns=["panel_key", "wave", "value"])
    return frame.assign(item_key="cop_kennis", respondent_group="studenten")


def test_people_linked_across_waves_get_errors_clustered_by_person():
    import statsmodels.api as sm

    frame = _panel_answers()
    row = expectation_vs_experience(frame).to_frame().iloc[0]
    assert row["method"] == "ols_cluster" and row["n_both"] == 20
    fit = sm.OLS(frame["value"], sm.add_constant(frame["wave"].astype(float))).fit(
        cov_type="cluster", cov_kwds={"groups": frame["panel_key"]}, use_t=True
    )
    assert row["difference"] == pytest.approx(fit.params["wave"])
    assert row["se"] == pytest.approx(fit.bse["wave"])
    assert row["df"] == 34  # 35 people, G - 1
    half = stats.t.ppf(0.975, 34) * fit.bse["wave"]
    assert row["ci_low"] == pytest.approx(fit.params["wave"] - half)
    welch = expectation_vs_experience(frame.drop(columns="panel_key")).to_frame().iloc[0]
    assert welch["method"] == "welch" and welch["n_both"] == 0
    assert welch["difference"] == pytest.approx(row["difference"])
    assert welch["se"] != pytest.approx(row["se"], rel=0.05)  # the dependence matters


def test_significance_is_holm_corrected_over_the_comparisons_of_a_wave():
    frame = cop_answers({0: 30, 1: 22, 2: 25})
    table = expectation_vs_experience(frame).to_frame()
    for _wave, rows in table.groupby("wave"):
        p = rows["p"].to_numpy()
        m = len(p)
        order = np.argsort(p)
        expected = np.empty(m)
        running = 0.0
        for rank, i in enumerate(order):
            running = max(running, min(1.0, (m - rank) * p[i]))
            expected[i] = running
        assert rows["p_holm"].to_numpy() == pytest.approx(expected)
        assert (rows["significant"] == (rows["p_holm"] < 0.05)).all()
