"""Change over waves: design detection, OLS with HC3, MixedLM with fallback, paired differences."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from analysis.change import change_by_domain, change_over_waves


def cross_sections(seed: int = 1, sizes=(40, 35, 30), effects=(0.0, 0.4, 0.7)) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    waves = np.repeat(np.arange(len(sizes)), sizes)
    noise = rng.normal(0, 1, len(waves)) * (1 + 0.5 * waves)  # unequal variances: HC3 matters
    return pd.DataFrame({"score": 2 + np.asarray(effects)[waves] + noise, "wave": waves})


def panel(n_units: int = 200, effect: float = 0.3, seed: int = 2, waves: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    unit = np.repeat(np.arange(n_units), waves)
    wave = np.tile(np.arange(waves), n_units)
    score = 2 + effect * wave + rng.normal(0, 0.6, n_units)[unit] + rng.normal(0, 0.4, len(unit))
    return pd.DataFrame({"organisation_id": unit, "wave": wave, "score": score})


def hc3_by_hand(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, int]:
    """OLS of score on wave dummies with the HC3 sandwich (MacKinnon & White 1985)."""
    waves = np.sort(frame["wave"].unique())
    x = np.column_stack(
        [np.ones(len(frame))] + [(frame["wave"] == w).to_numpy(float) for w in waves[1:]]
    )
    y = frame["score"].to_numpy()
    bread = np.linalg.inv(x.T @ x)
    beta = bread @ x.T @ y
    residual = y - x @ beta
    leverage = np.einsum("ij,jk,ik->i", x, bread, x)
    meat = x.T @ (x * (residual**2 / (1 - leverage) ** 2)[:, None])
    return beta, bread @ meat @ bread, len(y) - x.shape[1]


def test_independent_waves_are_analysed_as_repeated_cross_sections_with_hc3():
    frame = cross_sections()
    change = change_over_waves(frame)
    assert change.design == "repeated_cross_sections"
    assert change.method == "ols_hc3"
    beta, cov, df = hc3_by_hand(frame)
    table = change.to_frame().set_index("term")
    for i, term in enumerate(["wave 1 vs 0", "wave 2 vs 0"], start=1):
        se = np.sqrt(cov[i, i])
        half = stats.t.ppf(0.975, df) * se
        assert table.loc[term, "estimate"] == pytest.approx(beta[i])
        assert table.loc[term, "se"] == pytest.approx(se)
        assert table.loc[term, "ci_low"] == pytest.approx(beta[i] - half)
        assert table.loc[term, "ci_high"] == pytest.approx(beta[i] + half)
        assert table.loc[term, "p"] == pytest.approx(2 * stats.t.sf(abs(beta[i] / se), df))


def four_waves(seed: int = 1) -> pd.DataFrame:
    return cross_sections(seed, sizes=(40, 35, 30, 30), effects=(0.0, 0.4, 0.7, 0.8))


def test_linear_trend_is_the_slope_through_the_wave_means_with_hc3_errors():
    frame = four_waves()
    beta, cov, df = hc3_by_hand(frame)
    # Waves 0-3 centred are -1.5, -0.5, 0.5, 1.5 (sum of squares 5): the slope weighs the wave
    # effects (beta1..beta3) by 0.5 - (-1.5), ... over 5.
    weights = np.array([0.0, -0.5, 0.5, 1.5]) / 5
    slope, se = weights @ beta, np.sqrt(weights @ cov @ weights)
    trend = change_over_waves(frame).to_frame().set_index("term").loc["linear trend"]
    means = frame.groupby("wave")["score"].mean()
    assert trend["estimate"] == pytest.approx(slope)
    assert trend["estimate"] == pytest.approx(np.polyfit([0, 1, 2, 3], means, 1)[0])
    assert trend["se"] == pytest.approx(se)
    assert trend["p"] == pytest.approx(2 * stats.t.sf(abs(slope / se), df))


def test_three_waves_get_no_trend_of_their_own():
    """Over three equally spaced waves the slope is half the first-to-last contrast, with the
    same p: it adds nothing and would take a Holm family of its own."""
    terms = change_over_waves(cross_sections()).to_frame()["term"].tolist()
    assert terms == ["wave 1 vs 0", "wave 2 vs 0"]
    panel_terms = change_over_waves(panel(waves=3)).to_frame()["term"].tolist()
    assert "linear trend" not in panel_terms


def test_hedges_g_has_the_sign_of_the_model_estimate_it_accompanies():
    """A panel whose returning companies each drop 0.5 while high-scoring newcomers lift the
    raw mean of the later wave: the model's estimate is negative, the raw difference positive,
    and the g printed next to the estimate must be negative too."""
    rng = np.random.default_rng(5)
    base = np.linspace(1, 3, 20)
    rows = [(u, 0, s + rng.normal(0, 0.05)) for u, s in enumerate(base)]
    rows += [(u, 1, base[u] - 0.5 + rng.normal(0, 0.05)) for u in range(10)]  # the low ones
    rows += [(100 + u, 1, 3.6 + rng.normal(0, 0.1)) for u in range(10)]  # newcomers
    frame = pd.DataFrame(rows, columns=["organisation_id", "wave", "score"])
    change = change_over_waves(frame)
    row = change.to_frame().set_index("term").loc["wave 1 vs 0"]
    raw = frame.groupby("wave")["score"].mean()
    assert raw[1] > raw[0] and row["estimate"] < 0  # the scenario separates the two
    a = frame.loc[frame["wave"] == 0, "score"].to_numpy()
    b = frame.loc[frame["wave"] == 1, "score"].to_numpy()
    df = len(a) + len(b) - 2
    pooled = np.sqrt(((len(a) - 1) * a.var(ddof=1) + (len(b) - 1) * b.var(ddof=1)) / df)
    correction = 1 - 3 / (4 * df - 1)  # Hedges' approximation
    assert row["hedges_g"] == pytest.approx(row["estimate"] / pooled * correction, rel=1e-3)
    assert row["hedges_g"] < 0


def test_contrast_effect_size_is_hedges_g_of_the_two_waves():
    frame = cross_sections()
    row = change_over_waves(frame).to_frame().set_index("term").loc["wave 2 vs 0"]
    a = frame.loc[frame["wave"] == 0, "score"].to_numpy()
    b = frame.loc[frame["wave"] == 2, "score"].to_numpy()
    pooled = np.sqrt(
        ((len(a) - 1) * a.var(ddof=1) + (len(b) - 1) * b.var(ddof=1)) / (len(a) + len(b) - 2)
    )
    correction = 1 - 3 / (4 * (len(a) + len(b) - 2) - 1)  # Hedges' approximation
    assert row["hedges_g"] == pytest.approx((b.mean() - a.mean()) / pooled * correction, rel=1e-4)


def test_recurring_organisations_make_a_panel_fitted_with_mixedlm_covering_the_true_effect():
    frame = panel(effect=0.3, waves=4)
    change = change_over_waves(frame)
    assert change.design == "panel"
    assert change.method == "mixedlm"
    assert change.unit_col == "organisation_id"
    table = change.to_frame().set_index("term")
    assert table.loc["wave 1 vs 0", "ci_low"] < 0.3 < table.loc["wave 1 vs 0", "ci_high"]
    assert table.loc["wave 2 vs 0", "ci_low"] < 0.6 < table.loc["wave 2 vs 0", "ci_high"]
    assert table.loc["linear trend", "ci_low"] < 0.3 < table.loc["linear trend", "ci_high"]


def test_panel_key_is_preferred_over_organisation_as_the_unit():
    frame = panel().assign(panel_key=lambda f: "p" + f["organisation_id"].astype(str))
    assert change_over_waves(frame).unit_col == "panel_key"


def test_organisations_seen_in_one_wave_each_are_cross_sections():
    frame = cross_sections().assign(organisation_id=lambda f: np.arange(len(f)))
    assert change_over_waves(frame).design == "repeated_cross_sections"


def test_mixedlm_that_does_not_converge_falls_back_to_cluster_robust_ols_and_says_so():
    frame = panel()
    change = change_over_waves(frame, maxiter=1)
    assert change.method == "ols_cluster"
    assert "did not converge" in change.note and "organisation_id" in change.note
    expected = sm.OLS(
        frame["score"],
        sm.add_constant(pd.get_dummies(frame["wave"], drop_first=True, dtype=float)),
    ).fit(cov_type="cluster", cov_kwds={"groups": frame["organisation_id"]})
    table = change.to_frame().set_index("term")
    assert table.loc["wave 2 vs 0", "estimate"] == pytest.approx(expected.params[2])
    assert table.loc["wave 2 vs 0", "se"] == pytest.approx(expected.bse[2])


def test_mixedlm_that_raises_falls_back_to_cluster_robust_ols(monkeypatch):
    def broken_fit(self, *args, **kwargs):
        raise np.linalg.LinAlgError("Singular matrix")

    monkeypatch.setattr(sm.MixedLM, "fit", broken_fit)
    change = change_over_waves(panel())
    assert change.method == "ols_cluster"
    assert "LinAlgError" in change.note


def test_panel_reports_paired_differences_for_units_seen_in_both_waves():
    frame = panel(n_units=50)
    frame = frame.drop(index=frame.index[(frame["organisation_id"] < 10) & (frame["wave"] == 2)])
    paired = change_over_waves(frame).paired.set_index("wave")
    wide = frame.pivot(index="organisation_id", columns="wave", values="score")
    both = wide[[0, 2]].dropna()
    difference = (both[2] - both[0]).to_numpy()
    n = len(difference)
    se = difference.std(ddof=1) / np.sqrt(n)
    assert paired.loc[2, "n_pairs"] == 40
    assert paired.loc[2, "mean_difference"] == pytest.approx(difference.mean())
    assert paired.loc[2, "ci_low"] == pytest.approx(
        difference.mean() - stats.t.ppf(0.975, n - 1) * se
    )
    assert paired.loc[2, "p"] == pytest.approx(stats.ttest_rel(both[2], both[0]).pvalue)
    within = np.sqrt((both[0].var(ddof=1) + both[2].var(ddof=1)) / 2)
    assert paired.loc[2, "hedges_g"] == pytest.approx(
        difference.mean() / within * (1 - 3 / (4 * (n - 1) - 1)), rel=1e-4
    )


def test_a_unit_answering_twice_in_a_wave_counts_once_with_its_mean():
    frame = panel(n_units=30)
    extra = frame[frame["wave"] == 1].head(1).assign(score=lambda f: f["score"] + 1)
    change = change_over_waves(pd.concat([frame, extra]))
    assert change.waves.set_index("wave").loc[1, "n"] == 30


def test_a_wave_below_k_hides_its_mean_its_contrast_and_the_trend():
    frame = cross_sections(sizes=(30, 25, 4, 30), effects=(0.0, 0.4, 0.7, 0.8))
    change = change_over_waves(frame, k=5)
    waves = change.waves.set_index("wave")
    assert waves.loc[2, "suppressed"] and np.isnan(waves.loc[2, "mean"])
    table = change.to_frame().set_index("term")
    assert not table.loc["wave 1 vs 0", "suppressed"]
    for term in ["wave 2 vs 0", "linear trend"]:
        assert table.loc[term, "suppressed"]
        assert table.loc[term, ["estimate", "ci_low", "ci_high", "p", "hedges_g"]].isna().all()
        assert table.loc[term, "suppression_reason"] == "one side of the comparison is suppressed"


def holm_by_hand(p: list[float]) -> list[float]:
    m = len(p)
    order = sorted(range(m), key=lambda i: p[i])
    adjusted, running = [0.0] * m, 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        adjusted[i] = running
    return adjusted


def test_change_by_domain_holm_corrects_each_term_across_domains():
    rng = np.random.default_rng(5)
    frames = []
    for d, effect in enumerate([0.0, 0.2, 0.5, 0.05]):
        frame = cross_sections(seed=10 + d, effects=(0.0, effect, 2 * effect))
        frames.append(
            frame.assign(domain=f"d{d}", score=frame["score"] + rng.normal(0, 0.1, len(frame)))
        )
    result = change_by_domain(pd.concat(frames, ignore_index=True), alpha=0.05)
    table = result.to_frame()
    assert set(result.changes) == {"d0", "d1", "d2", "d3"}
    for _, rows in table.groupby("term"):
        assert rows["p_holm"].tolist() == pytest.approx(holm_by_hand(rows["p"].tolist()))
        assert (rows["significant"] == (rows["p_holm"] < 0.05)).all()


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (pd.DataFrame({"score": [1.0, 2.0], "wave": [0, 0]}), "only one wave"),
        (pd.DataFrame({"score": [2.0, 2.0, 2.0], "wave": [0, 1, 1]}), "no variance"),
        (pd.DataFrame({"score": [1.0, 2.0]}), "missing column"),
        (pd.DataFrame({"score": [], "wave": []}), "empty"),
        (pd.DataFrame({"score": [np.nan, np.nan], "wave": [0, 1]}), "no scores"),
        (pd.DataFrame({"score": [1.0, 2.0], "wave": [0, 0.5]}), "whole numbers"),
        (pd.DataFrame({"score": [1.0, 2.0], "wave": [0, 1]}), "too few"),
        (
            pd.DataFrame({"score": [1.0, 2.0, 3.0], "wave": [0, 1, 1], "organisation_id": 7}),
            "at least 2 units",
        ),
    ],
)
def test_bad_input_raises_value_error(frame, message):
    with pytest.raises(ValueError, match=message):
        change_over_waves(frame)


def test_change_by_domain_names_the_domain_whose_input_is_bad():
    frame = pd.DataFrame(
        {
            "domain": ["x", "x", "x", "y", "y"],
            "score": [1.0, 2.0, 3.0, 1.0, 3.0],
            "wave": [0, 1, 1, 0, 0],
        }
    )
    with pytest.raises(ValueError, match=r"domain 'y'.*only one wave"):
        change_by_domain(frame)
