"""Console pages for the company HR-scan reports: download one company's report, build every report
of a year as a background job (progress, then a zip). Every download and build is recorded in the
audit log with identifiers only."""

from flask import (
    abort,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import func, select
from wtforms import BooleanField, IntegerField
from wtforms.validators import InputRequired

from monitor import audit
from monitor.accounts import Role
from monitor.console.blueprint import bp
from monitor.console.forms import YEAR_RANGE, DutchForm
from monitor.jobs import Job, enqueue
from monitor.reports.bulk import JOB_KIND, jobs_dir
from monitor.reports.download import company_report_download, send_attachment
from monitor.roles import role_required
from scans.instrument import HR_SCAN
from surveys.db import db
from surveys.models import (
    Campaign,
    Instrument,
    InstrumentVersion,
    Organisation,
    Response,
    ResponseStatus,
)

STAFF = (Role.ADMIN, Role.COORDINATOR)
#: seconds between refreshes of the job page while the job runs
REFRESH_SECONDS = 5
RECENT_JOBS = 8


class BuildForm(DutchForm):
    year = IntegerField("Jaar", validators=[InputRequired("Kies een jaar."), YEAR_RANGE])
    force = BooleanField("Ook rapporten opnieuw maken die al actueel zijn")


def _scan_years() -> list[int]:
    """Years with submitted HR-scans, newest first."""
    return list(
        db.session.scalars(
            select(Campaign.year)
            .distinct()
            .join(InstrumentVersion, Campaign.instrument_version_id == InstrumentVersion.id)
            .join(Instrument, InstrumentVersion.instrument_id == Instrument.id)
            .join(Response, Response.campaign_id == Campaign.id)
            .where(Instrument.key == HR_SCAN, Response.status == ResponseStatus.SUBMITTED)
            .order_by(Campaign.year.desc())
        )
    )


def _scanned(year: int, q: str) -> list[dict]:
    """The organisations that scanned in ``year`` with the date of their (latest) scan."""
    conditions = [
        Instrument.key == HR_SCAN,
        Campaign.year == year,
        Response.status == ResponseStatus.SUBMITTED,
    ]
    if q:
        conditions.append(Organisation.name.ilike(f"%{q}%"))
    rows = db.session.execute(
        select(
            Organisation.id,
            Organisation.name,
            Organisation.sector,
            func.max(Response.submitted_at).label("submitted_at"),
        )
        .join(Response, Response.organisation_id == Organisation.id)
        .join(Campaign, Response.campaign_id == Campaign.id)
        .join(InstrumentVersion, Campaign.instrument_version_id == InstrumentVersion.id)
        .join(Instrument, InstrumentVersion.instrument_id == Instrument.id)
        .where(*conditions)
        .group_by(Organisation.id, Organisation.name, Organisation.sector)
        .order_by(Organisation.name)
    ).all()
    return [row._asdict() for row in rows]


@bp.get("/reports")
@role_required(*STAFF)
def reports():
    years = _scan_years()
    year = request.args.get("year", type=int)
    if year not in years:
        year = years[0] if years else None
    q = request.args.get("q", "").strip()[:100]
    recent = db.session.scalars(
        select(Job).where(Job.kind == JOB_KIND).order_by(Job.id.desc()).limit(RECENT_JOBS)
    ).all()
    return render_template(
        "console/reports.html",
        years=years,
        year=year,
        q=q,
        companies=_scanned(year, q) if year else [],
        jobs=recent,
        form=BuildForm(year=year),
    )


@bp.get("/reports/company/<int:organisation_id>/<int:year>.pdf")
@role_required(*STAFF)
def company_report(organisation_id: int, year: int):
    db.get_or_404(Organisation, organisation_id)
    return company_report_download(
        organisation_id,
        year,
        via="console",
        hint="Of maak alle rapporten van het jaar op de achtergrond.",
    )


@bp.post("/reports/build")
@role_required(*STAFF)
def build_reports_view():
    form = BuildForm()
    # a year without submitted HR-scans (through the session, not organisations_with_scan's own
    # connection: on SQLite this POST's transaction holds the write lock, which a second
    # connection would wait for in vain)
    if not form.validate_on_submit() or not _scanned(form.year.data, ""):
        problems = [error for errors in form.errors.values() for error in errors]
        message = " ".join(problems) or "Kies een jaar met verstuurde HR-scans."
        return render_template("error.html", title="Geen rapporten te maken", message=message), 400
    year, force = form.year.data, bool(form.force.data)
    job = enqueue(JOB_KIND, {"year": year, "force": force}, current_user.id)
    audit.record("report.build", "year", year, job=job.id, force=force, via="console")
    db.session.commit()
    return redirect(url_for("console.report_job", job_id=job.id))


def _job_or_404(job_id: int) -> Job:
    job = db.get_or_404(Job, job_id)
    if job.kind != JOB_KIND:
        abort(404)
    return job


@bp.get("/reports/jobs/<int:job_id>")
@role_required(*STAFF)
def report_job(job_id: int):
    job = _job_or_404(job_id)
    running = job.status in ("queued", "running")
    response = make_response(
        render_template(
            "console/reports_job.html", job=job, running=running, refresh=REFRESH_SECONDS
        )
    )
    if running:
        # the page reloads itself while the job runs (the HTML standard's Refresh header, the
        # same as a meta refresh): no JavaScript needed
        response.headers["Refresh"] = str(REFRESH_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/reports/jobs/<int:job_id>.json")
@role_required(*STAFF)
def report_job_status(job_id: int):
    job = _job_or_404(job_id)
    response = jsonify(
        id=job.id,
        status=job.status,
        done=job.done,
        total=job.total,
        params=job.params,
        result=job.result,
        download=url_for("console.report_job_download", job_id=job.id)
        if job.status == "done"
        else None,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/reports/jobs/<int:job_id>/download")
@role_required(*STAFF)
def report_job_download(job_id: int):
    job = _job_or_404(job_id)
    name = (job.result or {}).get("zip")
    path = jobs_dir() / name if job.status == "done" and name else None
    if path is None or path.name != name or not path.is_file():
        abort(404)
    audit.record("report.download", "job", job.id, year=job.params.get("year"), via="console")
    db.session.commit()
    return send_attachment(path, "application/zip")
