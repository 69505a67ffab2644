"""Odd input on the sprint forms of the console: an id that is not a plain number (a
superscript or Arabic-Indic digit passes ``str.isdigit``), too large for a database integer, or
pointing nowhere, is refused next to its field with a Dutch message; never a 500."""

import re

import pytest
from sqlalchemy import select

from monitor.accounts import create_user
from scans.models import SprintMember
from scans.operations import save_proposal
from surveys.db import db
from surveys.models import Organisation
from tests.conftest import login
from tests.scans.test_operations import proposal

ODD_IDS = ["²", "٣", "1²", "-1", "0", "+1", " 1", "1.0", "99999999999999999999", "abc"]


@pytest.fixture
def sprints(app, client) -> list[int]:
    """Two proposed sprints of four companies each, and a coordinator signed in."""
    orgs = [Organisation(name=f"Bedrijf {n}", sector="bouw") for n in range(8)]
    db.session.add_all(orgs)
    db.session.commit()
    stored = save_proposal(proposal([[o.id for o in orgs[:4]], [o.id for o in orgs[4:]]]))
    create_user("co@x.example", "coordinator", "a long password")
    db.session.commit()
    assert login(client, "co@x.example", "a long password").status_code == 302
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
