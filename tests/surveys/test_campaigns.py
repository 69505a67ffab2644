from datetime import date

import pytest

from surveys.campaigns import (
    CampaignError,
    add_invitations,
    close_campaign,
    create_campaign,
    find_invitation,
    open_campaign,
    personal_link,
    response_counts,
    send_invitations,
    send_reminders,
)
from surveys.db import db
from surveys.invitees import Invitee
from surveys.mail import deliver_outbox
from surveys.models import OutboxMail, Response, ResponseStatus
from tests.smtp import smtp_server


def _campaign(version, **overrides):
    args = dict(
        title="Nulmeting 2025", year=2025, wave=0, opens_on=date(2025, 3, 1),
        closes_on=date(2025, 4, 1), mode="personal",
    )  # fmt: skip
    args.update(overrides)
    return create_campaign(version, **args)


def _people(*emails):
    return [Invitee(i, e, None, "studenten", None) for i, e in enumerate(emails, start=2)]


def test_campaign_gets_a_slug_all_groups_and_a_retention_date(version):
    campaign = _campaign(version)
    assert campaign.slug == "mini-2025-0"
    assert _campaign(version).slug == "mini-2025-0-2"
    assert campaign.respondent_groups == ["studenten", "docenten"]
    assert campaign.retention_until == date(2027, 4, 1)


def test_bad_campaign_input_is_reported_at_once(version):
    with pytest.raises(CampaignError) as error:
        _campaign(version, closes_on=date(2025, 1, 1), wave=-1, respondent_groups=["ouders"])
    message = str(error.value)
    assert "ouders" in message and "before the opening" in message and "wave" in message


def test_open_and_close_follow_the_life_cycle(version):
    campaign = _campaign(version)
    with pytest.raises(CampaignError, match="not open"):
        close_campaign(campaign)
    open_campaign(campaign)
    assert campaign.is_accepting(date(2025, 3, 15))
    assert not campaign.is_accepting(date(2025, 4, 2))
    close_campaign(campaign)
    assert not campaign.is_accepting(date(2025, 3, 15))


def test_personal_token_is_long_random_and_stored_only_hashed(version):
    campaign = _campaign(version)
    [a, b] = add_invitations(campaign, _people("a@x.example", "b@x.example"))
    link = personal_link(a)
    token = link.rsplit("/", 1)[1]
    assert len(token) >= 43  # 256 bits in base64url
    assert token not in a.token_hash and a.token_hash != b.token_hash
    assert find_invitation(token) is a
    assert find_invitation(token[:-1] + "x") is None
    assert a.panel_key and a.panel_key != b.panel_key


def test_panel_key_links_the_same_person_across_campaigns(version):
    first = add_invitations(_campaign(version), _people("a@x.example"))[0]
    second = add_invitations(_campaign(version, year=2026), _people("A@X.example".lower()))[0]
    assert first.panel_key == second.panel_key


def test_reminders_skip_submitted_and_opted_out(version):
    campaign = _campaign(version)
    open_campaign(campaign)
    a, b, _ = add_invitations(campaign, _people("a@x.example", "b@x.example", "c@x.example"))
    assert send_invitations(campaign) == 3
    assert send_invitations(campaign) == 0  # never twice
    db.session.add(Response(campaign=campaign, invitation_id=a.id, status=ResponseStatus.SUBMITTED))
    b.opted_out = True
    db.session.flush()
    assert send_reminders(campaign) == 1
    reminders = db.session.scalars(
        db.select(OutboxMail).where(OutboxMail.subject.startswith("Herinnering"))
    ).all()
    assert [m.recipient for m in reminders] == ["c@x.example"]
    assert response_counts(campaign) == {"invited": 3, "started": 1, "submitted": 1}


def test_invitations_are_delivered_through_a_real_smtp_server(version):
    campaign = _campaign(version)
    open_campaign(campaign)
    [invitation] = add_invitations(campaign, _people("a@x.example"))
    send_invitations(campaign)
    db.session.commit()
    with smtp_server() as (mail_url, received):
        counts = deliver_outbox(mail_url, "monitor@localhost")
    assert counts == {"sent": 1, "console": 0, "failed": 0}
    [message] = received.messages
    assert message["To"] == "a@x.example"
    assert message["Subject"] == "Uitnodiging: Nulmeting 2025"
    assert personal_link(invitation) in message.get_payload(decode=True).decode()


def test_without_mail_url_mails_go_to_the_console_and_stay_in_the_outbox(version, capsys):
    campaign = _campaign(version)
    open_campaign(campaign)
    add_invitations(campaign, _people("a@x.example"))
    send_invitations(campaign)
    assert deliver_outbox(None, "monitor@localhost")["console"] == 1
    assert "Uitnodiging: Nulmeting 2025" in capsys.readouterr().out
    assert db.session.scalar(db.select(OutboxMail.state)) == "console"


def test_unreachable_smtp_server_marks_mails_failed_without_crashing(version):
    campaign = _campaign(version)
    open_campaign(campaign)
    add_invitations(campaign, _people("a@x.example"))
    send_invitations(campaign)
    from tests.smtp import free_port

    counts = deliver_outbox(f"smtp://127.0.0.1:{free_port()}", "monitor@localhost")
    assert counts["failed"] == 1
    assert db.session.scalar(db.select(OutboxMail.state)) == "failed"
