"""The database Base and session shared by every package that stores data.

`db` is the Flask-SQLAlchemy extension; `create_app` binds it with `db.init_app(app)`.
Constraint names follow a fixed convention so Alembic can alter them on SQLite and PostgreSQL alike.
"""

import functools
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from flask import current_app, has_request_context, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

#: the largest value a database integer column holds: an id beyond it finds no row, and is never
#: sent to the database (PostgreSQL would refuse it with an error, not an empty result)
MAX_DB_INT = 2**31 - 1


def utcnow() -> datetime:
    """Timezone-aware now, the default of every timestamp column."""
    return datetime.now(UTC)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """SQLite: enforce foreign keys, write-ahead log, wait on a busy database, and let
    SQLAlchemy (not the driver) begin transactions, see `_sqlite_begin`."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()
        dbapi_connection.isolation_level = None


#: Key in a SQLite connection's `info`: whether its transaction holds the write lock.
_WRITING = "monitor_sqlite_writing"


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection) -> None:
    """SQLite: a request that changes state (POST and friends) takes the write lock when its
    transaction begins (BEGIN IMMEDIATE), so concurrent writers queue on the busy timeout instead
    of failing with "database is locked" when each tries to upgrade a read lock. Everything else
    (page views, commands, report jobs, and `reads_first` views until `lock_for_writing`) begins
    deferred and, thanks to the write-ahead log, reads without ever blocking a respondent who
    saves a page."""
    if connection.dialect.name != "sqlite":
        return
    writing = (
        has_request_context()
        and request.method not in ("GET", "HEAD", "OPTIONS")
        and not getattr(current_app.view_functions.get(request.endpoint), "reads_first", False)
    )
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")
    connection.info[_WRITING] = writing


def reads_first(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view whose writes all come after its reads; it calls `lock_for_writing()` before
    writes that must be atomic together.

    SQLite: its transaction begins deferred and takes the write lock only for the writes.
    PostgreSQL: its reads run without a transaction (autocommit), which saves the BEGIN and
    COMMIT round trips of every page view; a write that is one statement is atomic by itself
    (`surveys.responses.save_page`), and `lock_for_writing()` begins a transaction for several.
    A session that is already in a transaction when the view starts (a hook loaded the logged-in
    user) keeps it, and the view runs as any other."""

    @functools.wraps(view)
    def reading_first(*args: Any, **kwargs: Any) -> Any:
        autocommit = _read_without_transaction()
        try:
            return view(*args, **kwargs)
        finally:
            if autocommit and _in_autocommit():
                db.session.rollback()  # ends the reads (nothing to roll back, no round trip)

    reading_first.reads_first = True  # type: ignore[attr-defined]
    return reading_first


_AUTOCOMMIT = "AUTOCOMMIT"


def _read_without_transaction() -> bool:
    if db.engine.dialect.name != "postgresql" or db.session().in_transaction():
        return False
    db.session.connection(execution_options={"isolation_level": _AUTOCOMMIT})
    return True


def _in_autocommit() -> bool:
    return (
        db.session().in_transaction()
        and db.session.connection().get_execution_options().get("isolation_level") == _AUTOCOMMIT
    )


def lock_for_writing() -> None:
    """In a `reads_first` view, before writes that must be atomic together.

    SQLite: end the read transaction and take the write lock (BEGIN IMMEDIATE) on the same
    connection, so the session's objects stay loaded and the lock is held only for the writes
    and the commit. Like any writing request it then waits on the busy timeout, never fails on a
    lock upgrade. PostgreSQL: end the reads without a transaction, so that the writes begin one
    (objects loaded by the reads are expired and load again when used)."""
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        if _in_autocommit():
            db.session.commit()
        return
    if connection.info.get(_WRITING):
        return
    connection.exec_driver_sql("COMMIT")
    connection.exec_driver_sql("BEGIN IMMEDIATE")
    connection.info[_WRITING] = True
