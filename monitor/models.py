"""Every model of the application in one import, so that `Base.metadata` is complete
(for create_all, Alembic autogenerate and the test database)."""

from monitor.accounts import User
from monitor.audit import AuditEvent
from surveys.models import (
    Answer,
    Campaign,
    Instrument,
    InstrumentVersion,
    Invitation,
    Organisation,
    OutboxMail,
    Response,
)

__all__ = [
    "Answer",
    "AuditEvent",
    "Campaign",
    "Instrument",
    "InstrumentVersion",
    "Invitation",
    "Organisation",
    "OutboxMail",
    "Response",
    "User",
]
