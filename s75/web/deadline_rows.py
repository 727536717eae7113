"""Deadline rows for the list pages, read as plain Core rows (no ORM objects), and the titles
the public may read: an action arising from Part 2 business shows only that it is one. The
exempt actions are looked up among the page's own rows (one query bounded by the page size,
not every exempt action)."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Integer, Select, Table, bindparam, func, select

from notifications.exempt_actions import exempt_among, public_title
from notifications.tables import DeadlineRow
from workflows.committee.records import ActionRow
from workflows.committee.tables import AgendaItemRow

DEADLINE: Table = DeadlineRow.__table__  # type: ignore[attr-defined]
ACTION: Table = ActionRow.__table__  # type: ignore[attr-defined]
ITEM: Table = AgendaItemRow.__table__  # type: ignore[attr-defined]
COLUMNS = tuple(DEADLINE.c[n] for n in ("id", "kind", "title", "due_at", "state", "body_id",
                                        "subject_type", "subject_id"))
"""What a deadline line shows, and what its public title needs."""
__all__ = ["COLUMNS", "DEADLINE", "exempt_among", "from_statements", "public_title"]


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
