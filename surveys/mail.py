"""Outgoing mail: every message is kept in the outbox table, then delivered mail by mail by SMTP
(`MAIL_URL`) or, with no MAIL_URL, written to the console for the operator to see.

No usable personal link is ever stored: a mail for an invitation keeps `LINK` where its link goes,
and delivery puts the link in (recomputed from the invitation's salt with SECRET_KEY) only in the
message it hands to the SMTP server or the console. The outbox, and every backup of it, holds the
text of each mail without the credential in it (docs/security.md, "Mail").
"""

import contextlib
import logging
import smtplib
import ssl
import sys
from email.message import EmailMessage
from urllib.parse import SplitResult, unquote, urlsplit

from flask import current_app
from sqlalchemy import select, update

from surveys.db import db
from surveys.models import Invitation, OutboxMail
from surveys.tokens import invitation_token

log = logging.getLogger(__name__)

#: stands in a stored mail body where the invitation's personal link goes
LINK = "[persoonlijke link]"
#: the longest failure reason kept (outbox_mails.error)
REASON_LENGTH = 300
#: mails a delivery takes in one commit before sending them one by one
TAKE = 50


class MailConfigError(ValueError):
    """MAIL_URL cannot be understood."""


def personal_link(invitation: Invitation) -> str:
    """The personal link of an invitation. It is recomputed whenever it is needed and lives only
    in memory and in the mail that carries it."""
    token = invitation_token(current_app.config["SECRET_KEY"], invitation.token_salt)
    return f"{current_app.config['PUBLIC_URL']}/s/{token}"


def _mail_url(mail_url: str) -> SplitResult:
    url = urlsplit(mail_url)
    if url.scheme not in {"smtp", "smtps"} or not url.hostname:
        raise MailConfigError("MAIL_URL must look like smtp://user:password@host:587")
    return url


def _smtp(url: SplitResult) -> smtplib.SMTP:
    """Connect and log in as MAIL_URL says: smtp://[user:pass@]host[:port][?starttls=1] or smtps://."""
    if url.scheme == "smtps":
        server: smtplib.SMTP = smtplib.SMTP_SSL(
            url.hostname, url.port or 465, timeout=30, context=ssl.create_default_context()
        )
    else:
        server = smtplib.SMTP(url.hostname, url.port or 25, timeout=30)
        if "starttls=1" in url.query:
            server.starttls(context=ssl.create_default_context())
    if url.username:
        server.login(unquote(url.username), unquote(url.password or ""))
    return server


def queue_mail(
    recipient: str,
    subject: str,
    body: str,
    campaign_id: int | None = None,
    invitation: Invitation | None = None,
) -> OutboxMail:
    """Add a mail to the outbox (sent by `deliver_outbox` after the transaction commits). With an
    `invitation`, every `LINK` in the body becomes its personal link when the mail is sent."""
    mail = OutboxMail(
        recipient=recipient,
        subject=subject,
        body=body,
        campaign_id=campaign_id,
        invitation=invitation,
    )
    db.session.add(mail)
    return mail


def _message(mail: OutboxMail, sender: str) -> EmailMessage:
    """The message as it goes out, personal link filled in; ValueError on a header that cannot
    be sent (a line break in the subject)."""
    body = mail.body
    if mail.invitation is not None:
        body = body.replace(LINK, personal_link(mail.invitation))
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, mail.recipient, mail.subject
    message.set_content(body)
    return message


def _failed(mail: OutboxMail, error: Exception, prefix: str = "") -> tuple[str, str]:
    """The state and reason of a mail that could not be sent. The log names only the kind of
    error: the reason itself may quote the address, which stays in the outbox row."""
    log.warning("mail %s failed: %s%s", mail.id, prefix, type(error).__name__)
    return "failed", f"{prefix}{type(error).__name__}: {error}"[:REASON_LENGTH]


def _take(mail_ids: list[int]) -> list[int]:
    """Claim those of `mail_ids` that are still queued for this delivery (state "sending", one
    commit), so that no other delivery running at the same time sends them too."""
    taken = db.session.scalars(
        update(OutboxMail)
        .where(OutboxMail.id.in_(mail_ids), OutboxMail.state == "queued")
        .values(state="sending")
        .returning(OutboxMail.id)
    ).all()
    db.session.commit()
    return sorted(taken)


class _Delivery:
    """One run over the outbox: the SMTP connection, opened when the first mail needs it and
    opened again after the server dropped it; once it cannot be opened, the reason why."""

    def __init__(self, mail_url: str | None, sender: str) -> None:
        self.url = _mail_url(mail_url) if mail_url else None
        self.sender = sender
        self.server: smtplib.SMTP | None = None
        self.unreachable: str | None = None

    def send(self, mail: OutboxMail) -> tuple[str, str | None]:
        """Hand one mail over; its new state and, if it failed, why."""
        if self.unreachable:
            return "failed", self.unreachable
        try:
            message = _message(mail, self.sender)
        except ValueError as error:
            return _failed(mail, error)
        if self.url is None:
            sys.stdout.write(
                f"--- mail (no MAIL_URL) ---\nTo: {message['To']}\nSubject: {message['Subject']}"
                f"\n\n{message.get_content()}--- end ---\n"
            )
            return "console", None
        if self.server is None:
            try:
                self.server = _smtp(self.url)
            except (OSError, smtplib.SMTPException) as error:
                state, self.unreachable = _failed(mail, error, "SMTP: ")
                return state, self.unreachable
        try:
            self.server.send_message(message)
        except (OSError, smtplib.SMTPException, ValueError) as error:
            if isinstance(error, (OSError, smtplib.SMTPServerDisconnected)):
                self.close()  # the next mail connects again
            return _failed(mail, error)
        return "sent", None

    def close(self) -> None:
        if self.server is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self.server.quit()
            self.server = None


def deliver_outbox(mail_url: str | None, sender: str) -> dict[str, int]:
    """Send every queued mail, one at a time, and return how many went per state.

    Mails are taken for this delivery (up to `TAKE` in a commit), then each is handed over and
    marked "sent", "console" or "failed" (with its reason) in a commit of its own before the next
    one goes: a mail that cannot be sent
    (a broken header, an address the server refuses) fails alone, and a crash halfway never sends
    the first part again. Once the server cannot be reached, the rest fails with that reason.
    """
    counts = {"sent": 0, "console": 0, "failed": 0}
    queued = db.session.scalars(
        select(OutboxMail.id).where(OutboxMail.state == "queued").order_by(OutboxMail.id)
    ).all()
    if not queued:
        return counts
    delivery = _Delivery(mail_url, sender)
    try:
        for start in range(0, len(queued), TAKE):
            for mail_id in _take(queued[start : start + TAKE]):
                mail = db.session.get(OutboxMail, mail_id)
                mail.state, mail.error = delivery.send(mail)
                db.session.commit()
                counts[mail.state] += 1
    finally:
        delivery.close()
    return counts
