"""process_due's own deadline rows in Core: the due deadlines read as plain rows (one
prepared SELECT, no ORM row loaded) and their changes written as one executemany UPDATE a
clock step, where the ORM loaded and flushed a mapped row each.

A :class:`DueRow` carries the same attributes as a :class:`DeadlineRow`, so the deadline
rules and the messages read either. A deadline the session already holds as a mapped row
is processed as that row (its changes flushed as before). While the agenda is published at
its deadline, the MeetingPublished handler closes the plain rows it meets in place
(:func:`held_row`; put back as they were if the savepoint is rolled back: :func:`restore`),
and a due deadline another handler loads as a mapped row is processed as that row
afterwards (:func:`adopt`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, event
from sqlmodel import Session

from notifications.tables import DeadlineRow
from workflows.prepared import Prepared, connection

COLUMNS = ("id", "key", "kind", "subject_type", "subject_id", "title", "rule", "body_id",
           "meeting_id", "proposal_id", "owner_id", "owner_email", "due_at", "reminder_at",
           "next_at", "state", "closed_at", "outcome", "created_at", "details")
CHANGED = ("state", "outcome", "closed_at", "next_at", "details")
"""The columns process_due changes (the others are the plan's)."""


class DueRow:
    """A deadline as a plain row (the columns of :class:`DeadlineRow`)."""

    __slots__ = (*COLUMNS, "_was")
    id: int | None
    key: str
    kind: str
    subject_type: str
    subject_id: str
    title: str
    rule: str
    body_id: str | None
    meeting_id: int | None
    proposal_id: int | None
    owner_id: str | None
    owner_email: str
    due_at: datetime
    reminder_at: list[Any]
    next_at: datetime | None
    state: str
    closed_at: datetime | None
    outcome: str
    created_at: datetime
    details: dict[str, Any]
    _was: tuple[Any, ...]

    def __init__(self, values: Sequence[Any]) -> None:
        for name, value in zip(COLUMNS, values, strict=True):
            setattr(self, name, value)
        self._was = self.changed()

    def changed(self) -> tuple[Any, ...]:
        return (self.state, self.outcome, self.closed_at, self.next_at, self.details)

    @property
    def dirty(self) -> bool:
        return self.changed() != self._was

    def written(self) -> None:
        self._was = self.changed()


Deadline = DeadlineRow | DueRow
"""A deadline process_due works on: mapped, or a plain row."""

_DUE: list[Prepared] = []
_TIMES = tuple(COLUMNS.index(c) for c in ("due_at", "next_at", "closed_at", "created_at"))
"""The due read's times: many deadlines share one (a step's moment, the plan's time), each
converted once a read (a datetime is not changed in place; the JSON columns are)."""
_WRITE: list[Prepared] = []


def _table() -> Any:
    return DeadlineRow.__table__  # type: ignore[attr-defined]


def _flushed(session: Session) -> Connection:
    """The session's connection, its pending changes flushed first (what a query through the
    session would flush)."""
    if session.new or session.dirty or session.deleted:
        session.flush()
    return connection(session)


def due(session: Session, now: datetime) -> list[Deadline]:
    """The pending deadlines whose next moment has come: plain rows, or the session's mapped
    row for a deadline it already holds."""
    if not _DUE:
        t = _table()
        _DUE.append(Prepared(t.select().with_only_columns(*(t.c[c] for c in COLUMNS))
                             .where(t.c.state == "pending")
                             .where(t.c.next_at <= bindparam("now", type_=t.c.next_at.type)),
                             shared=_TIMES))
    out: list[Deadline] = []
    rows = _DUE[0].rows(_flushed(session), {"now": now})
    held_rows = session.identity_map
    if not len(held_rows):  # the clock step's first read: the session holds no row yet
        return [DueRow(values) for values in rows]
    for values in rows:  # the identity key as Session.identity_key builds it
        held = held_rows.get((DeadlineRow, (values[0],), None))
        out.append(held if isinstance(held, DeadlineRow) else DueRow(values))
    return out


def write(session: Session, rows: Sequence[Deadline]) -> None:
    """The changes of the plain rows among ``rows``, as one executemany UPDATE."""
    dirty = [r for r in rows if isinstance(r, DueRow) and r.dirty]
    if not dirty:
        return
    if not _WRITE:
        t = _table()
        _WRITE.append(Prepared(t.update().where(t.c.id == bindparam("row_id"))
                               .values({c: bindparam(c, type_=t.c[c].type) for c in CHANGED})))
    params = [{"row_id": r.id, "state": r.state, "outcome": r.outcome, "closed_at": r.closed_at,
               "next_at": r.next_at, "details": r.details} for r in dirty]
    _WRITE[0].execute_many(connection(session), params)
    for r in dirty:
        r.written()


_HELD = "s75.due_rows"


@contextmanager
def held(session: Session, rows: Sequence[Deadline]) -> Iterator[None]:
    """Meanwhile the plain rows among ``rows`` are what :func:`held_row` finds (the event
    handlers close one in place of its database row, whose change it writes later)."""
    session.info[_HELD] = {r.id: r for r in rows if isinstance(r, DueRow)}
    try:
        yield
    finally:
        session.info.pop(_HELD, None)


def held_row(session: Session, deadline_id: int) -> DueRow | None:
    found: dict[int, DueRow] = session.info.get(_HELD) or {}
    return found.get(deadline_id)


def snapshot(rows: Sequence[Deadline]) -> list[tuple[DueRow, tuple[Any, ...]]]:
    """What the plain rows hold now, for :func:`restore` (a rolled-back savepoint)."""
    return [(r, r.changed()) for r in rows if isinstance(r, DueRow)]


def restore(was: list[tuple[DueRow, tuple[Any, ...]]]) -> None:
    for r, values in was:
        r.state, r.outcome, r.closed_at, r.next_at, r.details = values


_PENDING: list[Prepared] = []


def pending_ids(session: Session, meeting_id: int, kinds: Sequence[str]) -> list[int]:
    """The ids of the meeting's pending deadlines of ``kinds`` (two at most), in due order,
    found through the meeting's index (as :func:`store.find` finds them), after the
    session's changes are flushed."""
    if not _PENDING:
        t = _table()
        _PENDING.append(Prepared(t.select().with_only_columns(t.c.id)
                                 .where(t.c.kind.in_([bindparam("kind_0"),
                                                      bindparam("kind_1")]))
                                 .where(t.c.meeting_id == bindparam("meeting_id"))
                                 .where(t.c.state.concat("") == "pending")
                                 .order_by(t.c.due_at, t.c.id)))
    assert 1 <= len(kinds) <= 2
    params = {"meeting_id": meeting_id, "kind_0": kinds[0], "kind_1": kinds[-1]}
    return [int(i) for (i,) in _PENDING[0].rows(_flushed(session), params)]


@contextmanager
def loading(session: Session) -> Iterator[dict[int, DeadlineRow]]:
    """The deadline rows the session loads meanwhile, by id (held, so the session's
    identity map, which holds a clean row only while something refers to it, keeps them)."""
    seen: dict[int, DeadlineRow] = {}

    def loaded(_session: Session, instance: object) -> None:
        if isinstance(instance, DeadlineRow) and instance.id is not None:
            seen[instance.id] = instance

    listener: Callable[[Session, object], None] = loaded
    event.listen(session, "loaded_as_persistent", listener)
    try:
        yield seen
    finally:
        event.remove(session, "loaded_as_persistent", listener)


def adopt(session: Session, rows: list[Deadline], start: int, seen: dict[int, DeadlineRow]
          ) -> None:
    """From ``start`` on, a plain row the session now holds as a mapped row (loaded by an
    event handler meanwhile: ``seen``, or still in its identity map) is replaced by that
    row, which carries what the handler changed."""
    for i in range(start, len(rows)):
        r = rows[i]
        if isinstance(r, DueRow) and r.id is not None:
            held = seen.get(r.id) or session.identity_map.get(
                session.identity_key(DeadlineRow, r.id))
            if isinstance(held, DeadlineRow):
                rows[i] = held


_PUBLICATION: list[Prepared] = []


def publication_state(session: Session, meeting_id: int | None) -> str | None:
    """The state of the meeting's (first) publication deadline, or None: one column read,
    after the session's changes are flushed."""
    if not _PUBLICATION:
        t = _table()
        _PUBLICATION.append(Prepared(t.select().with_only_columns(t.c.state)
                                     .where(t.c.kind == "publication")
                                     .where(t.c.meeting_id == bindparam("meeting_id"))
                                     .order_by(t.c.due_at, t.c.id).limit(1)))
    found = _PUBLICATION[0].rows(_flushed(session), {"meeting_id": meeting_id})
    return str(found[0][0]) if found else None


_PLANNED: dict[int, Prepared] = {}


def planned_keys(session: Session, keys: Sequence[str]) -> set[str]:
    """Which of ``keys`` are planned deadlines: one prepared SELECT per number of keys."""
    stmt = _PLANNED.get(len(keys))
    if stmt is None:
        t = _table()
        stmt = _PLANNED[len(keys)] = Prepared(
            t.select().with_only_columns(t.c.key)
            .where(t.c.key.in_([bindparam(f"key_{i}", type_=t.c.key.type)
                                for i in range(len(keys))])))
    rows = stmt.rows(_flushed(session), {f"key_{i}": k for i, k in enumerate(keys)})
    return {str(k) for (k,) in rows}
