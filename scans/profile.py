"""A company's HR-scan profile: its domain scores, where it stands among its peers, the maturity
of each practice, the change since its previous scan and its closing answers.

All plain values (frozen dataclasses of numbers and strings), so that a report, a web page or a
JSON export can use them without touching the database. Scores come from
``analysis.scores.domain_scores`` and the peer position from
``analysis.benchmark.peer_benchmark``; a single company's scan has one respondent, so no interval
is given for it.
"""

from dataclasses import dataclass

import pandas as pd

from analysis.benchmark import peer_benchmark
from scans.answers import (
    check_frame,
    closing_answers,
    latest_scans,
    plain_float,
    plain_text,
    scan_scores,
)
from scans.instrument import Definition, domain_titles, item_scoring, item_wording
from scans.wording import peer_group_nl

#: peer groups from narrow to wide; benchmark takes the first with at least k other companies
PEER_LEVELS = ("sector", "size_class")


@dataclass(frozen=True)
class ItemMaturity:
    """One practice of a domain as the company rated it."""

    key: str
    text: str  #: the Dutch item text
    value: float | None  #: 0-4; None when not answered or answered "n.v.t."
    label: str  #: e.g. "1 – Ad hoc", "N.v.t." or "niet beantwoord"


@dataclass(frozen=True)
class PeerPosition:
    """Where the company's domain score stands among its peers that year."""

    group: str  #: "sector", "size_class" or "all": the narrowest group with at least k peers
    label: str  #: the group's value, e.g. "ICT" or "10-49"; "all" for all companies
    description: str  #: in Dutch, e.g. "bedrijven in de sector ICT"
    n_peers: int | None  #: None when suppressed
    percentile_rank: float | None  #: share of peers scoring lower (ties count half), in %
    median: float | None
    q1: float | None
    q3: float | None
    suppressed: bool  #: fewer than k peers even among all companies: nothing shown


@dataclass(frozen=True)
class ScoreChange:
    """A domain score now against the company's previous scan (no interval: one respondent)."""

    previous_year: int
    previous: float | None
    current: float | None
    difference: float | None  #: current - previous; None when either score is missing


@dataclass(frozen=True)
class DomainProfile:
    """The company's result on one domain."""

    key: str
    title: str
    score: float | None  #: mean of the answered items; None with too few answered
    n_answered: int
    n_items: int
    peers: PeerPosition
    items: tuple[ItemMaturity, ...]
    change: ScoreChange | None  #: None at the company's first scan
    #: the change since the company's first scan; None unless there are three or more scans
    #: (with two, it is the change since the previous one)
    since_first: ScoreChange | None = None
    #: the company's score in every year it scanned, up to this one: ((year, score), ...)
    path: tuple[tuple[int, float | None], ...] = ()


@dataclass(frozen=True)
class CompanyProfile:
    """Everything the scan says about one company in one year."""

    organisation_id: int
    year: int
    response_id: int
    sector: str | None
    region: str | None
    size_class: str | None
    municipality: str | None
    domains: tuple[DomainProfile, ...]
    previous_year: int | None  #: year of the most recent earlier scan
    sprint_themes: tuple[str, ...]  #: domain keys the company chose for a sprint
    hr_question: str | None
    consent: bool  #: may its profile be shared with the members of its sprint group
    k: int  #: the disclosure threshold the peer positions respect

    def domain(self, key: str) -> DomainProfile:
        """The profile of one domain by key."""
        for domain in self.domains:
            if domain.key == key:
                return domain
        raise KeyError(key)


def company_profile(
    frame: pd.DataFrame, definition: Definition, *, organisation_id: int, year: int, k: int
) -> CompanyProfile:
    """The profile of one company's HR-scan of ``year``.

    ``frame`` is the tidy answer frame of the HR-scan (``surveys.frame.answer_frame``) holding at
    least that year, and earlier years for the change since the previous scan. Peers are the other
    companies that scanned the same year: same sector, else same size class, else all; fewer than
    ``k`` peers even among all and the peer position is suppressed.
    """
    check_frame(frame, purpose="company_profile")
    scans = latest_scans(frame)
    own = scans[scans["organisation_id"] == organisation_id]
    if not (own["year"] == year).any():
        raise ValueError(f"company_profile: organisation {organisation_id} has no scan in {year}")
    earlier = own.loc[own["year"] < year, "year"]
    previous_year = int(earlier.max()) if not earlier.empty else None
    years = sorted(int(y) for y in own.loc[own["year"] <= year, "year"].unique())
    first_year = years[0] if len(years) >= 3 else None
    needed = (scans["year"] == year) | (
        (scans["organisation_id"] == organisation_id) & scans["year"].isin(years)
    )
    scores = scan_scores(scans[needed], definition)
    this_year = scores[scores["year"] == year]
    benchmark = peer_benchmark(
        this_year, organisation=organisation_id, peer_levels=PEER_LEVELS, k=k
    ).to_frame()
    own_scores = scores[scores["organisation_id"] == organisation_id]
    current = own_scores[own_scores["year"] == year].set_index("domain")
    previous = own_scores[own_scores["year"] == previous_year].set_index("domain")
    by_year = own_scores.set_index(["domain", "year"])["score"]

    scan = own[own["year"] == year]
    response_id = int(scan["response_id"].iloc[0])
    closing = closing_answers(scan, definition).loc[response_id]
    items_of = _items_by_domain(scan, definition)

    domains = tuple(
        DomainProfile(
            key=key,
            title=title,
            score=plain_float(current.at[key, "score"]),
            n_answered=int(current.at[key, "n_answered"]),
            n_items=int(current.at[key, "n_items"]),
            peers=_peer_position(benchmark[benchmark["domain"] == key].iloc[0]),
            items=tuple(items_of.get(key, ())),
            change=None
            if previous_year is None
            else _change(previous_year, previous.at[key, "score"], current.at[key, "score"]),
            since_first=None
            if first_year is None
            else _change(first_year, by_year.get((key, first_year)), current.at[key, "score"]),
            path=tuple((y, plain_float(by_year.get((key, y)))) for y in years),
        )
        for key, title in domain_titles(definition).items()
        if key in current.index
    )
    profile = scan.iloc[0]
    return CompanyProfile(
        organisation_id=organisation_id,
        year=year,
        response_id=response_id,
        sector=plain_text(profile["sector"]),
        region=plain_text(profile["region"]),
        size_class=plain_text(profile["size_class"]),
        municipality=closing["municipality"],
        domains=domains,
        previous_year=previous_year,
        sprint_themes=closing["themes"],
        hr_question=closing["question"],
        consent=bool(closing["consent"]),
        k=k,
    )


def _items_by_domain(scan: pd.DataFrame, definition: Definition) -> dict[str, list[ItemMaturity]]:
    """The company's answer to every scored practice, grouped by domain in questionnaire order."""
    answers = scan.set_index("item_key")
    wording = item_wording(definition)
    items_of: dict[str, list[ItemMaturity]] = {}
    for item in item_scoring(definition):
        answered = item.key in answers.index
        stored = plain_text(answers.at[item.key, "text"]) if answered else None
        items_of.setdefault(item.domain, []).append(
            ItemMaturity(
                key=item.key,
                text=wording[item.key].text,
                value=plain_float(answers.at[item.key, "value"]) if answered else None,
                label=wording[item.key].label(stored),
            )
        )
    return items_of


def _peer_position(row: pd.Series) -> PeerPosition:
    """A benchmark row as plain values with the peer group in Dutch words."""
    group, label = str(row["peer_group"]), str(row["peer_label"])
    n_peers = plain_float(row["n_peers"])
    return PeerPosition(
        group=group,
        label=label,
        description=peer_group_nl(group, label),
        n_peers=None if n_peers is None else int(n_peers),
        percentile_rank=plain_float(row["percentile_rank"]),
        median=plain_float(row["peer_median"]),
        q1=plain_float(row["peer_q1"]),
        q3=plain_float(row["peer_q3"]),
        suppressed=bool(row["suppressed"]),
    )


def _change(previous_year: int, previous: object, current: object) -> ScoreChange:
    """The plain difference between two of the company's own scores."""
    before, now = plain_float(previous), plain_float(current)
    return ScoreChange(
        previous_year=previous_year,
        previous=before,
        current=now,
        difference=None if before is None or now is None else now - before,
    )
