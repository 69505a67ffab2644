"""`monitor privacy erase-expired`: erase contact data after each campaign's retention date."""

from datetime import date

import click
from flask.cli import AppGroup

from monitor import audit
from surveys.db import db
from surveys.retention import erase_expired

privacy = AppGroup("privacy", help="Retention: erase contact data that is kept long enough.")


@privacy.command("erase-expired")
@click.option(
    "--today",
    type=click.DateTime(["%Y-%m-%d"]),
    help="the date to count from (default: today), e.g. to check what a date would erase",
)
def erase_expired_command(today) -> None:
    """Erase e-mail addresses and names of invitations (and the mails sent to them) of every
    campaign past its retention date. Answers and pseudonymous panel keys stay; the personal
    links of erased invitations stop working."""
    day = today.date() if today else date.today()
    erased = erase_expired(day)
    for erasure in erased:
        if erasure.invitations or erasure.mails:
            audit.record(
                "retention.erase",
                "campaign",
                erasure.campaign_id,
                invitations=erasure.invitations,
                mails=erasure.mails,
            )
            click.echo(
                f"campaign {erasure.campaign_id}: {erasure.invitations} invitations erased, "
                f"{erasure.mails} mails deleted"
            )
    db.session.commit()
    invitations = sum(e.invitations for e in erased)
    mails = sum(e.mails for e in erased)
    click.echo(
        f"{len(erased)} campaigns past retention on {day.isoformat()}: "
        f"{invitations} invitations erased, {mails} mails deleted"
    )
