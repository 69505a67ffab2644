"""Console pages for campaigns: list, create, open, close, invite, remind, response overview."""

from flask import abort, current_app, flash, redirect, render_template, url_for
from sqlalchemy import select

from monitor import audit
from monitor.accounts import Role
from monitor.console.blueprint import bp
from monitor.console.forms import ActionForm, CampaignForm, UploadForm, choices
from monitor.contacts import contact_data
from monitor.roles import role_required
from surveys.campaigns import (
    CampaignError,
    close_campaign,
    create_campaign,
    import_invitations,
    instrument_groups,
    non_responders,
    open_campaign,
    organisation_lookup,
    response_breakdown,
    response_counts,
    send_invitations,
    send_reminders,
    submissions_per_day,
)
from surveys.csvfile import shown_errors
from surveys.db import db, lock_for_writing, reads_first
from surveys.invitees import parse_invitees
from surveys.mail import deliver_outbox
from surveys.models import Campaign, CampaignMode, Instrument, InstrumentVersion

STAFF = (Role.ADMIN, Role.COORDINATOR)


def _campaign(campaign_id: int) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        abort(404)
    return campaign


@bp.get("/")
@role_required(*STAFF)
def campaigns():
    rows = [
        (c, response_counts(c))
        for c in db.session.scalars(
            select(Campaign).order_by(Campaign.year.desc(), Campaign.id.desc())
        )
    ]
    return render_template("console/campaigns.html", rows=rows)


@bp.route("/campaigns/new", methods=["GET", "POST"])
@role_required(*STAFF)
def new_campaign():
    form = CampaignForm()
    versions = db.session.scalars(
        select(InstrumentVersion)
        .join(Instrument)
        .order_by(Instrument.key, InstrumentVersion.number.desc())
    ).all()
    form.version.choices = choices(
        (v.id, f"{v.instrument.title} (versie {v.number})") for v in versions
    )
    if form.validate_on_submit():
        version = db.session.get(InstrumentVersion, form.version.data)
        groups = [g.strip() for g in (form.groups.data or "").split(",") if g.strip()]
        try:
            campaign = create_campaign(
                version,
                title=form.title.data,
                year=form.year.data,
                wave=form.wave.data,
                opens_on=form.opens_on.data,
                closes_on=form.closes_on.data,
                mode=form.mode.data,
                respondent_groups=groups,
                slug=form.slug.data or None,
            )
        except CampaignError as error:
            form.groups.errors = [
                *form.groups.errors,
                f"{error}. Groepen van deze vragenlijst: {', '.join(instrument_groups(version))}.",
            ]
        else:
            audit.record("campaign.create", "campaign", campaign.id)
            db.session.commit()
            flash(f"Meting '{campaign.title}' is aangemaakt als concept.")
            return redirect(url_for("console.campaign", campaign_id=campaign.id))
    status = 422 if form.is_submitted() else 200
    return render_template("console/campaign_form.html", form=form), status


BREAKDOWN_TITLES = {
    "respondent_group": "respondentgroep",
    "sector": "sector",
    "region": "arbeidsmarktregio",
}


def _dashboard(campaign: Campaign, upload: UploadForm) -> dict:
    """Everything the campaign page shows: counts, breakdowns with charts, trend, how many have
    not responded and, to admins only, who (`monitor.contacts`)."""
    from monitor import charts  # matplotlib: loaded when a page draws, not by every worker

    personal = campaign.mode == CampaignMode.PERSONAL
    breakdowns = []
    for by, title in BREAKDOWN_TITLES.items():
        rows = response_breakdown(campaign, by)
        if not rows:
            continue
        labels = [str(r[by] or "onbekend") for r in rows]
        chart = (
            charts.bar_chart(labels, [r["rate"] for r in rows], title=f"Respons per {title}",
                             percent=True)
            if personal
            else charts.bar_chart(labels, [r["submitted"] for r in rows],
                                  title=f"Verstuurd per {title}")
        )  # fmt: skip
        breakdowns.append({"by": by, "title": title, "rows": rows, "chart": chart})
    per_day = submissions_per_day(campaign)
    trend = (
        charts.daily_trend(
            [d for d, _ in per_day], [n for _, n in per_day], title="Verstuurd per dag"
        )
        if len(per_day) > 1
        else None
    )
    missing_total = non_responders(campaign, limit=0)[1] if personal else 0
    missing = contact_data(
        lambda: non_responders(campaign)[0] if missing_total else [],
        object_type="campaign",
        object_id=campaign.id,
        via="campaign page",
    )
    return {
        "campaign": campaign,
        "counts": response_counts(campaign),
        "breakdowns": breakdowns,
        "trend": trend,
        "non_responders": missing,
        "non_responders_total": missing_total,
        "upload": upload,
        "action": ActionForm(),
        "open_link": url_for("respond.open_link", slug=campaign.slug, _external=True)
        if campaign.mode == CampaignMode.OPEN
        else None,
    }


@bp.get("/campaigns/<int:campaign_id>")
@role_required(*STAFF)
def campaign(campaign_id: int):
    campaign = _campaign(campaign_id)
    page = render_template("console/campaign.html", **_dashboard(campaign, UploadForm()))
    db.session.commit()  # the audit event of contact data shown
    return page


def _act(campaign_id: int, operation, done: str, action: str):
    campaign = _campaign(campaign_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        result = operation(campaign)
    except CampaignError as error:
        flash(f"Niet gelukt: {error}")
    else:
        audit.record(action, "campaign", campaign.id)
        db.session.commit()
        flash(done.format(result=result))
        if action in ("campaign.invite", "campaign.remind"):
            deliver_outbox(current_app.config["MAIL_URL"], current_app.config["MAIL_FROM"])
    return redirect(url_for("console.campaign", campaign_id=campaign.id))


@bp.post("/campaigns/<int:campaign_id>/open")
@role_required(*STAFF)
def open_(campaign_id: int):
    return _act(campaign_id, open_campaign, "De meting is geopend.", "campaign.open")


@bp.post("/campaigns/<int:campaign_id>/close")
@role_required(*STAFF)
def close(campaign_id: int):
    return _act(campaign_id, close_campaign, "De meting is gesloten.", "campaign.close")


@bp.post("/campaigns/<int:campaign_id>/invite")
@role_required(*STAFF)
def invite(campaign_id: int):
    return _act(
        campaign_id, send_invitations, "{result} uitnodigingen verstuurd.", "campaign.invite"
    )


@bp.post("/campaigns/<int:campaign_id>/remind")
@role_required(*STAFF)
def remind(campaign_id: int):
    return _act(campaign_id, send_reminders, "{result} herinneringen verstuurd.", "campaign.remind")


@bp.post("/campaigns/<int:campaign_id>/invitees")
@role_required(*STAFF)
@reads_first
def upload_invitees(campaign_id: int):
    """Read and check the whole list without holding a write lock, then add it in short
    committed batches (`import_invitations`): respondents keep saving pages meanwhile."""
    campaign = _campaign(campaign_id)
    form = UploadForm()
    errors: list[str] = []
    if form.validate_on_submit():
        groups = campaign.respondent_groups or instrument_groups(campaign.instrument_version)
        invitees, errors = parse_invitees(
            form.file.data.read(), groups=groups, organisations=organisation_lookup()
        )
        if not errors:
            try:
                added = import_invitations(campaign, invitees)
            except CampaignError as error:
                errors = [str(error)]
            else:
                lock_for_writing()
                audit.record("campaign.invitees", "campaign", campaign_id, count=added)
                db.session.commit()
                skipped = len(invitees) - added
                flash(f"{added} genodigden toegevoegd ({skipped} stonden er al in).")
                return redirect(url_for("console.campaign", campaign_id=campaign_id))
    form.file.errors = [*form.file.errors, *shown_errors(errors)]
    lock_for_writing()  # the page may record an audit event (contact data shown)
    page = render_template("console/campaign.html", **_dashboard(campaign, form))
    db.session.commit()  # the audit event of contact data shown
    return page, 422
