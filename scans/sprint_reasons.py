"""Why a company is in its sprint group, in Dutch words for the coordinator: why this theme
(chose it, scores low, or koploper) and why this group (what it shares with the others)."""

from collections.abc import Sequence

import numpy as np
import pandas as pd

from scans.answers import latest_scans, plain_text
from scans.candidates import Candidates, ThemeCutoffs, quoted, year_candidates
from scans.instrument import Definition
from scans.models import SprintRole
from scans.wording import join_nl, score_nl, size_class_nl


def theme_reason(candidates: Candidates, theme: ThemeCutoffs, org: int, role: SprintRole) -> str:
    """Why the company is in a group on this theme: koploper, chose it, or scores low on it."""
    score = candidates.score(org, theme.key)
    on_theme = (
        f"scoort {score_nl(score)} op {quoted(theme.title)}"
        if score is not None
        else f"heeft te weinig antwoorden voor een score op {quoted(theme.title)}"
    )
    chose = candidates.chose(org, theme.key)
    if role == SprintRole.KOPLOPER:  # the role is shown next to the reason: not repeated here
        reason = f"{on_theme}, in het hoogste kwart van de scans van {candidates.year}"
        return reason + (" en koos dit thema zelf" if chose else "")
    low = candidates.is_low(org, theme.key)
    if chose:
        return f"koos dit thema en {on_theme}" + (
            f", in de laagste derde van de scans van {candidates.year}" if low else ""
        )
    return f"{on_theme}, in de laagste derde van de scans van {candidates.year}"


def profile_reason(candidates: Candidates, org: int, role: SprintRole, others: list[int]) -> str:
    """What the company shares with the other members: sector, region, size, similar scores."""
    companies = candidates.companies
    parts = []
    for column, words in (
        ("sector", "zelfde sector ({})"),
        ("region", "zelfde regio ({})"),
        ("size_class", "zelfde omvang ({})"),
    ):
        value = plain_text(companies.at[org, column])
        same = sum(plain_text(companies.at[other, column]) == value for other in others)
        if value is not None and same:
            shown = size_class_nl(value) if column == "size_class" else value
            parts.append(
                f"{words.format(shown)} als {same} {'ander lid' if same == 1 else 'andere leden'}"
            )
    if others:
        own = candidates.features.loc[org, candidates.domains].to_numpy(dtype=float)
        theirs = candidates.features.loc[others, candidates.domains].to_numpy(dtype=float)
        if np.sqrt(((theirs - own) ** 2).sum(axis=1)).mean() <= candidates.similar_scores:
            parts.append("vergelijkbare scores op de andere thema's")
    if not parts:
        return (
            "deelt geen sector, regio of omvang met de andere leden; ingedeeld waar het profiel "
            "binnen de groepsgrootte het best past"
        )
    if role == SprintRole.KOPLOPER:
        return f"past qua profiel bij de groep: {join_nl(parts)}"
    return f"lijkt qua profiel op de andere leden: {join_nl(parts)}"


def member_reasons(
    frame: pd.DataFrame,
    definition: Definition,
    *,
    year: int,
    theme: str,
    members: Sequence[tuple[int, SprintRole]],
    k: int,
) -> dict[int, str]:
    """Why each member is in its group as the group is now: the reasons of a proposal, computed
    again from the year's scans and the current members (after moves, "als 5 andere leden" when
    five remain). Members without a scan that year get no reason."""
    scans = latest_scans(frame[frame["year"] == year])
    if scans.empty:
        return {}
    candidates = year_candidates(
        scans, definition, year=year, themes=[theme], k=k, exclude=(), min_size=2,
        max_size=max(3, len(members)),
    )  # fmt: skip
    cutoffs = candidates.themes[theme]
    present = [org for org, _ in members if org in candidates.companies.index]
    return {
        org: "; ".join(
            (
                theme_reason(candidates, cutoffs, org, role),
                profile_reason(candidates, org, role, [o for o in present if o != org]),
            )
        )
        for org, role in members
        if org in candidates.companies.index
    }
