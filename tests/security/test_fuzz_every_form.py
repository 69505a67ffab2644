"""Every form of the site, found rather than listed, gets hypothesis-made input and never a 500.

The forms are discovered: every GET page of the url_map is visited as the role that may see it
(admin for the console, the employer for /employer, nobody for the respondent pages and the
login), and each ``<form>`` on it is read (its action, method, field names and the values its
selects, radio buttons and hidden fields offer). Every POST route of the url_map is fuzzed, with
the fields its forms post (a POST route no visited page shows a form for still gets random
fields), and so is every GET form (the filters of the console). The values are the offered ones
and the hard ones: long strings, control characters, unicode digits, huge numbers, empty
strings, odd dates, random file contents. The answer is a page, a redirect or a client error;
never a 500 and never a traceback. Report builds are queued (Redis, the test's own queue) and
not run, so a valid year costs nothing.
"""

from __future__ import annotations

import io
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import redis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Rule

from tests.conftest import require
from tests.security.conftest import call, server_error, sign_in, urls_of

REDIS_URL = "redis://127.0.0.1:6379/0"
TODAY = date.today()
#: routes not fuzzed: log-out has no input and would end the fuzzing session
SKIP_ENDPOINTS = frozenset({"auth.logout", "static"})
#: pages not visited for forms: downloads and JSON
SKIP_PAGES = re.compile(r"\.(pdf|zip|json|csv|xlsx|sav)$|/download$|^/static/")

TEXT = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
HARD_VALUES = [
    "", " ", "0", "-1", "1", "9" * 30, "-" + "9" * 30, "1e309", "1e-999999", "nan", "inf",
    "²", "١٢", "٢٠٢٦", "𝟚𝟘𝟚𝟞", "2026.5", "3,5", "0x10",
    "9999-12-31", "0001-01-01", "2026-02-30", "2026-13-01", "0000-00-00", "31-12-2026",
    "a\r\nb", "\t", "\u202e", "\ufeff", "\x1b[31m", "\x7f", "<script>alert(1)</script>",
    "' OR 1=1 --", "x" * 5_000, "é" * 300, "𝒳" * 100,
]  # fmt: skip
hard_values = (
    st.sampled_from(HARD_VALUES)
    | st.text(TEXT, max_size=30)
    | st.integers(-(10**30), 10**30).map(str)
    | st.dates().map(lambda d: d.isoformat())
)
files = st.binary(max_size=400) | st.sampled_from(
    [b"", b"email\n", b"name\nBedrijf\n", b"\xff\xfe\x00", b"PK\x03\x04"]
)


# -- discovering the forms -------------------------------------------------------------------------


@dataclass
class Form:
    """What the pages of the site post to one route."""

    method: str
    role: str
    urls: set[str] = field(default_factory=set)
    #: field name -> the values the pages offer for it
    fields: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    files: set[str] = field(default_factory=set)


class _FormReader(HTMLParser):
    """The forms of one page: (method, action, [(name, type, value)])."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, str, list[tuple[str, str, str]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append((a.get("method", "get").upper(), a.get("action", ""), []))
        elif self.forms and tag in ("input", "select", "textarea", "button") and a.get("name"):
            self.forms[-1][2].append((a["name"], a.get("type", tag), a.get("value", "")))
        elif self.forms and tag == "option" and self.forms[-1][2]:
            name, _kind, _value = self.forms[-1][2][-1]
            self.forms[-1][2].append((name, "option", a.get("value", "")))


def role_of(rule: Rule) -> str:
    """Who uses the route: nobody (respondent pages, login), the employer, or the admin."""
    if rule.rule.startswith(("/s/", "/a/", "/r/", "/login")):
        return "anonymous"
    return "employer" if rule.rule.startswith("/employer") else "admin"


def discover(app, site, clients) -> list[Form]:
    """Every POST route and every GET form of the site, with the fields its pages show."""
    adapter = app.url_map.bind("localhost")
    forms: dict[tuple[str, str], Form] = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIP_ENDPOINTS:
            continue
        if "POST" in rule.methods:
            form = forms.setdefault((rule.endpoint, "POST"), Form("POST", role_of(rule)))
            form.urls.update(urls_of(site, rule))
        if "GET" not in rule.methods:
            continue
        for url in urls_of(site, rule):
            if SKIP_PAGES.search(url):
                continue
            page = call(clients[role_of(rule)], "GET", url)
            if isinstance(page, str) or page.mimetype != "text/html":
                continue
            reader = _FormReader()
            reader.feed(page.get_data(as_text=True))
            for method, action, inputs in reader.forms:
                target = urlsplit(action).path or urlsplit(url).path
                try:
                    endpoint, _args = adapter.match(target, method=method)
                except HTTPException:
                    continue
                if endpoint in SKIP_ENDPOINTS:
                    continue
                form = forms.setdefault((endpoint, method), Form(method, role_of(rule)))
                form.urls.add(target)
                for name, kind, value in inputs:
                    if kind == "file":
                        form.files.add(name)
                    elif name != "csrf_token":
                        form.fields[name].add(value)
    return [form for form in forms.values() if form.urls]


# -- the fuzz --------------------------------------------------------------------------------------


@pytest.fixture
def app_config(tmp_path) -> dict:
    """Report builds go to a queue of the test's own in Redis, where nothing consumes them."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        require(False, f"Redis is not reachable at {REDIS_URL}")
    return {
        "REPORTS_DIR": str(tmp_path / "reports"),
        "REDIS_URL": REDIS_URL,
        "HUEY_NAME": f"monitor-fuzz-{uuid.uuid4().hex[:12]}",
        "HUEY_IMMEDIATE": False,
    }


@pytest.fixture
def targets(app, site):
    clients = {"anonymous": app.test_client()}
    for role in ("admin", "employer"):
        clients[role] = app.test_client()
        sign_in(clients[role], role)
    yield discover(app, site, clients), clients
    queue = redis.Redis.from_url(REDIS_URL)
    for key in queue.scan_iter(match=f"*{app.config['HUEY_NAME']}*"):
        queue.delete(key)
    queue.close()


#: plausible values by field name, for fields whose page offers none: most requests are valid
#: but for one to three fields, so the fuzz reaches the code behind the form's validation
PLAUSIBLE = [
    (re.compile(r"_on$|date"), (TODAY + timedelta(days=7)).isoformat()),
    (re.compile(r"year"), str(TODAY.year)),
    (re.compile(r"email"), "fuzz@example.org"),
    (re.compile(r"title|name|topic|question"), "Gefuzzd"),
    (re.compile(r"wave|seed|number"), "1"),
]
HARD_DATES = ["9999-12-31", "0001-01-01", "2026-02-30", "2101-01-01", "1999-12-31", "", "x"]
HARD_NUMBERS = ["9" * 30, "-" + "9" * 30, "99999999999", "-1", "0", "²", "١٢", "1e309", ""]


def plausible(name: str, offered: set[str]) -> str:
    """A value the field would take: one its page offers, else one its name suggests."""
    filled = sorted(value for value in offered if value)
    if filled:
        return filled[0]
    return next((value for pattern, value in PLAUSIBLE if pattern.search(name)), "")


def hard(name: str, offered: set[str]):
    """Hard values for a field, weighted by what it takes (a date, a number, text)."""
    usual = plausible(name, offered)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", usual):
        special = st.sampled_from(HARD_DATES) | st.dates().map(lambda d: d.isoformat())
    elif usual.isdigit():
        special = st.sampled_from(HARD_NUMBERS) | st.integers(-(10**30), 10**30).map(str)
    else:
        special = st.nothing()
    return special | hard_values | st.sampled_from(sorted(offered) or [""])


def form_data(draw, form: Form, every_name: list[str]) -> dict:
    """Every field of the form with a plausible value, one to three of them (now and then a
    field of another form, or a random name) with hard ones; file fields get random bytes. A
    route whose form no visited page showed (its page was not in the state to show it) gets
    fields of the other forms."""
    names = sorted(form.fields)
    data: dict = {name: [plausible(name, form.fields[name])] for name in names}
    hit = (
        draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True)) if names else []
    )
    others = st.sampled_from(every_name) | st.text(TEXT, min_size=1, max_size=12)
    hit += draw(st.lists(others, max_size=1 if names else 3))
    for name in hit:
        values = hard(name, form.fields.get(name, set()))
        data[name] = draw(st.lists(values, min_size=1, max_size=2))
    for name in sorted(form.files):
        data[name] = (io.BytesIO(draw(files)), draw(st.sampled_from(["a.csv", "a.txt", "a"])))
    return data


def fuzz(targets, examples: int) -> list[str]:
    forms, clients = targets
    every_name = sorted({name for form in forms for name in form.fields})
    problems: list[str] = []

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def one(form: Form, data) -> None:
        url = data.draw(st.sampled_from(sorted(form.urls)))
        payload = form_data(data.draw, form, every_name)
        client = clients[form.role]
        if form.method == "GET":
            response = call(client, "GET", url, query_string=payload)
        else:
            response = call(client, "POST", url, data=payload)
        if error := server_error(response):
            problems.append(f"{form.method} {url} {payload!r:.200}: {error}")

    for form in forms:
        one(form)
    return problems


@pytest.mark.parametrize("examples", [pytest.param(3), pytest.param(25, marks=pytest.mark.slow)])
def test_no_form_of_the_site_gives_a_server_error(targets, examples):
    forms, _clients = targets
    endpoints = {(f.method, url) for f in forms for url in f.urls}
    assert any(url == "/coordinator/campaigns/new" for _m, url in endpoints)  # the walk works
    assert any(method == "GET" and "organisations" in url for method, url in endpoints)

    assert fuzz(targets, examples) == []
