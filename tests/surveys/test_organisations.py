from datetime import date

import pytest
from sqlalchemy import func, select

from monitor.accounts import User, create_user
from surveys.campaigns import add_invitations, create_campaign, open_campaign
from surveys.db import Base, db
from surveys.invitees import Invitee
from surveys.mail import queue_mail
from surveys.models import Answer, Campaign, Invitation, Organisation, OutboxMail, Response
from surveys.organisations import (
    OrganisationError,
    create_organisation,
    delete_organisation,
    import_organisations,
    organisation_footprint,
    parse_organisations_csv,
    search_organisations,
    update_organisation,
)
from surveys.responses import response_for_employer, response_for_invitation, save_answers


def fill_organisation(organisation: Organisation, campaign: Campaign, tag: str) -> dict:
    """Give `organisation` what a real one has: two invitees (one answered), the mails sent to
    them, an employer account and an employer scan with answers. Returns the made objects."""
    invitations = add_invitations(
        campaign,
        [
            Invitee(
                2, f"contact-{tag}@example.org", f"Contact {tag}", "studenten", organisation.id
            ),
            Invitee(3, f"tweede-{tag}@example.org", None, "docenten", organisation.id),
        ],
    )
    for invitation in invitations:
        queue_mail(invitation.email, "Uitnodiging", f"Beste {invitation.name}", campaign.id)
    answered = response_for_invitation(invitations[0])
    save_answers(answered.id, {"tevredenheid": "4", "toelichting": f"antwoord van {tag}"})
    scan = response_for_employer(campaign, organisation, "studenten")
    save_answers(scan.id, {"tevredenheid": "3"})
    account = create_user(f"hr@{tag}.example", "employer", "a long password", organisation.id)
    db.session.commit()
    return {"invitations": invitations, "responses": [answered, scan], "account": account}


@pytest.fixture
def campaign(version):
    campaign = create_campaign(
        version, title="Meting", year=2025, wave=0, opens_on=date(2025, 3, 1),
        closes_on=date(2025, 4, 1), mode="personal",
    )  # fmt: skip
    open_campaign(campaign)
    db.session.commit()
    return campaign


def _org(name: str, **values) -> Organisation:
    return create_organisation({"name": name, **values})


def _names(query) -> list[str]:
    return [o.name for o in db.session.scalars(query)]


def test_search_matches_name_kvk_and_municipality_and_combines_filters(app):
    _org("Maasdal Logistiek BV", kvk_number="11112222", municipality="Venlo", sector="logistiek")
    _org("Venlose Zorg", kvk_number="33334444", municipality="Venlo", sector="zorg en welzijn")
    _org("Geuldal Bouw", kvk_number="55556666", municipality="Valkenburg aan de Geul")
    assert _names(search_organisations("venlo")) == ["Maasdal Logistiek BV", "Venlose Zorg"]
    assert _names(search_organisations("3333 44")) == ["Venlose Zorg"]
    assert _names(search_organisations("geul")) == ["Geuldal Bouw"]
    assert _names(search_organisations("venlo", sector="logistiek")) == ["Maasdal Logistiek BV"]
    assert _names(search_organisations(region="Zuid-Limburg")) == []
    assert _names(search_organisations("%")) == []  # a wildcard is searched for literally


def test_values_are_normalised_before_they_are_stored(app):
    org = _org(
        "  Geuldal   Bouw ", kind="", sector="ict", region="zuid-limburg", kvk_number="1234 5678"
    )
    assert (org.name, org.kind, org.sector, org.region, org.kvk_number) == (
        "Geuldal Bouw", "werkgever", "ICT", "Zuid-Limburg", "12345678",
    )  # fmt: skip
    assert org.size_class is None and org.municipality is None


def test_every_problem_is_reported_per_field_in_dutch(app):
    _org("Bestaand BV", kvk_number="12345678")
    with pytest.raises(OrganisationError) as error:
        _org("", sector="bakkerij", size_class="enorm", kvk_number="1234")
    assert set(error.value.problems) == {"name", "sector", "size_class", "kvk_number"}
    assert error.value.problems["kvk_number"] == "Een KvK-nummer bestaat uit precies acht cijfers."
    with pytest.raises(OrganisationError) as error:
        _org("bestaand bv", kvk_number="12345678")
    assert error.value.problems == {
        "name": "Er is al een organisatie met deze naam (nummer 1).",
        "kvk_number": "Dit KvK-nummer hoort al bij organisatie 1.",
    }


def test_update_keeps_its_own_kvk_and_refuses_another_organisations(app):
    first = _org("Eerste BV", kvk_number="12345678")
    second = _org("Tweede BV", kvk_number="87654321")
    values = {"name": "Eerste BV", "kvk_number": "12345678", "municipality": "Venlo"}
    assert update_organisation(first, values) == ["municipality"]
    with pytest.raises(OrganisationError, match="organisatie 1"):
        update_organisation(second, {"name": "Tweede BV", "kvk_number": "12345678"})


def test_a_clean_csv_imports_with_dutch_columns_semicolons_and_bom(app):
    data = (
        "\ufeffNaam;Soort;Sector;Grootte;Regio;Gemeente;KvK\n"
        "Maasdal Logistiek BV;werkgever;logistiek;10-49;Noord-Limburg;Venlo;11112222\n"
        "VISTA college;onderwijs;onderwijs;250+;Zuid-Limburg;Sittard-Geleen;\n"
    ).encode()
    rows, errors = parse_organisations_csv(data)
    assert errors == []
    added = import_organisations(rows)
    assert [(o.name, o.kind, o.size_class, o.kvk_number) for o in added] == [
        ("Maasdal Logistiek BV", "werkgever", "10-49", "11112222"),
        ("VISTA college", "onderwijs", "250+", None),
    ]


def test_every_bad_csv_line_is_reported_by_number_and_nothing_is_returned(app):
    _org("Bestaand BV", kvk_number="99999999")
    data = (
        "name,kind,sector,size_class,region,municipality,kvk\n"
        "Goed BV,werkgever,bouw,1-9,Zuid-Limburg,Heerlen,11111111\n"
        ",werkgever,bouw,1-9,Zuid-Limburg,Heerlen,\n"
        "Kort KvK,werkgever,bouw,1-9,Zuid-Limburg,Heerlen,1234\n"
        "Rare Sector,werkgever,bakkerij,1-9,Oost-Limburg,Heerlen,\n"
        "Tweede Goed,werkgever,bouw,1-9,Zuid-Limburg,Heerlen,11111111\n"
        "bestaand bv,werkgever,bouw,1-9,Zuid-Limburg,Heerlen,99999999\n"
        "Te kort,werkgever\n"
        "\n"
        "goed bv,werkgever,bouw,1-9,Zuid-Limburg,Heerlen,\n"
    )
    rows, errors = parse_organisations_csv(data)
    assert rows == []
    assert errors == [
        "regel 3: naam: Vul de naam van de organisatie in.",
        "regel 4: KvK-nummer: Een KvK-nummer bestaat uit precies acht cijfers.",
        "regel 5: sector: Onbekende sector 'bakkerij'; kies uit: " + ", ".join(
            ["zorg en welzijn", "industrie en chemie", "techniek en metaal", "bouw", "ICT",
             "logistiek", "detailhandel", "landbouw", "zakelijke dienstverlening", "onderwijs",
             "overheid"]
        ) + ".",
        "regel 5: regio: Onbekende regio 'Oost-Limburg'; kies uit: Noord-Limburg, "
        "Midden-Limburg, Zuid-Limburg.",
        "regel 6: KvK-nummer: Dit KvK-nummer staat ook op regel 2.",
        "regel 7: naam: Er is al een organisatie met deze naam (nummer 1).",
        "regel 7: KvK-nummer: Dit KvK-nummer hoort al bij organisatie 1.",
        "regel 8: 2 velden, verwacht 7",
        "regel 10: naam: Deze naam staat ook op regel 2.",
    ]  # fmt: skip
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 1


def test_csv_header_problems_and_empty_files_are_named(app):
    unknown = parse_organisations_csv("naam,telefoon\nA,06\n")[1]
    assert unknown == ["regel 1: onbekende kolom 'telefoon'"]
    missing = parse_organisations_csv("gemeente\nVenlo\n")[1]
    assert missing == ["regel 1: de kolom 'name' ontbreekt"]
    assert parse_organisations_csv(b"")[1] == ["het bestand is leeg"]
    assert parse_organisations_csv("naam\n\n")[1] == ["het bestand bevat geen organisaties"]
    assert "UTF-8" in parse_organisations_csv(b"naam\n\xff\xfe")[1][0]


def _rows_pointing_to(organisation_id: int) -> dict[str, int]:
    """Rows of every table with a foreign key to organisations that point to this one."""
    found = {}
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == "organisations":
                n = db.session.scalar(
                    select(func.count()).select_from(table).where(fk.parent == organisation_id)
                )
                if n:
                    found[table.name] = n
    return found


def test_deleting_an_organisation_leaves_nothing_of_it_and_spares_the_others(campaign):
    doomed = _org("Weg BV", kvk_number="11111111")
    kept = _org("Blijft BV", kvk_number="22222222")
    made = fill_organisation(doomed, campaign, "weg")
    fill_organisation(kept, campaign, "blijft")
    response_ids = [r.id for r in made["responses"]]
    doomed_id = doomed.id
    expected = {"responses": 2, "answers": 3, "invitations": 2, "users": 1, "outbox_mails": 2}
    footprint = organisation_footprint(doomed_id)
    assert {k: footprint[k] for k in expected} == expected
    counts = delete_organisation(doomed_id)
    db.session.commit()
    assert counts == footprint
    assert db.session.get(Organisation, doomed_id) is None
    assert _rows_pointing_to(doomed_id) == {}
    answers_left = select(func.count()).where(Answer.response_id.in_(response_ids))
    assert db.session.scalar(answers_left) == 0
    assert db.session.scalar(select(User.id).where(User.email == "hr@weg.example")) is None
    left_mail = set(db.session.scalars(select(OutboxMail.recipient)))
    assert left_mail == {"contact-blijft@example.org", "tweede-blijft@example.org"}
    assert _rows_pointing_to(kept.id) == {"invitations": 2, "responses": 2, "users": 1}
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 3


def test_deleting_an_unknown_organisation_is_a_lookup_error(app):
    with pytest.raises(LookupError):
        delete_organisation(404)


def test_invitation_of_another_organisation_is_never_touched_by_a_deletion(campaign):
    doomed = _org("Weg BV")
    other = _org("Ander BV")
    fill_organisation(other, campaign, "ander")
    before = db.session.scalar(select(func.count()).select_from(Invitation))
    delete_organisation(doomed.id)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == before
    assert db.session.scalar(select(func.count()).select_from(Response)) == 2
