"""company_profile: numbers against a hand computation on small made-up scans."""

import dataclasses
import json

import pytest

from scans.profile import company_profile
from tests.scans.conftest import closing, make_frame, scan_rows

OWN = {"w1": "2", "w2": "3", "w3": "nvt", "b1": "0", "b2": "1"}


def uniform(value: int) -> dict[str, str]:
    """Every practice at the same level: the domain scores equal that level."""
    return {key: str(value) for key in ("w1", "w2", "w3", "b1", "b2")}


def peers(levels, *, first_id=2, **profile) -> list[dict]:
    """One 2025 scan per level, organisations numbered from first_id."""
    rows = []
    for offset, level in enumerate(levels):
        org = first_id + offset
        rows += scan_rows(100 + org, org, 2025, uniform(level) | closing(), **profile)
    return rows


def own_scan(answers=OWN, **extra) -> list[dict]:
    return scan_rows(1, 1, 2025, answers | closing(**extra))


def test_domain_score_is_the_mean_of_the_answered_items(mini_scan):
    frame = make_frame(own_scan() + peers([1, 2, 2, 3, 4]))
    profile = company_profile(frame, mini_scan, organisation_id=1, year=2025, k=5)
    werving, behouden = profile.domains
    assert (werving.key, werving.title) == ("werving", "Talent aantrekken")
    assert werving.score == pytest.approx((2 + 3) / 2)  # "n.v.t." is missing, not 0
    assert (werving.n_answered, werving.n_items) == (2, 3)
    assert behouden.score == pytest.approx((0 + 1) / 2)


def test_too_few_answered_items_give_no_score(mini_scan):
    answers = {"w1": "2", "w2": "nvt", "w3": "nvt", "b1": "1", "b2": "1"}
    frame = make_frame(own_scan(answers) + peers([1, 2, 2, 3, 4]))
    profile = company_profile(frame, mini_scan, organisation_id=1, year=2025, k=5)
    assert profile.domain("werving").score is None  # 1 of 3 answered < min_answered 0.5
    assert profile.domain("werving").peers.percentile_rank is None


def test_peer_position_against_the_sector(mini_scan):
    frame = make_frame(own_scan() + peers([1, 2, 2, 3, 4]))
    position = company_profile(frame, mini_scan, organisation_id=1, year=2025, k=5).domains[0]
    peers_ = position.peers
    # by hand: peers 1, 2, 2, 3, 4; own 2.5 is above three of them
    assert (peers_.group, peers_.label, peers_.n_peers) == ("sector", "bouw", 5)
    assert peers_.description == "bedrijven in de sector bouw"
    assert peers_.percentile_rank == pytest.approx(3 / 5 * 100)
    assert (peers_.median, peers_.q1, peers_.q3) == (2.0, 2.0, 3.0)
    assert not peers_.suppressed


def test_ties_count_half_in_the_percentile_rank(mini_scan):
    frame = make_frame(own_scan(uniform(2)) + peers([1, 2, 2, 3, 4]))
    position = company_profile(frame, mini_scan, organisation_id=1, year=2025, k=5).domains[0]
    assert position.peers.percentile_rank == pytest.approx((1 + 0.5 * 2) / 5 * 100)


def test_peer_group_widens_to_size_class_then_all(mini_scan):
    few_in_sector = peers([1, 2], sector="bouw", size_class="1-9")
    same_size = peers([2, 2, 3, 3, 4], first_id=10, sector="ICT", size_class="10-49")
    profile = company_profile(
        make_frame(own_scan() + few_in_sector + same_size),
        mini_scan,
        organisation_id=1,
        year=2025,
        k=5,
    )
    position = profile.domains[0].peers
    assert (position.group, position.label, position.n_peers) == ("size_class", "10-49", 5)
    assert position.description == "bedrijven met 10-49 fte"
    assert position.median == 3.0

    other_size = peers([2, 2, 3, 3], first_id=10, sector="ICT", size_class="250+")
    profile = company_profile(
        make_frame(own_scan() + few_in_sector + other_size),
        mini_scan,
        organisation_id=1,
        year=2025,
        k=5,
    )
    position = profile.domains[0].peers
    assert (position.group, position.n_peers) == ("all", 6)
    assert position.description.startswith("alle bedrijven")
    assert position.median == pytest.approx(2.0)  # 1, 2, 2, 2, 3, 3


def test_fewer_than_k_peers_suppress_the_comparison_but_keep_the_own_score(mini_scan):
    frame = make_frame(own_scan() + peers([1, 2, 3]))
    position = company_profile(frame, mini_scan, organisation_id=1, year=2025, k=5).domains[0]
    assert position.score == pytest.approx(2.5)
    assert position.peers.suppressed
    assert position.peers.n_peers is None
    assert position.peers.percentile_rank is None and position.peers.median is None
    shown = company_profile(frame, mini_scan, organisation_id=1, year=2025, k=3).domains[0]
    assert not shown.peers.suppressed and shown.peers.n_peers == 3


def test_change_since_the_most_recent_earlier_scan(mini_scan):
    earlier = scan_rows(20, 1, 2023, uniform(1) | closing())
    last_year = scan_rows(21, 1, 2024, {**uniform(2), "b1": "nvt", "b2": "nvt"} | closing())
    frame = make_frame(earlier + last_year + own_scan() + peers([1, 2, 2, 3, 4]))
    profile = company_profile(frame, mini_scan, organisation_id=1, year=2025, k=5)
    assert profile.previous_year == 2024
    werving, behouden = profile.domains
    assert werving.change.previous_year == 2024
    assert (werving.change.previous, werving.change.current) == (2.0, 2.5)
    assert werving.change.difference == pytest.approx(0.5)
    assert behouden.change.previous is None and behouden.change.difference is None


def test_a_first_scan_has_no_change(mini_scan):
    frame = make_frame(own_scan() + peers([1, 2, 2, 3, 4]))
    profile = company_profile(frame, mini_scan, organisation_id=1, year=2025, k=5)
    assert profile.previous_year is None
    assert all(domain.change is None for domain in profile.domains)


def test_items_carry_their_text_value_and_label(mini_scan):
    answers = {"w1": "2", "w2": "3", "w3": "nvt", "b1": "0"}  # b2 not answered
    frame = make_frame(own_scan(answers) + peers([1, 2, 2, 3, 4]))
    profile = company_profile(frame, mini_scan, organisation_id=1, year=2025, k=5)
    w1, _, w3 = profile.domain("werving").items
    assert (w1.key, w1.text, w1.value, w1.label) == (
        "w1",
        "Een wervingsplan",
        2.0,
        "2 – Op papier / in ontwikkeling",
    )
    assert (w3.value, w3.label) == (None, "N.v.t.")
    b2 = profile.domain("behouden").items[1]
    assert (b2.key, b2.value, b2.label) == ("b2", None, "niet beantwoord")


def test_closing_answers_and_profile(mini_scan):
    answers = OWN | closing(
        themes=["behouden", "anders"],
        question="Hoe houden we jonge vakmensen?",
        consent=False,
        municipality="Venlo",
    )
    frame = make_frame(scan_rows(1, 1, 2025, answers) + peers([1, 2, 2, 3, 4]))
    profile = company_profile(frame, mini_scan, organisation_id=1, year=2025, k=5)
    assert profile.sprint_themes == ("behouden",)
    assert profile.hr_question == "Hoe houden we jonge vakmensen?"
    assert profile.consent is False
    assert (profile.sector, profile.region, profile.size_class, profile.municipality) == (
        "bouw",
        "Zuid-Limburg",
        "10-49",
        "Venlo",
    )


def test_the_latest_scan_of_a_year_counts(mini_scan):
    frame = make_frame(
        scan_rows(1, 1, 2025, uniform(0) | closing())
        + scan_rows(2, 1, 2025, uniform(3) | closing())
        + peers([1, 2, 2, 3, 4])
    )
    profile = company_profile(frame, mini_scan, organisation_id=1, year=2025, k=5)
    assert profile.response_id == 2
    assert profile.domain("werving").score == 3.0
    assert profile.domain("werving").peers.n_peers == 5


def test_no_scan_that_year_is_an_error(mini_scan):
    frame = make_frame(own_scan() + peers([1, 2, 2, 3, 4]))
    with pytest.raises(ValueError, match="organisation 1 has no scan in 2024"):
        company_profile(frame, mini_scan, organisation_id=1, year=2024, k=5)
    with pytest.raises(ValueError, match="missing column"):
        company_profile(frame.drop(columns="text"), mini_scan, organisation_id=1, year=2025, k=5)


def test_demo_profile_is_plain_values(demo_scans):
    frame, definition = demo_scans
    rescanned = frame[frame["year"] == 2025].groupby("organisation_id")["year"].size().index
    organisation = next(
        org
        for org in rescanned
        if (frame.loc[frame["organisation_id"] == org, "year"] < 2025).any()
    )
    profile = company_profile(frame, definition, organisation_id=int(organisation), year=2025, k=5)
    assert len(profile.domains) == 8
    assert profile.previous_year in (2023, 2024)
    assert all(len(domain.items) >= 3 for domain in profile.domains)
    assert not any(domain.peers.suppressed for domain in profile.domains)
    json.dumps(dataclasses.asdict(profile))  # nothing but plain values
