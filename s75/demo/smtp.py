"""A real SMTP server on loopback for the demo (aiosmtpd), collecting what it receives."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    """aiosmtpd's Controller cannot take port 0 (it probes the port it was given): pick one."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Inbox:
    messages: list[Message] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        self.recipients.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


class LocalSmtp:
    """``with LocalSmtp() as smtp:`` — a server on 127.0.0.1:``smtp.port`` until the block ends."""

    def __init__(self) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> LocalSmtp:
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._controller.stop()
