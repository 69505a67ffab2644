"""Hedges' g and Holm's correction against published and by-hand values."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.effect_size import hedges_g, hedges_g_paired, small_sample_correction
from analysis.multiple import holm


def test_hedges_g_matches_borensteins_worked_example():
    # Borenstein et al. (2009), Introduction to Meta-Analysis, section 4.3: means 103 and 100,
    # SDs 5.5 and 4.5, 50 per group: d = 0.5970, J = 0.9923, g = 0.5924.
    assert float(hedges_g(100, 4.5, 50, 103, 5.5, 50)) == pytest.approx(0.5924, abs=5e-5)


@pytest.mark.parametrize("df", [2, 5, 10, 38, 98, 400])
def test_small_sample_correction_is_hedges_gamma_formula(df):
    exact = math.exp(math.lgamma(df / 2) - math.lgamma((df - 1) / 2)) / math.sqrt(df / 2)
    assert float(small_sample_correction(df)) == pytest.approx(exact)
    approximation = 1 - 3 / (4 * df - 1)
    assert float(small_sample_correction(df)) == pytest.approx(approximation, abs=0.04 / df**2)


def test_hedges_g_is_nan_without_spread():
    assert np.isnan(hedges_g(1, 0, 10, 2, 0, 10))


def test_paired_g_standardises_by_the_within_wave_sd():
    expected = 0.5 / math.sqrt((1.0**2 + 2.0**2) / 2) * (1 - 3 / (4 * 19 - 1))
    assert float(hedges_g_paired(0.5, 1.0, 2.0, 20)) == pytest.approx(expected, rel=1e-4)


def test_holm_matches_a_worked_example():
    # Sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1, made monotone: 0.02, 0.03, 0.06, 0.06.
    assert holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])


def holm_by_hand(p: list[float]) -> list[float]:
    """Holm (1979): reject in order while p_(i) <= alpha / (m - i + 1); as adjusted p-values."""
    m = len(p)
    order = sorted(range(m), key=lambda i: p[i])
    adjusted, running = [0.0] * m, 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        adjusted[i] = running
    return adjusted


@given(st.lists(st.floats(0, 1), min_size=1, max_size=12))
def test_holm_agrees_with_a_by_hand_implementation(p):
    assert holm(p).tolist() == pytest.approx(holm_by_hand(p))


def test_holm_leaves_untested_entries_out_of_the_family():
    adjusted = holm([0.01, np.nan, 0.02])
    assert np.isnan(adjusted[1])
    assert adjusted[[0, 2]].tolist() == pytest.approx([0.02, 0.02])


def test_holm_rejects_values_that_are_not_probabilities():
    with pytest.raises(ValueError, match="between 0 and 1"):
        holm([0.5, 1.5])
