"""The results page of a round on the demo data (every shipped instrument): shown to staff,
filtered by GET parameters, disclosure-controlled, with CSV downloads of exactly its tables.

Expected figures come from plain SQL over the answers, not from the page's own code.
"""

import csv
import io

import pytest
import sqlalchemy as sa

from monitor.audit import AuditEvent
from monitor.demo import DEMO_LOGINS, load_demo
from monitor.results.round import build_round
from surveys.db import db
from surveys.models import Answer, Campaign, Instrument, InstrumentVersion, Response
from tests.conftest import app_on_database, login

K = 5


@pytest.fixture(scope="module")
def demo_app(postgres_database, tmp_path_factory):
    """One app with the demo loaded, shared by the tests of this module."""
    for app in app_on_database(postgres_database, tmp_path_factory.mktemp("results")):
        load_demo(seed=2025)
        yield app


@pytest.fixture
def staff(demo_app):
    client = demo_app.test_client()
    login(client, *DEMO_LOGINS["coordinator"])
    return client


def _campaigns(instrument: str) -> list[Campaign]:
    return db.session.scalars(
        sa.select(Campaign)
        .join(InstrumentVersion)
        .join(Instrument)
        .where(Instrument.key == instrument)
        .order_by(Campaign.year, Campaign.id)
    ).all()


def _latest_with_answers(instrument: str) -> Campaign:
    submitted = sa.select(Response.campaign_id).where(Response.status == "submitted")
    return [c for c in _campaigns(instrument) if c.id in set(db.session.scalars(submitted))][-1]


INSTRUMENTS = ["hr_scan", "cop", "alumni", "sprint_evaluatie", "klankbord"]


@pytest.mark.parametrize("instrument", INSTRUMENTS)
def test_every_shipped_instrument_has_a_results_page(demo_app, staff, instrument):
    campaign = _latest_with_answers(instrument)
    response = staff.get(f"/coordinator/campaigns/{campaign.id}/results")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f"Resultaten: {campaign.title}" in page
    assert "Per vraag" in page or "uitkomsten staan hier vanaf" in page


def test_the_campaign_page_links_its_results(demo_app, staff):
    campaign = _latest_with_answers("hr_scan")
    page = staff.get(f"/coordinator/campaigns/{campaign.id}").get_data(as_text=True)
    assert f"/coordinator/campaigns/{campaign.id}/results" in page


def test_domain_means_match_an_independent_computation(demo_app):
    """The total mean of a domain equals the mean of the per-response domain means in SQL
    (every HR-scan in the demo answers enough items to be scored)."""
    campaign = _latest_with_answers("hr_scan")
    results = build_round(campaign, {}, k=K)
    table = results.domains
    assert table is not None and table.rows
    first_domain = campaign.instrument_version.definition["domains"][0]["key"]
    keys = [
        item["key"]
        for section in campaign.instrument_version.definition["sections"]
        for item in section["items"]
        if item.get("domain") == first_domain and item["type"] == "maturity"
    ]
    rows = db.session.execute(
        sa.select(Answer.response_id, Answer.value)
        .join(Response)
        .where(Response.campaign_id == campaign.id, Response.status == "submitted")
        .where(Answer.item_key.in_(keys))
    ).all()
    per_response: dict[int, list[float]] = {}
    for response_id, value in rows:
        if value.isdigit():
            per_response.setdefault(response_id, []).append(float(value))
    means = [sum(v) / len(v) for v in per_response.values() if len(v) >= len(keys) / 2]
    expected = sum(means) / len(means)
    total_mean = table.rows[0][table.header.index(f"{table.header[-1].split(':')[0]}: gemiddelde")]
    assert total_mean == pytest.approx(expected, abs=1e-3)


def test_no_count_below_k_is_shown(demo_app):
    for instrument in ("hr_scan", "cop", "alumni"):
        results = build_round(_latest_with_answers(instrument), {}, k=K)
        for table in results.tables():
            for row in table.rows:
                for value, fmt in zip(row, table.formats, strict=False):
                    if fmt == "n" and value is not None:
                        assert value >= K, (table.id, row)


def test_a_filter_is_applied_and_shareable_or_refused_with_a_reason(demo_app, staff):
    campaign = _latest_with_answers("hr_scan")
    results = build_round(campaign, {}, k=K)
    sector = next(f for f in results.filters if f.name == "sector")
    assert sector.values, sector.reason
    value = sector.values[0]
    url = f"/coordinator/campaigns/{campaign.id}/results"
    page = staff.get(url, query_string={"sector": value})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "in deze selectie" in text
    refused = staff.get(
        f"/coordinator/campaigns/{campaign.id}/results", query_string={"sector": "geen-sector"}
    ).get_data(as_text=True)
    assert "Niet toegepast" in refused and "in deze selectie" not in refused


def test_csv_holds_exactly_the_table_shown_with_formulas_neutralised(demo_app, staff):
    campaign = _latest_with_answers("hr_scan")
    results = build_round(campaign, {}, k=K)
    table = results.domains
    response = staff.get(
        f"/coordinator/campaigns/{campaign.id}/results.csv", query_string={"table": table.id}
    )
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True)), delimiter=";"))
    assert rows[0] == table.header
    assert [r[0] for r in rows[1:]] == [r[0] for r in table.rows]
    assert len(rows) == len(table.rows) + 1  # aggregated rows only, never one per respondent
    assert (
        staff.get(
            f"/coordinator/campaigns/{campaign.id}/results.csv", query_string={"table": "nope"}
        ).status_code
        == 404
    )


def test_views_and_downloads_are_audited(demo_app, staff):
    campaign = _latest_with_answers("cop")
    staff.get(f"/coordinator/campaigns/{campaign.id}/results")
    staff.get(f"/coordinator/campaigns/{campaign.id}/results.csv?table=domeinen")
    actions = db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.object_id == str(campaign.id))
    ).all()
    assert "results.view" in actions and "results.download" in actions


def test_open_answers_are_listed_with_their_count(demo_app, staff):
    campaign = _latest_with_answers("cop")
    results = build_round(campaign, {}, k=K)
    texts = [t for t in results.items if t.kind == "text"]
    assert texts
    for table in texts:
        assert (table.rows[0][0] is None) == (not table.texts)
        if table.texts:
            assert table.rows[0][0] == len(table.texts) >= K


def test_an_employer_is_refused(demo_app):
    client = demo_app.test_client()
    login(client, *DEMO_LOGINS["employer"])
    campaign = _latest_with_answers("hr_scan")
    assert client.get(f"/coordinator/campaigns/{campaign.id}/results").status_code == 403
