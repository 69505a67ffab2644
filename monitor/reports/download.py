"""Serving a built report file to the browser: the company report download of the employer page
and the console, and the zip of a bulk build job. One place for the rules they share: render
when out of date, a clear page when that takes too long, an audit event, no caching."""

from pathlib import Path

from flask import Response, abort, render_template, send_file

from monitor import audit
from surveys.db import db

#: what a visitor reads when the report took longer than the web time limit
TIMEOUT_TITLE = "Het rapport is nog niet klaar"
TIMEOUT_MESSAGE = (
    "Het maken van het rapport duurde te lang. Probeer het over een paar minuten opnieuw."
)


def send_attachment(path: Path, mimetype: str) -> Response:
    """``path`` as a download under its own name, never cached (reports are confidential)."""
    response = send_file(path, mimetype=mimetype, as_attachment=True, download_name=path.name)
    response.headers["Cache-Control"] = "no-store"
    return response


def company_report_download(
    organisation_id: int, year: int, *, via: str, hint: str = ""
) -> Response | tuple[str, int]:
    """The response to a download of one company's report of ``year``: the kept PDF, rendered
    now if it is missing or out of date; 404 when the organisation has no submitted HR-scan
    that year; 503 with a Dutch page (plus ``hint``) when the render takes too long. The
    download is audited (``report.download``, ``via`` employer or console). The caller has
    checked that the visitor may see this organisation's report."""
    from monitor.pdf import ReportTimeout
    from monitor.reports.bulk import stored_company_report
    from monitor.reports.company import NoScan

    try:
        path = stored_company_report(organisation_id, year)
    except NoScan:
        abort(404)
    except ReportTimeout:
        message = f"{TIMEOUT_MESSAGE} {hint}".strip()
        return render_template("error.html", title=TIMEOUT_TITLE, message=message), 503
    audit.record("report.download", "organisation", organisation_id, year=year, via=via)
    db.session.commit()
    return send_attachment(path, "application/pdf")
