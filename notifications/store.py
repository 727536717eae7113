"""Deadline rows: insert or update a planned deadline (by its unique key), close deadlines,
and find what is due next. Used by the planner (inside the event's transaction) and by
process_due."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from notifications.deadlines import PlannedDeadline
from notifications.due_rows import Deadline
from notifications.tables import DeadlineRow
from workflows.events import NOT_READ, ReadAhead, UnitOfWork
from workflows.prepared import Prepared, connection

OPEN = "pending"


def next_at(row: Deadline, now: datetime | None = None) -> datetime | None:
    """The next moment process_due has work for this deadline: its next reminder still to
    come, else its due time; None once closed."""
    if row.state != OPEN:
        return None
    sent = set(row.details.get("reminded", []))
    for iso in row.reminder_at:
        if iso not in sent:
            return min(datetime.fromisoformat(iso), row.due_at)
    return row.due_at


def upsert(session: Session, p: PlannedDeadline, now: datetime) -> DeadlineRow:
    """Create the deadline, or move a pending one to its new due time (a rescheduled meeting).
    A closed deadline (met, missed, waived) is left as it is."""
    row = session.exec(select(DeadlineRow).where(DeadlineRow.key == p.key)).first()
    if row is None:
        row = new_row(p, now)
    elif row.state != OPEN:
        return row
    else:
        _apply(row, p)
    session.add(row)
    session.flush()
    return row


def new_row(p: PlannedDeadline, now: datetime) -> DeadlineRow:
    """The row of a deadline planned for the first time (not yet added to a session)."""
    row = DeadlineRow(key=p.key, kind=p.kind, subject_type=p.subject_type,
                      subject_id=p.subject_id, created_at=now, due_at=p.due_at,
                      owner_email=p.owner_email, details={})
    _apply(row, p)
    return row


def _apply(row: DeadlineRow, p: PlannedDeadline) -> None:
    row.title, row.rule, row.owner_id, row.owner_email = p.title, p.rule, p.owner_id, p.owner_email
    row.body_id, row.meeting_id, row.proposal_id = p.body_id, p.meeting_id, p.proposal_id
    row.due_at = p.due_at
    row.reminder_at = [t.isoformat() for t in p.reminder_at]
    row.details = {**row.details, **p.details}
    row.next_at = next_at(row)


_COMPARED = ("state", "title", "rule", "owner_id", "owner_email", "body_id", "meeting_id",
             "proposal_id", "due_at", "reminder_at", "details")


_PLANNED: list[Prepared] = []


def _planned() -> Prepared:
    """The compared columns of one deadline by its key, built and compiled once (a trigger in
    shadow operation plans its month's gateway deadline every time)."""
    if not _PLANNED:
        table: Any = DeadlineRow.__table__  # type: ignore[attr-defined]
        _PLANNED.append(Prepared(select(*(table.c[c] for c in _COMPARED))
                                 .where(table.c.key == bindparam("key"))))
    return _PLANNED[0]


def plan(session: Session, p: PlannedDeadline, now: datetime) -> None:
    """:func:`upsert`, for callers that do not need the row: when the deadline exists and the
    plan changes nothing in it (or it is closed), only its compared columns are read (one
    prepared SELECT, no ORM row); otherwise it is written as :func:`upsert` writes it."""
    if session.new or session.dirty or session.deleted:
        session.flush()  # what the session's own execute would flush first
    found = next(iter(_planned().rows(connection(session), {"key": p.key})), None)
    if not _unchanged(found, p):
        upsert(session, p, now)


def read_ahead(key: Callable[[UnitOfWork, Any], str]) -> ReadAhead:
    """The compared columns of the deadline whose key is ``key(uow, row id)``, to be read with
    the row an action reads (:meth:`~workflows.events.EventBus.read_with`) and found there by
    :func:`plan_in`."""
    return ReadAhead("deadline", DeadlineRow.__table__,  # type: ignore[attr-defined]
                     "key", _COMPARED, key)


def plan_in(uow: UnitOfWork, p: PlannedDeadline) -> None:
    """:func:`plan` in a unit of work: while it has no ORM session, the deadline is the one
    read ahead with the action's row (:func:`read_ahead`), or else read on its connection, and
    the session made only if the deadline is to be written."""
    if uow.has_session:
        plan(uow.session, p, uow.now)
        return
    found = uow.read_ahead("deadline", p.key)
    if found is NOT_READ:
        found = next(iter(_planned().rows(uow.connection, {"key": p.key})), None)
    if not _unchanged(found, p):
        upsert(uow.session, p, uow.now)


def _unchanged(found: tuple[Any, ...] | None, p: PlannedDeadline) -> bool:
    """Whether the deadline exists (``found``: its compared columns) and the plan changes
    nothing in it (or it is closed)."""
    if found is None:
        return False
    (state, title, rule, owner_id, owner_email, body_id, meeting_id, proposal_id, due_at,
     reminder_at, details) = found
    if state != OPEN:
        return True
    return bool(title == p.title and rule == p.rule and owner_id == p.owner_id
            and owner_email == p.owner_email and body_id == p.body_id
            and meeting_id == p.meeting_id and proposal_id == p.proposal_id
            and due_at == p.due_at and details == {**details, **p.details}
            and reminder_at == [t.isoformat() for t in p.reminder_at])


def close(row: Deadline, state: str, outcome: str, now: datetime) -> None:
    row.state, row.outcome, row.closed_at, row.next_at = state, outcome, now, None
    if state == "met" and now > row.due_at:
        row.details = {**row.details, "late": True}


_FILTERS = ("subject_type", "subject_id", "meeting_id", "proposal_id")
_FINDS: dict[tuple[bool, tuple[str, ...], bool], Any] = {}


def _find_statement(by_kind: bool, filters: tuple[str, ...], pending_only: bool) -> Any:
    """The SELECT of :func:`find` for this set of filters, built once (its values are bound
    parameters)."""
    key = (by_kind, filters, pending_only)
    stmt = _FINDS.get(key)
    if stmt is None:
        stmt = select(DeadlineRow)
        if by_kind:
            stmt = stmt.where(col(DeadlineRow.kind).in_(bindparam("kinds", expanding=True)))
        for name in filters:
            stmt = stmt.where(getattr(DeadlineRow, name) == bindparam(name))
        if pending_only and filters:
            # Left out of the indexes on purpose (an expression, not the column): filtered by
            # its subject, meeting or proposal, a deadline is found through that column's
            # index; SQLite would otherwise walk every pending deadline in (state, due_at)
            # order to spare the sort of the few rows found.
            stmt = stmt.where(col(DeadlineRow.state).concat("") == OPEN)
        elif pending_only:
            stmt = stmt.where(DeadlineRow.state == OPEN)
        stmt = _FINDS[key] = stmt.order_by(col(DeadlineRow.due_at), col(DeadlineRow.id))
    return stmt


def find(session: Session, *, kind: str | Iterable[str] | None = None,
         subject_type: str | None = None, subject_id: object = None,
         meeting_id: int | None = None, proposal_id: int | None = None,
         pending_only: bool = True) -> list[DeadlineRow]:
    values: dict[str, Any] = {"subject_type": subject_type,
                              "subject_id": None if subject_id is None else str(subject_id),
                              "meeting_id": meeting_id, "proposal_id": proposal_id}
    params = {k: v for k, v in values.items() if v is not None}
    if kind is not None:
        params["kinds"] = [kind] if isinstance(kind, str) else list(kind)
    stmt = _find_statement(kind is not None, tuple(k for k in _FILTERS if k in params),
                           pending_only)
    return list(session.exec(stmt, params=params))


def close_matching(session: Session, now: datetime, state: str, outcome: str,
                   **where: object) -> list[DeadlineRow]:
    rows = find(session, **where)  # type: ignore[arg-type]
    for row in rows:
        close(row, state, outcome, now)
        session.add(row)
    session.flush()
    return rows


_NEXT_DUE: list[Prepared] = []


def next_due(session: Session) -> datetime | None:
    """The next moment any pending deadline has work (the ``(state, next_at)`` index): one
    prepared SELECT (process_due runs it every clock step), after the session's changes are
    flushed as its own query would flush them."""
    if not _NEXT_DUE:
        table: Any = DeadlineRow.__table__  # type: ignore[attr-defined]
        _NEXT_DUE.append(Prepared(select(table.c.next_at).where(table.c.state == OPEN)
                                  .where(table.c.next_at.is_not(None))
                                  .order_by(table.c.next_at).limit(1)))
    if session.new or session.dirty or session.deleted:
        session.flush()
    found = _NEXT_DUE[0].rows(connection(session), {})
    return found[0][0] if found else None
