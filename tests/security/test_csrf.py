"""CSRF on every state-changing route, found by walking `app.url_map`, so a route added later is
covered without touching this file. A request without a token is refused with 400 and changes
nothing; the same request with a token gets past the check (so the 400 was the CSRF check).
"""

import io
import re

import pytest
from werkzeug.datastructures import MultiDict

from tests.security.conftest import (
    CSRF_PAGE_TITLE,
    STATE_CHANGING,
    call,
    csrf_token,
    role_for,
    row_counts,
    server_error,
    sign_in,
    signed_in,
    table_contents,
    urls_of,
)

_CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": True}


class Visitors:
    """One test client per role, kept logged in (again after a POST /logout)."""

    def __init__(self, app, roles) -> None:
        self.clients = {role: app.test_client() for role in roles}
        for role in roles:
            self.get(role)

    def get(self, role: str):
        client = self.clients[role]
        if not signed_in(client):
            sign_in(client, role)
        return client


def otherwise_valid_form(site) -> MultiDict:
    """A form that the views would accept if the token were there: every field name the forms of
    the app use, with a plausible value (the organisation's own name to confirm a deletion, a
    valid CSV to upload), so a route that skipped the check would change something."""
    csv = b"email,name,respondent_group\nnieuw@example.org,Nieuw,studenten\n"
    return MultiDict(
        [
            ("nav", "next"), ("status", "werkend"), ("uren", "20"), ("group", "studenten"),
            ("email", "nieuw-account@example.org"), ("password", "een heel lang wachtwoord"),
            ("name", "Nieuwe organisatie BV"), ("kind", "werkgever"),
            ("confirm_name", site.organisation.name),
            ("title", "Nieuwe meting"), ("year", "2026"), ("wave", "0"), ("version", "1"),
            ("opens_on", "2026-01-01"), ("closes_on", "2026-12-31"), ("mode", "open"),
            ("format", "csv"), ("file", (io.BytesIO(csv), "genodigden.csv")),
        ]
    )  # fmt: skip


def test_every_state_changing_route_refuses_a_request_without_csrf_token(app, site):
    rules = sorted(
        (r for r in app.url_map.iter_rules() if r.methods & STATE_CHANGING),
        key=lambda r: (r.rule, r.endpoint),
    )
    assert len(rules) >= 10, "the walker found too few state-changing routes"
    visitors = Visitors(app, {role_for(rule) for rule in rules})
    before = table_contents()
    problems: list[str] = []
    walked: list[tuple[str, str, str]] = []
    for rule in rules:
        role = role_for(rule)
        for url in urls_of(site, rule):
            for method in sorted(rule.methods & STATE_CHANGING):
                client = visitors.get(role)
                counts = row_counts()
                response = call(client, method, url, data=otherwise_valid_form(site))
                where = f"{method} {url} as {role}"
                walked.append((role, method, url))
                if error := server_error(response):
                    problems.append(f"{where}: {error}")
                    continue
                if response.status_code != 400 or CSRF_PAGE_TITLE not in response.text:
                    problems.append(f"{where}: answered {response.status_code}, not the CSRF 400")
                if (after := row_counts()) != counts:
                    changed = {t for t in counts if counts[t] != after[t]}
                    problems.append(f"{where}: changed the row counts of {sorted(changed)}")
    assert problems == []
    assert table_contents() == before, "a request without CSRF token changed stored data"
    assert {url for _, _, url in walked} >= {
        f"/s/{site.visited_token}",
        f"/r/{site.resume_token}",
        f"/a/{site.open_slug}",
        "/login",
        "/logout",
    }

    # The control: with a token the same requests get past the check (never the CSRF page).
    passed: list[str] = []
    for role, method, url in walked:
        client = visitors.get(role)
        response = call(client, method, url, data={"csrf_token": csrf_token(client)})
        if error := server_error(response):
            passed.append(f"{method} {url} with a token: {error}")
        elif CSRF_PAGE_TITLE in response.text:
            passed.append(f"{method} {url} with a token: still refused by the CSRF check")
    assert passed == []


def test_a_token_of_another_session_is_refused(app, client, small_site):
    other = app.test_client()
    foreign = csrf_token(other)
    sign_in(client, "coordinator")
    before = row_counts()

    response = client.post(
        "/coordinator/organisations/new",
        data={"name": "Via vreemd token BV", "kind": "werkgever", "csrf_token": foreign},
    )

    assert response.status_code == 400 and CSRF_PAGE_TITLE in response.text
    assert row_counts() == before


def test_a_forged_token_in_the_header_is_refused(client, small_site):
    sign_in(client, "admin")

    response = client.post(
        f"/coordinator/campaigns/{small_site.values['campaign_id'][0]}/close",
        headers={"X-CSRFToken": "forged.token.value"},
    )

    assert response.status_code == 400 and CSRF_PAGE_TITLE in response.text


@pytest.mark.parametrize(
    "referrer, refused",
    [("https://evil.example/form", True), (None, True), ("https://localhost/coordinator/", False)],
)
def test_over_https_a_post_from_another_site_is_refused_even_with_a_token(app, referrer, refused):
    """Flask-WTF's strict referrer check: over HTTPS a token alone is not enough."""
    client = app.test_client()
    base = "https://localhost"
    token = _CSRF_INPUT.search(client.get(f"{base}/login").text)[1]
    headers = {"Referer": referrer} if referrer else {}

    response = client.post(f"{base}/login", data={"csrf_token": token}, headers=headers)

    assert (response.status_code == 400 and CSRF_PAGE_TITLE in response.text) == refused
