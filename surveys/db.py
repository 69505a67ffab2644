"""The database Base and session shared by every package that stores data.

`db` is the Flask-SQLAlchemy extension; `create_app` binds it with `db.init_app(app)`.
Constraint names follow a fixed convention so Alembic can alter them on SQLite and PostgreSQL alike.
"""

import sqlite3
from datetime import UTC, datetime

from flask import has_request_context, request
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


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection) -> None:
    """SQLite: a request that changes state (POST and friends) takes the write lock when its
    transaction begins (BEGIN IMMEDIATE), so concurrent writers queue on the busy timeout instead
    of failing with "database is locked" when each tries to upgrade a read lock. Everything else
    (page views, commands, report jobs) begins deferred and, thanks to the write-ahead log, reads
    without ever blocking a respondent who saves a page."""
    if connection.dialect.name != "sqlite":
        return
    writing = has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS")
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")
