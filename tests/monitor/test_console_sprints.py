"""The sprint pages of the coordinator console, through the test client on the demo data:
themes, a proposal, saving it, moving a company, fixing a group, its sessions and attendance,
finishing it and sending the evaluation; errors next to their fields; employers refused."""

import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from monitor.accounts import create_user
from monitor.audit import AuditEvent
from monitor.demo import load_demo
from scans.models import Attendance, Sprint, SprintMember, SprintStatus, SprintTheme
from scans.sprints import propose_groups
from surveys.campaigns import personal_link
from surveys.db import db
from surveys.frame import answer_frame
from surveys.models import Campaign, Instrument, Invitation, Organisation, OutboxMail
from surveys.responses import response_for_invitation, save_answers, submit
from tests.conftest import COORDINATOR_LOGIN, AuthActions

YEAR = 2025
THEME = "behouden"
TODAY = date.today()


@pytest.fixture
def demo(app):
    load_demo(seed=2025)


@pytest.fixture
def coordinator(demo, coordinator):
    """The coordinator, on the demo data."""
    return coordinator


def _sprints(year: int) -> list[Sprint]:
    return db.session.scalars(select(Sprint).where(Sprint.year == year).order_by(Sprint.id)).all()


def _error_next_to(page: str, field_id: str) -> str:
    """The error message printed with the field `field_id` (the `<id>-error` paragraph)."""
    match = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">([^<]*)</p>', page)
    assert match, f"no error next to {field_id}"
    return match[1]


def _expected_proposal():
    """The proposal made directly with scans.sprints.propose_groups (what the page must store)."""
    instrument = db.session.scalar(select(Instrument).where(Instrument.key == "hr_scan"))
    frame = answer_frame(instrument="hr_scan", years=[YEAR])
    return propose_groups(
        frame, instrument.latest.definition, year=YEAR, themes=[THEME], k=5, seed=0
    )


def test_propose_save_move_fix_sessions_attendance_and_evaluation(app, coordinator):
    client = coordinator
    overview = client.get("/coordinator/sprints").get_data(as_text=True)
    assert "Intervisiesprints" in overview and "afgerond" in overview  # the demo's 2024 sprints

    # a theme: the HR-scan domain "behouden"
    added = client.post("/coordinator/sprints/themes", data={"domain": THEME})
    assert added.status_code == 302
    assert db.session.scalar(select(SprintTheme.title).where(SprintTheme.key == THEME)) == (
        "Talent behouden en loopbaan"
    )

    # the proposal, shown with every reason and the companies not placed; nothing stored yet
    expected = _expected_proposal()
    assert len(expected.groups) >= 2
    page = client.get(f"/coordinator/sprints/propose?year={YEAR}&themes={THEME}&seed=0")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    names = dict(db.session.execute(select(Organisation.id, Organisation.name)).all())
    for group in expected.groups:
        assert group.title in text
        for member in group.members:
            assert str(escape(names[member.organisation_id])) in text
            for reason in member.reasons:
                assert str(escape(reason)) in text
    for company in expected.unplaced:
        assert str(escape(company.reason)) in text
    assert "Opslaan als voorstel" in text
    assert _sprints(YEAR) == []

    # "Opslaan als voorstel" stores exactly the groups that were shown
    saved = client.post(
        "/coordinator/sprints/propose", data={"year": YEAR, "themes": THEME, "seed": 0}
    )
    assert saved.status_code == 302 and urlsplit(saved.location).query == f"year={YEAR}"
    stored = _sprints(YEAR)
    assert [s.title for s in stored] == [g.title for g in expected.groups]
    assert [{m.organisation_id for m in s.members} for s in stored] == [
        {m.organisation_id for m in g.members} for g in expected.groups
    ]
    assert all(s.status == SprintStatus.PROPOSED for s in stored)

    # move a company from group 1 to group 2 with the select next to it
    first, second = stored[0], stored[1]
    moving = first.members[-1]
    page = client.get(f"/coordinator/sprints/{first.id}").get_data(as_text=True)
    assert f'name="naar-{moving.id}"' in page and f'<option value="{second.id}">' in page
    moved = client.post(
        f"/coordinator/sprints/{first.id}/move", data={f"naar-{moving.id}": second.id}
    )
    assert moved.status_code == 302
    db.session.expire_all()
    assert moving.sprint_id == second.id and f"verplaatst uit {first.title}" in moving.reason

    # a group outside 4-8 companies cannot be fixed: the reason stands next to the button
    target = next(s for s in stored[2:] if 4 <= len(s.members) <= 8)
    while len(first.members) >= 4:
        member = first.members[0]
        room = next(s for s in stored if s.id not in (first.id, target.id))
        assert (
            client.post(
                f"/coordinator/sprints/{first.id}/move", data={f"naar-{member.id}": room.id}
            ).status_code
            == 302
        )
        db.session.expire_all()
    refused = client.post(f"/coordinator/sprints/{first.id}/fix")
    assert refused.status_code == 422
    assert re.search(
        r'id="fix-error" role="alert">Een sprint heeft 4 tot 8 bedrijven; deze heeft er 3\.',
        refused.get_data(as_text=True),
    )
    assert client.post(f"/coordinator/sprints/{target.id}/fix").status_code == 302
    db.session.expire_all()
    assert target.status == SprintStatus.FIXED
    members = [m.organisation_id for m in target.members]

    # five dagdelen, in the past; a number twice and a missing topic are refused at the field
    start = TODAY - timedelta(days=70)
    for number in range(1, 6):
        response = client.post(
            f"/coordinator/sprints/{target.id}/sessions",
            data={
                "number": number,
                "held_on": (start + timedelta(days=14 * (number - 1))).isoformat(),
                "topic": f"Dagdeel {number}: aan de slag",
            },
        )
        assert response.status_code == 302, response.get_data(as_text=True)
    again = client.post(
        f"/coordinator/sprints/{target.id}/sessions",
        data={"number": 1, "held_on": start.isoformat(), "topic": ""},
    )
    assert again.status_code == 422
    page = again.get_data(as_text=True)
    assert _error_next_to(page, "topic") == "Vul het onderwerp van het dagdeel in."
    again = client.post(
        f"/coordinator/sprints/{target.id}/sessions",
        data={"number": 1, "held_on": start.isoformat(), "topic": "Nog eens"},
    )
    assert _error_next_to(again.get_data(as_text=True), "number") == "Dagdeel 1 is al vastgelegd."
    db.session.expire_all()
    assert [s.number for s in target.sessions] == [1, 2, 3, 4, 5]

    # attendance: everyone at every dagdeel except the first member at the last one
    sessions = target.sessions
    ticked = [
        f"{s.id}:{org}" for s in sessions for org in members if (s.number, org) != (5, members[0])
    ]
    assert (
        client.post(
            f"/coordinator/sprints/{target.id}/attendance", data={"aanwezig": ticked}
        ).status_code
        == 302
    )
    rows = db.session.execute(
        select(Attendance.session_id, Attendance.organisation_id, Attendance.present).where(
            Attendance.session_id.in_([s.id for s in sessions])
        )
    ).all()
    assert len(rows) == 5 * len(members)
    assert [(s, o) for s, o, present in rows if not present] == [(sessions[-1].id, members[0])]

    # the evaluation only after finishing the sprint
    closes = (TODAY + timedelta(days=14)).isoformat()
    early = client.post(f"/coordinator/sprints/{target.id}/evaluation", data={"closes_on": closes})
    assert early.status_code == 422 and "Rond de sprint eerst af" in early.get_data(as_text=True)
    assert client.post(f"/coordinator/sprints/{target.id}/finish").status_code == 302
    db.session.expire_all()
    assert target.status == SprintStatus.DONE

    # one member has an employer account; the others get the address typed in on the page
    account_org, *others = members
    create_user("hr@lid-een.example", "employer", "een lang wachtwoord", account_org)
    db.session.commit()
    page = client.get(f"/coordinator/sprints/{target.id}").get_data(as_text=True)
    assert f'name="contact_{account_org}"' not in page
    assert all(f'name="contact_{org}"' in page for org in others)
    contacts = {f"contact_{org}": f"contact-{org}@bedrijf.example" for org in others}
    bad = client.post(
        f"/coordinator/sprints/{target.id}/evaluation",
        data={"closes_on": closes, **contacts, f"contact_{others[0]}": "geen adres"},
    )
    assert bad.status_code == 422
    assert _error_next_to(bad.get_data(as_text=True), f"contact_{others[0]}") == (
        "Vul een geldig e-mailadres in, zoals naam@bedrijf.nl."
    )
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0
    sent = client.post(
        f"/coordinator/sprints/{target.id}/evaluation", data={"closes_on": closes, **contacts}
    )
    assert sent.status_code == 302
    campaign = db.session.scalar(
        select(Campaign).where(Campaign.slug == f"sprint-{target.id}-evaluatie")
    )
    assert campaign.instrument_version.instrument.key == "sprint_evaluatie"
    assert (campaign.mode, campaign.status, campaign.year) == ("personal", "open", YEAR)
    invitations = db.session.scalars(
        select(Invitation).where(Invitation.campaign_id == campaign.id)
    ).all()
    assert {(i.email, i.organisation_id) for i in invitations} == {
        ("hr@lid-een.example", account_org),
        *((f"contact-{org}@bedrijf.example", org) for org in others),
    }
    assert all(i.sent_at is not None for i in invitations)
    outbox = db.session.scalars(
        select(OutboxMail.recipient).where(OutboxMail.campaign_id == campaign.id)
    ).all()
    assert sorted(outbox) == sorted(i.email for i in invitations)
    twice = client.post(
        f"/coordinator/sprints/{target.id}/evaluation", data={"closes_on": closes, **contacts}
    )
    assert twice.status_code == 422 and "al verstuurd" in twice.get_data(as_text=True)

    # the personal link opens the evaluation; a submitted answer is in the frame the regional
    # monitor reads (sprint_evaluatie responses of the sprint's year)
    link = urlsplit(personal_link(invitations[0])).path
    assert client.get(link).status_code == 200
    response = response_for_invitation(invitations[0])
    save_answers(response.id, {"doel_bereikt": "4", "aanbevelen": "9"})
    submit(response.id)
    db.session.commit()
    evaluations = answer_frame(instrument="sprint_evaluatie", years=[YEAR])
    assert set(evaluations["response_id"]) == {response.id}
    page = client.get(f"/coordinator/sprints/{target.id}").get_data(as_text=True)
    assert "De evaluatie is verstuurd" in page

    # every step is in the audit log
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {
        "sprint.theme", "sprint.propose", "sprint.move", "sprint.fix", "sprint.session",
        "sprint.attendance", "sprint.finish", "sprint.evaluation",
    } <= actions  # fmt: skip


def test_a_proposal_for_a_year_without_scans_says_so_next_to_the_year(coordinator):
    page = coordinator.get("/coordinator/sprints/propose?year=2019")
    assert page.status_code == 422
    assert _error_next_to(page.get_data(as_text=True), "year") == (
        "Er zijn geen ingevulde HR-scans uit 2019."
    )
    bad = coordinator.get("/coordinator/sprints/propose?year=twintig")
    assert _error_next_to(bad.get_data(as_text=True), "year") == "Ongeldig getal."
    unknown = coordinator.post(
        "/coordinator/sprints/propose", data={"year": YEAR, "themes": "vitaliteit"}
    )
    assert unknown.status_code == 422
    assert _error_next_to(unknown.get_data(as_text=True), "themes").startswith(
        "Onbekend thema: vitaliteit. Kies uit de thema"
    )
    assert _sprints(YEAR) == []


def test_a_move_to_a_group_that_does_not_exist_is_refused_next_to_the_select(coordinator):
    coordinator.post("/coordinator/sprints/themes", data={"domain": THEME})
    coordinator.post("/coordinator/sprints/propose", data={"year": YEAR, "themes": THEME})
    first = _sprints(YEAR)[0]
    member = first.members[0]
    member.organisation.name = "<script>alert(1)</script> BV"
    db.session.commit()
    response = coordinator.post(
        f"/coordinator/sprints/{first.id}/move", data={f"naar-{member.id}": "999999"}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert _error_next_to(page, f"naar-{member.id}") == "Kies een groep uit de lijst."
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; BV" in page
    # a finished sprint of the demo (2024) takes no moves
    done = _sprints(2024)[0]
    refused = coordinator.post(
        f"/coordinator/sprints/{first.id}/move", data={f"naar-{member.id}": done.id}
    )
    assert _error_next_to(refused.get_data(as_text=True), f"naar-{member.id}") == (
        "Alleen tussen voorgestelde sprints kan een bedrijf worden verplaatst."
    )
    db.session.expire_all()
    assert member.sprint_id == first.id


def test_theme_form_errors_stand_next_to_the_fields(auth, coordinator_account):
    """Without the demo: no HR-scan is published."""
    client = auth.client
    assert auth.login(*COORDINATOR_LOGIN).status_code == 302
    empty = client.post("/coordinator/sprints/themes", data={"domain": "", "key": "", "title": ""})
    assert empty.status_code == 422
    page = empty.get_data(as_text=True)
    assert _error_next_to(page, "key") == "Kies een domein, of geef een eigen thema een sleutel."
    assert _error_next_to(page, "title") == "Geef een eigen thema een titel."
    bad = client.post("/coordinator/sprints/themes", data={"key": "Eigen Thema!", "title": "X"})
    assert _error_next_to(bad.get_data(as_text=True), "key") == (
        "Gebruik kleine letters, cijfers en _, en begin met een letter."
    )
    ok = client.post(
        "/coordinator/sprints/themes", data={"key": "intervisie", "title": "Eigen vragen"}
    )
    assert ok.status_code == 302
    taken = client.post("/coordinator/sprints/themes", data={"key": "intervisie", "title": "Y"})
    assert _error_next_to(taken.get_data(as_text=True), "key") == (
        "Er is al een thema met deze sleutel."
    )
    assert (
        client.get("/coordinator/sprints/themes")
        .get_data(as_text=True)
        .count("<code>intervisie</code>")
        == 1
    )
    # without a published HR-scan there is nothing to propose from
    page = client.get(f"/coordinator/sprints/propose?year={YEAR}")
    assert _error_next_to(page.get_data(as_text=True), "year") == (
        "De HR-scan is nog niet gepubliceerd."
    )


def test_an_employer_gets_403_on_every_sprint_route(app, demo):
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if app.view_functions[rule.endpoint].__module__ == "monitor.console.sprints"
    ]
    assert len(rules) >= 11
    sprint = _sprints(2024)[0]
    values = {"sprint_id": sprint.id}
    employer = AuthActions(app.test_client()).login_as("employer")
    anonymous = app.test_client()
    before = [
        db.session.scalar(select(func.count()).select_from(table))
        for table in (SprintMember, SprintTheme, Campaign)
    ]
    for rule in rules:
        url = rule.build(values)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            data = {"year": YEAR, "themes": THEME, "domain": THEME, "closes_on": "2099-01-01"}
            assert employer.open(url, method=method, data=data).status_code == 403, url
            response = anonymous.open(url, method=method, data=data)
            assert response.status_code == 302 and "/login" in response.location, url
    db.session.expire_all()
    assert [
        db.session.scalar(select(func.count()).select_from(table))
        for table in (SprintMember, SprintTheme, Campaign)
    ] == before
