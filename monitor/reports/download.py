"""Serving a built report file to the browser: the company report download of the employer page
and the console, and the zip of a bulk build job. One place for the rules they share: the kept
PDF while its sources are unchanged, else build and render it (a limited number a minute per
account), a clear page when that takes too long, an audit event, no caching."""

from pathlib import Path

from flask import Response, abort, current_app, render_template, send_file
from flask_login import current_user

from monitor import audit
from surveys.db import db

#: what a visitor reads when the report took longer than the web time limit
TIMEOUT_TITLE = "Het rapport is nog niet klaar"
TIMEOUT_MESSAGE = (
    "Het maken van het rapport duurde te lang. Probeer het over een paar minuten opnieuw."
)


#: what a visitor reads who had too many reports built in a minute
BUSY_TITLE = "Even geduld"
BUSY_MESSAGE = (
    "U heeft in korte tijd veel rapporten laten maken. Wacht een minuut en probeer het dan "
    "opnieuw; rapporten die al klaar zijn, kunt u wel meteen downloaden."
)


def _may_build() -> bool:
    """Whether the visitor may have one more report built now: ``MONITOR_REPORT_BUILDS`` per
    account (building costs about a second of CPU; a kept report costs nothing and is not
    counted). Off together with the other rate limits (``MONITOR_RATE_LIMITS=0``)."""
    if not current_app.config.get("RATELIMIT_ENABLED"):
        return True
    from limits import parse

    from monitor.extensions import limiter

    rate = parse(current_app.config["MONITOR_REPORT_BUILDS"])
    return limiter.limiter.hit(rate, "report-build", str(current_user.id))


def send_attachment(path: Path, mimetype: str) -> Response:
    """``path`` as a download under its own name, never cached (reports are confidential)."""
    response = send_file(path, mimetype=mimetype, as_attachment=True, download_name=path.name)
    response.headers["Cache-Control"] = "no-store"
    return response


def company_report_download(
    organisation_id: int, year: int, *, via: str, hint: str = ""
) -> Response | tuple[str, int]:
    """The response to a download of one company's report of ``year``: the kept PDF while its
    source stamp is current (no context is built), else built and rendered now; 404 when the
    organisation has no submitted HR-scan that year; 429 when the visitor had more reports
    built this minute than ``MONITOR_REPORT_BUILDS`` allows; 503 with a Dutch page (plus
    ``hint``) when the render takes too long. The download is audited (``report.download``,
    ``via`` employer or console). The caller has checked that the visitor may see this
    organisation's report."""
    from monitor.pdf import ReportTimeout
    from monitor.reports.bulk import reports_dir, stored_company_report
    from monitor.reports.company import NoScan
    from monitor.reports.sources import kept_report, source_stamp

    stamp = source_stamp(organisation_id, year, int(current_app.config["MONITOR_K_ANONYMITY"]))
    if stamp is None:
        abort(404)
    path = kept_report(reports_dir(year), organisation_id, year, stamp)
    try:
        if path is None:
            if not _may_build():
                return render_template("error.html", title=BUSY_TITLE, message=BUSY_MESSAGE), 429
            path = stored_company_report(organisation_id, year, stamp=stamp)
    except NoScan:
        abort(404)
    except ReportTimeout:
        message = f"{TIMEOUT_MESSAGE} {hint}".strip()
        return render_template("error.html", title=TIMEOUT_TITLE, message=message), 503
    audit.record("report.download", "organisation", organisation_id, year=year, via=via)
    db.session.commit()
    return send_attachment(path, "application/pdf")
