"""The employer's pages: the organisation's HR-scans (fill in, continue, read back) and the
company report of each submitted scan."""

from flask import Blueprint, abort, render_template, send_file, url_for
from flask_login import current_user
from sqlalchemy import select

from monitor import audit
from monitor.accounts import Role
from monitor.roles import role_required
from surveys.db import db
from surveys.models import Campaign, CampaignMode, CampaignStatus, Response
from surveys.respond import page_flow
from surveys.responses import response_for_employer

bp = Blueprint("employer", __name__, url_prefix="/employer")


@bp.get("/")
@role_required(Role.EMPLOYER)
def home():
    organisation = current_user.organisation
    responses = {
        r.campaign_id: r
        for r in db.session.scalars(
            select(Response).where(Response.organisation_id == organisation.id)
        )
    }
    campaigns = [
        c
        for c in db.session.scalars(
            select(Campaign)
            .where(Campaign.mode == CampaignMode.EMPLOYER)
            .order_by(Campaign.year.desc())
        )
        if c.id in responses or c.status == CampaignStatus.OPEN
    ]
    return render_template(
        "monitor/employer_home.html",
        organisation=organisation,
        campaigns=campaigns,
        responses=responses,
    )


@bp.route("/scan/<int:campaign_id>", methods=["GET", "POST"])
@role_required(Role.EMPLOYER)
def scan(campaign_id: int):
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None or campaign.mode != CampaignMode.EMPLOYER:
        abort(404)
    organisation = current_user.organisation
    key = f"{campaign.id}:{organisation.id}"
    response = db.session.scalar(select(Response).where(Response.employer_key == key))
    group = (campaign.respondent_groups or ["werkgever"])[0]
    return page_flow(
        campaign,
        response,
        lambda p: url_for("employer.scan", campaign_id=campaign.id, p=p),
        group=group,
        start=lambda: response_for_employer(campaign, organisation, group),
        after_submit=url_for("employer.home"),
    )


@bp.get("/report/<int:year>.pdf")
@role_required(Role.EMPLOYER)
def report(year: int):
    """The company report of the organisation's own HR-scan of ``year`` (never another's)."""
    from monitor.pdf import ReportTimeout
    from monitor.reports.bulk import stored_company_report
    from monitor.reports.company import NoScan

    organisation_id = current_user.organisation_id
    if organisation_id is None:
        abort(404)
    try:
        path = stored_company_report(organisation_id, year)
    except NoScan:
        abort(404)
    except ReportTimeout:
        return render_template(
            "error.html",
            title="Het rapport is nog niet klaar",
            message="Het maken van het rapport duurde te lang. Probeer het over een paar minuten "
            "opnieuw.",
        ), 503
    audit.record("report.download", "organisation", organisation_id, year=year, via="employer")
    db.session.commit()
    response = send_file(
        path, mimetype="application/pdf", as_attachment=True, download_name=path.name
    )
    response.headers["Cache-Control"] = "no-store"
    return response
