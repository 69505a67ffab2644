"""Console download of the regional monitor: ``/coordinator/reports/monitor/<year>``.

The PDF by default, or the numbers behind it with ``?format=json`` (the same context the PDF is
rendered from, and the web page ``/coordinator/monitor/<year>``: the kept one of
``monitor.results.monitor_cache`` while the data have not changed). Coordinators and admins
only; every download is recorded in the audit log (which report, which format, the k used),
never its content.
"""

from __future__ import annotations

import json
from io import BytesIO

from flask import abort, current_app, request, send_file

from monitor import audit
from monitor.accounts import Role
from monitor.console.blueprint import bp
from monitor.roles import role_required
from surveys.campaigns import YEARS
from surveys.db import db

FORMATS = {"pdf": "application/pdf", "json": "application/json"}
#: seconds a render may take in a request before the coordinator gets a 503
RENDER_TIMEOUT = 60.0


@bp.route("/reports/monitor/<int:year>")
@role_required(Role.ADMIN, Role.COORDINATOR)
def monitor_report(year: int):
    """The regional monitor of ``year`` as a PDF (or JSON) download."""
    from monitor.pdf import ReportTimeout
    from monitor.reports.regional import render_monitor
    from monitor.results.monitor_cache import monitor_context

    fmt = request.args.get("format", "pdf")
    if fmt not in FORMATS:
        abort(400, description="format must be pdf or json")
    if year not in YEARS:  # not a monitor year: 404 rather than an empty report
        abort(404)
    k = int(current_app.config["MONITOR_K_ANONYMITY"])
    context = monitor_context(year, k)
    if fmt == "json":
        data = json.dumps(context, ensure_ascii=False, indent=2, allow_nan=False).encode()
    else:
        try:
            data = render_monitor(context, timeout=RENDER_TIMEOUT)
        except ReportTimeout:
            abort(
                503,
                description="Het maken van de monitor duurde te lang; probeer het later opnieuw.",
            )
    audit.record("report.download", "monitor", year, report="monitor", format=fmt, k=k)
    db.session.commit()
    response = send_file(
        BytesIO(data),
        mimetype=FORMATS[fmt],
        as_attachment=True,
        download_name=f"regionale-monitor-{year}.{fmt}",
    )
    response.headers["Cache-Control"] = "no-store"
    return response
