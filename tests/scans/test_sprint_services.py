"""The sprint use cases of scans.sprint_services and scans.sprint_evaluation, called as the
console and the command line call them: by id and plain values, refusals as SprintError with the
Dutch message under the input it concerns, nothing committed."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from scans.models import Attendance, SprintMember, SprintStatus, SprintTheme
from scans.operations import SprintError, save_proposal
from scans.sprint_evaluation import check_can_evaluate, evaluation_campaign, send_evaluation
from scans.sprint_services import (
    add_dagdeel,
    add_theme,
    find_sprint,
    finish,
    fix,
    hr_domains,
    move_members,
    propose,
    take_attendance,
)
from surveys.db import MAX_DB_INT, db
from surveys.definition import load_definition_file, shipped_instrument_files
from surveys.definition.publish import publish_definition
from surveys.models import Invitation, Organisation
from tests.scans.test_operations import proposal

TODAY = date(2025, 10, 1)


def publish(key: str) -> None:
    [path] = [p for p in shipped_instrument_files() if p.stem == key]
    publish_definition(load_definition_file(path))


@pytest.fixture
def organisations(app) -> list[int]:
    orgs = [Organisation(name=f"Bedrijf {n}", sector="bouw") for n in range(10)]
    db.session.add_all(orgs)
    db.session.commit()
    return [org.id for org in orgs]


def refusal(call, *args, **kwargs) -> dict:
    """The messages of the SprintError the call raises, by input."""
    with pytest.raises(SprintError) as raised:
        call(*args, **kwargs)
    db.session.rollback()
    return raised.value.errors


def test_a_theme_is_a_domain_of_the_hr_scan_or_ones_own(app):
    assert refusal(add_theme, domain="behouden") == {"domain": "Kies een domein uit de lijst."}
    publish("hr_scan")
    domains = hr_domains()
    theme = add_theme(domain="behouden")
    assert (theme.key, theme.title) == ("behouden", domains["behouden"])
    db.session.commit()
    assert refusal(add_theme, domain="behouden") == {"domain": "Dit domein is al een thema."}
    assert refusal(add_theme) == {
        "key": "Kies een domein, of geef een eigen thema een sleutel.",
        "title": "Geef een eigen thema een titel.",
    }
    other = next(key for key in domains if key != "behouden")
    assert refusal(add_theme, key=other, title="X") == {
        "key": "Dit is de sleutel van een HR-scan-domein: kies het domein hierboven."
    }
    own = add_theme(key=" intervisie ", title=" Eigen vragen ")
    assert (own.key, own.title) == ("intervisie", "Eigen vragen")
    assert refusal(add_theme, key="intervisie", title="Y") == {
        "key": "Er is al een thema met deze sleutel."
    }
    # the service never commits: the refusal's rollback took the unsaved theme along
    assert db.session.scalars(select(SprintTheme.key)).all() == ["behouden"]


def test_a_proposal_needs_the_hr_scan_known_themes_and_scans_of_the_year(app):
    assert refusal(propose, 2025, themes=[], seed=0, k=5) == {
        "year": "De HR-scan is nog niet gepubliceerd."
    }
    publish("hr_scan")
    db.session.commit()
    assert refusal(propose, 2025, themes=["vitaliteit"], seed=0, k=5) == {
        "themes": "Onbekend thema: vitaliteit. Kies uit de thema's hieronder, of voeg het eerst "
        "toe bij Thema's."
    }
    assert refusal(propose, 2019, themes=[], seed=0, k=5) == {
        "year": "Er zijn geen ingevulde HR-scans uit 2019."
    }


def test_moves_are_all_or_none_and_refusals_name_the_member(organisations):
    first, second = save_proposal(proposal([organisations[:5], organisations[5:9]]))
    db.session.commit()
    a, b = first.members[0].id, first.members[1].id
    assert refusal(move_members, first.id, {a: second.id, b: 999_999}) == {
        b: "Kies een groep uit de lijst."
    }
    assert refusal(move_members, first.id, {a: first.id}) == {
        a: "Het bedrijf zit al in deze sprint."
    }
    stranger = second.members[0].id
    assert refusal(move_members, first.id, {stranger: second.id}) == {
        stranger: "Dit bedrijf zit niet in deze sprint."
    }
    assert refusal(move_members, MAX_DB_INT + 1, {a: second.id}) == {
        "sprint_id": "Deze sprint bestaat niet."
    }
    assert find_sprint(MAX_DB_INT + 1) is None
    db.session.expire_all()
    assert {m.sprint_id for m in db.session.scalars(select(SprintMember))} == {first.id, second.id}
    assert len(find_sprint(first.id).members) == 5
    moved = move_members(first.id, {a: second.id})
    assert [m.id for m in moved] == [a] and moved[0].sprint_id == second.id


def test_dagdelen_attendance_and_finishing_by_id(organisations):
    (sprint,) = save_proposal(proposal([organisations[:4]]))
    db.session.commit()
    held_on = TODAY - timedelta(days=7)
    assert refusal(add_dagdeel, sprint.id, number=1, held_on=held_on, topic="Start") == {
        None: "Dagdelen worden vastgelegd voor een vastgestelde sprint."
    }
    assert refusal(take_attendance, sprint.id, set(), today=TODAY) == {
        None: "Stel de groep eerst vast en leg de dagdelen vast."
    }
    fix(sprint.id)
    later = add_dagdeel(sprint.id, number=2, held_on=TODAY + timedelta(days=7), topic="Later")
    db.session.commit()
    assert refusal(take_attendance, sprint.id, set(), today=TODAY) == {
        "present": "Er is nog geen dagdeel gehouden om aanwezigheid bij te noteren."
    }
    held = add_dagdeel(sprint.id, number=1, held_on=held_on, topic=" Start ")
    db.session.commit()
    assert refusal(add_dagdeel, sprint.id, number=1, held_on=held_on, topic="X") == {
        "number": "Dagdeel 1 is al vastgelegd."
    }
    ticked = {
        (held.id, organisations[0]),
        (held.id, organisations[1]),
        (later.id, organisations[2]),
    }
    recorded = take_attendance(sprint.id, ticked, today=TODAY)
    assert (recorded.sessions, recorded.present) == (1, 2)
    rows = db.session.execute(
        select(Attendance.session_id, Attendance.organisation_id, Attendance.present)
    ).all()
    assert sorted(rows) == sorted(
        (held.id, org, org in organisations[:2]) for org in organisations[:4]
    )  # absent where not ticked; the session still to come is left alone
    assert finish(sprint.id).status == SprintStatus.DONE


def test_the_evaluation_invites_accounts_and_typed_contacts_once(organisations):
    (sprint,) = save_proposal(proposal([organisations[:4]]))
    fix(sprint.id)
    add_dagdeel(sprint.id, number=1, held_on=TODAY, topic="Start")
    db.session.commit()
    assert refusal(check_can_evaluate, sprint.id) == {
        None: "Rond de sprint eerst af: de evaluatie volgt op het laatste dagdeel."
    }
    finish(sprint.id)
    db.session.commit()
    assert refusal(check_can_evaluate, sprint.id) == {
        None: "De vragenlijst voor de sprintevaluatie is nog niet gepubliceerd."
    }
    publish("sprint_evaluatie")
    db.session.commit()
    one, two, three, four = organisations[:4]
    accounts = {one: ["hr@een.example", "baas@een.example"]}
    dates = {"closes_on": TODAY + timedelta(days=21), "today": TODAY}
    send = {"accounts": accounts, **dates}
    assert refusal(
        send_evaluation, sprint.id, contacts={two: "geen adres", three: "x@"}, **send
    ) == {
        two: "Vul een geldig e-mailadres in, zoals naam@bedrijf.nl.",
        three: "Vul een geldig e-mailadres in, zoals naam@bedrijf.nl.",
    }
    assert refusal(send_evaluation, sprint.id, accounts={}, contacts={}, **dates) == {
        "invitees": "Er is niemand om uit te nodigen: vul bij de bedrijven zonder "
        "werkgeversaccount een e-mailadres in."
    }
    sent = send_evaluation(sprint.id, contacts={two: " Contact@Twee.example ", four: ""}, **send)
    assert (sent.invited, sent.sent, sent.companies, sent.left) == (3, 3, 2, 2)
    assert sent.campaign.slug == f"sprint-{sprint.id}-evaluatie"
    assert evaluation_campaign(sprint.id) is sent.campaign
    invitations = db.session.scalars(select(Invitation.email)).all()
    assert sorted(invitations) == ["baas@een.example", "contact@twee.example", "hr@een.example"]
    assert refusal(send_evaluation, sprint.id, contacts={}, **send) == {
        None: "De evaluatie van deze sprint is al verstuurd."
    }
