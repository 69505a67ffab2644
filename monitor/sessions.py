"""Login sessions the server can end: log-out, an idle lifetime and an absolute lifetime.

Flask's session is a signed cookie, which the server cannot take back by itself: a copy made
before log-out would log in until the signature's age runs out. So every login also writes a
row (``login_sessions``: the sha256 of a random nonce, the account, the start) and the cookie
carries the nonce; the user loader accepts a cookie only while its row exists, and log-out
deletes the row. The cookie also holds when the session started (``_login_at``) and when it was
last used (``_seen_at``, rewritten at most once a minute); both are signed, so the lifetimes
(``MONITOR_SESSION_IDLE_MINUTES``, ``MONITOR_SESSION_HOURS``) are checked before any query.

The check runs only when the cookie names an account: anonymous respondents cost nothing.
"""

import hashlib
import hmac
import secrets
import time
from datetime import datetime, timedelta

from flask import current_app, session
from flask_login import login_user
from sqlalchemy import DateTime, ForeignKey, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from monitor.accounts import User
from surveys.db import db, utcnow

#: the session keys of a login (Flask-Login's own and ours), removed together
LOGIN_KEYS = ("_user_id", "_fresh", "_id", "_sid", "_login_at", "_seen_at")
#: how stale ``_seen_at`` may get before a request rewrites it (seconds)
SEEN_RESOLUTION = 60


class LoginSession(db.Model):
    """One login that has not ended: the server's half of a session cookie."""

    __tablename__ = "login_sessions"

    #: sha256 (hex) of the nonce in the cookie; the nonce itself is never stored
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: when the login happened; rows older than the absolute lifetime are removed at login
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )


def _digest(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def _lifetimes() -> tuple[int, int]:
    """(idle, absolute) lifetime in seconds, from the app's configuration."""
    config = current_app.config
    return config["MONITOR_SESSION_IDLE_MINUTES"] * 60, config["MONITOR_SESSION_HOURS"] * 3600


def start(user: User) -> None:
    """Log ``user`` in on a fresh session (whatever the cookie held is dropped: no fixation)
    and record it on the server. Removes the expired rows of every account; the caller commits."""
    session.clear()
    login_user(user)
    nonce = secrets.token_urlsafe(32)
    now = int(time.time())
    session.update({"_sid": nonce, "_login_at": now, "_seen_at": now})
    _idle, absolute = _lifetimes()
    db.session.execute(
        delete(LoginSession).where(LoginSession.created_at < utcnow() - timedelta(seconds=absolute))
    )
    db.session.add(LoginSession(id=_digest(nonce), user_id=user.id))


def end() -> None:
    """End the current login session: its row goes (a copy of the cookie is worthless from now
    on) and the cookie is emptied. The caller commits."""
    nonce = session.get("_sid")
    if isinstance(nonce, str):
        db.session.execute(delete(LoginSession).where(LoginSession.id == _digest(nonce)))
    session.clear()


def end_all(user: User) -> None:
    """End every login session of ``user`` (after a password change). The caller commits."""
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))


def current_user_of(session_id: str) -> User | None:
    """The account of the request's login session, or None when the session has expired, was
    ended, or names an account that is gone, inactive or has a new password. A refused login is
    removed from the cookie, so the next request does not ask again."""
    user = _check(session_id)
    if user is None:
        for key in LOGIN_KEYS:
            session.pop(key, None)
    return user


def _check(session_id: str) -> User | None:
    nonce, login_at, seen_at = (session.get(key) for key in ("_sid", "_login_at", "_seen_at"))
    if not (isinstance(nonce, str) and isinstance(login_at, int) and isinstance(seen_at, int)):
        return None
    idle, absolute = _lifetimes()
    now = int(time.time())
    if now - seen_at > idle or now - login_at > absolute:
        return None
    user_id, _, stamp = session_id.partition(".")
    if not (user_id.isascii() and user_id.isdigit()):
        return None
    user = db.session.scalar(
        select(User)
        .join(LoginSession, LoginSession.user_id == User.id)
        .where(User.id == int(user_id), LoginSession.id == _digest(nonce))
    )
    if user is None or not user.active or not hmac.compare_digest(stamp, user.session_stamp):
        return None
    if now - seen_at >= SEEN_RESOLUTION:
        session["_seen_at"] = now
    return user
