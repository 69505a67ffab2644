"""Outgoing mail: every message is kept in the outbox table, then delivered by SMTP (`MAIL_URL`)
or, with no MAIL_URL, written to the console for the operator to see."""

import contextlib
import logging
import smtplib
import ssl
import sys
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from surveys.db import db
from surveys.models import OutboxMail

log = logging.getLogger(__name__)


class MailConfigError(ValueError):
    """MAIL_URL cannot be understood."""


def _smtp(mail_url: str) -> smtplib.SMTP:
    """Connect and log in as MAIL_URL says: smtp://[user:pass@]host[:port][?starttls=1] or smtps://."""
    url = urlsplit(mail_url)
    if url.scheme not in {"smtp", "smtps"} or not url.hostname:
        raise MailConfigError("MAIL_URL must look like smtp://user:password@host:587")
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
    recipient: str, subject: str, body: str, campaign_id: int | None = None
) -> OutboxMail:
    """Add a mail to the outbox (sent by `deliver_outbox` after the transaction commits)."""
    mail = OutboxMail(recipient=recipient, subject=subject, body=body, campaign_id=campaign_id)
    db.session.add(mail)
    return mail


def deliver_outbox(mail_url: str | None, sender: str) -> dict[str, int]:
    """Send every queued mail; one SMTP connection for the batch. Returns counts per state."""
    queued = db.session.scalars(
        db.select(OutboxMail).where(OutboxMail.state == "queued").order_by(OutboxMail.id)
    ).all()
    counts = {"sent": 0, "console": 0, "failed": 0}
    if not queued:
        return counts
    server = None
    try:
        if mail_url:
            server = _smtp(mail_url)
        for mail in queued:
            if server is None:
                sys.stdout.write(
                    f"--- mail (no MAIL_URL) ---\nTo: {mail.recipient}\nSubject: {mail.subject}\n\n"
                    f"{mail.body}\n--- end ---\n"
                )
                mail.state = "console"
            else:
                message = EmailMessage()
                message["From"], message["To"], message["Subject"] = (
                    sender,
                    mail.recipient,
                    mail.subject,
                )
                message.set_content(mail.body)
                try:
                    server.send_message(message)
                    mail.state = "sent"
                except smtplib.SMTPException as error:
                    mail.state, mail.error = "failed", type(error).__name__
                    log.warning("mail %s failed: %s", mail.id, type(error).__name__)
            counts[mail.state] += 1
    except (OSError, smtplib.SMTPException) as error:
        log.error("SMTP server unreachable: %s", type(error).__name__)
        for mail in queued:
            if mail.state == "queued":
                mail.state, mail.error = "failed", f"SMTP: {type(error).__name__}"
                counts["failed"] += 1
    finally:
        if server is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                server.quit()
    db.session.commit()
    return counts
