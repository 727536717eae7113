"""Deadline rows for the list pages, read as plain Core rows (no ORM objects), and the titles
the public may read: an action arising from Part 2 business shows only that it is one. The
exempt actions are looked up among the page's own rows (one query bounded by the page size,
not every exempt action)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from sqlalchemy import Integer, Select, Table, bindparam, func, select
from sqlalchemy.orm import Session

from decisions.access import exempt_clause
from notifications.ical import EXEMPT_ACTION
from notifications.tables import DeadlineRow
from workflows.committee.records import ActionRow
from workflows.committee.tables import AgendaItemRow

DEADLINE: Table = DeadlineRow.__table__  # type: ignore[attr-defined]
ACTION: Table = ActionRow.__table__  # type: ignore[attr-defined]
ITEM: Table = AgendaItemRow.__table__  # type: ignore[attr-defined]
COLUMNS = tuple(DEADLINE.c[n] for n in ("id", "kind", "title", "due_at", "state", "body_id",
                                        "subject_type", "subject_id"))
"""What a deadline line shows, and what its public title needs."""


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


def exempt_among(session: Session, rows: Iterable[Any]) -> set[str]:
    """The ids (as text) of the actions among ``rows``' subjects that arise from a Part 2
    item: one query, always run, so a page costs the same queries whatever it holds."""
    ids = [int(r.subject_id) for r in rows
           if r.subject_type == "action" and str(r.subject_id).isdigit()]
    return {str(i) for i in session.execute(_exempt_statement(), {"ids": ids}).scalars()}


@cache
def _exempt_statement() -> Select[Any]:
    return (select(ACTION.c.id).join(ITEM, ITEM.c.id == ACTION.c.item_id)
            .where(ACTION.c.id.in_(bindparam("ids", expanding=True)),
                   exempt_clause(ITEM.c.part)))


def public_title(row: Any, exempt: set[str]) -> str:
    """As :func:`notifications.ical.public_title`, for a Core row."""
    if row.subject_type == "action" and row.subject_id in exempt:
        return EXEMPT_ACTION
    return str(row.title)
