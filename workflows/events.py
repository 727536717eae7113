"""Domain events and the unit of work.

Every state change in the engine happens inside a :class:`UnitOfWork`: one database
transaction that also carries the time, the actor and the configuration. ``uow.emit`` appends
the hash-chained audit event and then calls each subscribed handler *in the same transaction*,
which is how notifications/ creates deadlines and outbox messages for an event without
workflows/ or decisions/ importing it (the app shell subscribes the handlers: s75/wiring.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session

from decisions.terms import LocalityConfig


@dataclass(frozen=True)
class DomainEvent:
    name: str
    """Dotted name, e.g. ``meeting.scheduled``, ``item.decided``, ``proposal.fired``."""
    subject_type: str
    subject_id: str
    at: datetime
    actor: str
    data: dict[str, Any] = field(default_factory=dict)


Handler = Callable[["UnitOfWork", DomainEvent], None]


@dataclass
class EventBus:
    handlers: list[tuple[str, Handler]] = field(default_factory=list)

    def subscribe(self, prefix: str, handler: Handler) -> None:
        """Call ``handler`` for every event whose name starts with ``prefix`` ("" for all)."""
        self.handlers.append((prefix, handler))

    def publish(self, uow: UnitOfWork, event: DomainEvent) -> None:
        for prefix, handler in self.handlers:
            if event.name.startswith(prefix):
                handler(uow, event)


@dataclass
class UnitOfWork:
    session: Session
    config: LocalityConfig
    now: datetime
    actor: str
    bus: EventBus = field(default_factory=EventBus)

    def emit(self, name: str, subject_type: str, subject_id: object, *,
             from_state: str | None = None, to_state: str | None = None,
             **data: Any) -> DomainEvent:
        """Record the event in the audit chain and hand it to the subscribers."""
        from workflows.audit import append_event

        event = DomainEvent(name, subject_type, str(subject_id), self.now, self.actor, data)
        append_event(self.session, at=self.now, actor=self.actor, subject_type=subject_type,
                     subject_id=str(subject_id), action=name, from_state=from_state,
                     to_state=to_state, payload=data)
        self.bus.publish(self, event)
        return event
