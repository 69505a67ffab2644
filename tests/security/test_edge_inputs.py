"""Inputs at the edges that fuzzing keeps out of its random draws, each pinned on its own: bodies
over the 8 MB limit, page numbers beyond any database integer, and NUL characters (which
PostgreSQL refuses in text, so they must be refused before a query is built).
"""

import io

import pytest

from tests.security.conftest import call, server_error, sign_in

HUGE = "9" * 20


def assert_not_a_server_error(response, what: str) -> None:
    assert server_error(response) is None, f"{what}: {server_error(response)}"


def test_a_body_over_eight_megabytes_is_refused_with_413(client, survey_site):
    big = "x" * (9 * 1024 * 1024)
    for url in (f"/s/{survey_site.visited_token}", "/login", f"/a/{survey_site.open_slug}"):
        response = call(client, "POST", url, data={"opmerking": big, "email": big})
        assert_not_a_server_error(response, url)
        assert response.status_code == 413


def test_an_uploaded_file_over_eight_megabytes_is_refused_with_413(client, small_site):
    sign_in(client, "coordinator")
    big = io.BytesIO(b"name\n" + b"Bedrijf\n" * (1024 * 1024 + 10))

    response = call(
        client,
        "POST",
        "/coordinator/organisations/import",
        data={"file": (big, "groot.csv")},
    )

    assert_not_a_server_error(response, "import")
    assert response.status_code == 413


@pytest.mark.parametrize("kind", ["organisations", "invitees"])
def test_uploading_a_csv_with_mac_line_endings_is_not_a_server_error(client, small_site, kind):
    sign_in(client, "coordinator")
    if kind == "organisations":
        url, data = "/coordinator/organisations/import", b"name\rEen BV\rTwee BV\r"
    else:
        url = f"/coordinator/campaigns/{small_site.values['campaign_id'][0]}/invitees"
        data = b"email,respondent_group\reen@example.org,studenten\r"

    response = call(client, "POST", url, data={"file": (io.BytesIO(data), "lijst.csv")})

    assert_not_a_server_error(response, url)


@pytest.mark.parametrize(
    "url", ["/coordinator/organisations", "/coordinator/audit", "/coordinator/accounts"]
)
def test_a_page_number_beyond_any_integer_is_not_a_server_error(client, small_site, url):
    sign_in(client, "admin")

    response = call(client, "GET", f"{url}?page={HUGE}")

    assert_not_a_server_error(response, url)


def test_a_page_number_beyond_any_integer_on_a_questionnaire_is_harmless(client, survey_site):
    response = call(client, "GET", f"/s/{survey_site.visited_token}?p={HUGE}")

    assert_not_a_server_error(response, "p")
    assert response.status_code in (200, 302)


def nul_case(id: str, where: str):
    return pytest.param(id, id=id)


@pytest.mark.parametrize(
    "case",
    [
        nul_case("login", "the e-mail address of POST /login (anonymous)"),
        nul_case("open-link", "the slug of /a/<slug> (anonymous)"),
        nul_case("answer", "an open answer on a respondent page (anonymous)"),
        nul_case("search", "the search of /coordinator/organisations"),
        nul_case("organisation", "the organisation form"),
        nul_case("organisation-import", "an imported organisation name"),
        nul_case("invitee-import", "an imported invitee name"),
        nul_case("audit-filter", "the action filter of /coordinator/audit"),
    ],
)
def test_a_nul_character_is_never_a_server_error(app, client, small_site, case):
    personal = small_site.values["campaign_id"][0]
    if case == "login":
        request = ("POST", "/login", {"email": "a\x00@example.org", "password": "x"})
    elif case == "open-link":
        request = ("GET", "/a/sec%00open", None)
    elif case == "answer":
        token = small_site.resume_token
        client.post(f"/r/{token}?p=0", data={"status": "werkend", "uren": "20", "nav": "next"})
        client.post(f"/r/{token}?p=1", data={"tevreden_werk": "3", "nav": "next"})
        request = ("POST", f"/r/{token}?p=2", {"opmerking": "a\x00b", "nav": "back"})
    else:
        sign_in(client, "admin")
        request = {
            "search": ("GET", "/coordinator/organisations?q=a%00b", None),
            "organisation": (
                "POST", "/coordinator/organisations/new", {"name": "Nul\x00 BV", "kind": "overig"}
            ),
            "organisation-import": (
                "POST", "/coordinator/organisations/import",
                {"file": (io.BytesIO(b"name\nNul\x00 BV\n"), "o.csv")},
            ),
            "invitee-import": (
                "POST", f"/coordinator/campaigns/{personal}/invitees",
                {"file": (io.BytesIO(b"email,name,respondent_group\n"
                                     b"nul@example.org,Nu\x00l,studenten\n"), "g.csv")},
            ),
            "audit-filter": ("GET", "/coordinator/audit?action=a%00b", None),
        }[case]  # fmt: skip
    method, url, data = request

    response = call(client, method, url, data=data)

    assert_not_a_server_error(response, f"{method} {url}")
