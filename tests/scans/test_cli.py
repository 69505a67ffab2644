"""`monitor sprints propose` on the demo data."""

import pytest
from sqlalchemy import func, select

from monitor.audit import AuditEvent
from monitor.demo import load_demo
from scans.models import Sprint, SprintMember, SprintStatus
from surveys.db import db
from surveys.models import Organisation


@pytest.fixture
def demo(app):
    load_demo(seed=2025)


def test_propose_prints_groups_with_members_roles_and_reasons(runner, demo):
    result = runner.invoke(args=["sprints", "propose", "--year", "2025"])
    assert result.exit_code == 0, result.output
    output = result.output
    assert output.startswith("Sprintvoorstel 2025: ")
    assert "Talent verzilveren en inclusief werkgeverschap – groep 1 (" in output
    assert "  koploper   " in output and "  deelnemer  " in output
    assert "- koos dit thema en scoort " in output
    assert "- lijkt qua profiel op de andere leden: " in output
    assert "Niet geplaatst (" in output
    assert "maar gaf geen toestemming om het profiel met een sprintgroep te delen" in output
    names = db.session.scalars(select(Organisation.name)).all()
    assert any(f"  koploper   {name} (" in output for name in names)  # names, for coordinators
    saved = select(func.count()).select_from(Sprint).where(Sprint.year == 2025)
    assert db.session.scalar(saved) == 0  # not saved (the demo's own sprints are of 2024)


def test_propose_for_one_theme_and_save(runner, demo):
    result = runner.invoke(
        args=["sprints", "propose", "--year", "2025", "--theme", "behouden", "--save"]
    )
    assert result.exit_code == 0, result.output
    assert "Talent behouden en loopbaan – groep 1" in result.output
    assert "Talent verzilveren" not in result.output.split("Niet geplaatst")[0]
    sprints = db.session.scalars(select(Sprint).where(Sprint.year == 2025)).all()
    assert sprints and all(s.status == SprintStatus.PROPOSED for s in sprints)
    assert {s.theme.key for s in sprints} == {"behouden"}
    assert f"{len(sprints)} sprints opgeslagen" in result.output
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "sprint.propose"))
    assert event.detail == {"groups": len(sprints), "themes": ["behouden"], "via": "cli"}
    members = db.session.scalar(select(func.count()).select_from(SprintMember))
    db.session.rollback()  # end this read: on SQLite the command's next transaction waits for it

    again = runner.invoke(
        args=["sprints", "propose", "--year", "2025", "--theme", "behouden", "--save"]
    )
    assert again.exit_code == 0, again.output
    assert db.session.scalar(select(func.count()).select_from(SprintMember)) == members


def test_propose_refuses_an_unknown_theme_or_an_empty_year(runner, demo):
    result = runner.invoke(args=["sprints", "propose", "--year", "2025", "--theme", "vitaliteit"])
    assert result.exit_code == 1 and "unknown theme(s): vitaliteit" in result.output
    db.session.rollback()  # the command ran in this test's session: end its read
    result = runner.invoke(args=["sprints", "propose", "--year", "2019"])
    assert result.exit_code == 1 and "no submitted HR-scans in 2019" in result.output


def test_propose_without_the_hr_scan_instrument(runner):
    result = runner.invoke(args=["sprints", "propose", "--year", "2025"])
    assert result.exit_code == 1 and "no published instrument 'hr_scan'" in result.output
