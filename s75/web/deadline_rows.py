"""Deadline rows for the list pages, read as plain Core rows (no ORM objects), and the titles
the public may read: an action arising from Part 2 business shows only that it is one. The
exempt actions are looked up among the page's own rows (one query bounded by the page size,
not every exempt action)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, ClassVar, NamedTuple

from sqlalchemy import Connection, Integer, Select, Table, bindparam, func, select

from notifications.exempt_actions import exempt_among, public_title
from notifications.tables import DeadlineRow
from s75.web.cursor_reads import Read
from workflows.committee.records import ActionRow
from workflows.committee.tables import AgendaItemRow

DEADLINE: Table = DeadlineRow.__table__  # type: ignore[attr-defined]
ACTION: Table = ActionRow.__table__  # type: ignore[attr-defined]
ITEM: Table = AgendaItemRow.__table__  # type: ignore[attr-defined]
COLUMNS = tuple(DEADLINE.c[n] for n in ("id", "kind", "title", "due_at", "state", "body_id",
                                        "subject_type", "subject_id"))
"""What a deadline line shows, and what its public title needs."""
__all__ = [
    "COLUMNS",
    "DEADLINE",
    "Line",
    "OnCursor",
    "exempt_among",
    "from_statements",
    "page_reads",
    "public_title",
]


@cache
def from_statements() -> tuple[Select[Any], Select[Any]]:
    """The count of the deadlines due from ``:start`` and a page of them (``:limit`` from
    ``:offset``), soonest first: built once, a request binds its values."""
    d = DEADLINE.c
    due = d.due_at >= bindparam("start", type_=DEADLINE.c.due_at.type)
    total = select(func.count()).select_from(DEADLINE).where(due)
    page = (select(*COLUMNS).where(due).order_by(d.due_at, d.id)
            .offset(bindparam("offset", type_=Integer))
            .limit(bindparam("limit", type_=Integer)))
    return total, page


@cache
def page_reads() -> tuple[Read, Read]:
    """:func:`from_statements` run on the DBAPI cursor (s75.web.cursor_reads)."""
    total, page = from_statements()
    return Read(total), Read(page)


class Line(NamedTuple):
    """A deadline as a list page reads it (the columns of :data:`COLUMNS`)."""

    id: int
    kind: str
    title: str
    due_at: datetime
    state: str
    body_id: str | None
    subject_type: str
    subject_id: str


assert Line._fields == tuple(c.name for c in COLUMNS)


class OnCursor:
    """As much of a Session as ``exempt_among`` uses (``execute(statement, params)`` and the
    result's ``scalars()``), its statement run on the DBAPI cursor: which actions are exempt,
    and how that is asked, stay notifications.exempt_actions' own (a change there that needs
    more of a session fails here rather than showing a Part 2 title)."""

    _READS: ClassVar[dict[int, tuple[Select[Any], Read]]] = {}

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def execute(self, statement: Select[Any], params: Mapping[str, Any]) -> _Scalars:
        kept = self._READS.get(id(statement))
        if kept is None or kept[0] is not statement:
            kept = self._READS[id(statement)] = (statement, Read(statement))
        return _Scalars(kept[1].rows(self.conn, params))


@dataclass(frozen=True)
class _Scalars:
    rows: list[tuple[Any, ...]]

    def scalars(self) -> list[Any]:
        return [r[0] for r in self.rows]
