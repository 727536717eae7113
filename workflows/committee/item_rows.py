"""A meeting's accepted items as plain rows, for publishing its agenda: one prepared SELECT
(no ORM row loaded), where the ORM loaded every item of the meeting as a mapped row.

A :class:`ItemRow` carries the columns of :class:`AgendaItemRow` under the same names, so
the workflow's guards, the refusals' wording and the events read either. An item the session
already holds as a mapped row is published as that row (its pending changes flushed first,
its new state and version set on it), so the session never holds a stale copy; an item
loaded later (a MeetingPublished handler) is read after the UPDATE.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from sqlalchemy import Dialect, Numeric, TypeDecorator, bindparam, type_coerce
from sqlmodel import Session

from workflows.committee.tables import MONEY, AgendaItemRow
from workflows.prepared import Prepared, connection

_TABLE: Any = AgendaItemRow.__table__  # type: ignore[attr-defined]
COLUMNS: tuple[str, ...] = tuple(c.name for c in _TABLE.c)


class _Money(TypeDecorator[Any]):
    """The money column read as the ORM reads it: a Decimal. PostgreSQL's driver returns a
    NUMERIC as a Decimal already (the dialect's processor needs the cursor's column type,
    which a prepared statement does not have); SQLite's is converted by Numeric's own."""

    impl = MONEY
    cache_ok = True

    def result_processor(self, dialect: Dialect, coltype: Any) -> Any:
        if dialect.name == "postgresql":
            return None
        return super().result_processor(dialect, coltype)


def _column(name: str) -> Any:
    c = _TABLE.c[name]
    return type_coerce(c, _Money()).label(name) if isinstance(c.type, Numeric) else c


class ItemRow:
    """An agenda item as a plain row (the columns of :class:`AgendaItemRow`)."""

    __slots__ = COLUMNS
    __table__: ClassVar[Any] = _TABLE
    id: int | None
    meeting_id: int
    title: str
    state: str
    standing: str | None
    action: str
    part: int
    urgency_consent_by: str | None
    version: int

    def __init__(self, values: Sequence[Any]) -> None:
        for name, value in zip(COLUMNS, values, strict=True):
            setattr(self, name, value)


Item = AgendaItemRow | ItemRow
"""An item the publication works on: mapped, or a plain row."""

_ACCEPTED: list[Prepared] = []


def accepted(session: Session, meeting_id: int) -> list[Item]:
    """The meeting's accepted items in agenda order (as :func:`common.items_of` orders
    them), after the session's changes are flushed: plain rows, or the session's mapped row
    for an item it already holds."""
    if not _ACCEPTED:
        t = _TABLE
        _ACCEPTED.append(Prepared(t.select().with_only_columns(*(_column(c) for c in COLUMNS))
                                  .where(t.c.meeting_id == bindparam("meeting_id"))
                                  .where(t.c.state == "accepted")
                                  .order_by(t.c.position, t.c.id)))
    if session.new or session.dirty or session.deleted:
        session.flush()
    out: list[Item] = []
    held_rows = session.identity_map
    for values in _ACCEPTED[0].rows(connection(session), {"meeting_id": meeting_id}):
        held = held_rows.get((AgendaItemRow, (values[0],), None))  # as identity_key builds it
        out.append(held if isinstance(held, AgendaItemRow) else ItemRow(values))
    return out
