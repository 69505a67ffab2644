"""Responses and their answers, in long format (response_id, item_key, value)."""

import enum
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveys.db import db, utcnow
from surveys.models.campaigns import Campaign


class ResponseStatus(enum.StrEnum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"


class Response(db.Model):
    __tablename__ = "responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    #: the personal invitation this response came in by, if any (one response per invitation)
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitations.id", ondelete="SET NULL"), unique=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    #: "<campaign id>:<organisation id>" on employer-mode scans: colleagues share one response
    employer_key: Mapped[str | None] = mapped_column(String(40), unique=True)
    respondent_group: Mapped[str | None] = mapped_column(String(60))
    #: pseudonymous panel key copied from the invitation or organisation
    panel_key: Mapped[str | None] = mapped_column(String(64), index=True)
    status: Mapped[ResponseStatus] = mapped_column(String(12), default=ResponseStatus.IN_PROGRESS)
    #: index of the page the respondent is on (0-based)
    current_page: Mapped[int] = mapped_column(default=0)
    #: sha256 of the resume token handed out on open links
    resume_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    language: Mapped[str] = mapped_column(String(2), default="nl")
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    campaign: Mapped[Campaign] = relationship()
    answers: Mapped[list["Answer"]] = relationship(
        back_populates="response", cascade="all, delete-orphan", passive_deletes=True
    )


class Answer(db.Model):
    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("response_id", "item_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id", ondelete="CASCADE"))
    #: stable across versions and years, so a follow-up joins its baseline on it
    item_key: Mapped[str] = mapped_column(String(80), index=True)
    #: the stored value as text; its item type decodes it (multiple choice: JSON list)
    value: Mapped[str] = mapped_column(Text)

    response: Mapped[Response] = relationship(back_populates="answers")
