"""`monitor campaigns ...`: run measurement rounds from the command line."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from monitor import audit
from surveys.campaigns import (
    CampaignError,
    close_campaign,
    create_campaign,
    import_invitations,
    instrument_groups,
    open_campaign,
    organisation_lookup,
    response_counts,
    send_invitations,
    send_reminders,
)
from surveys.db import db
from surveys.invitees import parse_invitees
from surveys.mail import deliver_outbox
from surveys.models import Campaign, CampaignMode, Instrument, InstrumentVersion

campaigns = AppGroup("campaigns", help="Create, open, close campaigns; invite and remind.")


def _campaign(campaign_id: int) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        raise click.ClickException(f"campaign {campaign_id} does not exist")
    return campaign


def _deliver() -> None:
    counts = deliver_outbox(current_app.config["MAIL_URL"], current_app.config["MAIL_FROM"])
    click.echo(", ".join(f"{n} {state}" for state, n in counts.items() if n) or "no mail")


@campaigns.command("create")
@click.option("--instrument", "key", required=True, help="instrument key, e.g. hr_scan")
@click.option("--version", "number", type=int, help="published version (default: latest)")
@click.option("--title", required=True)
@click.option("--year", type=int, required=True)
@click.option("--wave", type=int, default=0, show_default=True, help="0 = nulmeting")
@click.option("--opens", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--closes", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--mode", type=click.Choice([m.value for m in CampaignMode]), required=True)
@click.option("--group", "groups", multiple=True, help="respondent group (repeatable; default all)")
@click.option("--slug", help="open-link name, e.g. cop-2025")
def create(key, number, title, year, wave, opens, closes, mode, groups, slug) -> None:
    """Create a draft campaign from a published instrument version."""
    instrument = db.session.scalar(select(Instrument).where(Instrument.key == key))
    if instrument is None or not instrument.versions:
        raise click.ClickException(f"no published instrument '{key}'")
    version = instrument.latest
    if number is not None:
        version = db.session.scalar(
            select(InstrumentVersion).where(
                InstrumentVersion.instrument_id == instrument.id,
                InstrumentVersion.number == number,
            )
        )
        if version is None:
            raise click.ClickException(f"instrument '{key}' has no version {number}")
    try:
        campaign = create_campaign(
            version, title=title, year=year, wave=wave, opens_on=opens.date(),
            closes_on=closes.date(), mode=mode, respondent_groups=list(groups), slug=slug,
        )  # fmt: skip
    except CampaignError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"created campaign {campaign.id} '{campaign.slug}' ({key} v{version.number})")


@campaigns.command("open")
@click.argument("campaign_id", type=int)
def open_(campaign_id: int) -> None:
    """Open a campaign for answers."""
    campaign = _campaign(campaign_id)
    try:
        open_campaign(campaign)
    except CampaignError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"campaign {campaign.id} is open ({campaign.opens_on} to {campaign.closes_on})")


@campaigns.command("close")
@click.argument("campaign_id", type=int)
def close(campaign_id: int) -> None:
    """Close a campaign: no more answers are taken."""
    campaign = _campaign(campaign_id)
    try:
        close_campaign(campaign)
    except CampaignError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"campaign {campaign.id} is closed")


@campaigns.command("invite")
@click.argument("campaign_id", type=int)
@click.option("--csv", "csv_path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def invite(campaign_id: int, csv_path: Path | None) -> None:
    """Import invitees from a CSV (email, name, respondent_group, organisation), then mail
    everyone not yet invited. Nothing is imported while the file has an error."""
    campaign = _campaign(campaign_id)
    if csv_path is not None:
        groups = campaign.respondent_groups or instrument_groups(campaign.instrument_version)
        invitees, errors = parse_invitees(
            csv_path.read_bytes(), groups=groups, organisations=organisation_lookup()
        )
        if errors:
            raise click.ClickException(
                f"{csv_path}: nothing imported\n" + "\n".join(f"{csv_path}: {e}" for e in errors)
            )
        try:
            added = import_invitations(campaign, invitees)
        except CampaignError as error:
            raise click.ClickException(str(error)) from error
        click.echo(f"{added} invitees added ({len(invitees) - added} already invited)")
    try:
        sent = send_invitations(campaign)
    except CampaignError as error:
        db.session.commit()
        raise click.ClickException(str(error)) from error
    audit.record("campaign.invite", "campaign", campaign.id, count=sent)
    db.session.commit()
    click.echo(f"{sent} invitations queued")
    _deliver()


@campaigns.command("remind")
@click.argument("campaign_id", type=int)
def remind(campaign_id: int) -> None:
    """Remind everyone invited who has not submitted and did not opt out."""
    campaign = _campaign(campaign_id)
    try:
        sent = send_reminders(campaign)
    except CampaignError as error:
        raise click.ClickException(str(error)) from error
    audit.record("campaign.remind", "campaign", campaign.id, count=sent)
    db.session.commit()
    click.echo(f"{sent} reminders queued")
    _deliver()


@campaigns.command("list")
def list_() -> None:
    """Every campaign with its response counts."""
    for campaign in db.session.scalars(select(Campaign).order_by(Campaign.year, Campaign.id)):
        counts = response_counts(campaign)
        click.echo(
            f"{campaign.id:>4}  {campaign.slug:30} {campaign.year} wave {campaign.wave} "
            f"{campaign.mode:9} {campaign.status:7} invited {counts['invited']:>5} "
            f"started {counts['started']:>5} submitted {counts['submitted']:>5}"
        )
