from surveys.invitees import parse_invitees

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


def test_single_group_campaign_needs_no_group_column():
    invitees, errors = parse_invitees("email\na@x.example\n", groups=["alumni"], organisations={})
    assert errors == [] and invitees[0].respondent_group == "alumni"


def test_empty_and_non_utf8_files_get_a_message():
    assert parse_invitees(b"", groups=GROUPS, organisations={})[1] == ["het bestand is leeg"]
    assert "UTF-8" in parse_invitees(b"\xff\xfe\x00x", groups=GROUPS, organisations={})[1][0]
    assert parse_invitees("email\n\n", groups=["a"], organisations={})[1] == [
        "het bestand bevat geen genodigden"
    ]
