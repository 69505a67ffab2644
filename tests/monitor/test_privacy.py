"""Retention (contact data erased after a campaign's retention date) and deletion on request."""

from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from monitor.audit import AuditEvent
from surveys.campaigns import create_campaign, open_campaign, personal_link
from surveys.db import db
from surveys.definition.loader import load_definition_file
from surveys.definition.publish import publish_definition
from surveys.models import Answer, Campaign, Invitation, Organisation, OutboxMail, Response
from surveys.organisations import create_organisation
from surveys.retention import erase_expired
from tests.surveys.test_organisations import fill_organisation

TODAY = date.today()
PROEF = Path(__file__).parent.parent / "data" / "instruments" / "proef.yaml"


def _campaign(version, slug: str, retention_until: date) -> Campaign:
    campaign = create_campaign(
        version, title=f"Meting {slug}", year=TODAY.year, wave=0, slug=slug,
        opens_on=TODAY - timedelta(days=30), closes_on=TODAY + timedelta(days=30),
        mode="personal", retention_until=retention_until,
    )  # fmt: skip
    open_campaign(campaign)
    db.session.commit()
    return campaign


@pytest.fixture
def two_campaigns(app):
    """An expired campaign (retention date yesterday) and a current one, each with data."""
    version = publish_definition(load_definition_file(PROEF)).version
    expired = _campaign(version, "verlopen", TODAY - timedelta(days=1))
    current = _campaign(version, "lopend", TODAY + timedelta(days=365))
    made = {}
    for tag, campaign in (("oud", expired), ("nieuw", current)):
        organisation = create_organisation({"name": f"Organisatie {tag}"})
        made[tag] = fill_organisation(organisation, campaign, tag)
    return expired, current, made


def _path(url: str) -> str:
    return urlsplit(url).path


def _snapshot(campaign_id: int) -> dict:
    """What must survive erasure: panel keys, responses and answers."""
    return {
        "invitation_keys": sorted(
            db.session.scalars(
                select(Invitation.panel_key).where(Invitation.campaign_id == campaign_id)
            )
        ),
        "responses": sorted(
            db.session.execute(
                select(Response.id, Response.panel_key, Response.organisation_id).where(
                    Response.campaign_id == campaign_id
                )
            ).all()
        ),
        "answers": sorted(
            db.session.execute(
                select(Answer.response_id, Answer.item_key, Answer.value)
                .join(Response)
                .where(Response.campaign_id == campaign_id)
            ).all()
        ),
    }


def test_erasure_removes_contact_data_and_keeps_answers_and_panel_keys(client, two_campaigns):
    expired, current, made = two_campaigns
    links = [_path(personal_link(i)) for i in made["oud"]["invitations"]]
    kept_link = _path(personal_link(made["nieuw"]["invitations"][0]))
    assert all(client.get(link, follow_redirects=True).status_code == 200 for link in links)
    before = {c.id: _snapshot(c.id) for c in (expired, current)}
    assert all(k for k in before[expired.id]["invitation_keys"])

    erased = erase_expired(TODAY)
    db.session.commit()

    assert [(e.campaign_id, e.invitations, e.mails) for e in erased] == [(expired.id, 2, 2)]
    old = db.session.scalars(select(Invitation).where(Invitation.campaign_id == expired.id)).all()
    assert [(i.email, i.name) for i in old] == [(None, None), (None, None)]
    assert db.session.scalar(
        select(func.count()).select_from(OutboxMail).where(OutboxMail.campaign_id == expired.id)
    ) == 0  # fmt: skip
    assert {c.id: _snapshot(c.id) for c in (expired, current)} == before
    new = db.session.scalars(select(Invitation).where(Invitation.campaign_id == current.id)).all()
    assert {i.email for i in new} == {"contact-nieuw@example.org", "tweede-nieuw@example.org"}
    # the consequence chosen: personal links of erased invitations lead nowhere any more
    for link in links:
        assert client.get(link, follow_redirects=True).status_code == 404
    assert client.get(kept_link, follow_redirects=True).status_code == 200
    assert erase_expired(TODAY)[0].invitations == 0  # nothing more to erase


def test_the_retention_date_itself_still_keeps_the_contact_data(two_campaigns):
    expired, _current, _made = two_campaigns
    assert erase_expired(expired.retention_until) == []
    assert [e.campaign_id for e in erase_expired(expired.retention_until + timedelta(days=1))] == [
        expired.id
    ]


def test_cli_erase_expired_reports_counts_and_logs_them(runner, two_campaigns):
    expired, current, _made = two_campaigns
    later = (current.retention_until - timedelta(days=1)).isoformat()
    result = runner.invoke(args=["privacy", "erase-expired", "--today", later])
    assert result.exit_code == 0, result.output
    assert f"campaign {expired.id}: 2 invitations erased, 2 mails deleted" in result.output
    assert f"1 campaigns past retention on {later}: 2 invitations erased" in result.output
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "retention.erase"))
    assert (event.object_id, event.detail, event.user_id) == (
        str(expired.id), {"invitations": 2, "mails": 2}, None,
    )  # fmt: skip
    result = runner.invoke(args=["privacy", "erase-expired", "--today", later])
    assert "0 invitations erased" in result.output
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 1


def test_cli_delete_asks_first_and_with_yes_deletes_everything(runner, two_campaigns):
    organisation_id = db.session.scalar(
        select(Organisation.id).where(Organisation.name == "Organisatie oud")
    )
    result = runner.invoke(args=["organisations", "delete", str(organisation_id)], input="n\n")
    assert result.exit_code == 1 and "2 responses" in result.output
    assert db.session.get(Organisation, organisation_id) is not None
    result = runner.invoke(args=["organisations", "delete", str(organisation_id), "--yes"])
    assert result.exit_code == 0, result.output
    assert (
        f"deleted organisation {organisation_id}: 2 responses, 2 invitations, 1 users, 3 answers"
        in result.output
    )
    db.session.expire_all()
    assert db.session.get(Organisation, organisation_id) is None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "organisation.delete"))
    assert event.object_id == str(organisation_id) and event.detail["answers"] == 3
    assert "Organisatie oud" not in str(event.detail)
    result = runner.invoke(args=["organisations", "delete", str(organisation_id), "--yes"])
    assert result.exit_code == 1 and "does not exist" in result.output


def test_cli_import_lists_every_bad_line_and_imports_nothing(runner, app, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text("name,kvk\nGoed BV,12345678\nFout BV,12\n")
    result = runner.invoke(args=["organisations", "import", str(path)])
    assert result.exit_code == 1
    assert f"{path}: regel 3: KvK-nummer: Een KvK-nummer bestaat uit precies acht" in result.output
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 0
    path.write_text("name,kvk\nGoed BV,12345678\nOok Goed BV,\n")
    result = runner.invoke(args=["organisations", "import", str(path)])
    assert result.exit_code == 0 and "2 organisations imported" in result.output


def test_deleting_an_organisation_removes_its_kept_report_files(runner, two_campaigns):
    """A downloaded report is kept as a PDF named after the company: a deletion on request
    removes it (every year, with the files next to it) and leaves the others."""
    from monitor.reports.bulk import reports_dir

    organisation_id = db.session.scalar(
        select(Organisation.id).where(Organisation.name == "Organisatie oud")
    )
    other_id = db.session.scalar(
        select(Organisation.id).where(Organisation.name == "Organisatie nieuw")
    )
    kept = []
    for year in (2024, 2025):
        folder = reports_dir(year)
        folder.mkdir(parents=True, exist_ok=True)
        own = folder / f"hr-scan-{year}-{organisation_id:04d}-organisatie-oud.pdf"
        own.write_bytes(b"%PDF-1.7")
        own.with_name(own.name + ".source").write_text("stamp")
        kept.append(own)
    other = reports_dir(2025) / f"hr-scan-2025-{other_id:04d}-organisatie-nieuw.pdf"
    other.write_bytes(b"%PDF-1.7")

    result = runner.invoke(args=["organisations", "delete", str(organisation_id), "--yes"])

    assert result.exit_code == 0, result.output
    leftovers = [p.name for p in reports_dir(2025).parent.rglob("*oud*")]
    assert leftovers == [] and other.exists()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "organisation.delete"))
    assert event.detail["report_files"] == 2
