"""Proposing intervision sprint groups from one year's HR-scans.

Per theme (an HR-scan domain), the candidates are the companies that scanned that year, consented
to share their profile with their sprint group, and chose the theme or score in the bottom third
on it; each company joins at most one group (scans.sprint_plan). The candidates of a theme are
split into groups of ``min_size``-``max_size`` companies with similar profiles (balanced clustering
of standardised domain scores, sector, region and size class), and each group gets a koploper, a
consenting company in the top quartile on the theme, where one is available. Every placement says
why, in Dutch; companies that could not be placed are listed with the reason. docs/scans.md
describes the algorithm.
"""

from collections.abc import Collection, Iterable

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from scans.answers import check_frame, latest_scans, plain_text
from scans.candidates import Candidates, ThemeCutoffs, quoted, year_candidates
from scans.clustering import balanced_groups
from scans.instrument import Definition, domain_titles
from scans.models import Sprint, SprintRole
from scans.proposal import Proposal, ProposedGroup, ProposedMember, UnplacedCompany
from scans.sprint_plan import assign_themes, group_plan
from scans.sprint_reasons import profile_reason, theme_reason
from surveys.textinput import column_length, shortened

__all__ = [
    "Proposal",
    "ProposedGroup",
    "ProposedMember",
    "UnplacedCompany",
    "propose_groups",
]


def propose_groups(
    frame: pd.DataFrame,
    definition: Definition,
    *,
    year: int,
    themes: Iterable[str] | None = None,
    k: int,
    min_size: int = 4,
    max_size: int = 8,
    seed: int = 0,
    exclude: Collection[int] = (),
) -> Proposal:
    """Propose sprint groups of ``min_size``-``max_size`` companies from the HR-scans of ``year``.

    ``frame`` is the tidy answer frame of the HR-scan; ``themes`` restricts the proposal to some
    domains (default: all, in the order of the instrument). The bottom-third and top-quartile
    cut-offs rest on all companies that scanned that year and are only used when at least ``k``
    of them have a score on the theme. ``exclude`` lists organisations that already take part in
    a sprint this year. The same frame and seed give the same proposal.
    """
    check_frame(frame, purpose="propose_groups")
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"propose_groups: k must be a whole number >= 1, got {k!r}")
    if not 2 <= min_size < max_size:
        raise ValueError(
            "propose_groups: need 2 <= min_size < max_size (a group keeps a seat for a "
            f"koploper), got min_size={min_size}, max_size={max_size}"
        )
    titles = domain_titles(definition)
    wanted = list(titles) if themes is None else list(dict.fromkeys(themes))
    unknown = [key for key in wanted if key not in titles]
    if unknown or not wanted:
        raise ValueError(f"propose_groups: unknown theme(s): {', '.join(unknown) or '(none)'}")
    scans = latest_scans(frame[frame["year"] == year])
    if scans.empty:
        raise ValueError(f"propose_groups: no HR-scans in {year}")

    candidates = year_candidates(
        scans,
        definition,
        year=year,
        themes=wanted,
        k=k,
        exclude=exclude,
        min_size=min_size,
        max_size=max_size,
    )
    assignment, unplaced = assign_themes(candidates)
    groups: list[ProposedGroup] = []
    koplopers_used: set[int] = set()
    for key in wanted:
        members = [org for org, theme in assignment.items() if theme == key]
        if members:
            made, left = _form_groups(
                candidates, key, members, set(assignment), koplopers_used, seed
            )
            groups.extend(made)
            unplaced.extend(left)
    # a candidate without a theme of its own may still have joined a group as koploper
    placed = {member.organisation_id for group in groups for member in group.members}
    unplaced = [company for company in unplaced if company.organisation_id not in placed]
    return Proposal(
        year=year,
        themes=tuple(wanted),
        k=k,
        min_size=min_size,
        max_size=max_size,
        groups=tuple(groups),
        unplaced=tuple(sorted(unplaced, key=lambda company: company.organisation_id)),
    )


def _form_groups(
    candidates: Candidates,
    key: str,
    members: list[int],
    assigned: set[int],
    koplopers_used: set[int],
    seed: int,
) -> tuple[list[ProposedGroup], list[UnplacedCompany]]:
    """Split a theme's candidates into groups of similar companies and give each a koploper."""
    theme = candidates.themes[key]
    plan = group_plan(candidates, key, members, assigned, koplopers_used)
    full = f"geen plaats meer: de groepen voor {quoted(theme.title)} zijn vol"
    if plan.groups == 0:
        reason = (
            f"te weinig bedrijven met dezelfde vraag voor een groep van minstens "
            f"{candidates.min_size} op {quoted(theme.title)}"
        )
        return [], [UnplacedCompany(org, (key,), reason) for org in members]

    placed = sorted(plan.deelnemers[: plan.groups * plan.largest])
    unplaced = [UnplacedCompany(org, (key,), full) for org in plan.deelnemers if org not in placed]
    base, extra = divmod(len(placed), plan.groups)
    sizes = [base + (index < extra) for index in range(plan.groups)]
    labels = balanced_groups(candidates.features.loc[placed].to_numpy(), sizes, seed=seed)
    groups = [
        [org for org, label in zip(placed, labels, strict=True) if label == group]
        for group in range(plan.groups)
    ]
    koplopers: list[list[int]] = [[] for _ in groups]
    _match(candidates, plan.inside, groups, koplopers)
    matched = {org for chosen in koplopers for org in chosen}
    _match(candidates, plan.outside, groups, koplopers)
    koplopers_used.update(org for chosen in koplopers for org in chosen if org in plan.outside)
    for org in plan.inside:  # more koplopers chose the theme than there are groups
        if org in matched:
            continue
        room = [
            g
            for g, group in enumerate(groups)
            if len(group) + len(koplopers[g]) < candidates.max_size
        ]
        if room:
            koplopers[min(room, key=lambda g: _distance(candidates, org, groups[g]))].append(org)
        else:
            unplaced.append(UnplacedCompany(org, (key,), full))
    return [
        _group(candidates, theme, number, group, leading)
        for number, (group, leading) in enumerate(zip(groups, koplopers, strict=True), start=1)
    ], unplaced


def _distance(candidates: Candidates, org: int, group: list[int]) -> float:
    """Squared distance of a company's profile to the centre of a group's profiles."""
    centre = candidates.features.loc[group].to_numpy().mean(axis=0)
    return float(((candidates.features.loc[org].to_numpy() - centre) ** 2).sum())


def _match(
    candidates: Candidates,
    pool: list[int],
    groups: list[list[int]],
    koplopers: list[list[int]],
) -> None:
    """Give each group without a koploper the nearest company of ``pool``, one group each
    (an optimal matching on profile distance)."""
    open_groups = [g for g in range(len(groups)) if not koplopers[g]]
    if not open_groups or not pool:
        return
    cost = np.array([[_distance(candidates, org, groups[g]) for org in pool] for g in open_groups])
    for row, col in zip(*linear_sum_assignment(cost), strict=True):
        koplopers[open_groups[row]].append(pool[col])


def _group(
    candidates: Candidates,
    theme: ThemeCutoffs,
    number: int,
    deelnemers: list[int],
    koplopers: list[int],
) -> ProposedGroup:
    """The proposed group with every member's role and reasons (koplopers first)."""
    everyone = koplopers + sorted(deelnemers)
    members = tuple(
        _member(
            candidates,
            theme,
            org,
            SprintRole.KOPLOPER if org in koplopers else SprintRole.DEELNEMER,
            everyone,
        )
        for org in everyone
    )
    note = None
    if not koplopers:
        note = (
            "Geen koploper: te weinig scores op dit thema om een hoogste kwart te bepalen."
            if theme.high is None
            else "Geen koploper: geen vrij bedrijf met toestemming scoort in het hoogste kwart "
            "op dit thema."
        )
    return ProposedGroup(
        theme=theme.key,
        theme_title=theme.title,
        number=number,
        title=group_title(theme.title, number),
        members=members,
        note=note,
    )


def group_title(theme_title: str, number: int) -> str:
    """A proposed group's title, "<theme> – groep <n>", within its column (a long theme title
    is shortened, the group number kept)."""
    suffix = f" – groep {number}"
    return shortened(theme_title, column_length(Sprint.title) - len(suffix)) + suffix


def _member(
    candidates: Candidates, theme: ThemeCutoffs, org: int, role: SprintRole, group: list[int]
) -> ProposedMember:
    row = candidates.companies.loc[org]
    return ProposedMember(
        organisation_id=org,
        role=role,
        theme_score=candidates.score(org, theme.key),
        chose_theme=candidates.chose(org, theme.key),
        sector=plain_text(row["sector"]),
        region=plain_text(row["region"]),
        size_class=plain_text(row["size_class"]),
        reasons=(
            theme_reason(candidates, theme, org, role),
            profile_reason(candidates, org, role, [other for other in group if other != org]),
        ),
    )
