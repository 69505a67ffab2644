"""Brute force gets nowhere: POST /login is limited to 10 a minute per client and the respondent
pages (personal links, open links, resume links, opt-out) to 120 a minute per client, so guessing
a password or a 256-bit token is hopeless. The limited client gets the Dutch 429 page; other
clients are not affected.
"""

import secrets

import pytest

from monitor.demo import DEMO_LOGINS
from tests.conftest import make_app
from tests.security.conftest import TRACEBACK_MARKERS

LOGIN_LIMIT = 10
RESPONDENT_LIMIT = 120
OPEN_START_LIMIT = 30
OTHER_CLIENT = {"REMOTE_ADDR": "192.0.2.77"}


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMIT_ENABLED": True}


def assert_too_many(response) -> None:
    assert response.status_code == 429
    assert "Te veel pogingen" in response.text
    assert not any(marker in response.text for marker in TRACEBACK_MARKERS)
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_login_posts_are_limited_to_ten_a_minute_per_client(client, small_site):
    email, password = DEMO_LOGINS["coordinator"]
    for attempt in range(LOGIN_LIMIT):  # the limit is per client, whichever account is tried
        guess = {"email": f"gok-{attempt}@example.org", "password": "een gok"}
        assert client.post("/login", data=guess).status_code == 200, f"attempt {attempt + 1}"

    assert_too_many(client.post("/login", data={"email": email, "password": "nog een gok"}))
    # the right password no longer tells anything either
    assert_too_many(client.post("/login", data={"email": email, "password": password}))
    assert client.get("/login").status_code == 200  # the form itself stays reachable
    other = client.post(
        "/login", data={"email": email, "password": password}, environ_base=OTHER_CLIENT
    )
    assert other.status_code == 302  # another client logs in


@pytest.mark.parametrize(
    "route",
    ["/s/{}", "/r/{}", "/s/{}/afmelden", "/a/{}"],
    ids=["personal", "resume", "opt-out", "open"],
)
def test_guessing_respondent_tokens_is_limited_per_client(client, survey_site, route):
    right = {"/a/": survey_site.open_slug, "/r/": survey_site.resume_token}
    real = route.format(right.get(route[:3], survey_site.visited_token))
    assert client.get(real).status_code == 200
    for _ in range(RESPONDENT_LIMIT - 1):
        guess = client.get(route.format(secrets.token_urlsafe(32)))
        assert guess.status_code == 404

    assert_too_many(client.get(route.format(secrets.token_urlsafe(32))))
    assert_too_many(client.get(real))  # even a right guess gets no answer now
    assert client.get(real, environ_base=OTHER_CLIENT).status_code == 200


def test_posting_guesses_counts_as_well(client, survey_site):
    for _ in range(RESPONDENT_LIMIT):
        response = client.post(f"/s/{secrets.token_urlsafe(32)}", data={"nav": "next"})
        assert response.status_code == 404

    assert_too_many(client.post(f"/s/{secrets.token_urlsafe(32)}", data={"nav": "next"}))


def test_starting_on_an_open_link_is_limited_per_client(app, survey_site):
    """Every browser without a session starts its own response: a script that drops its cookie
    gets no more than a class behind one address needs at once."""
    url = f"/a/{survey_site.open_slug}"
    for attempt in range(OPEN_START_LIMIT):
        start = app.test_client().post(url, data={"group": "studenten"})
        assert start.status_code == 302, f"attempt {attempt + 1}"

    assert_too_many(app.test_client().post(url, data={"group": "studenten"}))
    assert app.test_client().get(url).status_code == 200  # the landing page stays reachable
    other = app.test_client().post(url, data={"group": "studenten"}, environ_base=OTHER_CLIENT)
    assert other.status_code == 302


def test_limits_live_in_memory_or_in_redis_when_redis_url_is_set(tmp_path):
    memory = make_app(f"sqlite:///{tmp_path / 'a.sqlite'}", RATELIMIT_ENABLED=True)
    assert memory.config["RATELIMIT_STORAGE_URI"] == "memory://"
    redis = make_app(
        f"sqlite:///{tmp_path / 'b.sqlite'}",
        RATELIMIT_ENABLED=True,
        REDIS_URL="redis://127.0.0.1:6379/3",
    )
    assert redis.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/3"


# -- behind a reverse proxy ------------------------------------------------------------------------

PROXY = {"REMOTE_ADDR": "127.0.0.1"}  # every request arrives from nginx on the same machine


def _proxied_client(tmp_path, hops: int):
    """An app with its limits on behind `hops` proxies (MONITOR_PROXY_HOPS), on its own SQLite
    file: the limiter's key is all that matters here."""
    app = make_app(
        f"sqlite:///{tmp_path / f'proxy-{hops}.sqlite'}",
        RATELIMIT_ENABLED=True,
        MONITOR_PROXY_HOPS=hops,
        REPORTS_DIR=str(tmp_path / "reports"),
    )
    with app.app_context():
        from surveys.db import Base, db

        Base.metadata.create_all(db.engine)
        db.engine.dispose()
    return app.test_client()


def _guess(client, forwarded_for: str):
    return client.post(
        "/login",
        data={"email": "gok@example.org", "password": "een gok"},
        headers={"X-Forwarded-For": forwarded_for},
        environ_base=PROXY,
    )


def test_behind_a_proxy_each_forwarded_client_has_its_own_limit(tmp_path):
    client = _proxied_client(tmp_path, hops=1)
    for attempt in range(LOGIN_LIMIT):
        assert _guess(client, "203.0.113.1").status_code == 200, f"attempt {attempt + 1}"
    assert_too_many(_guess(client, "203.0.113.1"))
    # another visitor behind the same proxy is not affected
    assert _guess(client, "203.0.113.2").status_code == 200
    # only the address the proxy added counts: a forged first entry does not escape the limit
    assert_too_many(_guess(client, "198.51.100.9, 203.0.113.1"))


def test_without_proxy_hops_the_forwarded_header_is_ignored(tmp_path):
    client = _proxied_client(tmp_path, hops=0)
    for attempt in range(LOGIN_LIMIT):
        forged = f"203.0.113.{attempt + 1}"  # a new address each time: ignored
        assert _guess(client, forged).status_code == 200, f"attempt {attempt + 1}"
    assert_too_many(_guess(client, "203.0.113.200"))
