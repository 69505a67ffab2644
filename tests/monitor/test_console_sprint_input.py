"""Odd input on the sprint forms of the console: an id that is not a plain number (a
superscript or Arabic-Indic digit passes ``str.isdigit``), too large for a database integer, or
pointing nowhere, is refused next to its field with a Dutch message; never a 500."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from scans.models import Attendance, Sprint, SprintMember
from scans.operations import add_session, fix_sprint, save_proposal
from surveys.db import db
from surveys.models import Organisation
from tests.scans.test_operations import proposal

ODD_IDS = ["²", "٣", "1²", "-1", "0", "+1", " 1", "1.0", "99999999999999999999", "abc"]


@pytest.fixture
def sprints(coordinator) -> list[int]:
    """Two proposed sprints of four companies each, and a coordinator signed in."""
    orgs = [Organisation(name=f"Bedrijf {n}", sector="bouw") for n in range(8)]
    db.session.add_all(orgs)
    db.session.commit()
    stored = save_proposal(proposal([[o.id for o in orgs[:4]], [o.id for o in orgs[4:]]]))
    return [sprint.id for sprint in stored]


@pytest.mark.parametrize("target", ODD_IDS)
def test_a_move_to_an_odd_group_id_is_refused_next_to_the_select(client, sprints, target):
    first, _ = sprints
    member = db.session.scalars(select(SprintMember).where(SprintMember.sprint_id == first)).first()
    response = client.post(f"/coordinator/sprints/{first}/move", data={f"naar-{member.id}": target})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(rf'id="naar-{member.id}-error">Kies een groep uit de lijst\.</p>', page)
    db.session.expire_all()
    assert member.sprint_id == first


@pytest.mark.parametrize("box", ["²:1", "1:٣", "1", "1:2:3", ":", "99999999999:1"])
def test_an_odd_attendance_box_is_refused_at_the_grid(client, sprints, box):
    first, _ = sprints
    sprint = db.session.get(Sprint, first)
    fix_sprint(sprint)
    add_session(sprint, number=1, held_on=date.today(), topic="Start")
    db.session.commit()
    response = client.post(f"/coordinator/sprints/{first}/attendance", data={"aanwezig": box})
    assert response.status_code == 422
    assert "Vink alleen vakjes in het rooster aan." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0


def test_a_refused_post_for_a_step_the_sprint_is_past_shows_its_message(client, sprints):
    first, second = sprints
    sprint = db.session.get(Sprint, first)
    member = sprint.members[0]
    fix_sprint(sprint)
    db.session.commit()
    moved = client.post(f"/coordinator/sprints/{first}/move", data={f"naar-{member.id}": second})
    assert moved.status_code == 422
    assert re.search(
        rf'id="naar-{member.id}-error">Alleen tussen voorgestelde sprints kan een bedrijf worden '
        r"verplaatst\.</p>",
        moved.get_data(as_text=True),
    )
