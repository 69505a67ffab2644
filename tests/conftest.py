"""Fixtures built from the application factory (flaskr style).

Every test gets a fresh, empty database: a new SQLite file by default; with TEST_DATABASE_URL set
(a PostgreSQL server URL), one database is created for the run and emptied after each test.
With REQUIRE_ALL=1 a test that would be skipped for a missing tool fails instead.
"""

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import g
from flask.testing import FlaskClient
from sqlalchemy.engine import make_url

import monitor.models  # noqa: F401  (complete metadata for the test database)
from monitor import create_app
from monitor.accounts import User, create_user
from monitor.demo import DEMO_LOGINS
from surveys.db import Base, db
from surveys.models import Instrument, InstrumentVersion, Organisation

REQUIRE_ALL = os.environ.get("REQUIRE_ALL") == "1"
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


def _psycopg(url: str) -> sa.URL:
    parsed = make_url(url)
    return parsed.set(drivername="postgresql+psycopg")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[sa.URL | None]:
    """The PostgreSQL server named by TEST_DATABASE_URL, or None."""
    yield _psycopg(TEST_DATABASE_URL) if TEST_DATABASE_URL else None


def create_database(server: sa.URL) -> sa.URL:
    """Create a uniquely named database on `server` and return its URL."""
    name = f"monitor_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server.set(database=name)


def drop_database(url: sa.URL) -> None:
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def postgres_database(postgres_server) -> Iterator[sa.URL | None]:
    """One database for the whole run, with the schema created once."""
    if postgres_server is None:
        yield None
        return
    url = create_database(postgres_server)
    engine = sa.create_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    yield url
    drop_database(url)


@pytest.fixture
def empty_database_url(postgres_server, tmp_path) -> Iterator[str]:
    """A URL of a brand-new database without tables (for migration tests)."""
    if postgres_server is None:
        yield f"sqlite:///{tmp_path / 'empty.sqlite'}"
        return
    url = create_database(postgres_server)
    yield url.render_as_string(hide_password=False)
    drop_database(url)


def make_app(database_url: str, **overrides):
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret-key",
        "PANEL_SECRET": "test-panel-secret",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "MONITOR_K_ANONYMITY": 5,
        "HUEY_IMMEDIATE": True,
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture
def app_config() -> dict:
    """Override in a test module to change the app's configuration."""
    return {}


def app_on_database(postgres_database, folder, **config) -> Iterator:
    """An app (context pushed) on a fresh database: a SQLite file in `folder`, or the run's
    PostgreSQL database, emptied afterwards. A module that builds one app for all its tests (the
    regional monitor takes seconds) must not also use the function-scoped `app` fixture, which
    empties PostgreSQL after each test."""
    if postgres_database is None:
        url = f"sqlite:///{folder / 'test.sqlite'}"
    else:
        url = postgres_database.render_as_string(hide_password=False)
    app = make_app(url, **config)
    app.test_client_class = FreshUserClient
    with app.app_context():
        if postgres_database is None:
            db.create_all()
        yield app
        db.session.remove()
        if postgres_database is not None:
            names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
            with db.engine.begin() as conn:
                conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        db.engine.dispose()


@pytest.fixture
def app(postgres_database, tmp_path, app_config):
    yield from app_on_database(postgres_database, tmp_path, **app_config)


class FreshUserClient(FlaskClient):
    """The tests hold one app context open, so `g` outlives a request; in production every
    request has its own. Forget Flask-Login's cached user before each request, so every
    request (and every second client) is authenticated by its own session cookie."""

    def open(self, *args, **kwargs):
        g.pop("_login_user", None)
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def require(condition: bool, reason: str) -> None:
    """Skip the test when `condition` is false; with REQUIRE_ALL=1 fail instead."""
    if not condition:
        if REQUIRE_ALL:
            pytest.fail(f"REQUIRE_ALL=1 but {reason}")
        pytest.skip(reason)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("postgres"):
        require(TEST_DATABASE_URL is not None, "TEST_DATABASE_URL is not set (PostgreSQL)")
    if item.get_closest_marker("browser"):
        require(Path("/usr/bin/chromium").exists(), "/usr/bin/chromium is not installed")
    if item.get_closest_marker("pspp"):
        require(shutil.which("pspp") is not None, "pspp is not installed")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if REQUIRE_ALL and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped under REQUIRE_ALL=1: {report.longrepr}"


def login(client, email: str, password: str):
    """Log in through the login form."""
    return client.post("/login", data={"email": email, "password": password})


#: e-mail address and password of the `coordinator_account` fixture
COORDINATOR_LOGIN = ("coordinator@x.example", "a long password")


class AuthActions:
    """Logging a test client in and out through the login form (flaskr's `auth`)."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, email: str, password: str):
        """Post the login form; returns the response (302 on success)."""
        return login(self.client, email, password)

    def login_as(self, role: str) -> FlaskClient:
        """Log in as the demo account of `role` (the demo must be loaded); returns the client."""
        email, password = DEMO_LOGINS[role]
        assert self.login(email, password).status_code == 302, f"could not log in as {role}"
        return self.client

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def coordinator_account(app) -> User:
    """A coordinator's account (not the demo's: a test may load the demo as well). Hashing a
    password costs a few hundred ms, so tests that only need the account take this one."""
    email, password = COORDINATOR_LOGIN
    user = create_user(email, "coordinator", password)
    db.session.commit()
    return user


@pytest.fixture
def coordinator(auth, coordinator_account) -> FlaskClient:
    """The test client, logged in as the coordinator of `coordinator_account`."""
    assert auth.login(*COORDINATOR_LOGIN).status_code == 302
    return auth.client


MINI_DEFINITION = {
    "key": "mini",
    "title": {"nl": "Mini", "en": "Mini"},
    "respondent_groups": [
        {"key": "studenten", "label": {"nl": "Studenten", "en": "Students"}},
        {"key": "docenten", "label": {"nl": "Docenten", "en": "Teachers"}},
    ],
}


@pytest.fixture
def version(app):
    """A published instrument version with two respondent groups (no engine needed)."""
    v = InstrumentVersion(
        instrument=Instrument(key="mini", title="Mini"),
        number=1,
        content_hash="0" * 64,
        definition=MINI_DEFINITION,
    )
    db.session.add(v)
    db.session.commit()
    return v


@pytest.fixture
def organisation(app):
    org = Organisation(name="Geuldal Bouw BV", kvk_number="12345678", sector="bouw")
    db.session.add(org)
    db.session.commit()
    return org
