"""The added chapters of the regional monitor in a small world: a category with fewer than k units
is never named, in the JSON or in the PDF, and a small klankbord group hides its partner.

Seven companies scanned in 2025: six in care in Zuid-Limburg (10-49 fte), one ICT company in
Noord-Limburg (1-9 fte). A CoP nulmeting with six docenten and two praktijkopleiders, a klankbord
round with six members of the Groot klankbord and two of the PML klankbord.
"""

import json
from datetime import UTC, date, datetime

import pytest

from monitor.demo.rounds import publish_shipped
from monitor.reports.regional import build_monitor_context, render_monitor
from scans.instrument import item_scoring
from surveys.campaigns import create_campaign
from surveys.db import db
from surveys.models import Answer, Organisation, Response, ResponseStatus
from surveys.models.campaigns import CampaignStatus
from tests.conftest import app_on_database
from tests.pdf_helpers import pdf_text

K = 5
YEAR = 2025
COMPANIES = [(f"Zorg {i}", "zorg en welzijn", "Zuid-Limburg", "10-49") for i in range(6)] + [
    ("Bit", "ICT", "Noord-Limburg", "1-9")
]
SMALL_NAMES = ("ICT", "Noord-Limburg", "1-9 fte", "Praktijkopleider", "praktijkopleider")


@pytest.fixture(scope="module")
def small_app(postgres_database, tmp_path_factory):
    yield from app_on_database(postgres_database, tmp_path_factory.mktemp("small"))


def _round(version, title: str, mode: str) -> int:
    campaign = create_campaign(
        version, title=title, year=YEAR, wave=0, mode=mode, opens_on=date(YEAR, 3, 1),
        closes_on=date(YEAR, 5, 31), slug=title.lower().replace(" ", "-"),
    )  # fmt: skip
    campaign.status = CampaignStatus.CLOSED
    db.session.flush()
    return campaign.id


def _respond(campaign_id: int, answers: dict[str, str], group: str, org: int | None = None):
    moment = datetime(YEAR, 4, 1, 10, tzinfo=UTC)
    response = Response(
        campaign_id=campaign_id, status=ResponseStatus.SUBMITTED, submitted_at=moment,
        updated_at=moment, organisation_id=org, respondent_group=group,
    )  # fmt: skip
    db.session.add(response)
    db.session.flush()
    db.session.add_all(
        Answer(response_id=response.id, item_key=key, value=value) for key, value in answers.items()
    )


@pytest.fixture(scope="module")
def context(small_app):
    versions = publish_shipped()
    orgs = [
        Organisation(name=name, kind="werkgever", sector=sector, region=region, size_class=size)
        for name, sector, region, size in COMPANIES
    ]
    db.session.add_all(orgs)
    db.session.flush()
    scan = _round(versions["hr_scan"], "HR-scan 2025", "employer")
    hr_items = [item.key for item in item_scoring(versions["hr_scan"].definition)]
    for i, org in enumerate(orgs):
        answers = {key: str((i + j) % 5) for j, key in enumerate(hr_items)}
        answers |= {
            "vacatures_open": str(i),
            "vacatures_moeilijk": "pct_50_74" if i % 2 else "pct_0",
            "sprint_themas": json.dumps(["aantrekken", "inwerken"][: 1 + i % 2]),
        }
        _respond(scan, answers, "werkgever", org.id)
    cop = _round(versions["cop"], "CoP 2025", "open")
    cop_items = [item.key for item in item_scoring(versions["cop"].definition)]
    for i, role in enumerate(["docent"] * 6 + ["praktijkopleider"] * 2):
        answers = {key: str(1 + (i + j) % 5) for j, key in enumerate(cop_items)}
        _respond(cop, answers | {"rol": role}, "onderwijs_praktijk")
    board = _round(versions["klankbord"], "Klankbord 2025", "open")
    board_items = [item.key for item in item_scoring(versions["klankbord"].definition)]
    for i, group in enumerate(["groot_klankbord"] * 6 + ["pml_klankbord"] * 2):
        answers = {key: str(1 + (i + j) % 5) for j, key in enumerate(board_items)}
        _respond(board, answers | {"rol_klankbord": "signaleren"}, group)
    db.session.commit()
    return json.loads(json.dumps(build_monitor_context(year=YEAR, k=K)))


def test_small_categories_are_pooled_and_never_named_in_the_json(context):
    profile = context["hr"]["profile"]
    assert profile["available"] and profile["companies"] == len(COMPANIES)
    keys = {
        row["key"]
        for tables in (profile["vacancies"], profile["themes"])
        for table in tables.values()
        for row in table["rows"]
    }
    assert {"zorg en welzijn", "Zuid-Limburg", "10-49", "overige"} <= keys
    assert not keys & {"ICT", "Noord-Limburg", "1-9"}
    roles = {row["key"] for row in context["cop"]["by_role"]["rows"]}
    assert roles == {"docent", "overige"}
    assert context["alumni"]["ict"]["employers"]["named"] is False
    encoded = json.dumps(
        {"profile": profile, "roles": context["cop"]["by_role"], "ict": context["alumni"]["ict"]},
        ensure_ascii=False,
    )
    for name in ("Noord-Limburg", "1-9 fte", "praktijkopleider", "Praktijkopleider", '"ICT"'):
        assert name not in encoded


def test_small_categories_are_never_named_in_the_pdf(context):
    text = pdf_text(render_monitor(context))
    start = text.index("HR-scan: vacatures en gewenste", text.index("Samenvatting") + 200)
    profile = text[start : text.index("Community of Practice: verwachting", start)]
    for name in ("ICT", "Noord-Limburg", "1-9 fte"):
        assert name not in profile
    assert "Zorg en welzijn" in profile and "Overige" in profile
    roles = text[text.index("Per rol in de CoP") : text.index("Klankbord: oordeel", start)]
    assert "Docent" in roles and "Overige rollen" in roles
    assert "Praktijkopleider" not in roles


def test_a_small_klankbord_group_hides_the_other_group_too(context):
    year = context["klankbord"]["years"][0]
    sizes = {row["key"]: row["n"] for row in year["respondents"]}
    assert sizes == {"groot_klankbord": None, "pml_klankbord": None}  # 2 < k hides 6 as well
    assert year["total"] == 8
    for domain in year["domains"]:
        assert [g["value"] for g in domain["groups"]] == [None, None]
        assert domain["total"]["value"] is not None and domain["total"]["n"] == 8
