"""Sprint operations on the database: store a proposal, move, fix, sessions, attendance."""

from datetime import date

import pytest
from sqlalchemy import func, select

from scans.models import Attendance, Sprint, SprintMember, SprintRole, SprintStatus
from scans.operations import (
    SprintError,
    add_session,
    finish_sprint,
    fix_sprint,
    move_member,
    record_attendance,
    save_proposal,
    taking_part,
)
from scans.proposal import Proposal, ProposedGroup, ProposedMember
from surveys.db import db
from surveys.models import Organisation


@pytest.fixture
def organisations(app) -> list[int]:
    orgs = [Organisation(name=f"Bedrijf {n}", sector="bouw") for n in range(10)]
    db.session.add_all(orgs)
    db.session.commit()
    return [org.id for org in orgs]


def member(org: int, role=SprintRole.DEELNEMER) -> ProposedMember:
    return ProposedMember(
        organisation_id=org,
        role=role,
        theme_score=1.0,
        chose_theme=True,
        sector="bouw",
        region="Zuid-Limburg",
        size_class="10-49",
        reasons=("koos dit thema", "zelfde sector (bouw) als 3 andere leden"),
    )


def proposal(groups: list[list[int]], theme="behouden", year=2025) -> Proposal:
    return Proposal(
        year=year,
        themes=(theme,),
        k=5,
        min_size=4,
        max_size=8,
        groups=tuple(
            ProposedGroup(
                theme=theme,
                theme_title="Talent behouden en loopbaan",
                number=number,
                title=f"Talent behouden en loopbaan – groep {number}",
                members=tuple(
                    member(org, SprintRole.KOPLOPER if i == 0 else SprintRole.DEELNEMER)
                    for i, org in enumerate(orgs)
                ),
                note=None,
            )
            for number, orgs in enumerate(groups, start=1)
        ),
        unplaced=(),
    )


def test_a_saved_proposal_becomes_proposed_sprints(organisations):
    first, second = save_proposal(proposal([organisations[:4], organisations[4:9]]))
    db.session.commit()
    assert (first.status, first.year, first.theme.key) == (SprintStatus.PROPOSED, 2025, "behouden")
    assert first.title == "Talent behouden en loopbaan – groep 1"
    assert [m.organisation_id for m in first.members] == organisations[:4]
    assert first.members[0].role == SprintRole.KOPLOPER
    assert first.members[1].reason == "koos dit thema; zelfde sector (bouw) als 3 andere leden"
    assert len(second.members) == 5


def test_saving_again_replaces_the_proposal_but_keeps_fixed_sprints(organisations):
    kept, _ = save_proposal(proposal([organisations[:4], organisations[4:8]]))
    fix_sprint(kept)
    db.session.commit()
    assert taking_part(2025) == set(organisations[:4])
    save_proposal(proposal([organisations[4:9]]))
    db.session.commit()
    statuses = db.session.execute(select(Sprint.status, func.count()).group_by(Sprint.status))
    assert dict(statuses.all()) == {SprintStatus.FIXED: 1, SprintStatus.PROPOSED: 1}
    assert db.session.scalar(select(func.count()).select_from(SprintMember)) == 9


def test_moving_a_member_between_proposed_sprints(organisations):
    first, second = save_proposal(proposal([organisations[:5], organisations[5:9]]))
    moving = first.members[4]
    move_member(moving, second)
    db.session.commit()
    assert [m.organisation_id for m in first.members] == organisations[:4]
    assert organisations[4] in {m.organisation_id for m in second.members}
    assert moving.reason.endswith("; verplaatst uit Talent behouden en loopbaan – groep 1")
    with pytest.raises(SprintError, match="zit al in deze sprint"):
        move_member(moving, second)
    fix_sprint(second)
    with pytest.raises(SprintError, match="Alleen tussen voorgestelde sprints"):
        move_member(first.members[0], second)


def test_fixing_needs_four_to_eight_companies(organisations):
    (small,) = save_proposal(proposal([organisations[:3]]))
    with pytest.raises(SprintError, match="4 tot 8 bedrijven; deze heeft er 3"):
        fix_sprint(small)
    assert small.status == SprintStatus.PROPOSED


def test_sessions_attendance_and_finishing(organisations):
    (sprint,) = save_proposal(proposal([organisations[:4]]))
    with pytest.raises(SprintError, match="vastgestelde sprint"):
        add_session(sprint, number=1, held_on=date(2025, 9, 4))
    fix_sprint(sprint)
    with pytest.raises(SprintError, match="Leg eerst de sessies"):
        finish_sprint(sprint)
    first = add_session(sprint, number=1, held_on=date(2025, 9, 4), topic=" Startsessie ")
    assert first.topic == "Startsessie"
    with pytest.raises(SprintError, match="Dagdeel 1 is al vastgelegd"):
        add_session(sprint, number=1, held_on=date(2025, 9, 11))
    with pytest.raises(SprintError, match="dagdeel 1 tot en met 5"):
        add_session(sprint, number=6, held_on=date(2025, 9, 11))
    record_attendance(first, organisations[0], present=True)
    record_attendance(first, organisations[0], present=False)  # corrected: the last one counts
    record_attendance(first, organisations[1], present=True)
    with pytest.raises(SprintError, match="Alleen bedrijven in de sprint"):
        record_attendance(first, organisations[9], present=True)
    finish_sprint(sprint)
    db.session.commit()
    rows = db.session.execute(select(Attendance.organisation_id, Attendance.present)).all()
    assert dict(rows) == {organisations[0]: False, organisations[1]: True}
    assert sprint.status == SprintStatus.DONE


def test_deleting_an_organisation_removes_its_sprint_data(organisations):
    (sprint,) = save_proposal(proposal([organisations[:4]]))
    fix_sprint(sprint)
    session = add_session(sprint, number=1, held_on=date(2025, 9, 4))
    record_attendance(session, organisations[0], present=True)
    db.session.commit()
    db.session.delete(db.session.get(Organisation, organisations[0]))
    db.session.commit()
    db.session.expire_all()
    assert [m.organisation_id for m in sprint.members] == organisations[1:4]
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0
