"""The migration that takes personal links out of stored mail bodies (7f3c2b9e4a10): a queued
mail stored the old way still goes out with a working link, and none stays in the table."""

from datetime import date, timedelta

from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from surveys.campaigns import add_invitations, create_campaign, open_campaign, send_invitations
from surveys.db import db
from surveys.invitees import Invitee
from surveys.mail import LINK, deliver_outbox, personal_link
from surveys.models import Instrument, InstrumentVersion, OutboxMail
from tests.conftest import MINI_DEFINITION, make_app
from tests.smtp import smtp_server

TODAY = date.today()


def test_upgrading_takes_stored_links_out_and_queued_mails_still_carry_them(empty_database_url):
    app = make_app(empty_database_url)
    with app.app_context():
        upgrade()
        version = InstrumentVersion(
            instrument=Instrument(key="mini", title="Mini"), number=1, content_hash="0" * 64,
            definition=MINI_DEFINITION,
        )  # fmt: skip
        campaign = create_campaign(
            version, title="Meting", year=TODAY.year, wave=0, mode="personal",
            opens_on=TODAY, closes_on=TODAY + timedelta(days=9),
        )  # fmt: skip
        open_campaign(campaign)
        kept, erased = add_invitations(
            campaign, [Invitee(2, "a@x.example", None, "studenten", None),
                       Invitee(3, "b@x.example", None, "studenten", None)],
        )  # fmt: skip
        send_invitations(campaign)
        link = personal_link(kept)
        old, unknown = db.session.scalars(select(OutboxMail).order_by(OutboxMail.id)).all()
        old.body = old.body.replace(LINK, link)  # as bodies were stored before
        unknown.body = unknown.body.replace(LINK, personal_link(erased))
        erased.token_hash = "0" * 64  # as retention leaves an erased invitation
        db.session.commit()
        downgrade(revision="5d0c7e2a9b41")
        upgrade()

        token = link.rsplit("/", 1)[1]
        mails = db.session.scalars(select(OutboxMail).order_by(OutboxMail.id)).all()
        assert all(token not in m.body and "/s/" + LINK not in m.body for m in mails)
        assert (mails[0].invitation_id, mails[0].state) == (kept.id, "queued")
        assert LINK in mails[0].body and mails[1].state == "failed"
        with smtp_server() as (mail_url, received):
            assert deliver_outbox(mail_url, "monitor@localhost")["sent"] == 1
        [message] = received.messages
        assert message.get_payload(decode=True).decode().count(link) == 2  # link and opt-out
        db.session.remove()
        db.engine.dispose()
