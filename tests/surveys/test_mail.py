"""The outbox delivers mail by mail: a mail that cannot be sent is marked failed with its reason
and does not hold up the others, and a sent mail is marked sent before the next one goes, so a
crash or a second delivery never sends it again."""

import sqlalchemy as sa
from sqlalchemy import select

from surveys.db import db
from surveys.mail import deliver_outbox, queue_mail
from surveys.models import OutboxMail
from tests.smtp import Collector, smtp_server

BROKEN_SUBJECT = "Uitnodiging: Meting\r\nBcc: iedereen@x.example"


def _queue(*subjects: str) -> list[OutboxMail]:
    mails = [queue_mail(f"r{i}@x.example", s, f"Beste {i},") for i, s in enumerate(subjects)]
    db.session.commit()
    return mails


def _states() -> list[tuple[str, str | None]]:
    return db.session.execute(
        select(OutboxMail.state, OutboxMail.error).order_by(OutboxMail.id)
    ).all()


def test_a_mail_with_a_broken_header_fails_alone_and_the_others_go_out(app):
    _queue("Eerste", BROKEN_SUBJECT, "Derde")
    with smtp_server() as (mail_url, received):
        counts = deliver_outbox(mail_url, "monitor@localhost")
        again = deliver_outbox(mail_url, "monitor@localhost")

    assert counts == {"sent": 2, "console": 0, "failed": 1}
    assert again == {"sent": 0, "console": 0, "failed": 0}
    assert [m["To"] for m in received.messages] == ["r0@x.example", "r2@x.example"]
    assert all(m["Bcc"] is None for m in received.messages)
    [first, broken, third] = _states()
    assert first == ("sent", None) and third == ("sent", None)
    assert broken[0] == "failed" and "header" in broken[1].lower()


def test_without_mail_url_a_broken_header_fails_alone_as_well(app, capsys):
    _queue(BROKEN_SUBJECT, "Tweede")
    assert deliver_outbox(None, "monitor@localhost") == {"sent": 0, "console": 1, "failed": 1}
    assert "Bcc: iedereen" not in capsys.readouterr().out
    assert [state for state, _ in _states()] == ["failed", "console"]


class Witness(Collector):
    """Reads the outbox through a connection of its own each time a message arrives: what
    another process (or a crash) would see at that moment."""

    def __init__(self, engine: sa.Engine) -> None:
        super().__init__()
        self.engine = engine
        self.seen: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope):
        with self.engine.connect() as connection:
            rows = connection.execute(select(OutboxMail.state).order_by(OutboxMail.id))
            self.seen.append(list(rows.scalars()))
        return await super().handle_DATA(server, session, envelope)


def test_each_mail_is_marked_sent_before_the_next_one_goes(app):
    _queue("Eerste", "Tweede", "Derde")
    engine = sa.create_engine(db.engine.url)
    witness = Witness(engine)
    try:
        with smtp_server(witness) as (mail_url, _):
            deliver_outbox(mail_url, "monitor@localhost")
    finally:
        engine.dispose()

    assert [states[:i] for i, states in enumerate(witness.seen)] == [
        [],
        ["sent"],
        ["sent", "sent"],
    ]
    assert [state for state, _ in _states()] == ["sent"] * 3


def test_a_mail_another_delivery_has_taken_is_not_sent_again(app):
    taken, free = _queue("Eerste", "Tweede")
    taken.state = "sending"
    db.session.commit()
    with smtp_server() as (mail_url, received):
        assert deliver_outbox(mail_url, "monitor@localhost")["sent"] == 1
    assert [m["To"] for m in received.messages] == [free.recipient]
