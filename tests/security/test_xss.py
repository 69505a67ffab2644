"""Stored and reflected XSS: user-written text (instrument texts, campaign titles, organisation
names, open answers, CSV-imported names, query parameters) appears in pages only escaped: the raw
payload is absent, its escaped form present, and nothing of it became a tag, an attribute or a
`javascript:` URL. PDFs: tests/security/test_pdf_and_charts.py.
"""

import copy
import csv
import io
import re
from datetime import timedelta
from urllib.parse import quote

import pytest
from markupsafe import escape
from sqlalchemy import select

from monitor.accounts import User
from monitor.demo import DEMO_LOGINS
from surveys.campaigns import create_campaign, open_campaign
from surveys.db import db
from surveys.definition.loader import load_definition_file
from surveys.definition.publish import publish_definition
from surveys.models import Organisation
from tests.security.conftest import (
    PROEF,
    TODAY,
    Site,
    call,
    make_demo_accounts,
    server_error,
    sign_in,
    urls_of,
)

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
FILE_IMG = "<img src=file:///etc/passwd>"
STYLE = "</style><style>body{display:none}</style>"
JS_URL = "javascript:alert(1)"
PAYLOADS = (SCRIPT, IMG, FILE_IMG, STYLE)
#: what a payload that escaped its escaping looks like in a page
ACTIVE = re.compile(
    r"<script>alert|<img[^>]*onerror|<img src=file:|<style>body"
    r"""|(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:""",
    re.IGNORECASE,
)


def assert_only_escaped(page: str, *expected: str, where: str = "") -> None:
    """No payload raw, nothing active, and each of `expected` present in its escaped form."""
    raw = [p for p in PAYLOADS if p in page]
    assert raw == [], f"{where}: raw payload in the page"
    assert ACTIVE.search(page) is None, f"{where}: {ACTIVE.search(page)[0]!r} is live markup"
    missing = [p for p in expected if str(escape(p)) not in page]
    assert missing == [], f"{where}: the payload is not shown (escaped) where expected"


def payload_definition() -> dict:
    """The trial instrument with a payload in every kind of text a coordinator writes."""
    definition = copy.deepcopy(load_definition_file(PROEF))

    def both(text: str) -> dict:
        return {"nl": text, "en": text}

    definition["key"] = "xss"
    definition["title"] = both(f"Proef {SCRIPT}")
    definition["description"] = both(IMG)
    definition["respondent_groups"][0]["label"] = both(FILE_IMG)
    first, second, third = definition["sections"]
    first["title"] = both(STYLE)
    first["intro"] = both(SCRIPT)
    status, uren = first["items"]
    status["text"] = both(IMG)
    status["help"] = both(STYLE)
    status["choices"][0]["label"] = both(SCRIPT)
    status["choices"][1]["label"] = both(FILE_IMG)
    uren["text"] = both(FILE_IMG)
    second["title"] = both(SCRIPT)
    matrix = second["items"][0]
    matrix["text"] = both(IMG)
    matrix["rows"][0]["text"] = both(STYLE)
    third["items"][1]["text"] = both(FILE_IMG)  # the long text
    return definition


@pytest.fixture
def xss(app, client):
    """Payloads stored through the real input paths where there is one (console forms)."""
    organisation = Organisation(name="Tijdelijk", kind="werkgever")
    db.session.add(organisation)
    db.session.commit()
    make_demo_accounts(organisation)
    sign_in(client, "coordinator")
    response = client.post(
        f"/coordinator/organisations/{organisation.id}/edit",
        data={"name": f"Bedrijf {SCRIPT}{IMG}", "kind": "werkgever", "municipality": STYLE},
    )
    assert response.status_code == 302
    version = publish_definition(payload_definition()).version
    campaigns = {}
    for mode in ("open", "personal", "employer"):
        campaigns[mode] = create_campaign(
            version, title=f"Meting {mode} {FILE_IMG}", year=TODAY.year, wave=0, mode=mode,
            opens_on=TODAY - timedelta(days=5), closes_on=TODAY + timedelta(days=5),
        )  # fmt: skip
        open_campaign(campaigns[mode])
    db.session.commit()
    return {"organisation": organisation, "campaigns": campaigns, "client": client}


def _walk_pages(client, pages: list[str], expectations: dict[str, tuple[str, ...]]) -> None:
    for url in pages:
        response = call(client, "GET", url)
        assert server_error(response) is None, f"GET {url}: {server_error(response)}"
        assert response.status_code == 200, f"GET {url}: {response.status_code}"
        assert_only_escaped(response.text, *expectations.get(url, ()), where=f"GET {url}")


def test_instrument_texts_and_open_answers_are_escaped_on_the_respondent_pages(app, xss):
    client = app.test_client()
    slug = xss["campaigns"]["open"].slug
    landing = client.get(f"/a/{slug}")
    assert_only_escaped(landing.text, SCRIPT, IMG, FILE_IMG, where="landing page")

    start = client.post(f"/a/{slug}", data={"group": "studenten"})
    link = start.headers["Location"].split("?")[0]
    first = client.get(f"{link}?p=0&new=1").text
    assert_only_escaped(first, STYLE, SCRIPT, IMG, FILE_IMG, where="first page")

    # a wrong number is shown back in its field, escaped in the attribute
    wrong = client.post(f"{link}?p=0", data={"status": "werkend", "uren": IMG, "nav": "next"})
    assert wrong.status_code == 200
    assert_only_escaped(wrong.text, IMG, where="page with an error")
    assert f'value="{escape(IMG)}"' in wrong.text

    client.post(f"{link}?p=0", data={"status": "werkend", "uren": "20", "nav": "next"})
    second = client.get(f"{link}?p=1").text
    assert_only_escaped(second, SCRIPT, IMG, STYLE, where="matrix page")
    client.post(f"{link}?p=1", data={"tevreden_werk": "4", "nav": "next"})
    answer = f"{SCRIPT} {IMG} {FILE_IMG} {STYLE} {JS_URL}"
    done = client.post(
        f"{link}?p=2",
        data={
            "vaardigheden": ["ai", "anders"],
            "vaardigheden_other": IMG,
            "opmerking": answer,
            "toelichting_ai": STYLE,
            "nav": "submit",
        },
        follow_redirects=True,
    )
    assert done.status_code == 200
    assert_only_escaped(done.text, answer, IMG, STYLE, FILE_IMG, where="answers read back")


def test_stored_payloads_are_escaped_on_every_console_and_employer_page(app, xss):
    organisation, campaigns = xss["organisation"], xss["campaigns"]
    name = f"Bedrijf {SCRIPT}{IMG}"
    title = f"Meting open {FILE_IMG}"
    org = f"/coordinator/organisations/{organisation.id}"
    coordinator_pages = {
        "/coordinator/": (title,),
        f"/coordinator/campaigns/{campaigns['open'].id}": (title, f"Proef {SCRIPT}"),
        f"/coordinator/campaigns/{campaigns['open'].id}/export": (title,),
        "/coordinator/campaigns/new": (f"Proef {SCRIPT}",),
        "/coordinator/organisations": (name,),
        f"/coordinator/organisations?q={quote('Bedrijf')}": (name,),
        org: (name, STYLE),
        f"{org}/edit": (name, STYLE),
    }
    _walk_pages(xss["client"], list(coordinator_pages), coordinator_pages)

    admin = app.test_client()
    sign_in(admin, "admin")
    admin_pages = {
        f"{org}/delete": (name,),
        "/coordinator/accounts": (name,),
        "/coordinator/audit": (),
        org: (name, STYLE),
    }
    _walk_pages(admin, list(admin_pages), admin_pages)

    employer = app.test_client()
    sign_in(employer, "employer")
    scan = f"/employer/scan/{campaigns['employer'].id}"
    employer_pages = {
        "/employer/": (name, f"Meting employer {FILE_IMG}"),
        scan: (STYLE, SCRIPT, IMG, FILE_IMG),
    }
    _walk_pages(employer, list(employer_pages), employer_pages)


def _csv(rows: list[list[str]]) -> io.BytesIO:
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return io.BytesIO(text.getvalue().encode())


def test_csv_imported_organisation_names_and_import_errors_are_escaped(app, xss):
    client = xss["client"]
    good = _csv([["name", "municipality"], [f"Import {SCRIPT}", IMG], [f"Import {STYLE}", ""]])
    response = client.post(
        "/coordinator/organisations/import",
        data={"file": (good, "organisaties.csv")},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert_only_escaped(response.text, f"Import {SCRIPT}", f"Import {STYLE}", where="after import")

    bad = _csv([["name", "sector"], [f"Fout {IMG}", SCRIPT]])
    response = client.post(
        "/coordinator/organisations/import", data={"file": (bad, "organisaties.csv")}
    )
    assert response.status_code == 422
    assert_only_escaped(response.text, SCRIPT, where="import errors")


def test_csv_imported_invitee_names_and_upload_errors_are_escaped(app, xss):
    client = xss["client"]
    personal = xss["campaigns"]["personal"].id
    upload = f"/coordinator/campaigns/{personal}/invitees"
    good = _csv(
        [["email", "name", "respondent_group"], ["een@example.org", f"Naam {SCRIPT}", "studenten"]]
    )
    response = client.post(upload, data={"file": (good, "genodigden.csv")}, follow_redirects=True)
    assert response.status_code == 200
    assert_only_escaped(response.text, where="campaign after upload")

    bad = _csv([["email", "respondent_group"], [IMG, "studenten"], ["twee@example.org", SCRIPT]])
    response = client.post(upload, data={"file": (bad, "genodigden.csv")})
    assert response.status_code == 422
    assert_only_escaped(response.text, IMG, SCRIPT, where="upload errors")


REFLECTED_PARAMETERS = (
    "q", "action", "role", "lang", "next", "p", "page", "new", "sector", "region",
    "size_class", "format", "group", "nav", "x",
)  # fmt: skip


def test_query_parameters_are_never_reflected_raw_on_any_page(app, xss):
    """Every GET route, as admin, employer and anonymous visitor, with every payload in every
    query parameter the views read (and one they do not). `javascript:alert(1)` may be shown as
    text (a search box keeps it) but never as a link or redirect target."""
    site = Site(organisation=xss["organisation"])
    site.values = {
        "campaign_id": [c.id for c in xss["campaigns"].values()],
        "organisation_id": [xss["organisation"].id],
        "slug": [xss["campaigns"]["open"].slug],
        "filename": ["app.css"],
    }
    clients = {"anonymous": app.test_client()}
    for role in ("admin", "employer"):
        clients[role] = app.test_client()
        sign_in(clients[role], role)
    problems = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        for url in urls_of(site, rule):
            for payload in (*PAYLOADS, JS_URL):
                query = "&".join(f"{n}={quote(payload)}" for n in REFLECTED_PARAMETERS)
                for who, client in clients.items():
                    response = call(client, "GET", f"{url}?{query}")
                    if error := server_error(response):
                        problems.append(f"{who} GET {url}: {error}")
                        continue
                    page = response.text + response.headers.get("Location", "")
                    shown_raw = payload in page and payload != JS_URL  # text, not a link
                    if shown_raw or ACTIVE.search(page):
                        problems.append(f"{who} GET {url}?...{payload}: reflected raw")
    assert problems == []


@pytest.mark.parametrize("payload", [*PAYLOADS, JS_URL])
def test_a_payload_in_the_path_of_an_unknown_page_is_not_reflected(client, payload):
    response = client.get(f"/coordinator/{quote(payload, safe='')}")

    assert response.status_code in (302, 404)
    assert payload not in response.text and ACTIVE.search(response.text) is None


def test_a_payload_in_the_host_header_is_escaped(app, xss):
    client = app.test_client()
    start = client.post(f"/a/{xss['campaigns']['open'].slug}", data={"group": "studenten"})
    link = start.headers["Location"]

    response = client.get(link, headers={"Host": 'x"><script>alert(1)</script>'})

    assert server_error(response) is None
    assert SCRIPT not in response.text and ACTIVE.search(response.text) is None


@pytest.mark.parametrize("target", [JS_URL, " javascript:alert(1)", "JaVaScRiPt:alert(1)"])
def test_login_never_redirects_to_a_javascript_url(app, xss, target):
    client = app.test_client()
    email, password = DEMO_LOGINS["coordinator"]

    response = client.post(
        f"/login?next={quote(target)}", data={"email": email, "password": password}
    )

    assert response.status_code == 302
    assert "javascript" not in response.headers["Location"].lower()


def test_payloads_are_stored_as_typed_and_escaped_only_on_output(app, xss):
    """The name typed into the console form is stored unchanged: escaping is the job of the
    output (pages, PDFs), so exports and reports get the real text."""
    db.session.expire_all()
    stored = db.session.get(Organisation, xss["organisation"].id)
    assert stored.name == f"Bedrijf {SCRIPT}{IMG}"
    employer = db.session.scalar(select(User).where(User.email == DEMO_LOGINS["employer"][0]))
    assert employer.organisation_id == stored.id
