"""`monitor export`: files, messages on bad input, personal data only on request, audit log."""

import csv
import json

import openpyxl
import pyreadstat
import pytest
from sqlalchemy import select

from monitor.audit import AuditEvent
from surveys.db import db
from surveys.models import Invitation
from tests.surveys.test_export import FULL, make_campaign, respond


@pytest.fixture
def campaign(app):
    return make_campaign()


def export(runner, *args):
    return runner.invoke(args=["export", *args])


def test_export_writes_csv_with_codebook_and_records_the_export(runner, campaign, tmp_path):
    respond(campaign, FULL)
    out = tmp_path / "sprint.csv"
    result = export(runner, "--campaign", str(campaign.id), "--format", "csv", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"wrote 1 response x 22 columns to {out}" in result.output
    assert f"codebook: {tmp_path / 'sprint_codebook.csv'}" in result.output
    with out.open(newline="", encoding="utf-8") as handle:
        assert next(csv.DictReader(handle))["doel"] == "4"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export"))
    assert (event.object_type, event.object_id) == ("campaign", str(campaign.id))
    assert event.detail["format"] == "csv" and event.detail["with_contacts"] is False
    assert event.detail["via"] == "cli" and event.detail["responses"] == 1


@pytest.mark.parametrize("fmt", ["xlsx", "sav"])
def test_the_format_follows_the_file_name_when_not_given(runner, campaign, tmp_path, fmt):
    respond(campaign, FULL)
    out = tmp_path / f"sprint.{fmt}"
    assert export(runner, "--campaign", str(campaign.id), "--out", str(out)).exit_code == 0
    if fmt == "xlsx":
        assert openpyxl.load_workbook(out).sheetnames == ["data", "codebook"]
    else:
        assert pyreadstat.read_sav(out)[0].shape == (1, 22)
        assert (tmp_path / "sprint_codebook.csv").exists()


def test_personal_data_only_with_contacts_and_never_in_the_audit_log(runner, campaign, tmp_path):
    invitation = Invitation(campaign_id=campaign.id, token_hash="h" * 64, token_salt="s" * 32,
                            email="bo@beekdal.example", name="Bo Janssen")  # fmt: skip
    db.session.add(invitation)
    db.session.commit()
    respond(campaign, FULL, invitation_id=invitation.id)
    plain, full = tmp_path / "plain.csv", tmp_path / "full.csv"
    export(runner, "--campaign", str(campaign.id), "--out", str(plain))
    assert "bo@beekdal.example" not in plain.read_text(encoding="utf-8")
    result = export(runner, "--campaign", str(campaign.id), "--out", str(full), "--with-contacts")
    assert result.exit_code == 0
    assert "personal data" in result.output
    assert "bo@beekdal.example" in full.read_text(encoding="utf-8")
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert [e.detail["with_contacts"] for e in events] == [False, True]
    logged = json.dumps([e.detail for e in events])
    assert "beekdal" not in logged and "Janssen" not in logged


def test_a_campaign_without_responses_gives_headers_and_a_message(runner, campaign, tmp_path):
    out = tmp_path / "leeg.csv"
    result = export(runner, "--campaign", str(campaign.id), "--out", str(out))
    assert result.exit_code == 0
    assert "has no submitted responses; the export holds the column headers only" in result.output
    assert len(out.read_text().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--campaign", "99", "--out", "{tmp}/x.csv"], "campaign 99 does not exist"),
        (["--campaign", "1", "--out", "{tmp}/missing/x.csv"], "does not exist"),
        (["--campaign", "1", "--out", "{tmp}/file/x.sav"], "is not a directory"),
        (["--campaign", "1", "--out", "{tmp}/x.txt"], "cannot tell the format from 'x.txt'"),
        (["--campaign", "1", "--format", "pdf", "--out", "{tmp}/x.pdf"], "'pdf' is not one of"),
        (["--out", "{tmp}/x.csv"], "Missing option '--campaign'"),
        (["--campaign", "1", "--out", "{tmp}"], "is a directory"),
    ],
)
def test_bad_input_gives_a_message_not_a_traceback(runner, campaign, tmp_path, args, message):
    (tmp_path / "file").write_text("")
    result = export(runner, *[a.format(tmp=tmp_path) for a in args])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export")) is None
