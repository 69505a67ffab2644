"""The company report download serves the kept PDF without building the report context again
while nothing it is made of has changed, builds it again when something has (a peer's answers, a
new scan, a renamed company), answers a year without a scan without loading the year, and limits
how often one account may have a report built (finding 13 of the security review)."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

from monitor.accounts import create_user
from monitor.reports import company
from surveys.db import db
from surveys.models import Answer, Organisation, Response
from tests.conftest import login
from tests.monitor.test_report_company import PASSWORD, make_world

URL = "/employer/report/2025.pdf"


@pytest.fixture
def app_config(tmp_path) -> dict:
    return {"REPORTS_DIR": str(tmp_path / "reports")}


@pytest.fixture
def builds(monkeypatch) -> list[int]:
    """The organisations whose report context was built, in order (the real builder runs)."""
    calls: list[int] = []
    real = company.company_context

    def counted(data, organisation_id, **kwargs):
        calls.append(organisation_id)
        return real(data, organisation_id, **kwargs)

    monkeypatch.setattr(company, "company_context", counted)
    return calls


@pytest.fixture
def world(app, client) -> dict[str, int]:
    ids = make_world()
    create_user("werkgever@geuldal.example", "employer", PASSWORD, ids["target"])
    db.session.commit()
    login(client, "werkgever@geuldal.example", PASSWORD)
    return ids


def _peer_response(ids: dict[str, int]) -> Response:
    return db.session.scalars(
        select(Response).where(Response.organisation_id == ids["peer"]).order_by(Response.id.desc())
    ).first()


def test_a_second_download_does_not_build_the_report_again(client, world, builds):
    first = client.get(URL)
    assert first.status_code == 200 and first.data.startswith(b"%PDF")

    second = client.get(URL)

    assert second.status_code == 200
    assert second.data == first.data
    assert builds == [world["target"]]


def test_a_new_scan_of_a_peer_builds_the_report_again(client, world, builds):
    client.get(URL)
    _new_scan_of_a_peer(world)

    second = client.get(URL)

    assert second.status_code == 200
    assert builds == [world["target"], world["target"]]
    assert client.get(URL).data == second.data  # and that one is kept in turn
    assert len(builds) == 2


def test_an_answer_changed_behind_the_applications_back_still_counts(client, world, builds):
    """An answer written without touching its response (a repair by hand) is noticed too, as
    long as it changes the answers' number, ids or lengths."""
    client.get(URL)
    peer = _peer_response(world)
    db.session.execute(
        update(Answer)
        .where(Answer.response_id == peer.id, Answer.item_key == "gemeente")
        .values(value="Valkenburg aan de Geul")
    )
    db.session.commit()

    client.get(URL)

    assert len(builds) == 2


def test_a_renamed_company_gets_a_new_report(client, world, builds):
    client.get(URL)
    db.session.get(Organisation, world["target"]).name = "Geuldal Bouw en Infra BV"
    db.session.commit()

    response = client.get(URL)

    assert "geuldal-bouw-en-infra" in response.headers["Content-Disposition"]
    assert len(builds) == 2


def test_a_year_without_a_scan_is_a_404_without_loading_the_year(client, world, builds):
    assert client.get("/employer/report/2019.pdf").status_code == 404
    assert client.get("/employer/report/2026.pdf").status_code == 404
    assert builds == []


def test_the_stamp_covers_the_report_code_wherever_it_moves():
    """Every package or module named in CODE exists (a rename would leave code uncovered)."""
    from monitor import ROOT
    from monitor.reports.sources import CODE, code_files

    files = code_files()
    for name in CODE:
        assert any(str(f.relative_to(ROOT)).startswith(name) for f in files), name
    assert any(f.name == "company.py" for f in files)
    assert any(f.name == "company.html" for f in files)


class TestTheRateLimit:
    @pytest.fixture
    def app_config(self, tmp_path) -> dict:
        return {
            "REPORTS_DIR": str(tmp_path / "reports"),
            "RATELIMIT_ENABLED": True,
            "MONITOR_REPORT_BUILDS": "1 per minute",
        }

    def test_builds_beyond_the_limit_get_a_429_with_a_message(self, client, world, builds):
        assert client.get(URL).status_code == 200
        _new_scan_of_a_peer(world)

        refused = client.get(URL)

        assert refused.status_code == 429
        assert "Wacht een minuut" in refused.get_data(as_text=True)
        assert builds == [world["target"]]

    def test_the_kept_report_is_served_whatever_the_limit(self, client, world, builds):
        assert client.get(URL).status_code == 200
        for _ in range(3):
            assert client.get(URL).status_code == 200
        assert builds == [world["target"]]


def _new_scan_of_a_peer(ids: dict[str, int]) -> None:
    """The peer submits its scan again, now at the top level everywhere: its latest scan counts,
    so every 2025 report's peer figures change."""
    peer = _peer_response(ids)
    copy = Response(
        campaign_id=peer.campaign_id, organisation_id=ids["peer"], status=peer.status,
        respondent_group=peer.respondent_group, submitted_at=datetime.now(UTC),
    )  # fmt: skip
    db.session.add(copy)
    db.session.flush()
    db.session.add_all(
        Answer(
            response_id=copy.id, item_key=a.item_key, value="4" if a.value.isdigit() else a.value
        )
        for a in db.session.scalars(select(Answer).where(Answer.response_id == peer.id))
    )
    db.session.commit()
