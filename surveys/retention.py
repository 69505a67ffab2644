"""Retention: after a campaign's retention date its contact data is erased.

What goes: the e-mail address and name of every invitation, and the mails sent to them (the outbox
keeps recipient and body). What stays: the responses and answers, the respondent group, the
organisation and the pseudonymous panel keys, so the answers remain analysable and comparable
across years. The personal link of an erased invitation stops working: its token hash and salt are
replaced by random values that nobody knows, so nothing leads from a mail in someone's inbox back
to the answers any more.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, or_, select

from surveys.db import db
from surveys.models import Campaign, Invitation, OutboxMail
from surveys.tokens import hash_token, new_salt, random_token


@dataclass(frozen=True)
class Erasure:
    """What was erased of one campaign."""

    campaign_id: int
    invitations: int
    mails: int


def expired_campaigns(today: date) -> list[Campaign]:
    """Campaigns whose retention date lies before `today` (the date itself still counts)."""
    return list(
        db.session.scalars(
            select(Campaign)
            .where(Campaign.retention_until.is_not(None), Campaign.retention_until < today)
            .order_by(Campaign.id)
        )
    )


def erase_contact_data(campaign: Campaign) -> Erasure:
    """Erase the contact data of one campaign's invitations and the mails sent for it;
    answers and panel keys stay. Running it again erases nothing more."""
    invitations = db.session.scalars(
        select(Invitation).where(
            Invitation.campaign_id == campaign.id,
            or_(Invitation.email.is_not(None), Invitation.name.is_not(None)),
        )
    ).all()
    for invitation in invitations:
        invitation.email = None
        invitation.name = None
        invitation.token_salt = new_salt()
        invitation.token_hash = hash_token(random_token())
    mails = db.session.execute(delete(OutboxMail).where(OutboxMail.campaign_id == campaign.id))
    db.session.flush()
    return Erasure(campaign.id, len(invitations), mails.rowcount or 0)


def erase_expired(today: date) -> list[Erasure]:
    """Erase the contact data of every campaign past its retention date on `today`; returns
    what was erased per campaign (campaigns with nothing left to erase included, with zeros)."""
    return [erase_contact_data(campaign) for campaign in expired_campaigns(today)]
