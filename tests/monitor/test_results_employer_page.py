"""An employer's own results over the years (/employer/results) on the demo: the scores of every
year it scanned as the company report has them, the change since its first and its previous
scan, the advice of the latest scan, the report links; and nothing of another organisation."""

import html
import re

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from monitor.accounts import create_user
from monitor.demo import DEMO_LOGINS, load_demo
from monitor.formatting import number_nl
from monitor.reports.company import build_company_context
from surveys.db import db
from surveys.models import Campaign, Organisation, Response, ResponseStatus
from tests.conftest import app_on_database, login

PASSWORD = "drie-jaar-wachtwoord"


@pytest.fixture(scope="module")
def demo_app(postgres_database, tmp_path_factory):
    folder = tmp_path_factory.mktemp("employer-page")
    for app in app_on_database(postgres_database, folder, REPORTS_DIR=str(folder / "reports")):
        load_demo(seed=2025)
        yield app


@pytest.fixture(scope="module")
def veteran(demo_app) -> Organisation:
    """A demo employer that scanned in three years, with an account of its own."""
    years = func.count(func.distinct(Campaign.year))
    organisation_id = db.session.scalars(
        select(Response.organisation_id)
        .join(Campaign)
        .where(Campaign.mode == "employer", Response.status == ResponseStatus.SUBMITTED)
        .group_by(Response.organisation_id)
        .having(years == 3)
        .order_by(Response.organisation_id)
    ).first()
    create_user("drie-jaar@example.org", "employer", PASSWORD, organisation_id)
    db.session.commit()
    return db.session.get(Organisation, organisation_id)


@pytest.fixture(scope="module")
def page(demo_app, veteran) -> str:
    client = demo_app.test_client()
    assert login(client, "drie-jaar@example.org", PASSWORD).status_code == 302
    response = client.get("/employer/results")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _tables(page: str) -> list[list[list[str]]]:
    """Every table of the page as its rows of cell texts."""
    return [_rows(table) for table in re.findall(r"<table.*?</table>", page, flags=re.S)]


def _rows(page: str) -> list[list[str]]:
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", page, flags=re.S):
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, flags=re.S)
        rows.append([" ".join(html.unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells])
    return rows


def _signed(before: float, after: float) -> str:
    """The change as the difference of the printed values, with a true minus."""
    difference = round(float(number_nl(after, 1).replace(",", ".")) -
                       float(number_nl(before, 1).replace(",", ".")), 1)  # fmt: skip
    if difference > 0:
        return f"+{number_nl(difference, 1)}"
    return f"−{number_nl(-difference, 1)}" if difference < 0 else "0,0"


def test_scores_per_year_are_those_of_the_company_reports(page, veteran):
    reports = {year: build_company_context(veteran.id, year, 5) for year in (2023, 2024, 2025)}
    header, *body = _tables(page)[0]
    assert header == ["Thema", "2023", "2024", "2025"]
    rows = {row[0]: row[1:] for row in body}
    for domain in reports[2025]["profile"]["domains"]:
        expected = []
        for year in (2023, 2024, 2025):
            [same] = [d for d in reports[year]["profile"]["domains"] if d["key"] == domain["key"]]
            expected.append(number_nl(same["score"], 1) if same["score"] is not None else "–")
        assert rows[domain["title"]][:3] == expected


def test_the_change_since_the_first_and_the_previous_scan(page, veteran):
    first, previous, latest = (
        {d["key"]: d for d in build_company_context(veteran.id, y, 5)["profile"]["domains"]}
        for y in (2023, 2024, 2025)
    )
    assert "Sinds de eerste scan (2023)" in page and "Sinds de vorige scan (2024)" in page
    header, *changes = _tables(page)[1]
    assert header[0] == "Thema"
    assert len(changes) == len(latest)
    by_title = {row[0]: row for row in changes}
    for key, domain in latest.items():
        row = by_title[domain["title"]]
        assert row[1] == _signed(first[key]["score"], domain["score"])
        assert row[2] == _signed(previous[key]["score"], domain["score"])
        # the report's own change since the previous scan agrees
        assert domain["change"]["previous_year"] == 2024


def test_peer_position_and_advice_of_the_latest_scan(page, veteran):
    report = build_company_context(veteran.id, 2025, 5)
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    for message in report["advice"]["key_messages"]:
        assert " ".join(message.split()) in text
    for point in report["advice"]["agenda"]:
        assert " ".join(point.split()) in text
    for position in report["positions"]:
        if position["text"]:
            assert position["text"] in text
    for year in (2023, 2024, 2025):
        assert f"Uw positie in {year}" in text
        assert f'href="/employer/report/{year}.pdf"' in page


def test_the_page_names_no_other_organisation(page, veteran):
    others = db.session.scalars(select(Organisation.name).where(Organisation.id != veteran.id))
    shown = [name for name in others if name in page or str(escape(name)) in page]
    assert shown == []
    assert str(escape(veteran.name)) in page


def test_only_employers_see_it_and_the_home_page_links_it(demo_app):
    for role, status in (("coordinator", 403), ("admin", 403)):
        client = demo_app.test_client()
        assert login(client, *DEMO_LOGINS[role]).status_code == 302
        assert client.get("/employer/results").status_code == status
    anonymous = demo_app.test_client().get("/employer/results")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    employer = demo_app.test_client()
    assert login(employer, *DEMO_LOGINS["employer"]).status_code == 302
    assert 'href="/employer/results"' in employer.get("/employer/").get_data(as_text=True)
    assert employer.get("/employer/results").status_code == 200


def test_an_employer_without_a_scan_sees_an_explanation(demo_app):
    fresh = Organisation(name="Nog Niet Gescand BV", kind="werkgever")
    db.session.add(fresh)
    db.session.flush()
    create_user("nieuw@example.org", "employer", PASSWORD, fresh.id)
    db.session.commit()
    client = demo_app.test_client()
    assert login(client, "nieuw@example.org", PASSWORD).status_code == 302
    text = client.get("/employer/results").get_data(as_text=True)
    assert "Uw organisatie heeft nog geen HR-scan verstuurd." in text


def test_a_deletion_on_request_removes_the_kept_results_page(demo_app, page, veteran):
    """The kept results page holds the organisation's scores: deleting the organisation's report
    files (as a deletion on request does) removes it too, and only its own."""
    from monitor.reports.bulk import remove_company_reports
    from monitor.results.monitor_cache import cache_dir

    folder = cache_dir("employer")
    [own] = folder.glob(f"organisation-{veteran.id}-k5-*.json")
    other = folder / "organisation-999999-k5-stamp.json"
    other.write_text("{}")
    remove_company_reports(veteran.id)
    assert not own.exists() and other.exists()
