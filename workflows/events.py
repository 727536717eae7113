"""Typed domain events and the unit of work.

Every state change happens inside a :class:`UnitOfWork`: one database transaction that also
carries the time, the acting principal and the configuration. An event is a frozen dataclass
(a subclass of :class:`DomainEvent`) with its subject and typed fields, raised where the state
changes with ``uow.emit(SomethingHappened(...))``: that appends the hash-chained audit event
(recording the principal) and calls each handler subscribed to the event's type (or to one of
its base classes) *in the same transaction*. That is how notifications/ creates deadlines and
outbox messages without workflows/ or decisions/ importing it (s75/wiring.py subscribes them).

Subscribing to anything but a declared event type fails when the bus is built (at start-up).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Protocol, TypeVar, cast

from sqlalchemy import Connection
from sqlmodel import Session

from decisions.principals import Principal
from decisions.terms import LocalityConfig

EVENT_TYPES: dict[str, type[DomainEvent]] = {}
"""Every declared event type by its audit name (``meeting.published``); abstract bases are
registered under their class name."""


@dataclass(frozen=True)
class DomainEvent:
    """Base of every event. Subclasses set ``name`` (the audit action, e.g.
    ``meeting.published``), ``subject_type`` and ``subject_field`` (the field holding the
    subject's id), and declare their data as dataclass fields."""

    name: ClassVar[str] = ""
    subject_type: ClassVar[str] = ""
    subject_field: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        key = cls.__dict__.get("name") or cls.__name__
        if key in EVENT_TYPES and EVENT_TYPES[key].__qualname__ != cls.__qualname__:
            raise TypeError(f"event name {key!r} is declared twice: "
                            f"{EVENT_TYPES[key].__qualname__} and {cls.__qualname__}")
        EVENT_TYPES[key] = cls

    @property
    def subject_id(self) -> str:
        return str(getattr(self, self.subject_field))

    @property
    def action(self) -> str:
        """The audit log's name for what happened."""
        return self.name

    def states(self) -> tuple[str | None, str | None]:
        """(from, to) for the audit log, where the event moves a state."""
        return None, None

    def audit_subject_type(self) -> str:
        """The kind of subject, as the audit log records it."""
        return self.subject_type

    def payload(self) -> dict[str, Any]:
        names = _FIELD_NAMES.get(type(self))
        if names is None:
            names = _FIELD_NAMES[type(self)] = tuple(f.name for f in dataclasses.fields(self))
        return {n: getattr(self, n) for n in names}


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
"""Each event type's field names, in order (``dataclasses.fields`` works them out each call)."""


@dataclass(frozen=True)
class Transitioned(DomainEvent):
    """A workflow trigger fired (workflows/engine.py). Each workflow declares its own subclass
    (``ProposalMoved``, ``ItemMoved``) with the ids its subscribers need; the audit name is
    ``<event_prefix>.<trigger>``."""

    prefix: ClassVar[str] = ""
    trigger: str = ""
    from_state: str = ""
    to_state: str = ""
    facts: dict[str, Any] = field(default_factory=dict)
    renders: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    """What the transition's effects returned (e.g. due dates)."""

    @property
    def action(self) -> str:
        return f"{self.prefix}.{self.trigger}"

    def states(self) -> tuple[str | None, str | None]:
        return self.from_state, self.to_state


TRANSITION_EVENTS: dict[str, type[Transitioned]] = {}
"""Workflow definition name -> its Transitioned subclass (see :func:`transition_event`)."""

T = TypeVar("T", bound=type[Transitioned])


def transition_event(workflow: str) -> Callable[[T], T]:
    """Declare the event type a workflow's triggers raise."""

    def register(cls: T) -> T:
        TRANSITION_EVENTS[workflow] = cls
        return cls

    return register


@dataclass(frozen=True)
class SubjectMoved(Transitioned):
    """A trigger fired in a workflow that declares no event type of its own (a definition
    loaded from a file for a new kind of subject): named by its definition's prefix."""

    workflow_prefix: str = ""
    subject_kind: str = ""
    subject_ref: int | str = ""

    @property
    def action(self) -> str:
        return f"{self.workflow_prefix}.{self.trigger}"

    @property
    def subject_id(self) -> str:
        return str(self.subject_ref)

    def payload(self) -> dict[str, Any]:
        return {f"{self.workflow_prefix}_id": self.subject_ref, **super().payload()}

    def audit_subject_type(self) -> str:
        return self.subject_kind


E = TypeVar("E", bound=DomainEvent)
T_Row = TypeVar("T_Row")


class ConnectionSource(Protocol):
    """Where a unit of work opened on a connection gets it (checked out and begun at its first
    use) and its ORM session (made on that connection, once)."""

    def connection(self) -> Connection: ...

    def session(self) -> Session: ...
Handler = Callable[["UnitOfWork", Any], None]


@dataclass(frozen=True, eq=False)
class ReadAhead:
    """A row a subscriber reads after an action on a row of some class (the deadline planner's
    month's gateway deadline, after a trigger on a proposal): read with that row, in its one
    SELECT on the hot path (outer-joined by ``table.<key_column> = key(uow, row id)``), and
    kept for the subscriber (:meth:`UnitOfWork.read_ahead`) while the unit of work has no
    session."""

    name: str
    table: Any
    key_column: str
    columns: tuple[str, ...]
    key: Callable[[UnitOfWork, Any], str]


NOT_READ = object()
""":meth:`UnitOfWork.read_ahead`'s answer when the row was not read ahead."""


@dataclass
class EventBus:
    handlers: dict[type[DomainEvent], list[Handler]] = field(default_factory=dict)
    ahead: dict[type, tuple[ReadAhead, ...]] = field(default_factory=dict)
    """By row class: what subscribers read after an action on a row of it (read with it)."""

    def read_with(self, row_class: type, ahead: ReadAhead) -> None:
        """Read ``ahead`` with each row of ``row_class`` the hot path reads (once per name)."""
        kept = self.ahead.get(row_class, ())
        if all(a.name != ahead.name for a in kept):
            self.ahead[row_class] = (*kept, ahead)

    def subscribe(self, event_type: type[E], handler: Callable[[UnitOfWork, E], None]) -> None:
        """Call ``handler`` for every event of ``event_type`` (or a subclass of it)."""
        if not (isinstance(event_type, type) and issubclass(event_type, DomainEvent)
                and event_type in EVENT_TYPES.values()):
            known = ", ".join(sorted(t.__name__ for t in EVENT_TYPES.values()))
            raise TypeError(f"cannot subscribe {getattr(handler, '__name__', handler)!r} to "
                            f"{event_type!r}: not a declared domain event type; known: {known}")
        self.handlers.setdefault(event_type, []).append(handler)

    def publish(self, uow: UnitOfWork, event: DomainEvent) -> None:
        for cls in type(event).__mro__:
            for handler in self.handlers.get(cls, ()):
                handler(uow, event)


class UnitOfWork:
    """One transaction: its ORM ``session`` (given, or made at its first use by the connection
    ``source`` the unit of work was opened with, bound to that connection), the time, the
    acting principal, the configuration and the event bus.

    Opened on a connection source (``App.unit_of_work``), the hot path (a trigger) runs on
    :attr:`connection` alone: the rows it reads on it are kept in :attr:`rows` and are placed
    in the session if one is made later in the transaction, so either way each row is loaded
    once and every write is in the same transaction."""

    def __init__(self, session: Session | None, config: LocalityConfig, now: datetime,
                 principal: Principal, bus: EventBus | None = None,
                 entered_at: datetime | None = None, *,
                 source: ConnectionSource | None = None) -> None:
        if session is None and source is None:
            raise TypeError("a unit of work needs a session or a connection source")
        self._session = session
        self._source = source
        self.config = config
        self.now = now
        self.principal = principal
        self.bus = bus if bus is not None else EventBus()
        self.entered_at = entered_at
        """The real time, when the action is entered as of an earlier or later ``now``
        (back-entry with ``--now``): recorded in each audit event's payload as
        ``back_entry``."""
        self.rows: dict[tuple[type, Any], Any] = {}
        """Rows read on :attr:`connection` before the session was made (by class and id)."""
        self.info: dict[str, Any] = {}
        """What the hot path keeps for the transaction before the session is made (moved into
        ``session.info`` when it is)."""
        self.ahead: dict[tuple[str, str], Any] = {}
        """Rows read ahead (:class:`ReadAhead`) by (name, key): their columns, or None where
        there was none; forgotten when the session is made."""

    @property
    def has_session(self) -> bool:
        """Whether the ORM session exists (was given, or made since)."""
        return self._session is not None

    @property
    def session(self) -> Session:
        """The ORM session of the transaction (made now if it was not yet, on the unit of
        work's connection, holding the rows read so far)."""
        s = self._session
        if s is None:
            assert self._source is not None
            s = self._session = self._source.session()
            for row in self.rows.values():
                s.add(row)  # detached with its loaded values: persistent, nothing to flush
            s.info.update(self.info)
            self.rows.clear()
            self.info.clear()
            self.ahead.clear()
        return s

    def read_ahead(self, name: str, key: str) -> Any:
        """The columns of the row ``name`` by ``key`` read ahead (None: there is none), taken
        once; :data:`NOT_READ` if it was not read ahead, or a session exists (whatever it has
        written since is read from the database)."""
        if self._session is not None:
            return NOT_READ
        return self.ahead.pop((name, key), NOT_READ)

    @property
    def connection(self) -> Connection:
        """The transaction's connection, in its transaction (the session's, once it exists)."""
        if self._session is not None:
            from workflows.prepared import connection

            return connection(self._session)
        assert self._source is not None
        return self._source.connection()

    def get(self, cls: type[T_Row], ident: Any) -> T_Row | None:
        """``session.get``: a row read on the connection, or by the session (made now)."""
        if self._session is None:
            found = self.rows.get((cls, ident))
            if found is not None:
                return cast(T_Row, found)
        return self.session.get(cls, ident)

    @property
    def actor(self) -> str:
        """The principal's id, as the audit log records it."""
        return self.principal.id

    def emit(self, event: E) -> E:
        """Record ``event`` in the audit chain and hand it to the subscribers."""
        from workflows.audit import append_event_on

        before, after = event.states()
        payload = event.payload()
        if self.entered_at is not None:
            payload["back_entry"] = {"entered_at": self.entered_at.isoformat(),
                                     "as_of": self.now.isoformat()}
        append_event_on(self.connection, at=self.now, actor=self.principal.id,
                        subject_type=event.audit_subject_type(), subject_id=event.subject_id,
                        action=event.action, from_state=before, to_state=after,
                        payload=payload)
        self.bus.publish(self, event)
        return event
