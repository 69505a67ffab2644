"""Sessions, cookies, redirects after login and the security headers of every response."""

import io
import re
from pathlib import Path
from urllib.parse import quote, urlsplit

from monitor.config import load_config
from surveys.db import db
from tests.conftest import COORDINATOR_LOGIN, make_app
from tests.security.conftest import call, server_error, sign_in, urls_of

COORDINATOR = dict(zip(("email", "password"), COORDINATOR_LOGIN, strict=True))


def session_cookie(response) -> str:
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    return cookie


# -- the session -----------------------------------------------------------------------------------


def test_login_starts_a_new_session(client, coordinator_account):
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "door een aanvaller gezet"
    before = client.get_cookie("session").value

    response = client.post("/login", data=COORDINATOR)

    assert response.status_code == 302
    assert client.get_cookie("session").value != before
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"]


def test_a_session_cookie_planted_before_login_stays_anonymous(
    app, small_site, coordinator_account
):
    attacker = app.test_client()
    attacker.get(f"/a/{small_site.open_slug}?lang=en")  # any page that starts a session
    planted = attacker.get_cookie("session").value
    victim = app.test_client()
    victim.set_cookie("session", planted)

    assert victim.post("/login", data=COORDINATOR).status_code == 302

    assert victim.get("/coordinator/").status_code == 200
    refused = attacker.get("/coordinator/")
    assert refused.status_code == 302 and urlsplit(refused.headers["Location"]).path == "/login"


def test_logout_ends_the_session(client, coordinator_account):
    client.post("/login", data=COORDINATOR)

    client.post("/logout")

    with client.session_transaction() as session:
        assert "_user_id" not in session
    assert client.get("/coordinator/").status_code == 302


# -- cookie flags ----------------------------------------------------------------------------------


def test_the_session_cookie_is_httponly_and_samesite_lax(client, coordinator_account):
    cookie = session_cookie(client.post("/login", data=COORDINATOR))

    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http (development) unless MONITOR_HTTPS=1


def test_with_https_the_session_cookie_is_secure_and_hsts_is_sent(tmp_path):
    app = make_app(
        f"sqlite:///{tmp_path / 'https.sqlite'}", SESSION_COOKIE_SECURE=True, WTF_CSRF_ENABLED=True
    )
    with app.app_context():
        db.create_all()
        client = app.test_client()
        response = client.get("https://localhost/login")

        cookie = session_cookie(response)
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")
        db.engine.dispose()


def test_monitor_https_switches_on_secure_cookies(tmp_path):
    base = {"TESTING": True}
    assert load_config(tmp_path, base, env={"MONITOR_HTTPS": "1"})["SESSION_COOKIE_SECURE"]
    assert not load_config(tmp_path, base, env={})["SESSION_COOKIE_SECURE"]
    config = load_config(tmp_path, base, env={})
    assert config["SESSION_COOKIE_HTTPONLY"] and config["REMEMBER_COOKIE_HTTPONLY"]
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"


# -- where login sends you -------------------------------------------------------------------------


def browser_target(location: str) -> str:
    """The URL a browser follows: C0 controls and spaces trimmed, tabs and newlines removed
    (WHATWG URL parsing), backslashes read as slashes (special schemes)."""
    cleaned = location.strip("".join(map(chr, range(0x21))))
    cleaned = re.sub(r"[\t\n\r]", "", cleaned)
    return cleaned.replace("\\", "/")


def stays_on_site(location: str) -> bool:
    target = urlsplit(browser_target(location))
    return not target.scheme and not target.netloc


OFF_SITE_TARGETS = [
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "https://evil.example/",
    "HTTPS://evil.example/",
    "javascript:alert(1)",
    "/%2F/evil.example/",
    "%2F%2Fevil.example",
    " //evil.example/",
    "/coordinator/organisations",
]


def redirect_after_login(client, target: str):
    client.post("/logout")
    return call(client, "POST", f"/login?next={quote(target, safe='')}", data=COORDINATOR)


def test_login_only_follows_next_to_this_site(client, coordinator_account):
    for target in OFF_SITE_TARGETS:
        response = redirect_after_login(client, target)
        assert response.status_code == 302, target
        assert stays_on_site(response.headers["Location"]), (target, response.headers["Location"])


def test_login_is_not_an_open_redirect_through_a_tab(client, coordinator_account):
    response = redirect_after_login(client, "/\t/evil.example/")

    assert response.status_code == 302
    assert stays_on_site(response.headers["Location"]), response.headers["Location"]


def test_a_newline_in_next_is_not_a_server_error(client, coordinator_account):
    response = redirect_after_login(client, "/\r\nSet-Cookie: x=y")

    assert server_error(response) is None
    assert response.status_code == 302 and stays_on_site(response.headers["Location"])


def test_an_unknown_address_costs_the_same_password_hashing_as_a_known_one(
    client, coordinator_account, monkeypatch
):
    import argon2._password_hasher as hasher

    work: list[str] = []
    for name in ("hash_secret", "verify_secret"):
        original = getattr(hasher, name)
        monkeypatch.setattr(
            hasher, name, lambda *a, _f=original, _n=name, **k: work.append(_n) or _f(*a, **k)
        )

    client.post("/login", data={"email": COORDINATOR["email"], "password": "verkeerd-1234"})
    known = len(work)
    client.post("/login", data={"email": "niemand@example.org", "password": "verkeerd-1234"})

    assert known >= 1
    assert len(work) - known == known


# -- security headers ------------------------------------------------------------------------------

REFERRER_POLICIES = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}


def header_problems(response) -> list[str]:
    """What is missing from the security headers of `response`."""
    headers = response.headers
    problems = []
    csp = headers.get("Content-Security-Policy", "")
    directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
    if directives.get("frame-ancestors") != ["'none'"] and headers.get("X-Frame-Options") not in (
        "DENY",
        "SAMEORIGIN",
    ):
        problems.append("framing allowed")
    if directives.get("frame-ancestors") != ["'none'"]:
        problems.append("CSP without frame-ancestors 'none'")
    for name in ("default-src", "script-src"):
        if not directives.get(name):
            problems.append(f"CSP without {name}")
    for source in directives.get("script-src", []) + directives.get("default-src", []):
        if source in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"):
            problems.append(f"CSP allows scripts from {source}")
    if directives.get("object-src") != ["'none'"]:
        problems.append("CSP without object-src 'none'")
    if headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if headers.get("Referrer-Policy") not in REFERRER_POLICIES:
        problems.append(f"Referrer-Policy {headers.get('Referrer-Policy')!r} leaks tokens in URLs")
    return problems


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=", re.IGNORECASE)


def test_every_response_carries_the_security_headers(app, small_site):
    """Pages of every route (anonymous and logged in), redirects, static files, JSON, and the
    error pages; HTML pages have no inline scripts or handlers, which the CSP would block."""
    clients = {"anonymous": app.test_client()}
    for role in ("admin", "employer"):
        clients[role] = app.test_client()
        sign_in(clients[role], role)
    problems = []
    responses = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        for url in urls_of(small_site, rule):
            for who, client in clients.items():
                responses.append((f"{who} GET {url}", call(client, "GET", url)))
    anonymous = clients["anonymous"]
    responses += [
        ("404", anonymous.get("/bestaat-niet")),
        ("405", anonymous.get("/logout")),
        ("unknown token", anonymous.get("/s/onbekend")),
        (
            "413",
            clients["admin"].post(
                "/coordinator/organisations/import",
                data={"file": (io.BytesIO(b"x" * (9 * 1024 * 1024)), "groot.csv")},
            ),
        ),
    ]
    statuses = set()
    for where, response in responses:
        if error := server_error(response):
            problems.append(f"{where}: {error}")
            continue
        statuses.add(response.status_code)
        problems += [f"{where} -> {response.status_code}: {p}" for p in header_problems(response)]
        if response.mimetype == "text/html" and INLINE_SCRIPT.search(response.text):
            problems.append(f"{where}: inline script or event handler")
    assert problems == []
    assert {200, 302, 403, 404, 405, 413} <= statuses


def test_the_csrf_error_page_carries_the_security_headers(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'csrf.sqlite'}", WTF_CSRF_ENABLED=True)
    with app.app_context():
        response = app.test_client().post("/login", data=COORDINATOR)

        assert response.status_code == 400
        assert header_problems(response) == []


def test_the_static_folder_serves_no_source_files(client):
    for name in ("../web.py", "..%2Fweb.py", "../../pyproject.toml", "%2e%2e/web.py"):
        response = client.get(f"/static/{name}")
        assert response.status_code == 404, name
    assert Path(client.application.static_folder).name == "static"
