"""No usable personal link at rest.

A personal link is the respondent's credential. After invitations and reminders have gone out,
through a real SMTP server and through the console (no MAIL_URL), no value in any table and no
log line may hold a token, and a `/s/...` link found anywhere in the database must not open a
questionnaire. The mails themselves carry links that do work.
"""

import logging
import re

import pytest
from sqlalchemy import select

from monitor.audit import AuditEvent
from surveys.campaigns import personal_link
from surveys.db import Base, db
from surveys.models import Campaign, Invitation, OutboxMail
from tests.security.conftest import sign_in
from tests.smtp import smtp_server

LINK = re.compile(r"/s/([A-Za-z0-9_-]+)")


def stored_values() -> list[tuple[str, str, str]]:
    """(table, column, value as text) of every non-empty value in every table."""
    db.session.commit()
    found = []
    for table in Base.metadata.sorted_tables:
        for row in db.session.execute(select(table)):
            for column, value in zip(table.columns, row, strict=True):
                if value is not None:
                    found.append((table.name, column.name, str(value)))
    db.session.rollback()
    return found


def _deliver_invitations_and_reminders(client, app, site, mail_url: str | None) -> None:
    """As the coordinator in the console: invite everyone, then remind who has not submitted."""
    app.config["MAIL_URL"] = mail_url
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == "sec-persoonlijk"))
    sign_in(client, "coordinator")
    assert client.post(f"/coordinator/campaigns/{campaign.id}/invite").status_code == 302
    assert client.post(f"/coordinator/campaigns/{campaign.id}/remind").status_code == 302


@pytest.mark.parametrize("transport", ["smtp", "console"])
def test_no_table_and_no_log_holds_a_usable_personal_link_after_invite_and_remind(
    app, client, small_site, transport, capsys, caplog
):
    caplog.set_level(logging.DEBUG)
    if transport == "smtp":
        with smtp_server() as (mail_url, received):
            _deliver_invitations_and_reminders(client, app, small_site, mail_url)
        delivered = "\n".join(m.get_payload(decode=True).decode() for m in received.messages)
    else:
        _deliver_invitations_and_reminders(client, app, small_site, None)
        delivered = capsys.readouterr().out
    invitations = db.session.scalars(select(Invitation).order_by(Invitation.id)).all()
    tokens = {personal_link(i).rsplit("/", 1)[1] for i in invitations}

    # the mails went out (two invitations, two reminders) with links that open the questionnaire
    states = db.session.scalars(select(OutboxMail.state)).all()
    assert sorted(states) == (["sent"] * 4 if transport == "smtp" else ["console"] * 4)
    assert set(LINK.findall(delivered)) == tokens
    for token in tokens:
        assert client.get(f"/s/{token}").status_code == 200
    assert len(tokens) == 2

    # ... but nothing at rest or in the log holds one
    stored = stored_values()
    for table, column, value in stored:
        for token in tokens:
            assert token not in value, f"{table}.{column} holds a personal token"
        for found in LINK.findall(value):
            assert client.get(f"/s/{found}").status_code == 404, f"{table}.{column}: /s/{found}"
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name != "mail.log")
    for token in tokens:  # (mail.log is the test SMTP server's own debug log of what it received)
        assert token not in ours
    # the outbox still shows what was sent, with a placeholder where the link went
    bodies = db.session.scalars(select(OutboxMail.body)).all()
    assert all("Open uw persoonlijke link" in body for body in bodies)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "campaign.remind"))
