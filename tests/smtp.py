"""A real SMTP server on loopback for tests (aiosmtpd), collecting what it receives."""

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.message import Message

from aiosmtpd.controller import Controller


class Collector:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def smtp_server(collector: Collector | None = None) -> Iterator[tuple[str, Collector]]:
    """Yields (MAIL_URL, collector) while a local SMTP server runs (a new Collector unless one
    is given: a subclass can look around as each message arrives)."""
    collector = collector or Collector()
    port = free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{port}", collector
    finally:
        controller.stop()
