"""The one rounding rule: halves away from zero, on the number as written."""

import math

import numpy as np
import pytest

from analysis.rounding import compare_rounded, round_half_up


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (2.25, 1, 2.3),  # Python's format gives 2.2 (half to even)
        (1.75, 1, 1.8),
        (0.35, 1, 0.4),  # stored as 0.34999...: Python's format gives 0.3
        (-0.35, 1, -0.4),  # away from zero, symmetric
        (2.5, 0, 3.0),  # round() gives 2
        (0.125, 2, 0.13),
        (3.14159, 2, 3.14),
        (7, 0, 7.0),
    ],
)
def test_halves_go_away_from_zero(value, decimals, expected):
    assert round_half_up(value, decimals) == expected


def test_numpy_floats_and_non_finite_values():
    assert round_half_up(np.float64(2.25), 1) == 2.3
    assert math.isnan(round_half_up(float("nan"), 1))
    assert round_half_up(float("inf"), 1) == float("inf")


def test_a_non_number_is_refused():
    with pytest.raises(ValueError, match="a number is needed"):
        round_half_up("2.25", 1)  # type: ignore[arg-type]


def test_comparison_follows_the_printed_values():
    assert compare_rounded(2.26, 2.34) == 0  # 2,26 < 2,34, but both print as 2,3
    assert compare_rounded(2.25, 2.3) == 0  # both print as 2,3
    assert compare_rounded(2.31, 2.24) == 1  # 2,3 vs 2,2
