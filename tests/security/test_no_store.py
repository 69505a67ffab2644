"""Caching: no page, file or redirect the application builds may be kept by a browser or a proxy
(invitees, organisations, accounts, the audit log, employer scans, a respondent's answers);
only the static files (CSS, scripts, fonts) may be cached."""

from sqlalchemy import select

from monitor.accounts import create_user
from surveys.db import db
from surveys.models import Campaign
from tests.conftest import login
from tests.security.conftest import call, server_error, sign_in, urls_of


def stores(response) -> bool:
    """Whether a browser or proxy may keep `response`."""
    return "no-store" not in response.cache_control


def test_every_page_of_every_route_forbids_storing_it(app, small_site):
    clients = {"anonymous": app.test_client()}
    for role in ("admin", "employer"):
        clients[role] = app.test_client()
        sign_in(clients[role], role)
    problems, checked = [], 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        for url in urls_of(small_site, rule):
            for who, client in clients.items():
                response = call(client, "GET", url)
                if error := server_error(response):
                    problems.append(f"{who} GET {url}: {error}")
                elif stores(response):
                    problems.append(f"{who} GET {url} -> {response.status_code}: no no-store")
                checked += 1
    anonymous = clients["anonymous"]
    for where, response in [
        ("404", anonymous.get("/bestaat-niet")),
        ("405", anonymous.get("/logout")),
        ("unknown token", anonymous.get("/s/onbekend")),
    ]:
        if stores(response):
            problems.append(f"{where}: no no-store")
    assert problems == [] and checked > 100


def test_pages_answered_to_a_post_forbid_storing_them_too(client, small_site):
    """A page shown again with its errors holds what the respondent just typed."""
    page = client.post(
        f"/s/{small_site.personal_token}?p=0",
        data={"status": "werkend", "uren": "x", "nav": "next"},
    )
    assert page.status_code == 200 and "uren-error" in page.text and not stores(page)
    start = client.post(f"/a/{small_site.open_slug}", data={"group": "studenten"})
    assert start.status_code == 302 and not stores(start)


def test_an_employer_scan_page_forbids_storing_it(app, small_site):
    create_user("hr@beveiliging.example", "employer", "a long password", small_site.organisation.id)
    db.session.commit()
    client = app.test_client()
    login(client, "hr@beveiliging.example", "a long password")
    home = client.get("/employer/")
    assert home.status_code == 200 and not stores(home)
    scan_id = db.session.scalar(select(Campaign.id).where(Campaign.slug == "sec-werkgever"))
    scan = client.get(f"/employer/scan/{scan_id}")
    assert scan.status_code == 200 and "Stap 1" in scan.text and not stores(scan)


def test_static_files_may_be_cached(client):
    response = client.get("/static/app.css")
    assert response.status_code == 200 and stores(response)
