"""Fuzzing every form with hypothesis: random field names and values (unicode, huge strings,
repeated fields, numbers out of range, dates that do not exist, random bytes as CSV files) posted
to the respondent pages and, as a coordinator or admin, to the console forms. The answer is a
page, a redirect or a client error; never a 500 and never a traceback in the body.

NUL characters and the carriage returns of the CSV finding are kept out of the random input;
they are pinned by explicit tests (test_edge_inputs.py, test_fuzz_csv.py).
"""

import io
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from surveys.db import db
from surveys.models import Campaign
from tests.security.conftest import call, server_error, sign_in

FUZZ = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

TEXT = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
#: the item keys of tests/data/instruments/proef.yaml and the other fields the pages read
PROEF_FIELDS = [
    "status", "uren", "tevreden_werk", "tevreden_regio", "stellingen", "sector", "vaardigheden",
    "vaardigheden_other", "opmerking", "toelichting_ai", "nav", "group", "csrf_token", "lang",
]  # fmt: skip
SPECIAL_VALUES = [
    "werkend", "studerend", "ai", "data", "anders", "zorg", "ict", "1", "5", "6", "0", "-1",
    "24", "60", "61", "3,5", "1e309", "nan", "inf", "-0", "0x10", "١٢", "²", "weet_niet", "nvt",
    "next", "back", "submit", "studenten", "docenten", "", " ", "\t", "\n", "ja", "nee",
    "[]", "{}", '["ai"]', "null", "None", "' OR 1=1 --", "<script>alert(1)</script>",
    "\u202e", "\ufeff", "𝒳" * 10,
]  # fmt: skip
field_names = st.sampled_from(PROEF_FIELDS) | st.text(TEXT, max_size=20)
field_values = (
    st.sampled_from(SPECIAL_VALUES)
    | st.text(TEXT, max_size=40)
    | st.integers(-(10**30), 10**30).map(str)
    | st.sampled_from(["x" * 100_000, "é" * 60_000, "ab\n" * 20_000])
)
forms = st.lists(st.tuples(field_names, field_values), max_size=10).map(MultiDict)
queries = st.one_of(
    st.just(""),
    st.integers(-3, 12).map(lambda p: f"?p={p}"),
    st.text(TEXT, max_size=8).map(lambda p: f"?p={p}"),
    st.sampled_from(["?lang=en", "?lang=xx", "?p=1&lang=en", "?new=1", "?p=0&p=2"]),
)


def check(response, where: str) -> None:
    assert server_error(response) is None, f"{where}: {server_error(response)}"
    assert response.status_code < 500


@pytest.fixture
def respondent_targets(app, small_site) -> dict:
    employer = app.test_client()
    sign_in(employer, "employer")
    return {
        "personal": (app.test_client(), f"/s/{small_site.visited_token}"),
        "fresh": (app.test_client(), f"/s/{small_site.personal_token}"),
        "resume": (app.test_client(), f"/r/{small_site.resume_token}"),
        "open": (app.test_client(), f"/a/{small_site.open_slug}"),
        "opt-out": (app.test_client(), f"/s/{small_site.visited_token}/afmelden"),
        "employer": (employer, f"/employer/scan/{small_site.values['campaign_id'][2]}"),
    }


@FUZZ
@given(st.data())
def test_respondent_pages_survive_any_form(respondent_targets, data):
    name = data.draw(st.sampled_from(sorted(respondent_targets)))
    client, url = respondent_targets[name]
    query = data.draw(queries)
    form = data.draw(forms)

    response = call(client, "POST", url + query, data=form)

    check(response, f"POST {url}{query} {list(form.items(multi=True))[:5]!r}")
    if response.status_code in (302, 303):
        check(call(client, "GET", response.headers["Location"]), "the page redirected to")


# -- the console -----------------------------------------------------------------------------------

dates = st.one_of(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 1, 1)).map(date.isoformat),
    st.sampled_from(["2026-02-30", "2026-13-01", "0000-00-00", "9999-12-31", "31-12-2026", ""]),
    st.text(TEXT, max_size=12),
)
numbers = st.one_of(
    st.integers(-(10**25), 10**25).map(str),
    st.sampled_from(["2026", "0", "-1", "1e3", "", "2026.5", "٢٠٢٦"]),
    st.text(TEXT, max_size=6),
)
short_text = st.text(TEXT, max_size=60) | st.sampled_from(SPECIAL_VALUES) | st.just("x" * 5_000)


def campaign_forms(version_id: int):
    return st.fixed_dictionaries(
        {},
        optional={
            "version": st.sampled_from([str(version_id), "0", "-1", "x", "9" * 30]) | numbers,
            "title": short_text,
            "year": numbers,
            "wave": numbers,
            "opens_on": dates,
            "closes_on": dates,
            "mode": st.sampled_from(["personal", "open", "employer", "", "admin"]) | short_text,
            "groups": st.sampled_from(["studenten", "studenten, docenten", ",,,", "onbekend"])
            | short_text,
            "slug": st.sampled_from(["sec-open", "nieuw-2026", "A", "a" * 81, "abc\n"])
            | short_text,
        },
    )


organisation_forms = st.fixed_dictionaries(
    {},
    optional={
        "name": short_text,
        "kind": st.sampled_from(["werkgever", "onderwijs", "", "x"]) | short_text,
        "sector": st.sampled_from(["zorg en welzijn", "ZORG EN WELZIJN", ""]) | short_text,
        "size_class": st.sampled_from(["1-9", "10-49", ""]) | short_text,
        "region": st.sampled_from(["Zuid-Limburg", ""]) | short_text,
        "municipality": short_text,
        "kvk_number": st.sampled_from(["12345678", "1234 5678", "1234.5678", "1" * 9, ""])
        | short_text,
    },
)
#: random bytes, without the carriage returns of the known csv.Error finding
files = st.binary(max_size=600).map(lambda b: b.replace(b"\r", b"\n")) | st.sampled_from(
    [b"", b"email\n", b"name\n" + "é".encode() * 10, b"\xff\xfe\x00", b"PK\x03\x04"]
)
file_names = st.sampled_from(["lijst.csv", "lijst.txt", "lijst.xlsx", "lijst", ".csv", "a.CSV"])


@pytest.fixture
def console(app, small_site) -> dict:
    coordinator, admin = app.test_client(), app.test_client()
    sign_in(coordinator, "coordinator")
    sign_in(admin, "admin")
    campaign = db.session.get(Campaign, small_site.values["campaign_id"][0])
    return {
        "coordinator": coordinator,
        "admin": admin,
        "campaigns": small_site.values["campaign_id"],
        "organisation": small_site.organisation.id,
        "version": campaign.instrument_version_id,
    }


@FUZZ
@given(st.data())
def test_console_forms_survive_any_input(console, data):
    kind = data.draw(
        st.sampled_from(
            ["campaign", "organisation-new", "organisation-edit", "organisation-import",
             "invitees", "account", "export", "delete", "search"]
        )
    )  # fmt: skip
    coordinator, admin = console["coordinator"], console["admin"]
    organisation = console["organisation"]
    campaign = data.draw(st.sampled_from(console["campaigns"]))
    if kind == "campaign":
        client, method, url = coordinator, "POST", "/coordinator/campaigns/new"
        payload = data.draw(campaign_forms(console["version"]))
    elif kind == "organisation-new":
        client, method, url = coordinator, "POST", "/coordinator/organisations/new"
        payload = data.draw(organisation_forms)
    elif kind == "organisation-edit":
        client, method = coordinator, "POST"
        url = f"/coordinator/organisations/{organisation}/edit"
        payload = data.draw(organisation_forms)
    elif kind in ("organisation-import", "invitees"):
        client, method = coordinator, "POST"
        url = (
            "/coordinator/organisations/import"
            if kind == "organisation-import"
            else f"/coordinator/campaigns/{campaign}/invitees"
        )
        payload = {"file": (io.BytesIO(data.draw(files)), data.draw(file_names))}
    elif kind == "account":
        client, method = admin, "POST"
        url = f"/coordinator/organisations/{organisation}/accounts"
        payload = {"email": data.draw(short_text), "password": data.draw(short_text)}
    elif kind == "export":
        client, method = admin, "POST"
        url = f"/coordinator/campaigns/{campaign}/export"
        payload = {
            "format": data.draw(st.sampled_from(["csv", "xlsx", "sav", "", "pdf"]) | short_text),
            "with_contacts": data.draw(st.sampled_from(["y", "", "0", "on"]) | short_text),
        }
    elif kind == "delete":
        client, method = admin, "POST"
        url = f"/coordinator/organisations/{organisation}/delete"
        payload = {"confirm_name": data.draw(short_text)}
    else:
        client, method = coordinator, "GET"
        page = data.draw(st.integers(-5, 10**6).map(str) | st.text(TEXT, max_size=5))
        url = data.draw(st.sampled_from(["/coordinator/organisations", "/coordinator/audit",
                                         "/coordinator/accounts"]))  # fmt: skip
        if url != "/coordinator/organisations":
            client = admin
        payload = None
        query = {
            "q": data.draw(short_text), "sector": data.draw(short_text),
            "region": data.draw(short_text), "size_class": data.draw(short_text),
            "action": data.draw(short_text), "role": data.draw(short_text), "page": page,
        }  # fmt: skip
        response = call(client, "GET", url, query_string=query)
        check(response, f"GET {url} {query!r}")
        return

    response = call(client, method, url, data=payload)

    check(response, f"{method} {url} {payload!r:.300}")


def test_the_fuzzed_campaign_form_can_succeed(console):
    """Guards the fuzzer: a plausible campaign form is accepted, so random ones reach the code
    behind validation too."""
    today = date.today()
    response = console["coordinator"].post(
        "/coordinator/campaigns/new",
        data={
            "version": str(console["version"]), "title": "Gefuzzde meting", "year": "2026",
            "wave": "1", "opens_on": today.isoformat(),
            "closes_on": (today + timedelta(days=3)).isoformat(), "mode": "open",
        },
    )  # fmt: skip
    assert response.status_code == 302
