"""Balanced clustering: split points into groups of given sizes so that members of a group are
close to each other.

Plain k-means makes groups of any size; a sprint group must hold 4-8 companies. This is k-means
with the assignment step replaced by an optimal assignment of points to "seats" (each group's
centre repeated as often as the group has seats, solved with ``linear_sum_assignment``), so every
group gets exactly its size. Starts are k-means++ from a seeded generator; the best of a few starts
is kept, so the result is the same for the same points, sizes and seed.
"""

from collections.abc import Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment

RESTARTS = 5
MAX_ITERATIONS = 50


def balanced_groups(points: np.ndarray, sizes: Sequence[int], *, seed: int) -> np.ndarray:
    """Group label (0 .. len(sizes) - 1) of each row of ``points``, the groups having the given
    sizes (in some order), numbered in the order of each group's first row."""
    points = np.asarray(points, dtype=float)
    if points.ndim != 2:
        raise ValueError("balanced_groups: points must be a 2-D array (one row per point)")
    if sum(sizes) != len(points) or any(size < 1 for size in sizes):
        raise ValueError("balanced_groups: the sizes must be positive and add up to the points")
    seats = np.repeat(np.arange(len(sizes)), sorted(sizes, reverse=True))
    if len(sizes) == 1:
        return np.zeros(len(points), dtype=int)
    rng = np.random.default_rng(seed)
    best_cost, best = np.inf, seats
    for _ in range(RESTARTS):
        labels = _assign(points, _kmeans_plus_plus(points, len(sizes), rng), seats)
        for _ in range(MAX_ITERATIONS):
            moved = _assign(points, _centres(points, labels, len(sizes)), seats)
            if np.array_equal(moved, labels):
                break
            labels = moved
        cost = _within_cost(points, labels, len(sizes))
        if cost < best_cost - 1e-12:
            best_cost, best = cost, labels
    return _in_order_of_appearance(best)


def _kmeans_plus_plus(points: np.ndarray, n_groups: int, rng: np.random.Generator) -> np.ndarray:
    """Starting centres spread over the points: each next one drawn with probability
    proportional to its squared distance from the nearest centre so far."""
    centres = [points[rng.integers(len(points))]]
    for _ in range(1, n_groups):
        nearest = np.min(
            ((points[:, None, :] - np.array(centres)[None, :, :]) ** 2).sum(axis=2), axis=1
        )
        total = nearest.sum()
        if total <= 0:  # all points coincide with a centre: any point will do
            centres.append(points[rng.integers(len(points))])
            continue
        centres.append(points[rng.choice(len(points), p=nearest / total)])
    return np.array(centres)


def _assign(points: np.ndarray, centres: np.ndarray, seats: np.ndarray) -> np.ndarray:
    """The assignment of points to seats with the least total squared distance to the centres."""
    cost = ((points[:, None, :] - centres[seats][None, :, :]) ** 2).sum(axis=2)
    rows, cols = linear_sum_assignment(cost)
    labels = np.empty(len(points), dtype=int)
    labels[rows] = seats[cols]
    return labels


def _centres(points: np.ndarray, labels: np.ndarray, n_groups: int) -> np.ndarray:
    return np.array([points[labels == group].mean(axis=0) for group in range(n_groups)])


def _within_cost(points: np.ndarray, labels: np.ndarray, n_groups: int) -> float:
    centres = _centres(points, labels, n_groups)
    return float(((points - centres[labels]) ** 2).sum())


def _in_order_of_appearance(labels: np.ndarray) -> np.ndarray:
    """Renumber the groups 0, 1, ... in the order their first member appears."""
    first_seen = {label: index for index, label in enumerate(dict.fromkeys(labels.tolist()))}
    return np.array([first_seen[label] for label in labels.tolist()], dtype=int)
