"""Fuzzing the CSV imports: whatever bytes a coordinator uploads, `parse_invitees` and
`parse_organisations_csv` return rows or "regel N: ..." problems and never raise.

Carriage returns (classic Mac line endings, a stray CR in a field) and fields over the csv
module's 128 KiB limit once made `read_csv` raise; the tests at the bottom pin those cases.
"""

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys.invitees import COLUMNS as INVITEE_COLUMNS
from surveys.invitees import Invitee, parse_invitees
from surveys.organisations import CSV_COLUMNS as ORGANISATION_COLUMNS
from surveys.organisations import parse_organisations_csv

FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
GROUPS = ["studenten", "docenten"]
ORGANISATIONS = {"1": 1, "12345678": 1, "geuldal bouw bv": 1}
#: any character a file may hold, carriage returns included
CHARS = st.characters(blacklist_categories=("Cs",))


cells = (
    st.text(CHARS, max_size=30)
    | st.sampled_from(
        ["studenten", "docenten", "a@example.org", "A@Example.ORG", "geuldal bouw bv", "1",
         "12345678", "", " ", "=HYPERLINK(\"x\")", '"', '""', ";", ",", "\n", "zorg en welzijn",
         "Zuid-Limburg", "werkgever", "\ufeff", "é", "𝒳"]
    )
)  # fmt: skip


@st.composite
def csv_documents(draw, columns: list[str]) -> bytes:
    """A CSV with a header of known and unknown columns and ragged rows, in UTF-8 or not."""
    header = draw(st.lists(st.sampled_from(columns) | st.text(CHARS, max_size=10), max_size=6))
    rows = draw(st.lists(st.lists(cells, max_size=len(header) + 2), max_size=8))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"]))
    return text.getvalue().encode(encoding, errors="replace")


def assert_clean_invitees(result) -> None:
    invitees, errors = result
    assert isinstance(invitees, list) and isinstance(errors, list)
    assert all(isinstance(i, Invitee) for i in invitees)
    assert all(isinstance(e, str) and e for e in errors)
    assert not (invitees and errors), "all or nothing: rows only when there are no problems"
    assert invitees or errors
    for invitee in invitees:
        assert invitee.respondent_group in GROUPS
        assert "@" in invitee.email


def assert_clean_organisations(result) -> None:
    rows, errors = result
    assert isinstance(rows, list) and isinstance(errors, list)
    assert all(isinstance(e, str) and e for e in errors)
    assert not (rows and errors)
    assert rows or errors


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes_give_invitees_or_problems(data):
    assert_clean_invitees(parse_invitees(data, groups=GROUPS, organisations=ORGANISATIONS))


@FUZZ
@given(st.text(CHARS, max_size=300))
def test_random_text_gives_invitees_or_problems(text):
    assert_clean_invitees(parse_invitees(text, groups=GROUPS, organisations=ORGANISATIONS))
    assert_clean_invitees(parse_invitees(text, groups=GROUPS[:1], organisations={}))


@FUZZ
@given(csv_documents(sorted(INVITEE_COLUMNS)))
def test_random_invitee_csv_files_give_invitees_or_problems(data):
    assert_clean_invitees(parse_invitees(data, groups=GROUPS, organisations=ORGANISATIONS))


@FUZZ
@given(st.binary(max_size=400) | csv_documents(sorted(ORGANISATION_COLUMNS)))
def test_random_organisation_csv_files_give_rows_or_problems(app, data):
    assert_clean_organisations(parse_organisations_csv(data))


# -- inputs that once made the csv module raise -----------------------------------------------
MAC_LINE_ENDINGS = b"email;name\rvera@example.org;Vera\rwim@example.org;Wim\r"
BARE_CR_IN_A_FIELD = b"email,name\nvera@example.org,Vera\rvan Dijk\n"
HUGE_FIELD = b'email,name\nvera@example.org,"' + b"x" * 200_000 + b'"\n'


@pytest.mark.parametrize("data", [MAC_LINE_ENDINGS, BARE_CR_IN_A_FIELD], ids=["mac", "bare-cr"])
def test_carriage_returns_give_invitees_or_problems(data):
    assert_clean_invitees(parse_invitees(data, groups=GROUPS[:1], organisations={}))


def test_a_field_over_128_kib_gives_a_problem():
    assert_clean_invitees(parse_invitees(HUGE_FIELD, groups=GROUPS[:1], organisations={}))


def test_an_organisation_csv_with_carriage_returns_gives_rows_or_problems(app):
    assert_clean_organisations(parse_organisations_csv(b"name\rEen BV\rTwee BV\r"))
