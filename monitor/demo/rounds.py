"""The demo's measurement rounds: HR-scans 2023-2025 with panel overlap and a sprint effect,
the CoP nulmeting 2023 with follow-ups, alumni 2025, sprint evaluations 2024 and a klankbord, and
the sprints of 2024 themselves (groups, five sessions with attendance, finished)."""

import json
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import insert

from monitor.demo.answers import fake_answers
from surveys.campaigns import create_campaign
from surveys.db import db
from surveys.definition.loader import load_definition_file, shipped_instrument_files
from surveys.definition.publish import publish_definition
from surveys.models import (
    Answer,
    Campaign,
    CampaignStatus,
    InstrumentVersion,
    Organisation,
    Response,
    ResponseStatus,
)
from surveys.responses import organisation_panel_key

HR_DOMAINS = [
    "identificeren", "aantrekken", "inwerken", "ontwikkelen",
    "inzetbaarheid", "behouden", "inclusief", "samenwerking",
]  # fmt: skip
#: how mature Limburg employers are per domain on average (0-4): onboarding and cooperation in
#: the region do better than strategic planning and inclusive employment
DOMAIN_LEVEL = {
    "identificeren": 1.5, "aantrekken": 2.0, "inwerken": 2.5, "ontwikkelen": 2.1,
    "inzetbaarheid": 2.2, "behouden": 1.8, "inclusief": 1.4, "samenwerking": 1.9,
}  # fmt: skip
SIZE_EFFECT = {"1-9": -0.45, "10-49": -0.1, "50-249": 0.25, "250+": 0.5}
SECTOR_SLUG = {
    "zorg en welzijn": "zorg_welzijn", "industrie en chemie": "industrie_chemie",
    "techniek en metaal": "techniek_metaal", "bouw": "bouw", "ICT": "ict",
    "logistiek": "logistiek", "detailhandel": "detailhandel", "landbouw": "landbouw",
    "zakelijke dienstverlening": "zakelijke_dienstverlening",
}  # fmt: skip
REGION_SLUG = {"Noord-Limburg": "noord_limburg", "Midden-Limburg": "midden_limburg",
               "Zuid-Limburg": "zuid_limburg"}  # fmt: skip
#: most open vacancies a company of a size class has in the demo
VACANCIES = {"1-9": 2, "10-49": 6, "50-249": 15, "250+": 60}
FTE_SLUG = {"1-9": "fte_1_9", "10-49": "fte_10_49", "50-249": "fte_50_249", "250+": "fte_250_plus"}
HR_QUESTIONS = {
    "identificeren": "We willen weten welke vakmensen we over vijf jaar nodig hebben.",
    "aantrekken": "Vacatures voor technici blijven te lang openstaan.",
    "inwerken": "Nieuwe collega's en zij-instromers haken in het eerste jaar af.",
    "ontwikkelen": "We willen een scholingsplan dat medewerkers ook echt gebruiken.",
    "inzetbaarheid": "De werkdruk is hoog en het verzuim loopt op.",
    "behouden": "Goede mensen vertrekken naar grotere werkgevers.",
    "inclusief": "We willen mensen met een afstand tot de arbeidsmarkt een plek geven.",
    "samenwerking": "We zoeken andere bedrijven om personeel mee te delen.",
}


@dataclass
class Company:
    """A demo employer's latent HR maturity (0-4 scale) per domain."""

    organisation: Organisation
    level: dict[str, float]
    sprint_theme: str | None = None
    scans: list[int] = field(default_factory=list)


def publish_shipped() -> dict[str, InstrumentVersion]:
    return {
        path.stem: publish_definition(load_definition_file(path), commit=False).version
        for path in shipped_instrument_files()
    }


def _moment(rng: random.Random, campaign: Campaign) -> datetime:
    days = (campaign.closes_on - campaign.opens_on).days
    day = campaign.opens_on + timedelta(days=min(days, int(rng.expovariate(1 / 12))))
    return datetime.combine(day, time(rng.randint(8, 21), rng.randint(0, 59)), tzinfo=UTC)


def _store(rng: random.Random, campaign: Campaign, rows: list[tuple[dict, dict[str, str]]]) -> int:
    """Insert submitted responses (attributes, answers) in bulk; returns the count."""
    responses = []
    for attributes, _ in rows:
        submitted = _moment(rng, campaign)
        responses.append(
            Response(
                campaign_id=campaign.id,
                status=ResponseStatus.SUBMITTED,
                started_at=submitted - timedelta(minutes=rng.randint(6, 40)),
                updated_at=submitted,
                submitted_at=submitted,
                current_page=len(campaign.instrument_version.definition["sections"]) - 1,
                **attributes,
            )
        )
    db.session.add_all(responses)
    db.session.flush()
    answers = [
        {"response_id": response.id, "item_key": key, "value": value}
        for response, (_, values) in zip(responses, rows, strict=True)
        for key, value in values.items()
    ]
    if answers:
        db.session.execute(insert(Answer), answers)
    return len(responses)


def _campaign(version, key, year, wave, mode, closed=True, **kw) -> Campaign:
    campaign = create_campaign(
        version, title=kw.pop("title"), year=year, wave=wave, mode=mode,
        opens_on=kw.pop("opens_on", date(year, 3, 1)),
        closes_on=kw.pop("closes_on", date(year, 5, 31)),
        slug=f"{key.replace('_', '-')}-{year}", **kw,
    )  # fmt: skip
    campaign.status = CampaignStatus.CLOSED if closed else CampaignStatus.OPEN
    return campaign


def hr_scans(
    rng: random.Random, versions, organisations: list[Organisation]
) -> tuple[dict[str, int], list[Company]]:
    """HR-scans 2023-2025 with panel overlap; sprint participants of 2024 improve in 2025.

    Returns the counts and the companies that took part in a sprint in 2024, by organisation id.
    """
    version = versions["hr_scan"]
    definition = version.definition
    companies = []
    for org in organisations:
        general = rng.gauss(0, 0.45) + SIZE_EFFECT[org.size_class]
        level = {d: DOMAIN_LEVEL[d] + general + rng.gauss(0, 0.35) for d in HR_DOMAINS}
        companies.append(Company(org, level))
    participants = {
        2023: rng.sample(companies, 115),
    }
    rescan_2024 = [c for c in participants[2023] if rng.random() < 0.75]
    fresh = [c for c in companies if c not in participants[2023]]
    participants[2024] = rescan_2024 + rng.sample(fresh, 140 - len(rescan_2024))
    # sprints of 2024: 40 companies that consented, each on its weakest domain
    for company in rng.sample(participants[2024], 40):
        company.sprint_theme = min(company.level, key=company.level.get)
    earlier = {id(c) for year in (2023, 2024) for c in participants[year]}
    rescan_2025 = [c for c in companies if id(c) in earlier and rng.random() < 0.7]
    never = [c for c in companies if id(c) not in earlier]
    participants[2025] = rescan_2025 + rng.sample(never, min(len(never), 175 - len(rescan_2025)))
    counts = {}
    for wave, year in enumerate((2023, 2024, 2025)):
        campaign = _campaign(
            version, "hr_scan", year, wave, "employer", title=f"HR-scan {year}",
            opens_on=date(year, 1, 15), closes_on=date(year, 11, 30),
        )  # fmt: skip
        rows = []
        for company in participants[year]:
            org = company.organisation

            def level(domain, company=company, year=year):
                base = company.level.get(domain, 2.0) + 0.08 * (year - 2023)
                if company.sprint_theme and year == 2025:
                    base += 0.1 + (0.45 if domain == company.sprint_theme else 0)
                return min(1.0, max(0.0, base / 4))

            weakest = sorted(company.level, key=company.level.get)[:3]
            overrides = {
                "sector": SECTOR_SLUG.get(org.sector, "anders"),
                "regio": REGION_SLUG[org.region],
                "gemeente": org.municipality,
                "fte_klasse": FTE_SLUG[org.size_class],
                "vacatures_open": str(rng.randint(0, VACANCIES[org.size_class])),
                "sprint_themas": json.dumps(weakest, ensure_ascii=False),
                "hr_vraag": HR_QUESTIONS[weakest[0]],
                "toestemming_delen": "ja" if company.sprint_theme or rng.random() < 0.75 else "nee",
            }  # fmt: skip
            if overrides["sector"] == "anders":
                overrides["sector_anders"] = org.sector or "anders"
            answers = fake_answers(rng, definition, "werkgever", level, overrides)
            attributes = {
                "organisation_id": org.id,
                "respondent_group": "werkgever",
                "panel_key": organisation_panel_key(org),
                "employer_key": f"{campaign.id}:{org.id}",
            }
            rows.append((attributes, answers))
        counts[f"HR-scans {year}"] = _store(rng, campaign, rows)
    # this year's round is open, so the demo employer can fill in a scan
    _campaign(
        version, "hr_scan", 2026, 3, "employer", closed=False, title="HR-scan 2026",
        opens_on=date(2026, 1, 15), closes_on=date(2026, 12, 15),
    )  # fmt: skip
    sprinters = sorted((c for c in companies if c.sprint_theme), key=lambda c: c.organisation.id)
    return counts, sprinters


COP_GROUPS = {"founding_fathers": 12, "onderwijs_praktijk": 42, "voorzitters": 9}
#: expectations at the nulmeting run high; experienced results lag, then catch up a little
COP_LEVEL = {0: 0.76, 1: 0.6, 2: 0.66}
COP_GROUP_SHIFT = {"founding_fathers": 0.04, "onderwijs_praktijk": -0.03, "voorzitters": 0.0}


def cop(rng: random.Random, versions) -> dict[str, int]:
    version = versions["cop"]
    counts = {}
    for wave, year in enumerate((2023, 2024, 2025)):
        title = "CoP nulmeting 2023" if wave == 0 else f"CoP vervolgmeting {year}"
        campaign = _campaign(version, "cop", year, wave, "open", title=title)
        rows = []
        for group, size in COP_GROUPS.items():
            for _ in range(size + rng.randint(-3, 3)):
                position = COP_LEVEL[wave] + COP_GROUP_SHIFT[group] + rng.gauss(0, 0.08)
                answers = fake_answers(rng, version.definition, group, lambda _d, p=position: p)
                rows.append(({"respondent_group": group}, answers))
        counts[title] = _store(rng, campaign, rows)
    return counts


def alumni(rng: random.Random, versions) -> dict[str, int]:
    version = versions["alumni"]
    campaign = _campaign(version, "alumni", 2025, 0, "open", title="Alumni-enquête 2025")
    weights = {
        "status": {"werkend": 0.76, "studerend": 0.13, "werkzoekend": 0.05, "anders": 0.06},
        "werklocatie": {"limburg": 0.55, "elders_nederland": 0.27, "belgie": 0.08,
                        "duitsland": 0.06, "elders": 0.04},
        "studierichting": {"ict": 0.45, "techniek": 0.2, "economie": 0.1, "zorg_welzijn": 0.1,
                           "logistiek": 0.05, "bouw": 0.05, "onderwijs": 0.05},
    }  # fmt: skip
    rows = []
    for _ in range(rng.randint(290, 330)):
        binding = min(1, max(0, rng.gauss(0.62, 0.15)))
        answers = fake_answers(
            rng, version.definition, "alumni",
            lambda d, b=binding: b if d == "binding" else 0.66, weights=weights,
            overrides={"afstudeerjaar": str(rng.randint(2015, 2024))},
        )  # fmt: skip
        rows.append(({"respondent_group": "alumni"}, answers))
    return {"alumni 2025": _store(rng, campaign, rows)}


def sprint_evaluations(rng: random.Random, versions) -> dict[str, int]:
    version = versions["sprint_evaluatie"]
    campaign = _campaign(
        version, "sprint_evaluatie", 2024, 0, "open", title="Evaluatie sprints 2024",
        opens_on=date(2024, 6, 1), closes_on=date(2024, 12, 20),
    )  # fmt: skip
    rows = [
        ({"respondent_group": "deelnemer"}, fake_answers(rng, version.definition, "deelnemer",
                                                         lambda _d: rng.gauss(0.72, 0.1)))
        for _ in range(rng.randint(30, 38))
    ]  # fmt: skip
    return {"sprint evaluations 2024": _store(rng, campaign, rows)}


def klankbord(rng: random.Random, versions) -> dict[str, int]:
    version = versions["klankbord"]
    campaign = _campaign(version, "klankbord", 2025, 0, "open", title="Klankbord 2025")
    rows = [
        ({"respondent_group": group},
         fake_answers(rng, version.definition, group, lambda _d: rng.gauss(0.63, 0.1)))
        for group, size in (("groot_klankbord", 16), ("pml_klankbord", 8))
        for _ in range(size)
    ]  # fmt: skip
    return {"klankbord 2025": _store(rng, campaign, rows)}


#: the five dagdelen of a demo sprint, two weeks apart
SPRINT_TOPICS = (
    "Kennismaking: ieder bedrijf scherpt zijn HR-vraag aan",
    "Verkennen: hoe pakken de andere bedrijven het aan?",
    "Kiezen: één concrete eerste stap per bedrijf",
    "Uitproberen: ervaringen met de eerste stap delen en bijstellen",
    "Borgen: wat blijft er, en wat is het vervolg?",
)
SPRINT_SIZE = (4, 8)  #: companies per sprint group
#: companies whose theme has too few others for a group of its own meet in one intervision group
MIXED_THEME = ("intervisie", "Intervisie op eigen HR-vragen")
FIRST_SPRINT = date(2024, 3, 5)  #: the first session of the first group (a Tuesday)
PRESENT = 0.88  #: chance that a company is at a session


def _split(companies: list[Company]) -> list[list[Company]]:
    """Balanced groups of at most SPRINT_SIZE[1], neighbours (same region, sector) together."""
    ordered = sorted(
        companies,
        key=lambda c: (c.organisation.region, c.organisation.sector or "", c.organisation.id),
    )
    n_groups = -(-len(ordered) // SPRINT_SIZE[1])
    size, extra = divmod(len(ordered), n_groups)
    groups, start = [], 0
    for i in range(n_groups):
        end = start + size + (1 if i < extra else 0)
        groups.append(ordered[start:end])
        start = end
    return groups


def sprints_2024(rng: random.Random, definition, companies: list[Company]) -> dict[str, int]:
    """The 2024 sprints of the companies ``hr_scans`` gave one, stored with ``scans.operations``
    as a coordinator would: a proposal, fixed, five sessions with attendance, finished.

    A theme (the company's weakest domain, which it chose and asked its HR question about) with
    at least four companies gets groups of its own; the companies of smaller themes meet in one
    intervision group on their own HR questions.
    """
    from scans.instrument import domain_titles
    from scans.models import SprintRole
    from scans.operations import (
        add_session,
        finish_sprint,
        fix_sprint,
        record_attendance,
        save_proposal,
    )
    from scans.proposal import Proposal, ProposedGroup, ProposedMember

    titles = domain_titles(definition)
    plans, mixed = [], []
    for key, title in titles.items():
        members = [c for c in companies if c.sprint_theme == key]
        if len(members) >= SPRINT_SIZE[0]:
            plans.append((key, title, members))
        else:
            mixed += members
    if mixed:
        plans.append((*MIXED_THEME, mixed))

    def member(company: Company, own_group: bool) -> ProposedMember:
        org = company.organisation
        reasons = [
            f"koos ‘{titles[company.sprint_theme]}’ als sprintthema in de HR-scan 2024 en "
            "stelde daar de eigen HR-vraag over"
        ]
        if not own_group:
            reasons.append(
                "te weinig bedrijven met dezelfde vraag voor een eigen groep: werkt in een "
                "intervisiegroep aan de eigen HR-vraag"
            )
        return ProposedMember(
            organisation_id=org.id, role=SprintRole.DEELNEMER, theme_score=None,
            chose_theme=True, sector=org.sector, region=org.region, size_class=org.size_class,
            reasons=tuple(reasons),
        )  # fmt: skip

    groups = [
        ProposedGroup(
            theme=key,
            theme_title=title,
            number=number,
            title=f"{title} – groep {number}",
            members=tuple(member(c, key != MIXED_THEME[0]) for c in group),
            note=None,
        )
        for key, title, members in plans
        for number, group in enumerate(_split(members), start=1)
    ]
    proposal = Proposal(
        year=2024, themes=tuple(key for key, _, _ in plans), k=5,
        min_size=SPRINT_SIZE[0], max_size=SPRINT_SIZE[1], groups=tuple(groups), unplaced=(),
    )  # fmt: skip
    sprints = save_proposal(proposal)
    for i, sprint in enumerate(sprints):
        fix_sprint(sprint, min_size=min(SPRINT_SIZE[0], len(sprint.members)))
        for number, topic in enumerate(SPRINT_TOPICS, start=1):
            held_on = FIRST_SPRINT + timedelta(weeks=i + 2 * (number - 1))
            session = add_session(sprint, number=number, held_on=held_on, topic=topic)
            for place in sprint.members:
                present = rng.random() < PRESENT
                record_attendance(session, place.organisation_id, present=present)
        finish_sprint(sprint)
    return {"sprints 2024": len(sprints)}


def load_rounds(rng: random.Random, organisations: list[Organisation]) -> dict[str, int]:
    versions = publish_shipped()
    employers = [o for o in organisations if o.kind == "werkgever"]
    counts, sprinters = hr_scans(rng, versions, employers)
    for make in (cop, alumni, sprint_evaluations, klankbord):
        counts.update(make(rng, versions))
    # last: its random draws (attendance) come after every other round's, which stay as they were
    counts.update(sprints_2024(rng, versions["hr_scan"].definition, sprinters))
    return counts
