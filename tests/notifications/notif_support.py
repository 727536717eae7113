"""Helpers for the notifications tests: a planner-only event bus, units of work at a given
time, and a real SMTP server (aiosmtpd) on loopback."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy import Engine
from sqlmodel import Session

from decisions.terms import LocalityConfig
from notifications import planner
from tests.principals import as_principal
from workflows.events import EventBus, UnitOfWork


def planner_bus() -> EventBus:
    bus = EventBus()
    planner.install(bus)
    return bus


@contextmanager
def uow_at(engine: Engine, config: LocalityConfig, now: datetime, bus: EventBus | None = None,
           actor: str = "secretary") -> Iterator[UnitOfWork]:
    with Session(engine, expire_on_commit=False) as session:
        yield UnitOfWork(session, config, now, as_principal(actor), bus or planner_bus())
        session.commit()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Inbox:
    """What the SMTP server received: parsed messages, in order."""

    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    arrived: threading.Condition = field(init=False)
    hold_at: int | None = None
    """Block the DATA of message number ``hold_at`` (1-based) until ``release`` is set."""
    held: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.arrived = threading.Condition(self.lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            number = len(self.messages) + 1
        if self.hold_at is not None and number == self.hold_at:
            self.held.set()
            while not self.release.is_set():  # the test kills the client meanwhile
                import asyncio
                await asyncio.sleep(0.05)
            return "451 4.3.0 try again later"
        msg = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(msg, EmailMessage)
        with self.arrived:
            self.messages.append(msg)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self.arrived.notify_all()
        return "250 OK"

    def wait_for(self, n: int, timeout: float = 60.0) -> bool:
        with self.arrived:
            return self.arrived.wait_for(lambda: len(self.messages) >= n, timeout)


@contextmanager
def smtp_server(inbox: Inbox | None = None) -> Iterator[tuple[Inbox, int]]:
    """aiosmtpd on 127.0.0.1 with a port picked first (port=0 breaks its Controller)."""
    inbox = inbox or Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        inbox.release.set()
        controller.stop()
