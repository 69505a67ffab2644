"""The employer's pages: the organisation's HR-scans (fill in, continue, read back) and the
company report of each submitted scan."""

from flask import Blueprint, abort, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from monitor.accounts import Role
from monitor.results import employer_page
from monitor.roles import role_required
from surveys.db import db, reads_first
from surveys.models import Campaign, CampaignMode, CampaignStatus, Response
from surveys.respond import page_flow
from surveys.responses import find_employer_scan, response_for_employer

bp = Blueprint("employer", __name__, url_prefix="/employer")
bp.add_url_rule("/results", view_func=employer_page.results, methods=["GET"])


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
@reads_first
@role_required(Role.EMPLOYER)
def scan(campaign_id: int):
    organisation = current_user.organisation
    visit = find_employer_scan(campaign_id, organisation.id)
    if visit is None or visit.campaign.mode != CampaignMode.EMPLOYER:
        abort(404)
    group = (visit.campaign.respondent_groups or ["werkgever"])[0]
    return page_flow(
        visit,
        group=group,
        start=lambda: response_for_employer(visit.campaign, organisation, group),
        after_submit=url_for("employer.home"),
    )


@bp.get("/report/<int:year>.pdf")
@role_required(Role.EMPLOYER)
def report(year: int):
    """The company report of the organisation's own HR-scan of ``year`` (never another's)."""
    from monitor.reports.download import company_report_download

    organisation_id = current_user.organisation_id
    if organisation_id is None:
        abort(404)
    return company_report_download(organisation_id, year, via="employer")
