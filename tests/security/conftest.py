"""Shared pieces of the security suite: a realistic site (the demo plus open campaigns, personal
links and resume links), a generic filler for URL parameters, table snapshots, logging in with a
CSRF token, and a request helper that turns an exception into a reportable server error.
"""

import hashlib
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import g
from sqlalchemy import func, select
from werkzeug.routing import IntegerConverter, PathConverter, Rule

from monitor.accounts import User, create_user
from monitor.demo import DEMO_LOGINS, load_demo
from surveys.campaigns import add_invitations, create_campaign, open_campaign, personal_link
from surveys.db import Base, db
from surveys.definition.loader import load_definition_file
from surveys.definition.publish import publish_definition
from surveys.invitees import Invitee
from surveys.models import Campaign, Organisation
from surveys.responses import response_for_invitation, save_answers, start_open_response

PROEF = Path(__file__).parent.parent / "data" / "instruments" / "proef.yaml"
TODAY = date.today()

#: the methods CSRFProtect checks (Flask-WTF's WTF_CSRF_METHODS)
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: the title of the page a refused CSRF check answers with (monitor/web.py)
CSRF_PAGE_TITLE = "Formulier verlopen"
#: what must never reach a visitor
TRACEBACK_MARKERS = ("Traceback (most recent call last)", 'File "/', "sqlalchemy.exc")

_CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def app_config(tmp_path) -> dict:
    """Report PDFs the walks make go to the test's folder, not to instance/reports."""
    return {"REPORTS_DIR": str(tmp_path / "reports")}


@pytest.fixture(autouse=True)
def _request_globals_per_request(request):
    """Forget `flask.g` after every request.

    The `app` fixture keeps an application context pushed for the whole test, and Flask reuses a
    pushed context for the requests of the test client, so `g` would outlive a request: the CSRF
    token Flask-WTF caches there and the user Flask-Login caches there would leak into the next
    request, of another session or client. In production every request has its own context.
    """
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")

    @app.teardown_request
    def forget(_error) -> None:
        vars(g).clear()


# -- requests --------------------------------------------------------------------------------------


def call(client, method: str, url: str, **kwargs):
    """The response, or a string saying what the view raised (TESTING propagates exceptions,
    and every exception is a 500 in production)."""
    try:
        return client.open(url, method=method, **kwargs)
    except Exception as error:
        db.session.rollback()
        return f"server error ({type(error).__name__}: {str(error)[:300]})"


def server_error(response) -> str | None:
    """Why `response` counts as a server error (500, exception, traceback in the body), or None."""
    if isinstance(response, str):
        return response
    if response.status_code >= 500:
        return f"status {response.status_code}"
    if not (response.mimetype or "").startswith(("text/", "application/json")):
        return None  # a PDF, a spreadsheet, a font
    body = response.get_data(as_text=True)
    for marker in TRACEBACK_MARKERS:
        if marker in body:
            return f"the body shows {marker!r}"
    return None


def csrf_token(client) -> str | None:
    """A CSRF token valid for the client's session (None when CSRF is switched off)."""
    page = client.get("/login").get_data(as_text=True)
    match = _CSRF_INPUT.search(page)
    return match[1] if match else None


def sign_in(client, role: str) -> None:
    """Log in as the demo account of `role` through the login form (with a CSRF token if on)."""
    email, password = DEMO_LOGINS[role]
    data = {"email": email, "password": password}
    token = csrf_token(client)
    if token:
        data["csrf_token"] = token
    response = client.post("/login", data=data)
    assert response.status_code == 302, f"could not log in as {role}"


def signed_in(client) -> bool:
    with client.session_transaction() as session:
        return "_user_id" in session


#: password -> its argon2 hash, computed once per run (hashing is slow on purpose)
_HASHES: dict[str, str] = {}


def make_demo_accounts(organisation: Organisation) -> None:
    """The demo logins without the demo data (fast sites build their own)."""
    for role, (email, password) in DEMO_LOGINS.items():
        if db.session.scalar(select(User.id).where(User.email == email)) is not None:
            continue
        org_id = organisation.id if role == "employer" else None
        if password in _HASHES:
            db.session.add(
                User(
                    email=email, role=role, organisation_id=org_id, password_hash=_HASHES[password]
                )
            )
        else:
            _HASHES[password] = create_user(email, role, password, org_id).password_hash
    db.session.commit()


# -- snapshots -------------------------------------------------------------------------------------


def row_counts(exclude: Iterable[str] = ()) -> dict[str, int]:
    """table name -> number of rows, for every table of the metadata."""
    skip = set(exclude)
    db.session.commit()  # end the test's transaction so the counts are the committed state
    counts = {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in Base.metadata.sorted_tables
        if table.name not in skip
    }
    db.session.rollback()
    return counts


def table_contents(exclude: Iterable[str] = ()) -> dict[str, str]:
    """table name -> sha256 of its sorted rows: any insert, update or delete changes it."""
    skip = set(exclude)
    db.session.commit()
    digests = {}
    for table in Base.metadata.sorted_tables:
        if table.name in skip:
            continue
        rows = sorted(repr(tuple(row)) for row in db.session.execute(select(table)))
        digests[table.name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    db.session.rollback()
    return digests


# -- a realistic site ------------------------------------------------------------------------------


@dataclass
class Site:
    """The demo plus what it lacks for a walk: open campaigns of every mode and live tokens."""

    #: URL parameter name -> values to put in it (in order of preference)
    values: dict[str, list] = field(default_factory=dict)
    personal_token: str = ""  # an invitation nobody opened yet
    visited_token: str = ""  # an invitation with a response in progress
    resume_token: str = ""  # an open-link response in progress
    open_slug: str = ""
    organisation: Organisation | None = None  # the demo employer's organisation


def _campaign(version, mode: str, slug: str, title: str) -> Campaign:
    campaign = create_campaign(
        version, title=title, year=TODAY.year, wave=0, mode=mode, slug=slug,
        opens_on=TODAY - timedelta(days=10), closes_on=TODAY + timedelta(days=10),
    )  # fmt: skip
    open_campaign(campaign)
    return campaign


def build_site(demo: bool = True, accounts: bool = True) -> Site:
    """Load the demo (seed 3) and add a personal and an open campaign that take answers today,
    an employer campaign that does, invitations with known tokens and a resumable response;
    without the demo, the demo logins are made (unless `accounts` is false: hashing costs)."""
    if demo:
        load_demo(seed=3)
    proef = publish_definition(load_definition_file(PROEF), commit=False).version
    personal = _campaign(proef, "personal", "sec-persoonlijk", "Beveiliging persoonlijk")
    open_ = _campaign(proef, "open", "sec-open", "Beveiliging open")
    scan = _campaign(proef, "employer", "sec-werkgever", "Beveiliging werkgever")
    organisation = db.session.scalar(
        select(Organisation).join(User).where(User.email == DEMO_LOGINS["employer"][0])
    )
    if organisation is None:
        organisation = Organisation(name="Beveiligingstest BV", kind="werkgever")
        db.session.add(organisation)
        db.session.flush()
    fresh, visited = add_invitations(
        personal,
        [
            Invitee(2, "vers@example.org", "Vers", "studenten", organisation.id),
            Invitee(3, "bezocht@example.org", "Bezocht", "docenten", organisation.id),
        ],
    )
    started = response_for_invitation(visited)
    save_answers(started.id, {"status": "studerend"})
    resumed, resume_token = start_open_response(open_, "studenten", "nl")
    save_answers(resumed.id, {"status": "werkend", "uren": "12"})
    db.session.commit()
    if accounts:
        make_demo_accounts(organisation)

    def token(invitation) -> str:
        return urlsplit(personal_link(invitation)).path.rsplit("/", 1)[-1]

    employer = db.session.scalar(select(User.id).where(User.email == DEMO_LOGINS["employer"][0]))
    campaigns = [personal.id, open_.id, scan.id]
    site = Site(
        personal_token=token(fresh),
        visited_token=token(visited),
        resume_token=resume_token,
        open_slug=open_.slug,
        organisation=organisation,
    )
    site.values = {
        "campaign_id": campaigns, "campaign": campaigns,
        "organisation_id": [organisation.id], "org_id": [organisation.id],
        "organisation": [organisation.id], "org": [organisation.id],
        "user_id": [employer or 1], "account_id": [employer or 1],
        "response_id": [started.id, resumed.id],
        "invitation_id": [fresh.id, visited.id],
        "token": [site.personal_token, site.visited_token, site.resume_token],
        "slug": [open_.slug],
        "year": [TODAY.year],
        "kvk": [organisation.kvk_number or "12345678"],
        "kvk_number": [organisation.kvk_number or "12345678"],
        "filename": ["app.css"],
    }  # fmt: skip
    return site


@pytest.fixture
def site(app) -> Site:
    """The demo (about 3 s) plus the campaigns and tokens of `build_site`."""
    return build_site()


@pytest.fixture
def small_site(app) -> Site:
    """The campaigns, tokens and demo logins of `build_site`, without the demo data (fast)."""
    return build_site(demo=False)


@pytest.fixture
def survey_site(app) -> Site:
    """Only the campaigns and tokens of `build_site` (no accounts: fastest)."""
    return build_site(demo=False, accounts=False)


def parameter_values(site: Site, name: str, converter) -> list:
    """Values for URL parameter `name`: known names first, then an existing row id of the table
    the name points to (`sprint_id` -> sprints), then any stored value of a column of that name,
    then a value of the converter's type. Routes added later are thereby filled sensibly."""
    if name in site.values:
        return site.values[name]
    if name.endswith("_id"):
        base = name.removesuffix("_id")
        for table_name in (f"{base}s", f"{base}es", base):
            table = Base.metadata.tables.get(table_name)
            if table is not None and "id" in table.c:
                found = db.session.scalar(select(func.min(table.c.id)))
                if found is not None:
                    return [found]
    for table in Base.metadata.sorted_tables:
        if name in table.c:
            found = db.session.scalar(
                select(table.c[name]).where(table.c[name].is_not(None)).limit(1)
            )
            if found is not None:
                return [found]
    if isinstance(converter, IntegerConverter):
        return [1]
    if isinstance(converter, PathConverter):
        return ["app.css"]
    return [site.visited_token]


def urls_of(site: Site, rule: Rule) -> list[str]:
    """Every URL of `rule` built from the candidate values of its parameters."""
    converters = getattr(rule, "_converters", {})
    names = sorted(rule.arguments)
    choices = [parameter_values(site, name, converters.get(name)) for name in names]
    urls = set()
    for combination in itertools.product(*choices):
        built = rule.build(dict(zip(names, combination, strict=True)), append_unknown=False)
        if built is not None:
            urls.add(built[1])
    return sorted(urls)


def role_for(rule: Rule) -> str:
    """Who may use `rule`: the employer pages need an employer, everything else admin (who
    passes every check of the console)."""
    return "employer" if rule.rule.startswith("/employer") else "admin"
