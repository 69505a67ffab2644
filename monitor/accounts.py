"""Accounts and roles. Passwords are hashed with argon2."""

import contextlib
import enum
import hashlib
import secrets
from collections.abc import Collection
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, String, false, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveys.db import db, utcnow
from surveys.models import Organisation
from surveys.textinput import column_length, text_problem

_hasher = PasswordHasher()
#: the shortest password an account may have
MIN_PASSWORD_LENGTH = 10


class Role(enum.StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    EMPLOYER = "employer"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: stored lower case; unique
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(String(12))
    #: the organisation an employer account belongs to; NULL for admins and coordinators
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: the password was set by someone else (a coordinator, or generated): until the user
    #: chooses their own, every page leads to the password form
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )

    organisation: Mapped[Organisation | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def get_id(self) -> str:
        """What the session cookie holds: the id and a stamp of the password hash, so that a
        session made before a password change no longer logs anyone in."""
        return f"{self.id}.{self.session_stamp}"

    @property
    def session_stamp(self) -> str:
        return hashlib.sha256(self.password_hash.encode()).hexdigest()[:16]

    def set_password(self, password: str) -> None:
        self.password_hash = _hasher.hash(password)

    def check_password(self, password: str) -> bool:
        """Verify `password`; rehash transparently when argon2 parameters changed."""
        try:
            _hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        if _hasher.check_needs_rehash(self.password_hash):
            self.set_password(password)
        return True

    def may_see_organisation(self, organisation_id: int | None) -> bool:
        """Admins and coordinators see every organisation, employers only their own."""
        if self.role in (Role.ADMIN, Role.COORDINATOR):
            return True
        return organisation_id is not None and organisation_id == self.organisation_id


#: a hash of a random password, verified for unknown addresses so that a failed login takes the
#: same time whether or not the address has an account
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


def spend_password_check(password: str) -> None:
    """Do the work of a password check that always fails (unknown e-mail address)."""
    with contextlib.suppress(VerificationError, InvalidHashError):
        _hasher.verify(_DUMMY_HASH, password)


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def create_user(
    email: str,
    role: Role | str,
    password: str,
    organisation_id: int | None = None,
    *,
    must_change_password: bool = False,
) -> User:
    """Create an account; raises ValueError with a message fit for a user on bad input.

    `must_change_password` for a password the user did not choose (generated, or set by a
    coordinator): the user then has to pick their own at the first login."""
    email = email.strip().lower()
    role = Role(role)
    if problem := text_problem(email, column_length(User.email)):
        raise ValueError(f"e-mailadres: {problem}")
    if "@" not in email:
        raise ValueError(f"'{email}' is not an e-mail address")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters long")
    if role == Role.EMPLOYER:
        if organisation_id is None:
            raise ValueError("an employer account needs an organisation (--org ID)")
        if db.session.get(Organisation, organisation_id) is None:
            raise ValueError(f"organisation {organisation_id} does not exist")
    elif organisation_id is not None:
        raise ValueError("only employer accounts belong to an organisation")
    if find_user(email) is not None:
        raise ValueError(f"an account for {email} already exists")
    user = User(
        email=email,
        role=role,
        organisation_id=organisation_id,
        must_change_password=must_change_password,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def employer_addresses(organisation_ids: Collection[int]) -> dict[int, list[str]]:
    """The e-mail addresses of the active employer accounts per organisation (an organisation
    without one is left out): whom a sprint's evaluation reaches through an account."""
    addresses: dict[int, list[str]] = {}
    if organisation_ids:
        for org_id, email in db.session.execute(
            select(User.organisation_id, User.email)
            .where(
                User.organisation_id.in_(list(organisation_ids)),
                User.role == Role.EMPLOYER,
                User.active.is_(True),
            )
            .order_by(User.email)
        ):
            addresses.setdefault(org_id, []).append(email)
    return addresses
