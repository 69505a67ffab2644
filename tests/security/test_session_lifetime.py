"""A login session ends on the server: log-out revokes it (a copy of the cookie is worthless after
it), and it has an idle and an absolute lifetime. Anonymous visitors cost no query for this."""

import time
from urllib.parse import urlsplit

import pytest
from sqlalchemy import event

from monitor.accounts import create_user
from monitor.config import ConfigError, load_config
from monitor.demo import DEMO_LOGINS
from surveys.db import db

COORDINATOR = dict(zip(("email", "password"), DEMO_LOGINS["coordinator"], strict=True))


@pytest.fixture
def coordinator(app):
    create_user(COORDINATOR["email"], "coordinator", COORDINATOR["password"])
    db.session.commit()


def refused(response) -> bool:
    """The request was sent to the login page (no session)."""
    return response.status_code == 302 and urlsplit(response.headers["Location"]).path == "/login"


def test_a_cookie_copied_before_logout_is_worthless_after_it(app, client, coordinator):
    client.post("/login", data=COORDINATOR)
    copied = client.get_cookie("session").value

    client.post("/logout")

    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert refused(thief.get("/coordinator/"))


def test_logout_ends_only_its_own_session(app, coordinator):
    laptop, phone = app.test_client(), app.test_client()
    laptop.post("/login", data=COORDINATOR)
    phone.post("/login", data=COORDINATOR)

    laptop.post("/logout")

    assert phone.get("/coordinator/").status_code == 200
    assert refused(laptop.get("/coordinator/"))


def _age(client, key: str, seconds: int) -> None:
    """Move one of the session's clocks back, as if that much time had passed."""
    with client.session_transaction() as session:
        session[key] -= seconds


def test_a_session_idle_longer_than_the_idle_lifetime_ends(app, client, coordinator):
    client.post("/login", data=COORDINATOR)
    idle = app.config["MONITOR_SESSION_IDLE_MINUTES"] * 60
    _age(client, "_seen_at", idle - 90)
    assert client.get("/coordinator/").status_code == 200  # and the request counts as activity
    _age(client, "_seen_at", idle - 30)
    assert client.get("/coordinator/").status_code == 200

    _age(client, "_seen_at", idle + 1)

    assert refused(client.get("/coordinator/"))


def test_an_active_session_ends_at_its_absolute_lifetime(app, client, coordinator):
    client.post("/login", data=COORDINATOR)
    _age(client, "_login_at", app.config["MONITOR_SESSION_HOURS"] * 3600 - 60)
    assert client.get("/coordinator/").status_code == 200

    _age(client, "_login_at", 61)

    assert refused(client.get("/coordinator/"))


def test_a_login_session_without_a_server_record_is_refused(app, client, coordinator):
    """A cookie signed with the secret but naming no session the server started (an old-style
    cookie, or a forged nonce) logs nobody in."""
    client.post("/login", data=COORDINATOR)
    with client.session_transaction() as session:
        session["_sid"] = "verzonnen"

    assert refused(client.get("/coordinator/"))


def test_the_lifetimes_are_configurable_and_checked(tmp_path):
    env = {"MONITOR_SESSION_IDLE_MINUTES": "15", "MONITOR_SESSION_HOURS": "8"}
    config = load_config(tmp_path, {"TESTING": True}, env)
    assert (config["MONITOR_SESSION_IDLE_MINUTES"], config["MONITOR_SESSION_HOURS"]) == (15, 8)
    defaults = load_config(tmp_path, {"TESTING": True}, {})
    assert (defaults["MONITOR_SESSION_IDLE_MINUTES"], defaults["MONITOR_SESSION_HOURS"]) == (60, 12)
    with pytest.raises(ConfigError, match="MONITOR_SESSION_IDLE_MINUTES"):
        load_config(tmp_path, {"TESTING": True}, {"MONITOR_SESSION_IDLE_MINUTES": "0"})


def test_anonymous_respondents_cost_no_query_for_sessions(app, small_site):
    respondent = app.test_client()
    respondent.get(f"/a/{small_site.open_slug}?lang=en")  # a session cookie, no login
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement.lower())

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        assert respondent.get(f"/a/{small_site.open_slug}").status_code == 200
        assert respondent.get(f"/s/{small_site.visited_token}").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)

    assert statements  # the pages did read their own data
    assert not [s for s in statements if "login_sessions" in s or "from users" in s]


def test_a_session_records_its_activity_at_most_once_a_minute(app, client, coordinator):
    """An active session's cookie is not rewritten on every request (cheap, cacheable)."""
    client.post("/login", data=COORDINATOR)
    with client.session_transaction() as session:
        seen = session["_seen_at"]
    assert abs(seen - time.time()) < 5
    client.get("/coordinator/")  # the first page adds the form token to the session

    response = client.get("/coordinator/")

    assert response.status_code == 200
    assert not [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
