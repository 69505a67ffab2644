"""The regional monitor of a year with one, two and four scanned companies names no category that
points at a company, and its response table says how each round was answered.

A tiny network: four employers in four different sectors, sizes and (three) regions. 2023 has the
scan of one company, 2024 of two, 2025 of four: below k = 5 in every year, so every count is
hidden, and any sector, region or size named next to a hidden count would single a company out.
"""

import json
import re
from datetime import UTC, date, datetime

import pytest

from monitor.demo.rounds import publish_shipped
from monitor.reports.regional import build_monitor_context, render_monitor
from scans.instrument import item_scoring
from scans.wording import size_class_nl
from surveys.campaigns import create_campaign
from surveys.db import db
from surveys.models import Answer, Organisation, Response, ResponseStatus
from surveys.models.campaigns import CampaignStatus
from tests.conftest import app_on_database
from tests.pdf_helpers import pdf_text

K = 5
COMPANIES = [
    ("Alfa", "ICT", "Zuid-Limburg", "10-49"),
    ("Bravo", "zorg en welzijn", "Noord-Limburg", "1-9"),
    ("Charlie", "bouw", "Midden-Limburg", "50-249"),
    ("Delta", "logistiek", "Zuid-Limburg", "250+"),
]
#: year -> how many of COMPANIES (from the first) scanned that year
SCANNED = {2023: 1, 2024: 2, 2025: 4}


@pytest.fixture(scope="module")
def tiny_app(postgres_database, tmp_path_factory):
    yield from app_on_database(postgres_database, tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="module")
def tiny_world(tiny_app) -> None:
    versions = publish_shipped()
    items = [item.key for item in item_scoring(versions["hr_scan"].definition)]
    orgs = [
        Organisation(name=name, kind="werkgever", sector=sector, region=region, size_class=size)
        for name, sector, region, size in COMPANIES
    ]
    db.session.add_all(orgs)
    db.session.flush()
    for wave, (year, scanned) in enumerate(SCANNED.items()):
        campaign = create_campaign(
            versions["hr_scan"], title=f"HR-scan {year}", year=year, wave=wave, mode="employer",
            opens_on=date(year, 3, 1), closes_on=date(year, 5, 31), slug=f"hr-{year}",
        )  # fmt: skip
        campaign.status = CampaignStatus.CLOSED
        db.session.flush()
        for i, org in enumerate(orgs[:scanned]):
            moment = datetime(year, 4, 1, 10, tzinfo=UTC)
            response = Response(
                campaign_id=campaign.id, status=ResponseStatus.SUBMITTED, submitted_at=moment,
                updated_at=moment, organisation_id=org.id, respondent_group="werkgever",
                panel_key=f"org-{org.id}",
            )  # fmt: skip
            db.session.add(response)
            db.session.flush()
            db.session.add_all(
                Answer(response_id=response.id, item_key=key, value=str((i + j) % 5))
                for j, key in enumerate(items)
            )
    # a round of 2025 still being prepared, and a personal-link and an open-link round
    for mode, status in (("personal", CampaignStatus.DRAFT), ("personal", CampaignStatus.OPEN)):
        round_ = create_campaign(
            versions["alumni"], title=f"Alumni {status}", year=2025, wave=0, mode=mode,
            opens_on=date(2025, 3, 1), closes_on=date(2025, 5, 31), slug=f"alumni-{status}",
        )  # fmt: skip
        round_.status = status
    cop = create_campaign(
        versions["cop"], title="CoP 2025", year=2025, wave=0, mode="open",
        opens_on=date(2025, 3, 1), closes_on=date(2025, 5, 31), slug="cop-2025",
    )  # fmt: skip
    cop.status = CampaignStatus.OPEN
    db.session.commit()


def _category_names() -> list[str]:
    """Every way a sector, region or size of the four companies could be written."""
    names = []
    for _, sector, region, size in COMPANIES:
        names += [sector, sector[:1].upper() + sector[1:], region, size_class_nl(size)]
    return names


def _named(text: str) -> list[str]:
    return [
        name for name in _category_names() if re.search(rf"(?<![\w-]){re.escape(name)}\b", text)
    ]


@pytest.mark.parametrize("year", sorted(SCANNED))
def test_no_category_of_a_small_year_is_named_in_the_json(tiny_world, year):
    context = build_monitor_context(year=year, k=K)
    assert context["response"]["scanned"] is None  # fewer than k companies: the count is hidden
    encoded = json.dumps(context, ensure_ascii=False)
    assert _named(encoded) == []


def test_a_table_whose_cells_are_all_hidden_is_not_printed(tiny_world):
    context = build_monitor_context(year=2023, k=K)
    response = context["response"]
    assert response["by_sector_region"]["rows"] == []
    assert response["by_size"]["rows"] == []
    text = " ".join(pdf_text(render_monitor(context)).split())
    # "ICT: werkgevers en alumni" is a fixed chapter, printed every year (a published category);
    # it says only that there are fewer than k ICT companies, which holds for any small year
    assert "Minder dan 5 ICT-bedrijven vulden de HR-scan in" in text
    text = re.sub(r"ICT: werkgevers en alumni.*?(?=Intervisiesprints)", "", text)
    assert _named(text) == []
    assert "Gescande bedrijven naar sector en arbeidsmarktregio" not in text
    assert "te weinig bedrijven om naar sector, arbeidsmarktregio en omvang uit te splitsen" in text


def test_the_response_table_names_each_round_s_way_of_answering_and_leaves_drafts_out(
    tiny_world,
):
    rows = build_monitor_context(year=2025, k=K)["response"]["campaigns"]
    by_title = {row["title"]: row for row in rows}
    assert "Alumni draft" not in by_title
    assert by_title["HR-scan 2025"]["mode_nl"] == "werkgevers-scan (inloggen)"
    assert by_title["Alumni open"]["mode_nl"] == "persoonlijke link"
    assert by_title["CoP 2025"]["mode_nl"] == "open link"


def test_a_category_with_k_companies_is_named_and_a_smaller_one_is_pooled():
    """With eleven companies (six in ICT, five elsewhere in the small sectors), ICT is named and
    the others are pooled as "overige" (the pooling function alone, without a database)."""
    import pandas as pd

    from monitor.reports.regional_common import OTHER, pool_small

    units = pd.DataFrame({"sector": ["ICT"] * 6 + ["bouw", "bouw", "zorg en welzijn", "x", "y"]})
    pooled = pool_small(units["sector"], k=K)
    assert pooled.tolist() == ["ICT"] * 6 + [OTHER] * 5
