"""The regional monitor as a web page (/coordinator/monitor/<year>) on the demo: the same figures
as the JSON download of the same year, a year switch and the downloads, and a kept context that
is used again until the data change."""

import html
import re

import pytest
from sqlalchemy import select

from monitor.demo import DEMO_LOGINS, load_demo
from monitor.formatting import number_nl, percent_nl
from monitor.results.monitor_cache import cache_dir, data_stamp
from surveys.db import db
from surveys.models import Organisation
from tests.conftest import app_on_database, login

YEAR = 2025


@pytest.fixture(scope="module")
def demo_app(postgres_database, tmp_path_factory):
    """One app with the demo loaded, shared by the tests of this module."""
    folder = tmp_path_factory.mktemp("monitor-page")
    for app in app_on_database(postgres_database, folder, REPORTS_DIR=str(folder / "reports")):
        load_demo(seed=2025)
        yield app


@pytest.fixture(scope="module")
def coordinator(demo_app):
    client = demo_app.test_client()
    assert login(client, *DEMO_LOGINS["coordinator"]).status_code == 302
    return client


@pytest.fixture(scope="module")
def page(coordinator) -> str:
    response = coordinator.get(f"/coordinator/monitor/{YEAR}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture(scope="module")
def numbers(coordinator) -> dict:
    response = coordinator.get(f"/coordinator/reports/monitor/{YEAR}?format=json")
    assert response.status_code == 200
    return response.get_json()


def _text(page: str) -> str:
    """The page's visible text, tags removed, whitespace collapsed."""
    without_svg = re.sub(r"<svg.*?</svg>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", without_svg)).split())


def _rows(page: str) -> list[list[str]]:
    """Every table row of the page as the texts of its cells."""
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", page, flags=re.S):
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, flags=re.S)
        rows.append([" ".join(html.unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells])
    return rows


def test_the_page_prints_the_scanned_companies_of_the_json(page, numbers):
    scanned = numbers["response"]["scanned"]
    assert scanned == 175
    found = re.search(rf"In {YEAR} vulden ([\d.]+) bedrijven de HR-scan in", _text(page))
    assert found and found[1] == number_nl(scanned, 0)


def test_every_domain_mean_of_the_page_is_the_json_mean(page, numbers):
    hr = numbers["hr"]
    by_title = {row[0]: row for row in _rows(page) if row}
    assert hr["domains"]
    for domain in hr["domains"]:
        row = by_title[domain["title"]]
        assert row[1:3] == [number_nl(domain["first"]["mean"], 1),
                            number_nl(domain["current"]["mean"], 1)]  # fmt: skip


def test_every_cop_cell_of_the_page_is_the_json_cell(page, numbers):
    cop = numbers["cop"]
    rows = {row[0]: row[1:] for row in _rows(page) if row}
    assert cop["items"]
    shown = 0
    for item in cop["items"]:
        cells = rows[item["short"]]
        assert len(cells) == len(item["groups"])
        for cell, figures in zip(cells, item["groups"], strict=True):
            if figures["expectation"] is None and figures["experience"] is None:
                assert cell == "te weinig waarnemingen"
                continue
            before, after = (
                number_nl(figures[key], 1) if figures[key] is not None else None
                for key in ("expectation", "experience")
            )
            assert cell.startswith(f"{before or 'te weinig waarnemingen'} → "
                                   f"{after or 'te weinig waarnemingen'}")  # fmt: skip
            shown += 1
    assert shown > 0


def test_the_alumni_share_and_key_figures_are_those_of_the_json(page, numbers):
    text = _text(page)
    limburg = numbers["alumni"]["limburg"]["value"]
    assert f"Werkt in Limburg: {percent_nl(limburg)}" in text
    for figure in numbers["key_figures"]:
        value = figure["value"]
        shown = percent_nl(value) if figure["format"] == "pct" else number_nl(value, 0)
        assert f"{shown} {figure['label']}" in text


def test_the_page_has_the_year_switch_the_downloads_and_the_charts(page, numbers):
    assert f'href="/coordinator/monitor/{YEAR}" aria-current="page"' in page
    for year in (2023, 2024):
        assert f'href="/coordinator/monitor/{year}"' in page
    assert f'href="/coordinator/reports/monitor/{YEAR}"' in page
    assert f'href="/coordinator/reports/monitor/{YEAR}?format=json"' in page
    assert page.count("<svg") == len(numbers["charts"])
    assert "<style" not in page  # the print template's style sheet stays out of the web page
    assert 'href="/coordinator/monitor"' in page  # the console's navigation


def test_the_console_link_leads_to_the_latest_monitor_year(coordinator):
    response = coordinator.get("/coordinator/monitor")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/coordinator/monitor/{YEAR}")


def test_a_year_without_data_shows_an_empty_monitor_and_a_year_out_of_range_is_404(coordinator):
    empty = coordinator.get("/coordinator/monitor/2019")
    assert empty.status_code == 200
    assert "Er zijn geen HR-scans in 2019." in _text(empty.get_data(as_text=True))
    assert coordinator.get("/coordinator/monitor/1999").status_code == 404


def test_a_second_view_uses_the_kept_context_until_the_data_change(demo_app, coordinator, page):
    [kept] = cache_dir().glob(f"monitor-{YEAR}-k5-*.json")
    written = kept.stat().st_mtime_ns
    assert coordinator.get(f"/coordinator/monitor/{YEAR}").get_data(as_text=True) == page
    assert kept.stat().st_mtime_ns == written  # read, not built and written again
    stamp = data_stamp()
    organisation = db.session.scalars(select(Organisation).order_by(Organisation.id)).first()
    organisation.sector, before = "Een nieuwe sector", organisation.sector
    db.session.commit()
    try:
        assert data_stamp() != stamp
        coordinator.get(f"/coordinator/monitor/{YEAR}")
        [rebuilt] = cache_dir().glob(f"monitor-{YEAR}-k5-*.json")
        assert rebuilt != kept and not kept.exists()
    finally:
        organisation.sector = before
        db.session.commit()
    assert data_stamp() == stamp


def test_the_monitor_page_is_for_coordinators_and_admins_only(demo_app):
    for role, status in (("admin", 200), ("employer", 403)):
        client = demo_app.test_client()
        assert login(client, *DEMO_LOGINS[role]).status_code == 302
        assert client.get(f"/coordinator/monitor/{YEAR}").status_code == status
    assert demo_app.test_client().get(f"/coordinator/monitor/{YEAR}").status_code == 302
