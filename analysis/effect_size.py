"""Hedges' g: a standardised mean difference with the small-sample correction.

Used next to every difference of means (waves, expectation versus experience) so that changes on
scales of different length can be compared. Works on arrays of summary statistics.
"""

import numpy as np
from scipy.special import gammaln


def small_sample_correction(df: np.ndarray | float) -> np.ndarray:
    """Hedges' exact correction J(df) = Γ(df/2) / (√(df/2) · Γ((df-1)/2)); NaN for df <= 1."""
    df = np.asarray(df, dtype=float)
    with np.errstate(invalid="ignore"):
        safe = np.where(df > 1, df, np.nan)
        return np.exp(gammaln(safe / 2) - gammaln((safe - 1) / 2)) / np.sqrt(safe / 2)


def hedges_g(
    mean_a: np.ndarray | float,
    sd_a: np.ndarray | float,
    n_a: np.ndarray | float,
    mean_b: np.ndarray | float,
    sd_b: np.ndarray | float,
    n_b: np.ndarray | float,
) -> np.ndarray:
    """Hedges' g of b minus a for two independent groups (pooled SD, df = n_a + n_b - 2).

    Positive when b is higher. NaN when the pooled SD is 0 or a group is too small.
    """
    difference = np.asarray(mean_b, dtype=float) - np.asarray(mean_a, dtype=float)
    return hedges_g_of(difference, sd_a, n_a, sd_b, n_b)


def hedges_g_of(
    difference: np.ndarray | float,
    sd_a: np.ndarray | float,
    n_a: np.ndarray | float,
    sd_b: np.ndarray | float,
    n_b: np.ndarray | float,
) -> np.ndarray:
    """Hedges' g of a given difference (e.g. a model's estimate of b minus a), standardised by
    the pooled SD of the two groups (df = n_a + n_b - 2).

    Printed next to an estimate, the g must come from that estimate: a g of the raw means can
    have the other sign when the model adjusts (a panel's within-unit change).
    """
    difference, sd_a, n_a, sd_b, n_b = (
        np.asarray(x, dtype=float) for x in (difference, sd_a, n_a, sd_b, n_b)
    )
    df = n_a + n_b - 2
    with np.errstate(invalid="ignore", divide="ignore"):
        pooled = np.sqrt(((n_a - 1) * sd_a**2 + (n_b - 1) * sd_b**2) / df)
        d = np.where(pooled > 0, difference / pooled, np.nan)
    return d * small_sample_correction(df)


def hedges_g_paired(
    mean_difference: np.ndarray | float,
    sd_a: np.ndarray | float,
    sd_b: np.ndarray | float,
    n_pairs: np.ndarray | float,
) -> np.ndarray:
    """Hedges' g for paired measurements (the same units at two moments).

    The mean difference is standardised by the within-moment SD √((sd_a² + sd_b²)/2), so that it is
    on the same footing as the independent-groups g, and corrected with df = n_pairs - 1
    (Borenstein et al., *Introduction to Meta-Analysis*, ch. 4).
    """
    mean_difference, sd_a, sd_b, n_pairs = (
        np.asarray(x, dtype=float) for x in (mean_difference, sd_a, sd_b, n_pairs)
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        within = np.sqrt((sd_a**2 + sd_b**2) / 2)
        d = np.where(within > 0, mean_difference / within, np.nan)
    return d * small_sample_correction(n_pairs - 1)
