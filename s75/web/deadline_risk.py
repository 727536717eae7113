"""Deadlines at risk across every body, for the gateway board: those still open and due within
a week (or already past due), and those missed in the last four weeks. Titles as the public
may read them (an action arising from Part 2 business shows only that it is one)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, select, union_all
from sqlalchemy.orm import Session

from decisions.terms import LocalityConfig
from s75.web.cursor_reads import Read
from s75.web.deadline_rows import COLUMNS, DEADLINE, Line, OnCursor, exempt_among, public_title
from workflows.prepared import connection

SOON = timedelta(days=7)
RECENTLY = timedelta(days=28)
LIMIT = 20


@dataclass(frozen=True)
class DeadlineAtRisk:
    due: datetime
    """Local time."""
    kind: str
    title: str
    body: str
    position: str
    """In words: "missed", "overdue", "due in 3 days", "due today"."""




@cache
def _read() -> Read:
    """:func:`_statement` run on the DBAPI cursor (s75.web.cursor_reads)."""
    return Read(_statement())


@cache
def _statement() -> Select[Any]:
    """Built once (a request binds its times): open and due by ``:soon``, or missed between
    ``:since`` and ``:now``, soonest first. Each of the two is its own ranged read of the
    (state, due time) index, in that index's order and cut at the limit, so neither the deadlines
    long past nor a crowd of open ones due this week is sorted (one OR of both sorted every
    deadline it matched)."""
    d = DEADLINE.c
    at = d.due_at.type
    open_soon = (d.state == "pending") & (d.due_at <= bindparam("soon", type_=at))
    missed = ((d.state == "missed") & (d.due_at >= bindparam("since", type_=at))
              & (d.due_at <= bindparam("now", type_=at)))
    arms = [select(*COLUMNS).where(w).order_by(d.due_at, d.id).limit(LIMIT).subquery()
            for w in (open_soon, missed)]
    both = union_all(*(select(a) for a in arms)).subquery("at_risk")
    return select(both).order_by(both.c.due_at, both.c.id).limit(LIMIT)


def deadlines_at_risk(session: Session, cfg: LocalityConfig, now: datetime
                      ) -> list[DeadlineAtRisk]:
    """Two queries: the deadlines (Core rows of the columns shown), and which of their
    actions arise from exempt business."""
    rows = list(map(Line._make, _read().rows(connection(session), {
        "soon": now + SOON, "since": now - RECENTLY, "now": now})))
    exempt = exempt_among(OnCursor(connection(session)), rows)  # type: ignore[arg-type]
    names = {b.id: b.name for b in cfg.body}
    today = now.astimezone(cfg.zone).date()
    out = []
    for r in rows:
        local = r.due_at.astimezone(cfg.zone)
        days = (local.date() - today).days
        if r.state == "missed":
            position = "missed"
        elif r.due_at < now:
            position = "overdue"
        else:
            position = "due today" if days == 0 else f"due in {days} day{'s' * (days != 1)}"
        out.append(DeadlineAtRisk(local, r.kind.replace("_", " "), public_title(r, exempt),
                                  names.get(r.body_id or "", ""), position))
    return out
