"""Organisations: employers that fill in HR-scans, schools and other bodies."""

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from surveys.db import db, utcnow

#: The kinds of organisation the network works with.
ORGANISATION_KINDS = ("werkgever", "onderwijs", "overheid", "intermediair", "overig")
#: The three arbeidsmarktregio's of Limburg.
REGIONS = ("Noord-Limburg", "Midden-Limburg", "Zuid-Limburg")
#: FTE size classes, from small to large.
SIZE_CLASSES = ("1-9", "10-49", "50-249", "250+")
#: Sectors as used in the HR-scan profile and the regional monitor.
SECTORS = (
    "zorg en welzijn",
    "industrie en chemie",
    "techniek en metaal",
    "bouw",
    "ICT",
    "logistiek",
    "detailhandel",
    "landbouw",
    "zakelijke dienstverlening",
    "onderwijs",
    "overheid",
)


class Organisation(db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    #: one of ORGANISATION_KINDS
    kind: Mapped[str] = mapped_column(String(20), default="werkgever")
    sector: Mapped[str | None] = mapped_column(String(60))
    #: FTE class, one of SIZE_CLASSES
    size_class: Mapped[str | None] = mapped_column(String(10))
    #: arbeidsmarktregio, one of REGIONS
    region: Mapped[str | None] = mapped_column(String(30))
    municipality: Mapped[str | None] = mapped_column(String(80))
    #: Chamber of Commerce number; optional, eight digits when given
    kvk_number: Mapped[str | None] = mapped_column(String(8), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<Organisation {self.id}>"
