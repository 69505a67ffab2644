"""The regional monitor as a web page: ``/coordinator/monitor/<year>`` (coordinators and admins).

The page renders the print template of the PDF (``templates/reports/monitor.html``) inside the
console's layout (``templates/results/monitor_page.html`` extends it), from the same values
(``regional.template_values``) of the same kept context (``monitor_cache``) as the PDF and JSON
downloads: web, PDF and JSON print the same figures with the same filters.
"""

from __future__ import annotations

from datetime import date

from flask import abort, current_app, redirect, render_template, url_for
from sqlalchemy import select

from monitor import audit
from monitor.accounts import Role
from monitor.console.blueprint import bp
from monitor.console.monitor_report import YEARS
from monitor.roles import role_required
from surveys.db import db
from surveys.models import Campaign, Instrument, InstrumentVersion, Response, ResponseStatus


def monitor_years() -> list[int]:
    """The years with a submitted response to an instrument the monitor reports on, newest
    first (a round that is open but unanswered makes no monitor year yet)."""
    from monitor.reports.regional_data import INSTRUMENTS  # pandas: not in every web worker

    answered = (
        select(Response.id)
        .where(Response.campaign_id == Campaign.id, Response.status == ResponseStatus.SUBMITTED)
        .exists()
    )
    return list(
        db.session.scalars(
            select(Campaign.year)
            .distinct()
            .join(InstrumentVersion, Campaign.instrument_version_id == InstrumentVersion.id)
            .join(Instrument, InstrumentVersion.instrument_id == Instrument.id)
            .where(Instrument.key.in_(INSTRUMENTS), answered)
            .order_by(Campaign.year.desc())
        )
    )


@bp.get("/monitor/<int:year>")
@role_required(Role.ADMIN, Role.COORDINATOR)
def monitor_page(year: int):
    """The regional monitor of ``year`` with a year switch and the PDF and JSON downloads."""
    from monitor.reports.regional import template_values
    from monitor.results.monitor_cache import monitor_context

    if year not in YEARS:
        abort(404)
    k = int(current_app.config["MONITOR_K_ANONYMITY"])
    values = template_values(monitor_context(year, k))
    audit.record("report.view", "monitor", year, report="monitor", k=k)
    db.session.commit()
    years = sorted({*monitor_years(), year}, reverse=True)
    return render_template("results/monitor_page.html", years=years, **values)


@bp.get("/monitor")
@role_required(Role.ADMIN, Role.COORDINATOR)
def monitor_latest():
    """The console's "Monitor" link: the monitor of the latest year with data (else this year)."""
    years = monitor_years()
    return redirect(url_for("console.monitor_page", year=years[0] if years else date.today().year))
