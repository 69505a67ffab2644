"""The results page of a round, ``/coordinator/campaigns/<id>/results``, and its CSV downloads.

Coordinators and admins only. Filters are GET parameters (a view is a shareable address); a CSV
download (``/results.csv?table=<id>`` with the same filters) holds exactly the aggregated table
shown, never respondent rows, its text cells neutralised against spreadsheet formulas. Every view
and download is recorded in the audit log with the filters applied and the k used.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from flask import abort, current_app, render_template, request, url_for

from monitor import audit
from monitor.accounts import Role
from monitor.console.blueprint import bp
from monitor.roles import role_required
from surveys.db import db
from surveys.exports.writers import neutralise
from surveys.models import Campaign

if TYPE_CHECKING:  # the results are computed with pandas: imported when a view runs
    from monitor.results.round import RoundResults
    from monitor.results.round_tables import Table

STAFF = (Role.ADMIN, Role.COORDINATOR)


def _results(campaign_id: int) -> RoundResults:
    campaign = db.get_or_404(Campaign, campaign_id)
    k = int(current_app.config["MONITOR_K_ANONYMITY"])
    from monitor.results.round import build_round

    return build_round(campaign, request.args, k=k, lang=request.args.get("lang", "nl"))


def _csv_url(results: RoundResults, table: Table) -> str:
    params = {**results.selection.applied, "table": table.id}
    if results.lang != "nl":
        params["lang"] = results.lang
    return url_for("console.round_results_csv", campaign_id=results.campaign["id"], **params)


@bp.get("/campaigns/<int:campaign_id>/results")
@role_required(*STAFF)
def round_results(campaign_id: int):
    """The results of a round, filtered by the GET parameters that may be applied."""
    results = _results(campaign_id)
    audit.record(
        "results.view",
        "campaign",
        campaign_id,
        filters=results.selection.applied,
        refused=sorted(results.selection.refused),
        k=results.k,
    )
    page = render_template(
        "results/round.html", r=results, csv_url=lambda table: _csv_url(results, table)
    )
    db.session.commit()
    return page


@bp.get("/campaigns/<int:campaign_id>/results.csv")
@role_required(*STAFF)
def round_results_csv(campaign_id: int):
    """One table of the results page as CSV: its header and rows as shown, hidden cells empty."""
    results = _results(campaign_id)
    table = results.table(request.args.get("table", ""))
    if table is None:
        abort(404)
    audit.record(
        "results.download",
        "campaign",
        campaign_id,
        table=table.id,
        filters=results.selection.applied,
        k=results.k,
    )
    db.session.commit()
    response = current_app.response_class(table_csv(table), mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="meting-{campaign_id}-{table.id}.csv"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def table_csv(table: Table) -> str:
    """The table as CSV text (semicolon-separated, as Dutch spreadsheets expect); shares as
    fractions, hidden cells empty, text cells neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([neutralise(h) for h in table.header])
    for row in table.rows:
        writer.writerow(
            ["" if v is None else neutralise(v) if isinstance(v, str) else v for v in row]
            + [""] * (len(table.header) - len(row))
        )
    return out.getvalue()
