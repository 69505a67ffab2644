"""propose_groups: sprint groups on small made-up scans and the properties of the demo's groups."""

import numpy as np
import pandas as pd
import pytest

from scans.clustering import balanced_groups
from scans.models import SprintRole
from scans.sprints import propose_groups
from surveys.definition import scoring_spec
from tests.scans.conftest import closing, make_frame, scan_rows


def company(org, werving, behouden, *, themes=(), consent=True, **profile) -> list[dict]:
    """A 2025 scan with every practice of a domain at the same level."""
    answers = {"w1": werving, "w2": werving, "w3": werving, "b1": behouden, "b2": behouden}
    answers = {key: str(level) for key, level in answers.items()}
    return scan_rows(org, org, 2025, answers | closing(themes=themes, consent=consent), **profile)


def companies(specs) -> pd.DataFrame:
    return make_frame([row for spec in specs for row in company(*spec[:3], **spec[3])])


# nine companies that chose "behouden" and score 1, three in the middle, four koplopers at 4
BEHOUDEN = companies(
    [(org, 2, 1, {"themes": ["behouden"]}) for org in range(1, 10)]
    + [(org, 2, 2, {}) for org in range(10, 13)]
    + [(org, 3, 4, {}) for org in range(13, 17)]
)


def test_each_group_gets_a_koploper_and_every_placement_says_why(mini_scan):
    proposal = propose_groups(BEHOUDEN, mini_scan, year=2025, themes=["behouden"], k=5)
    assert [len(group.members) for group in proposal.groups] == [6, 5]  # 9 + 2 koplopers
    for group in proposal.groups:
        (koploper,) = [m for m in group.members if m.role == SprintRole.KOPLOPER]
        assert group.members[0] == koploper
        assert koploper.organisation_id in range(13, 17)
        assert koploper.reasons[0] == (
            "scoort 4,0 op ‘Talent behouden’, in het hoogste kwart van de scans van 2025"
        )
        for member in group.members[1:]:
            assert member.role == SprintRole.DEELNEMER and member.chose_theme
            assert member.reasons[0] == (
                "koos dit thema en scoort 1,0 op ‘Talent behouden’, in de laagste derde van de "
                "scans van 2025"
            )
        assert all(member.reasons[1] for member in group.members)
        assert group.title == f"Talent behouden – groep {group.number}"
    assert proposal.unplaced == ()  # the middle companies were never candidates


def test_a_low_score_makes_a_candidate_without_choosing(mini_scan):
    frame = companies(
        [(org, 2, 0, {}) for org in range(1, 5)]
        + [(org, 2, 2, {}) for org in range(5, 9)]
        + [(org, 3, 4, {}) for org in range(9, 12)]
    )
    (group,) = propose_groups(frame, mini_scan, year=2025, themes=["behouden"], k=5).groups
    deelnemers = [m for m in group.members if m.role == SprintRole.DEELNEMER]
    assert {m.organisation_id for m in deelnemers} == {1, 2, 3, 4}
    assert deelnemers[0].reasons[0] == (
        "scoort 0,0 op ‘Talent behouden’, in de laagste derde van de scans van 2025"
    )


def test_who_cannot_be_placed_is_listed_with_the_reason(mini_scan):
    frame = pd.concat(
        [
            BEHOUDEN,
            companies(
                [(org, 1, 2, {"themes": ["werving"]}) for org in (20, 21)]
                + [(22, 2, 1, {"themes": ["behouden"], "consent": False})]
                + [(23, 2, 1, {"themes": ["behouden"]})]
            ),
        ]
    )
    proposal = propose_groups(frame, mini_scan, year=2025, k=5, exclude={23})
    reasons = {company.organisation_id: company.reason for company in proposal.unplaced}
    assert reasons[20] == (
        "te weinig bedrijven met dezelfde vraag voor een groep van minstens 4 op "
        "‘Talent aantrekken’"
    )
    assert reasons[22] == (
        "koos ‘Talent behouden’, maar gaf geen toestemming om het profiel met een sprintgroep "
        "te delen"
    )
    assert reasons[23] == "neemt in 2025 al deel aan een sprint"
    placed = {m.organisation_id for g in proposal.groups for m in g.members}
    assert placed.isdisjoint(reasons)


def test_a_company_joins_at_most_one_group(mini_scan):
    frame = companies(
        [(org, 1, 1, {"themes": ["werving", "behouden"]}) for org in range(1, 13)]
        + [(org, 3, 3, {}) for org in range(13, 20)]
    )
    proposal = propose_groups(frame, mini_scan, year=2025, k=5)
    placed = [m.organisation_id for g in proposal.groups for m in g.members]
    assert len(placed) == len(set(placed))
    assert set(range(1, 13)) <= set(placed)


def test_fewer_than_k_scores_give_no_cut_offs_and_no_koploper(mini_scan):
    frame = companies([(org, 2, 1, {"themes": ["behouden"]}) for org in range(1, 5)])
    (group,) = propose_groups(frame, mini_scan, year=2025, themes=["behouden"], k=5).groups
    assert not group.has_koploper
    assert (
        group.note
        == "Geen koploper: te weinig scores op dit thema om een hoogste kwart te bepalen."
    )
    assert group.members[0].reasons[0] == "koos dit thema en scoort 1,0 op ‘Talent behouden’"


def test_similar_companies_are_grouped_together(mini_scan):
    north = [
        (
            org,
            4,
            1,
            {"themes": ["behouden"], "sector": "zorg en welzijn", "region": "Noord-Limburg"},
        )
        for org in range(1, 5)
    ]
    south = [
        (org, 0, 1, {"themes": ["behouden"], "sector": "bouw", "region": "Zuid-Limburg"})
        for org in range(5, 9)
    ]
    frame = companies(north + south)
    proposal = propose_groups(frame, mini_scan, year=2025, k=20, min_size=3, max_size=5)
    assert sorted(sorted(m.organisation_id for m in g.members) for g in proposal.groups) == [
        [1, 2, 3, 4],
        [5, 6, 7, 8],
    ]
    member = proposal.groups[0].members[0]
    assert member.reasons[1] == (
        "lijkt qua profiel op de andere leden: zelfde sector (zorg en welzijn) als 3 andere "
        "leden, zelfde regio (Noord-Limburg) als 3 andere leden, zelfde omvang (10-49 fte) als 3 "
        "andere leden en vergelijkbare scores op de andere thema's"
    )


def test_bad_arguments_are_refused(mini_scan):
    with pytest.raises(ValueError, match="min_size < max_size"):
        propose_groups(BEHOUDEN, mini_scan, year=2025, k=5, min_size=4, max_size=4)
    with pytest.raises(ValueError, match="unknown theme"):
        propose_groups(BEHOUDEN, mini_scan, year=2025, themes=["vitaliteit"], k=5)
    with pytest.raises(ValueError, match="no HR-scans in 2024"):
        propose_groups(BEHOUDEN, mini_scan, year=2024, k=5)
    with pytest.raises(ValueError, match="k must be"):
        propose_groups(BEHOUDEN, mini_scan, year=2025, k=0)


def test_balanced_groups_have_the_sizes_asked_and_keep_blobs_together():
    rng = np.random.default_rng(1)
    points = np.vstack([rng.normal(0, 0.1, (5, 3)), rng.normal(5, 0.1, (4, 3))])
    labels = balanced_groups(points, [5, 4], seed=3)
    assert labels.tolist() == [0] * 5 + [1] * 4
    assert balanced_groups(points, [3, 3, 3], seed=3).tolist().count(2) == 3
    assert np.array_equal(balanced_groups(points, [5, 4], seed=9), labels)
    with pytest.raises(ValueError, match="add up"):
        balanced_groups(points, [5, 5], seed=0)


# --------------------------------------------------------------------------- the demo


def theme_scores(frame: pd.DataFrame, definition: dict, year: int) -> pd.DataFrame:
    """Independent of scans: per organisation and domain the mean of the answered items."""
    domains = {item.key: item.domain for item in scoring_spec(definition)}
    rows = frame[(frame["year"] == year) & frame["item_key"].isin(domains)].copy()
    rows["domain"] = rows["item_key"].map(domains)
    return rows.groupby(["organisation_id", "domain"])["value"].mean().unstack()


def test_demo_groups_have_the_promised_properties(demo_scans):
    frame, definition = demo_scans
    proposal = propose_groups(frame, definition, year=2025, k=5, seed=0)
    year = frame[frame["year"] == 2025]
    consent = year[year["item_key"] == "toestemming_delen"].set_index("organisation_id")["text"]
    scores = theme_scores(frame, definition, 2025)
    top_quartile = scores.quantile(0.75)

    assert len(proposal.groups) >= 10
    placed = [m.organisation_id for g in proposal.groups for m in g.members]
    assert len(placed) == len(set(placed))  # one group per company
    assert set(placed).isdisjoint(c.organisation_id for c in proposal.unplaced)
    for group in proposal.groups:
        assert 4 <= len(group.members) <= 8
        for member in group.members:
            assert consent[member.organisation_id] == "ja"
            assert len(member.reasons) == 2 and all(member.reasons)
            if member.role == SprintRole.KOPLOPER:
                assert (
                    scores.at[member.organisation_id, group.theme]
                    >= top_quartile[group.theme] - 1e-9
                )
        if not group.has_koploper:  # only when every koploper on the theme is placed already
            free = [
                org
                for org in scores.index[scores[group.theme] >= top_quartile[group.theme] - 1e-9]
                if consent.get(org) == "ja" and org not in placed
            ]
            assert free == [], group.title
            assert group.note
    assert sum(group.has_koploper for group in proposal.groups) >= len(proposal.groups) / 2
    assert all(company.reason for company in proposal.unplaced)


def test_demo_proposal_is_deterministic_for_a_seed(demo_scans):
    frame, definition = demo_scans
    first = propose_groups(frame, definition, year=2024, k=5, seed=4)
    assert (
        propose_groups(frame.sample(frac=1, random_state=1), definition, year=2024, k=5, seed=4)
        == first
    )


def test_demo_proposal_for_one_theme(demo_scans):
    frame, definition = demo_scans
    proposal = propose_groups(frame, definition, year=2025, themes=["behouden"], k=5)
    assert proposal.groups and {group.theme for group in proposal.groups} == {"behouden"}
    assert proposal.themes == ("behouden",)
