"""What the public may read of an action arising from Part 2 (exempt) business: only that
such an action is due, never its text (LGA 1972 s100B(2),(5)). The exempt actions are looked
up among the rows about to be shown (one query bounded by those rows, not every exempt action
on record), so a page or a feed costs the same queries whatever the record holds."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from sqlalchemy import Select, Table, bindparam, select
from sqlalchemy.orm import Session

from decisions.access import exempt_clause
from workflows.committee.records import ActionRow
from workflows.committee.tables import AgendaItemRow

EXEMPT_ACTION = "Action arising from exempt (Part 2) business"
ACTION: Table = ActionRow.__table__  # type: ignore[attr-defined]
ITEM: Table = AgendaItemRow.__table__  # type: ignore[attr-defined]


def exempt_among(session: Session, rows: Iterable[Any]) -> set[str]:
    """The ids (as text) of the actions among ``rows``' subjects (deadline rows, ORM or Core)
    that arise from a Part 2 item: one query, always run."""
    ids = [int(r.subject_id) for r in rows
           if r.subject_type == "action" and str(r.subject_id).isdigit()]
    return {str(i) for i in session.execute(_exempt_statement(), {"ids": ids}).scalars()}


@cache
def _exempt_statement() -> Select[Any]:
    return (select(ACTION.c.id).join(ITEM, ITEM.c.id == ACTION.c.item_id)
            .where(ACTION.c.id.in_(bindparam("ids", expanding=True)),
                   exempt_clause(ITEM.c.part)))


def public_title(row: Any, exempt: set[str]) -> str:
    """A deadline's title as the public may read it (``exempt`` from :func:`exempt_among`)."""
    if row.subject_type == "action" and row.subject_id in exempt:
        return EXEMPT_ACTION
    return str(row.title)
