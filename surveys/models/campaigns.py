"""Campaigns (one round of one instrument version), invitations and the mail outbox."""

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from surveys.db import db, utcnow
from surveys.models.instruments import InstrumentVersion


class CampaignMode(enum.StrEnum):
    PERSONAL = "personal"  # personal links /s/<token>
    OPEN = "open"  # one open link /a/<slug>
    EMPLOYER = "employer"  # employers log in and fill in for their organisation


#: how a round is answered, in the words of the reports and pages
MODE_NL = {
    CampaignMode.PERSONAL: "persoonlijke link",
    CampaignMode.OPEN: "open link",
    CampaignMode.EMPLOYER: "werkgevers-scan (inloggen)",
}


class CampaignStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class AcceptsAnswers:
    """`is_accepting` for a campaign's status and dates: the model's, and the plain columns the
    respondent pages read (`surveys.responses.CampaignTerms`)."""

    def is_accepting(self, today: date) -> bool:
        """Whether answers are taken on `today`: open status and within the dates."""
        return self.status == CampaignStatus.OPEN and self.opens_on <= today <= self.closes_on


class Campaign(AcceptsAnswers, db.Model):
    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_version_id: Mapped[int] = mapped_column(
        ForeignKey("instrument_versions.id"), index=True
    )
    #: used in the open link /a/<slug>
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(index=True)
    #: 0 = nulmeting (baseline), 1, 2, ... = vervolgmeting
    wave: Mapped[int] = mapped_column(default=0)
    mode: Mapped[CampaignMode] = mapped_column(String(10), default=CampaignMode.PERSONAL)
    status: Mapped[CampaignStatus] = mapped_column(String(10), default=CampaignStatus.DRAFT)
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    #: respondent group keys of the instrument that this round addresses; empty = all
    respondent_groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: after this date contact data of invitations is erased; answers stay (pseudonymous)
    retention_until: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    instrument_version: Mapped[InstrumentVersion] = relationship()
    #: the content hash of the pinned version, which names its definition for good (the
    #: respondent pages load it with the campaign: `undefer(Campaign.version_hash)`)
    version_hash: Mapped[str] = column_property(
        select(InstrumentVersion.content_hash)
        .where(InstrumentVersion.id == instrument_version_id)
        .correlate_except(InstrumentVersion)
        .scalar_subquery(),
        deferred=True,
    )


class Invitation(db.Model):
    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    #: sha256 of the personal token; the token itself is only ever in the mail
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: random salt from which the token is derived with the server secret (surveys.tokens)
    token_salt: Mapped[str] = mapped_column(String(32))
    #: contact data, erased at the campaign's retention date
    email: Mapped[str | None] = mapped_column(String(254))
    name: Mapped[str | None] = mapped_column(String(200))
    respondent_group: Mapped[str | None] = mapped_column(String(60))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    #: HMAC of a stable identifier: links the same person or company across years
    panel_key: Mapped[str | None] = mapped_column(String(64), index=True)
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    campaign: Mapped[Campaign] = relationship()


class OutboxMail(db.Model):
    """Every mail the platform sends, kept so a coordinator can see what went out."""

    __tablename__ = "outbox_mails"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"), index=True)
    #: the invitation whose personal link the mail carries: delivery puts the link in where the
    #: body says `surveys.mail.LINK`; the link itself is never stored
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitations.id", ondelete="CASCADE"), index=True
    )
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    #: the text as sent, with a placeholder instead of the personal link
    body: Mapped[str] = mapped_column(Text)
    #: "queued", "sending" (taken by a delivery), "sent", "console" (no MAIL_URL), "failed"
    state: Mapped[str] = mapped_column(String(10), default="queued")
    #: why a mail failed (kind of error and the server's answer)
    error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    invitation: Mapped[Invitation | None] = relationship()
