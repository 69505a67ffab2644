"""Every company report of a year at once: worker processes, skipping what is up to date,
carrying on past a failure, the command line with its progress and exit code, and the console's
background job with its progress page and zip."""

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from monitor.accounts import create_user
from monitor.audit import AuditEvent
from monitor.jobs import Job
from monitor.reports import company
from monitor.reports.bulk import JOB_KIND, build_reports, organisations_with_scan, worker_config
from surveys.db import db
from surveys.models import Organisation
from tests.conftest import login
from tests.monitor.test_report_company import NAME, PASSWORD, make_world


@pytest.fixture
def app_config(tmp_path) -> dict:
    """Reports kept under the test's own directory, not the instance folder."""
    return {"REPORTS_DIR": str(tmp_path / "kept-reports")}


def _pdfs(directory: Path) -> dict[str, Path]:
    return {path.name: path for path in sorted(directory.glob("*.pdf"))}


def test_worker_processes_render_every_report_and_report_the_failures(app, tmp_path):
    ids = make_world()
    scanned = organisations_with_scan(2025)
    assert len(scanned) == 8 and ids["target"] in scanned
    seen = []
    some = [ids["target"], ids["ict"], ids["peer"]]
    result = build_reports(
        2025,
        tmp_path,
        workers=2,
        organisation_ids=[*some, 999_999],  # one without a scan: it fails, the rest go on
        progress=lambda done, total, outcome: seen.append((done, total)),
    )
    assert seen == [(n, 4) for n in range(1, 5)]
    assert sorted(o.organisation_id for o in result.rendered) == sorted(some)
    assert not result.skipped
    assert [(o.organisation_id, o.error.split(":")[0]) for o in result.failed] == [
        (999_999, "NoScan")
    ]
    files = _pdfs(tmp_path)
    assert sorted(files) == sorted(o.file for o in result.rendered)
    name = company.report_filename(ids["target"], 2025, NAME)
    assert name in files and (tmp_path / f"{name}.fingerprint").is_file()
    for path in files.values():
        assert 6 <= len(PdfReader(io.BytesIO(path.read_bytes())).pages) <= 12
    assert not list(tmp_path.glob(".*.tmp"))


def test_workers_that_cannot_start_fail_every_report_without_hanging(app, tmp_path):
    ids = make_world()
    config = {**worker_config(app), "SQLALCHEMY_DATABASE_URI": "sqlite:////nonexistent/x.db"}
    some = [ids["target"], ids["ict"]]
    result = build_reports(2025, tmp_path, workers=1, organisation_ids=some, config=config)
    assert sorted(o.organisation_id for o in result.failed) == sorted(some)
    assert all(o.error.startswith("BrokenProcessPool") for o in result.failed)
    assert not _pdfs(tmp_path)


def test_a_second_run_skips_what_is_up_to_date_and_renders_what_changed(app, tmp_path):
    ids = make_world()
    some = [ids["target"], ids["ict"], ids["peer"]]
    first = build_reports(2025, tmp_path, workers=0, organisation_ids=some)
    assert len(first.rendered) == 3
    stamps = {p.name: p.stat().st_mtime_ns for p in tmp_path.glob("*.pdf")}

    again = build_reports(2025, tmp_path, workers=0, organisation_ids=some)
    assert len(again.skipped) == 3 and not again.rendered
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.glob("*.pdf")} == stamps

    # a renamed organisation: its report is made again under the new name, the old file goes
    db.session.get(Organisation, ids["ict"]).name = "Maasdata Software"
    db.session.commit()
    renamed = build_reports(2025, tmp_path, workers=0, organisation_ids=some)
    assert [o.organisation_id for o in renamed.rendered] == [ids["ict"]]
    names = set(_pdfs(tmp_path))
    assert company.report_filename(ids["ict"], 2025, "Maasdata Software") in names
    assert company.report_filename(ids["ict"], 2025, "Maasdata ICT") not in names
    assert len(names) == 3

    # a deleted PDF (sidecar left behind) is made again
    target = tmp_path / company.report_filename(ids["target"], 2025, NAME)
    target.unlink()
    again = build_reports(2025, tmp_path, workers=0, organisation_ids=some)
    assert [o.organisation_id for o in again.rendered] == [ids["target"]]

    # force renders again what is up to date
    forced = build_reports(2025, tmp_path, workers=0, organisation_ids=[ids["peer"]], force=True)
    assert [o.organisation_id for o in forced.rendered] == [ids["peer"]]


def test_the_fingerprint_covers_the_content_and_the_templates_but_not_the_date(app, monkeypatch):
    ids = make_world()
    context = company.build_company_context(ids["target"], 2025, 5, generated_on=date(2025, 6, 1))
    stamp = company.fingerprint(context)
    later = company.build_company_context(ids["target"], 2025, 5, generated_on=date(2025, 7, 1))
    assert company.fingerprint(later) == stamp  # charts drawn again, another date: the same
    assert company.fingerprint({**context, "organisation": "Andere naam BV"}) != stamp
    assert company.fingerprint(company.build_company_context(ids["target"], 2025, 6)) != stamp
    monkeypatch.setattr(company, "FORMAT_VERSION", company.FORMAT_VERSION + 1)
    assert company.fingerprint(context) != stamp


def test_a_failing_render_does_not_stop_the_others(app, tmp_path, monkeypatch):
    ids = make_world()
    real = company.render_company

    def render(context, **kwargs):
        if context["organisation_id"] == ids["peer"]:
            raise RuntimeError("kapot")
        return real(context, **kwargs)

    monkeypatch.setattr(company, "render_company", render)
    some = [ids["peer"], ids["target"], ids["ict"]]
    result = build_reports(2025, tmp_path, workers=0, organisation_ids=some)
    assert [(o.organisation_id, o.error) for o in result.failed] == [
        (ids["peer"], "RuntimeError: kapot")
    ]
    assert len(result.rendered) == 2 and len(_pdfs(tmp_path)) == 2


def test_cli_build_shows_progress_lists_failures_and_exits_1(app, runner, tmp_path, monkeypatch):
    ids = make_world()
    real = company.render_company

    def render(context, **kwargs):
        if context["organisation_id"] == ids["ict"]:
            raise ValueError("stuk")
        return real(context, **kwargs)

    monkeypatch.setattr(company, "render_company", render)
    out = tmp_path / "rapporten"
    result = runner.invoke(
        args=["reports", "build", "--year", "2025", "--out", str(out), "--workers", "0"]
    )
    assert result.exit_code == 1
    assert "8 rapporten van 2025" in result.output
    assert "7 gemaakt, 0 al actueel, 1 mislukt" in result.output
    assert f"mislukt: organisatie {ids['ict']}: ValueError: stuk" in result.output
    assert len(_pdfs(out)) == 7

    monkeypatch.setattr(company, "render_company", real)
    result = runner.invoke(
        args=["reports", "build", "--year", "2025", "--out", str(out), "--workers", "0"]
    )
    assert result.exit_code == 0, result.output
    assert "1 gemaakt, 7 al actueel, 0 mislukt" in result.output
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "report.build").order_by(AuditEvent.id)
    ).all()[-1]
    assert event.detail == {"rendered": 1, "skipped": 7, "failed": 0, "via": "cli"}


def test_cli_build_without_scans_says_so(app, runner, tmp_path):
    make_world()
    result = runner.invoke(args=["reports", "build", "--year", "2019", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "no submitted HR-scans in 2019" in result.output


def test_console_builds_all_reports_as_a_job_and_offers_the_zip(app, coordinator):
    ids = make_world()
    page = coordinator.get("/coordinator/reports")
    assert page.status_code == 200
    assert b"Alle rapporten van 2025 maken" in page.data
    response = coordinator.post("/coordinator/reports/build", data={"year": "2025"})
    assert response.status_code == 302
    job = db.session.scalars(select(Job)).one()
    assert response.headers["Location"].endswith(f"/coordinator/reports/jobs/{job.id}")
    assert (job.kind, job.status, job.done, job.total) == (JOB_KIND, "done", 8, 8)
    assert job.params == {"year": 2025, "force": False}
    assert job.result["files"] == 8 and job.result["failed"] == []
    assert job.finished_at is not None

    page = coordinator.get(f"/coordinator/reports/jobs/{job.id}")
    assert page.status_code == 200 and "Refresh" not in page.headers
    assert b"Klaar: 8 rapporten" in page.data
    status = coordinator.get(f"/coordinator/reports/jobs/{job.id}.json").get_json()
    assert status["status"] == "done" and status["done"] == status["total"] == 8
    download = coordinator.get(status["download"])
    assert download.status_code == 200 and download.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(download.data)) as archive:
        names = archive.namelist()
        assert len(names) == 8
        assert company.report_filename(ids["target"], 2025, NAME) in names
        assert archive.read(names[0]).startswith(b"%PDF")
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["report.build", "report.download"]

    # a second job renders nothing: the reports kept in the instance folder are up to date
    coordinator.post("/coordinator/reports/build", data={"year": "2025"})
    second = db.session.scalars(select(Job).order_by(Job.id.desc())).first()
    assert second.result["skipped"] == 8 and second.result["rendered"] == 0


def test_the_job_page_refreshes_itself_while_the_job_runs(app, coordinator):
    job = Job(kind=JOB_KIND, status="running", done=3, total=8, params={"year": 2025})
    db.session.add(job)
    db.session.commit()
    page = coordinator.get(f"/coordinator/reports/jobs/{job.id}")
    assert page.status_code == 200
    assert page.headers["Refresh"] == "5"
    assert b"3 van 8 rapporten klaar" in page.data
    assert b'<progress max="8" value="3">' in page.data
    assert b"<script" not in page.data
    assert coordinator.get(f"/coordinator/reports/jobs/{job.id}/download").status_code == 404
    other = Job(kind="exports.something", status="done", params={})
    db.session.add(other)
    db.session.commit()
    assert coordinator.get(f"/coordinator/reports/jobs/{other.id}").status_code == 404


def test_only_staff_start_or_see_jobs(app, client):
    ids = make_world()
    create_user("werkgever@geuldal.example", "employer", PASSWORD, ids["target"])
    db.session.commit()
    login(client, "werkgever@geuldal.example", PASSWORD)
    assert client.post("/coordinator/reports/build", data={"year": "2025"}).status_code == 403
    assert client.get("/coordinator/reports/jobs/1").status_code == 403
    assert db.session.scalars(select(Job)).all() == []


def test_a_build_for_a_year_without_scans_is_refused(app, coordinator):
    make_world()
    assert coordinator.post("/coordinator/reports/build", data={"year": "2019"}).status_code == 400
    assert db.session.scalars(select(Job)).all() == []
