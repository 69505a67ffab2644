"""Who goes into which theme, and how many groups a theme gets.

Each candidate joins at most one sprint: the themes it chose come first, then the themes it scores
in the bottom third on, lowest score first. While some theme has too few candidates for a group,
the smallest such theme is dropped and its candidates move on to their next theme. Group sizes
keep a seat for a koploper.
"""

import math
from dataclasses import dataclass

from scans.candidates import Candidates
from scans.proposal import UnplacedCompany


def theme_preferences(candidates: Candidates, org: int) -> list[str]:
    """The themes a company is a candidate for, best first: the themes it chose, then the themes
    it scores in the bottom third on; within each, the lowest score first."""
    candidate = [
        key
        for key in candidates.wanted
        if candidates.chose(org, key) or candidates.is_low(org, key)
    ]
    return sorted(
        candidate,
        key=lambda key: (
            not candidates.chose(org, key),
            candidates.score(org, key) is None,
            candidates.score(org, key) or 0.0,
            candidates.wanted.index(key),
        ),
    )


def assign_themes(candidates: Candidates) -> tuple[dict[int, str], list[UnplacedCompany]]:
    """One theme per candidate: its most preferred theme that can form a group.

    While some theme has too few candidates for a group, the smallest such theme is dropped and
    its candidates move to their next preference. Candidates left without a theme, and companies
    that chose a theme but may not be placed (no consent, already in a sprint), are unplaced.
    """
    unplaced: list[UnplacedCompany] = []
    preferred: dict[int, list[str]] = {}
    for org in candidates.companies.index:
        chosen = tuple(key for key in candidates.wanted if candidates.chose(org, key))
        if org in candidates.exclude:
            if chosen:
                reason = f"neemt in {candidates.year} al deel aan een sprint"
                unplaced.append(UnplacedCompany(org, chosen, reason))
        elif not candidates.companies.at[org, "consent"]:
            if chosen:
                reason = (
                    f"koos {candidates.theme_names(chosen)}, maar gaf geen toestemming om het "
                    "profiel met een sprintgroep te delen"
                )
                unplaced.append(UnplacedCompany(org, chosen, reason))
        elif found := theme_preferences(candidates, org):
            preferred[org] = found

    open_themes = list(candidates.wanted)
    while True:
        assignment = {
            org: next(key for key in found if key in open_themes)
            for org, found in preferred.items()
            if any(key in open_themes for key in found)
        }
        members = {key: [org for org, t in assignment.items() if t == key] for key in open_themes}
        infeasible = [
            key
            for key in open_themes
            if group_plan(candidates, key, members[key], set(assignment)).groups == 0
        ]
        if not infeasible:
            break
        open_themes.remove(min(infeasible, key=lambda key: len(members[key])))

    for org, found in preferred.items():
        if org not in assignment:
            reason = (
                f"te weinig bedrijven met dezelfde vraag voor een groep van minstens "
                f"{candidates.min_size} op {candidates.theme_names(found)}"
            )
            unplaced.append(UnplacedCompany(org, tuple(found), reason))
    return assignment, unplaced


@dataclass(frozen=True)
class GroupPlan:
    """The groups of one theme: deelnemers (best claim first) and koplopers to pick from."""

    groups: int
    largest: int  #: most deelnemers in one group
    deelnemers: list[int]
    inside: list[int]  #: assigned to the theme and in its top quartile: koplopers first
    outside: list[int]  #: top quartile, assigned to no theme: koplopers when needed


def _count_groups(n: int, smallest: int, largest: int) -> int:
    """The fewest groups of at most ``largest`` holding ``n``; when those would fall below
    ``smallest``, as many groups of ``smallest`` as fit (0: no group)."""
    groups = math.ceil(n / largest)
    if groups * smallest > n:
        groups = n // smallest
    return groups


def group_plan(
    candidates: Candidates,
    key: str,
    members: list[int],
    assigned: set[int],
    koplopers_used: frozenset[int] | set[int] = frozenset(),
) -> GroupPlan:
    """How a theme's candidates split into groups that stay within the sizes once a koploper
    joins: with a koploper for every group, min_size - 1 to max_size - 1 deelnemers each;
    otherwise min_size to max_size - 1 (a seat kept for a koploper where one is available), or
    up to max_size when there is no koploper at all."""
    inside = candidates.by_score(
        [org for org in members if candidates.is_high(org, key)], key, best_first=True
    )
    deelnemers = sorted(
        (org for org in members if org not in inside),
        key=lambda org: (
            not candidates.chose(org, key),
            candidates.score(org, key) is None,
            candidates.score(org, key) or 0.0,
            org,
        ),
    )
    outside = [
        org
        for org in candidates.high_scorers(key)
        if org not in assigned and org not in koplopers_used
    ]
    n, n_koplopers = len(deelnemers), len(inside) + len(outside)
    lowest, highest = candidates.min_size, candidates.max_size
    if n_koplopers:
        groups = _count_groups(n, lowest - 1, highest - 1)
        if 0 < groups <= n_koplopers:
            return GroupPlan(groups, highest - 1, deelnemers, inside, outside)
        highest -= 1
    return GroupPlan(_count_groups(n, lowest, highest), highest, deelnemers, inside, outside)
