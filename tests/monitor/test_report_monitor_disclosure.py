"""The regional monitor with groups below k, and its download in the coordinator console.

A small world: HR-scans 2024-2025 of twelve construction and six ICT companies plus three farms
(below k = 5) in 2025; a CoP nulmeting 2024 and follow-up 2025 whose chairs (voorzitters) number
three in the follow-up. The hidden figures are chosen so that they would be recognisable in the
PDF: every farm answers 0 (mean "0,0") and every chair in the follow-up answers 1 (mean "1,0",
3,5 below the expectation of 4,5); all other answers are 3-5.
"""

import io
import json
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from monitor.accounts import User, create_user
from monitor.audit import AuditEvent
from monitor.demo.rounds import publish_shipped
from monitor.reports.regional import build_monitor_context, render_monitor
from scans.instrument import item_scoring
from scans.models import (
    Attendance,
    Sprint,
    SprintMember,
    SprintRole,
    SprintSession,
    SprintStatus,
    SprintTheme,
)
from surveys.campaigns import create_campaign
from surveys.db import db
from surveys.models import Answer, Organisation, Response, ResponseStatus
from tests.conftest import app_on_database, login
from tests.pdf_helpers import pdf_text

K = 5
MARKER = "te weinig waarnemingen"


def _org(name: str, sector: str, region: str, size: str) -> Organisation:
    org = Organisation(name=name, kind="werkgever", sector=sector, region=region, size_class=size)
    db.session.add(org)
    return org


def _respond(campaign, answers: dict[str, str], **attributes) -> None:
    moment = datetime(campaign.year, 4, 1, 10, tzinfo=UTC)
    response = Response(
        campaign_id=campaign.id,
        status=ResponseStatus.SUBMITTED,
        submitted_at=moment,
        updated_at=moment,
        **attributes,
    )
    db.session.add(response)
    db.session.flush()
    db.session.add_all(
        Answer(response_id=response.id, item_key=key, value=value) for key, value in answers.items()
    )


def _campaign(version, key: str, year: int, wave: int, mode: str):
    campaign = create_campaign(
        version, title=f"{key} {year}", year=year, wave=wave, mode=mode,
        opens_on=date(year, 3, 1), closes_on=date(year, 5, 31), slug=f"{key}-{year}",
    )  # fmt: skip
    db.session.flush()
    return campaign


@pytest.fixture(scope="module")
def small_app(postgres_database, tmp_path_factory):
    yield from app_on_database(postgres_database, tmp_path_factory.mktemp("small"))


@pytest.fixture(scope="module")
def small_world(small_app) -> dict:
    versions = publish_shipped()
    hr_scoring = item_scoring(versions["hr_scan"].definition)
    hr_items = [item.key for item in hr_scoring]
    # one construction company leaves the first domain open in 2025: 20 of 21 have its score
    first_domain = [item.key for item in hr_scoring if item.domain == hr_scoring[0].domain]
    cop_items = [item.key for item in item_scoring(versions["cop"].definition)]
    bouw = [
        _org(f"Bouw {i}", "bouw", "Noord-Limburg" if i % 2 else "Zuid-Limburg", "10-49")
        for i in range(12)
    ]
    ict = [_org(f"ICT {i}", "ICT", "Midden-Limburg", "1-9") for i in range(6)]
    farms = [_org(f"Boerderij {i}", "landbouw", "Zuid-Limburg", "50-249") for i in range(3)]
    db.session.flush()
    for wave, year in enumerate((2024, 2025)):
        campaign = _campaign(versions["hr_scan"], "hr-scan", year, wave, "employer")
        companies = bouw + ict + (farms if year == 2025 else [])
        for i, org in enumerate(companies):
            if org in farms:
                answers = dict.fromkeys(hr_items, "0")
            else:
                answers = {key: str(3 + (i + j + wave) % 2) for j, key in enumerate(hr_items)}
                if org is bouw[0] and year == 2025:
                    answers = {key: v for key, v in answers.items() if key not in first_domain}
            _respond(
                campaign, answers, organisation_id=org.id, respondent_group="werkgever",
                panel_key=f"org-{org.id}",
            )  # fmt: skip
    sizes = {
        2024: {"founding_fathers": 6, "onderwijs_praktijk": 6, "voorzitters": 6},
        2025: {"founding_fathers": 6, "onderwijs_praktijk": 6, "voorzitters": 3},
    }
    for wave, year in enumerate((2024, 2025)):
        campaign = _campaign(versions["cop"], "cop", year, wave, "open")
        for group, size in sizes[year].items():
            for i in range(size):
                value = "1" if (group == "voorzitters" and wave == 1) else str(4 + i % 2)
                _respond(campaign, dict.fromkeys(cop_items, value), respondent_group=group)
    _sprints(bouw[:5], ict[:4])
    db.session.commit()
    return {"bouw": bouw, "ict": ict, "farms": farms}


def _role(theme: str, i: int) -> SprintRole:
    """The first two companies on retention lead as koplopers."""
    return SprintRole.KOPLOPER if theme == "behouden" and i < 2 else SprintRole.DEELNEMER


def _sprints(retain: list[Organisation], include: list[Organisation]) -> None:
    """Two finished sprints of 2025: five companies on retention, four on inclusion (below k)."""
    for key, title, members in (
        ("behouden", "Talent behouden en loopbaan", retain),
        ("inclusief", "Talent verzilveren en inclusief werkgeverschap", include),
    ):
        sprint = Sprint(
            theme=SprintTheme(key=key, title=title), year=2025, title=f"{title} – groep 1",
            status=SprintStatus.DONE,
            members=[
                SprintMember(organisation_id=org.id, role=_role(key, i))
                for i, org in enumerate(members)
            ],
        )  # fmt: skip
        for number in range(1, 6):
            session = SprintSession(number=number, held_on=date(2025, 9, number), topic="")
            session.attendance = [
                Attendance(organisation_id=org.id, present=number != 5 or i > 0)
                for i, org in enumerate(members)
            ]
            sprint.sessions.append(session)
        db.session.add(sprint)


@pytest.fixture(scope="module")
def small_context(small_world) -> dict:
    return build_monitor_context(year=2025, k=K)


@pytest.fixture(scope="module")
def small_text(small_context) -> str:
    pdf = render_monitor(small_context)
    return pdf_text(pdf).strip()


def _hidden_cells_are_not_alone(table: dict) -> None:
    """No hidden cell is the only hidden one in its row or column (margins included): else the
    total and the other cells would give it away."""
    grid = [row["cells"] for row in table["rows"]]
    for r, row in enumerate(grid):
        for c, cell in enumerate(row):
            if cell is None:
                assert sum(x is None for x in row) >= 2, (table["rows"][r]["label"], c)
                assert sum(line[c] is None for line in grid) >= 2, (table["rows"][r]["label"], c)


def test_a_sector_below_k_is_hidden_with_a_complementary_cell(small_context, small_text):
    table = small_context["response"]["by_sector_region"]
    # 3 farms: pooled as "overige" (their sector is not named), no cell, no total
    assert "landbouw" not in [row["key"] for row in table["rows"]]
    farms = next(row for row in table["rows"] if row["key"] == "overige")
    assert farms["label"] == "Overige"
    assert farms["cells"] == [None] * len(table["columns"])
    _hidden_cells_are_not_alone(table)
    total = next(row for row in table["rows"] if row["total"])
    assert total["cells"][-1] == 21  # the grand total stays: 21 companies
    assert small_context["response"]["scanned"] == 21
    # 18 rescans and 3 first scans: the 3 is hidden, and with it the 18 (the total is 21)
    assert small_context["response"]["first_time"] is None
    assert small_context["response"]["repeat"] is None
    assert f"Hoeveel bedrijven van 2025 eerder al een scan deden, tonen we niet ({MARKER})." in (
        small_text
    )


def test_the_farms_get_no_ranking_and_their_scores_never_show(small_context, small_text):
    keys = [g["key"] for g in small_context["hr"]["by_sector"]]
    assert keys == ["bouw", "ICT"]  # the farms are neither named nor ranked as "overige"
    assert "Landbouw" not in small_text and "landbouw" not in small_text
    # sectors carry no means at all (the regions do): nothing to recompute the farms from
    assert all(g["domains"] is None for g in small_context["hr"]["by_sector"])
    assert all("mean" not in w for g in small_context["hr"]["by_sector"] for w in g["weakest"])


def test_a_cop_group_below_k_shows_the_marker_never_its_mean(small_context, small_text):
    chairs = next(g for g in small_context["cop"]["groups"] if g["key"] == "voorzitters")
    for domain in chairs["domains"]:
        follow_up = next(side for side in domain["waves"] if side["year"] == 2025)
        assert follow_up["mean"] is None
        assert domain["gap"]["difference"] is None and domain["gap"]["experience"] is None
        assert domain["gap"]["expectation"] == pytest.approx(4.5)  # the nulmeting had 6 chairs
    for item in small_context["cop"]["items"]:
        cell = next(c for c in item["groups"] if c["group"] == "voorzitters")
        assert cell["experience"] is None and cell["difference"] is None
    # the chairs' column in the statement table: expectation, then the marker twice
    assert f"4,5 → {MARKER} {MARKER}" in small_text
    assert "→ 1,0" not in small_text and "−3,5" not in small_text
    assert "Ervaring 2025 1,0" not in small_text
    assert "Ervaring 2025 niet getoond (te weinig waarnemingen)" in small_text


def test_the_cop_response_table_hides_the_small_group_and_a_partner(small_context):
    """The table prints wave totals but no group totals: a hidden cell needs a hidden partner in
    its column, not in its row (the six chairs of 2024 stay visible)."""
    table = small_context["cop"]["response"]
    chairs = next(row for row in table["rows"] if row["label"] == "Voorzitters innovatietafels")
    assert chairs["cells"] == [6, None]  # three chairs in 2025
    grid = [row["cells"] for row in table["rows"]]
    for c in range(len(grid[0])):
        column = [line[c] for line in grid]
        assert column.count(None) != 1, c


def test_a_group_a_wave_did_not_ask_is_a_zero_that_hides_nothing():
    """Three groups at the nulmeting, two asked in the follow-up: the third's follow-up cell is
    a structural zero, printed as 0, and no other cell is hidden for it."""
    import pandas as pd

    from monitor.reports.regional_cop import _response_table

    sizes = {(0, "a"): 6, (0, "b"): 7, (0, "c"): 8, (1, "a"): 9, (1, "b"): 6}
    rows = [
        {"response_id": f"{w}{g}{i}", "respondent_group": g, "wave": w}
        for (w, g), n in sizes.items()
        for i in range(n)
    ]
    groups = {"a": "A", "b": "B", "c": "C"}
    asked = {0: {"a", "b", "c"}, 1: {"a", "b"}}
    table = _response_table(pd.DataFrame(rows), groups, {0: 2024, 1: 2025}, asked, k=K)
    assert [row["cells"] for row in table["rows"]] == [[6, 9], [7, 6], [8, 0], [21, 15]]


def test_no_pooled_cop_figure_lets_the_chairs_be_recomputed(small_context):
    """Groups are never pooled: a pooled mean with the other groups' means would give the
    chairs away."""
    encoded = json.dumps(small_context["cop"])
    assert "pooled" not in encoded and "all_groups" not in encoded
    assert set(small_context["cop"]) >= {"groups", "items", "response", "summary"}


def test_a_larger_k_hides_more(small_world):
    context = build_monitor_context(year=2025, k=7)
    founders = next(g for g in context["cop"]["groups"] if g["key"] == "founding_fathers")
    assert all(side["mean"] is None for d in founders["domains"] for side in d["waves"])
    assert context["key_figures"][0]["value"] == 21


def test_sprints_held_come_from_the_sprint_tables_with_small_themes_hidden(
    small_context, small_text
):
    held = small_context["sprints"]["held"]
    assert held["available"] and held["sprints"] == 2 and held["done"] == 2
    assert held["companies"] == 9 and held["sessions"] == 10
    assert held["attendance"] is None  # 43 of 45 present: the 2 absences would show
    # four places on inclusion: hidden, and so the five on retention (the total is 9)
    assert [theme["places"] for theme in held["themes"]] == [None, None]
    assert held["koplopers"] is None  # two koplopers among nine places: hidden
    assert "In 2025 liepen 2 sprints (2 afgerond) met 9 bedrijven." in small_text
    assert "koploper" not in small_text
    assert "opkomst" not in small_text
    assert f"Talent behouden en loopbaan: 1 sprint, aantal deelnames: {MARKER}" in small_text
    assert "Er zijn (nog) geen sprintevaluaties." in small_text


# -- the download --------------------------------------------------------------------------------


def _account(role: str, organisation_id: int | None = None) -> tuple[str, str]:
    """A new account of `role` (a fresh address each time: the module shares one database)."""
    n = db.session.scalar(select(func.count()).select_from(User))
    email, password = f"{role}-{n}@example.org", "een-lang-wachtwoord"
    create_user(email, role, password, organisation_id)
    db.session.commit()
    return email, password


def _downloads() -> list[AuditEvent]:
    return list(
        db.session.scalars(select(AuditEvent).where(AuditEvent.action == "report.download"))
    )


@pytest.fixture
def client(small_world, small_app):
    return small_app.test_client()


def test_a_coordinator_downloads_the_pdf_and_the_download_is_logged(client):
    login(client, *_account("coordinator"))
    before = len(_downloads())
    response = client.get("/coordinator/reports/monitor/2025")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert "regionale-monitor-2025.pdf" in response.headers["Content-Disposition"]
    text = " ".join(PdfReader(io.BytesIO(response.data)).pages[0].extract_text().split())
    assert "Regionale monitor 2025" in text
    events = _downloads()
    assert len(events) == before + 1
    event = events[-1]
    assert (event.object_type, event.object_id) == ("monitor", "2025")
    assert event.detail == {"report": "monitor", "format": "pdf", "k": K}


def test_the_json_download_is_the_context_of_the_pdf(client, small_context):
    login(client, *_account("coordinator"))
    response = client.get("/coordinator/reports/monitor/2025?format=json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    context = json.loads(response.data)
    for key in ("response", "hr", "cop", "alumni", "sprints", "summary", "key_figures", "method"):
        assert context[key] == small_context[key]
    assert context["year"] == 2025 and context["k"] == K
    assert _downloads()[-1].detail["format"] == "json"


def test_an_employer_gets_403_and_nothing_is_logged(client, small_world):
    login(client, *_account("employer", small_world["bouw"][0].id))
    before = len(_downloads())
    assert client.get("/coordinator/reports/monitor/2025").status_code == 403
    assert client.get("/coordinator/reports/monitor/2025?format=json").status_code == 403
    assert len(_downloads()) == before


def test_the_number_behind_a_domain_mean_hides_the_few_companies_without_a_score(small_context):
    """20 of 21 companies have a score on the first domain: printing 20 would show that one
    company left it open. The other domains keep their 21."""
    first, *others = small_context["hr"]["domains"]
    assert first["current"]["mean"] is not None and first["current"]["n"] is None
    assert all(d["current"]["n"] == 21 for d in others)
