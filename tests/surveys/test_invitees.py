from email_validator import EmailNotValidError, validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from surveys.csvfile import MAX_ROWS
from surveys.invitees import normal_email, parse_invitees

GROUPS = ["studenten", "docenten"]
ORGS = {"1": 1, "12345678": 1, "geuldal bouw bv": 1}


def test_semicolon_csv_from_dutch_excel_is_read_with_bom():
    data = "\ufeffE-mail;Naam;Groep;Organisatie\nA@X.example;An;studenten;12345678\n".encode()
    invitees, errors = parse_invitees(data, groups=GROUPS, organisations=ORGS)
    assert errors == []
    assert [(i.email, i.name, i.respondent_group, i.organisation_id) for i in invitees] == [
        ("a@x.example", "An", "studenten", 1)
    ]


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_returned():
    data = (
        "email,name,respondent_group,organisation\n"
        "ok@x.example,Ok,docenten,\n"
        "not-an-address,B,docenten,\n"
        "c@x.example,C,ouders,\n"
        "d@x.example,D,studenten,Onbekend BV\n"
        "ok@x.example,Dubbel,docenten,\n"
        "e@x.example,E\n"
    )
    invitees, errors = parse_invitees(data, groups=GROUPS, organisations=ORGS)
    assert invitees == []
    assert errors == [
        "regel 3: 'not-an-address' is geen geldig e-mailadres",
        "regel 4: onbekende respondentgroep 'ouders' (kies uit: studenten, docenten)",
        "regel 5: onbekende organisatie 'Onbekend BV'",
        "regel 6: ok@x.example staat ook op regel 2",
        "regel 7: 2 velden, verwacht 4",
    ]


def test_missing_columns_are_named():
    _, errors = parse_invitees("naam,telefoon\nA,06\n", groups=GROUPS, organisations=ORGS)
    assert "regel 1: onbekende kolom 'telefoon'" in errors
    assert "regel 1: de kolom 'email' ontbreekt" in errors


def test_a_long_unknown_column_is_quoted_short():
    """A 5,000-character header cell gave a 5,000-character message: an error page of fifty such
    cells ran to megabytes."""
    _, errors = parse_invitees(
        "email," + "x" * 5000 + "\na@x.example,1\n", groups=["alumni"], organisations={}
    )
    [message] = [e for e in errors if "onbekende kolom" in e]
    assert len(message) < 100 and message.endswith("…'")


def test_single_group_campaign_needs_no_group_column():
    invitees, errors = parse_invitees("email\na@x.example\n", groups=["alumni"], organisations={})
    assert errors == [] and invitees[0].respondent_group == "alumni"


def test_empty_and_non_utf8_files_get_a_message():
    assert parse_invitees(b"", groups=GROUPS, organisations={})[1] == ["het bestand is leeg"]
    assert "UTF-8" in parse_invitees(b"\xff\xfe\x00x", groups=GROUPS, organisations={})[1][0]
    assert parse_invitees("email\n\n", groups=["a"], organisations={})[1] == [
        "het bestand bevat geen genodigden"
    ]


DOMAINS = [
    "x.example", "X.Example", "sub.voorbeeld.nl", "münchen.de", "a..b", "-a.nl", "a", "localhost",
    "x.invalid", "123.456", "x" * 250 + ".nl", "[1.2.3.4]", "xn--mnchen-3ya.de",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(
    st.from_regex(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{0,70}", fullmatch=True),
    st.sampled_from(DOMAINS),
)
def test_the_short_way_for_plain_addresses_gives_what_email_validator_gives(local, domain):
    address = f"{local}@{domain}"
    try:
        expected = validate_email(address, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        expected = None
    assert normal_email(address) == expected


def test_a_file_over_the_line_limit_is_refused_as_a_whole():
    lines = "".join(f"p{i}@x.example\n" for i in range(MAX_ROWS + 1))
    invitees, errors = parse_invitees("email\n" + lines, groups=["a"], organisations={})
    assert invitees == []
    assert errors == [
        f"regel {MAX_ROWS + 2}: het bestand heeft meer dan 100.000 regels; splits het in delen "
        "van hoogstens 100.000 regels"
    ]
