"""Every model of the application in one import, so that `Base.metadata` is complete
(for create_all, Alembic autogenerate and the test database)."""

import scans.models  # noqa: F401  (the sprint tables)
from monitor.accounts import User
from monitor.audit import AuditEvent
from monitor.jobs import Job
from monitor.sessions import LoginSession
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
    "Job",
    "LoginSession",
    "Organisation",
    "OutboxMail",
    "Response",
    "User",
]
