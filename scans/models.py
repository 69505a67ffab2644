"""Intervision sprints: a theme, the companies taking part, the sessions and who attended.

A sprint is a short series of sessions (typically five dagdelen) in which 4-8 companies with a
similar HR question work on it together. Deleting an organisation removes its memberships and
attendance with it (AVG: an organisation's data goes on request).
"""

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveys.db import db, utcnow
from surveys.models import Organisation

#: sessions ("dagdelen") of one sprint, numbered 1 .. SESSIONS_PER_SPRINT
SESSIONS_PER_SPRINT = 5


class SprintStatus(enum.StrEnum):
    PROPOSED = "proposed"  # grouped by propose_groups, still to be agreed with the companies
    FIXED = "fixed"  # agreed: the members are fixed
    DONE = "done"  # all sessions held


#: a sprint's status as the console pages and the sprint pack show it
STATUS_NL = {
    SprintStatus.PROPOSED: "voorgesteld",
    SprintStatus.FIXED: "vastgesteld",
    SprintStatus.DONE: "afgerond",
}


class SprintRole(enum.StrEnum):
    DEELNEMER = "deelnemer"
    KOPLOPER = "koploper"  # a company that is further on the theme and helps the others


class SprintTheme(db.Model):
    __tablename__ = "sprint_themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: usually an HR-scan domain key, e.g. "behouden"; other themes get a key of their own
    key: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(200))


class Sprint(db.Model):
    __tablename__ = "sprints"

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("sprint_themes.id"), index=True)
    #: the year of the HR-scans the group was formed from
    year: Mapped[int] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[SprintStatus] = mapped_column(String(10), default=SprintStatus.PROPOSED)
    #: the facilitator's note on the group (free text, no personal data)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    theme: Mapped[SprintTheme] = relationship()
    members: Mapped[list["SprintMember"]] = relationship(
        back_populates="sprint",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="SprintMember.id",
    )
    sessions: Mapped[list["SprintSession"]] = relationship(
        back_populates="sprint",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="SprintSession.number",
    )


class SprintMember(db.Model):
    __tablename__ = "sprint_members"
    __table_args__ = (UniqueConstraint("sprint_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sprint_id: Mapped[int] = mapped_column(ForeignKey("sprints.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[SprintRole] = mapped_column(String(10), default=SprintRole.DEELNEMER)
    #: why the company is in this group, in Dutch (from the proposal or the coordinator)
    reason: Mapped[str] = mapped_column(Text, default="")

    sprint: Mapped[Sprint] = relationship(back_populates="members")
    organisation: Mapped[Organisation] = relationship()


class SprintSession(db.Model):
    __tablename__ = "sprint_sessions"
    __table_args__ = (
        UniqueConstraint("sprint_id", "number"),
        CheckConstraint(f"number BETWEEN 1 AND {SESSIONS_PER_SPRINT}", name="dagdeel"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sprint_id: Mapped[int] = mapped_column(ForeignKey("sprints.id", ondelete="CASCADE"))
    #: which dagdeel of the sprint: 1 .. SESSIONS_PER_SPRINT
    number: Mapped[int]
    held_on: Mapped[date] = mapped_column(Date)
    topic: Mapped[str] = mapped_column(String(200), default="")

    sprint: Mapped[Sprint] = relationship(back_populates="sessions")
    attendance: Mapped[list["Attendance"]] = relationship(
        back_populates="session", cascade="all, delete-orphan", passive_deletes=True
    )


class Attendance(db.Model):
    __tablename__ = "sprint_attendance"
    __table_args__ = (UniqueConstraint("session_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sprint_sessions.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    #: False records an announced absence; no row means attendance was not recorded
    present: Mapped[bool] = mapped_column(Boolean)

    session: Mapped[SprintSession] = relationship(back_populates="attendance")
