"""The audit log: who viewed, downloaded, exported or deleted what. Never personal data."""

from datetime import datetime
from typing import Any

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import JSON, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from surveys.db import db, utcnow


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    #: the acting account; NULL for the command line and anonymous respondents
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: verb, e.g. "login", "report.download", "export", "organisation.delete"
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(40))
    #: identifiers and counts only, never answers or contact data
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


def record(
    action: str,
    object_type: str | None = None,
    object_id: object = None,
    user_id: int | None = None,
    **detail: Any,
) -> AuditEvent:
    """Add an audit event to the session (committed with the surrounding transaction)."""
    if user_id is None and has_request_context() and current_user.is_authenticated:
        user_id = current_user.id
    event = AuditEvent(
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        user_id=user_id,
        detail=detail,
    )
    db.session.add(event)
    return event
