"""Accounts and roles. Passwords are hashed with argon2."""

import contextlib
import enum
import secrets
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, String, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveys.db import db, utcnow
from surveys.models import Organisation

_hasher = PasswordHasher()


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

    organisation: Mapped[Organisation | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

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
    email: str, role: Role | str, password: str, organisation_id: int | None = None
) -> User:
    """Create an account; raises ValueError with a message fit for a user on bad input."""
    email = email.strip().lower()
    role = Role(role)
    if "@" not in email or len(email) > 254:
        raise ValueError(f"'{email}' is not an e-mail address")
    if len(password) < 10:
        raise ValueError("the password must be at least 10 characters long")
    if role == Role.EMPLOYER:
        if organisation_id is None:
            raise ValueError("an employer account needs an organisation (--org ID)")
        if db.session.get(Organisation, organisation_id) is None:
            raise ValueError(f"organisation {organisation_id} does not exist")
    elif organisation_id is not None:
        raise ValueError("only employer accounts belong to an organisation")
    if find_user(email) is not None:
        raise ValueError(f"an account for {email} already exists")
    user = User(email=email, role=role, organisation_id=organisation_id)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user
