"""Instruments (questionnaires) and their immutable published versions."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveys.db import db, utcnow


class Instrument(db.Model):
    __tablename__ = "instruments"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: stable key from the definition file, e.g. "hr_scan"
    key: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    versions: Mapped[list["InstrumentVersion"]] = relationship(
        back_populates="instrument", order_by="InstrumentVersion.number"
    )

    @property
    def latest(self) -> "InstrumentVersion | None":
        return self.versions[-1] if self.versions else None


class InstrumentVersion(db.Model):
    """A published definition. Never updated: a change is published as a new version."""

    __tablename__ = "instrument_versions"
    __table_args__ = (
        UniqueConstraint("instrument_id", "number"),
        UniqueConstraint("instrument_id", "content_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instruments.id"), index=True)
    #: 1, 2, 3, ... per instrument
    number: Mapped[int]
    #: sha256 of the canonical JSON of the definition
    content_hash: Mapped[str] = mapped_column(String(64))
    #: the validated definition as loaded from YAML
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    instrument: Mapped[Instrument] = relationship(back_populates="versions")


@event.listens_for(InstrumentVersion, "before_update")
def _refuse_update(mapper, connection, target: InstrumentVersion) -> None:
    raise ValueError(
        f"instrument version {target.id} is published and immutable; publish a new version"
    )
