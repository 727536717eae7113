"""Deadlines at risk across every body, for the gateway board: those still open and due within
a week (or already past due), and those missed in the last four weeks. Titles as the public
may read them (an action arising from Part 2 business shows only that it is one)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from decisions.terms import LocalityConfig
from notifications.ical import exempt_action_ids, public_title
from notifications.tables import DeadlineRow

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


def deadlines_at_risk(session: Session, cfg: LocalityConfig, now: datetime
                      ) -> list[DeadlineAtRisk]:
    """Two queries: the deadlines, and which actions arise from exempt business."""
    open_soon = (col(DeadlineRow.state) == "pending") & (col(DeadlineRow.due_at) <= now + SOON)
    missed = ((col(DeadlineRow.state) == "missed") & (col(DeadlineRow.due_at) >= now - RECENTLY)
              & (col(DeadlineRow.due_at) <= now))
    rows = session.exec(select(DeadlineRow).where(open_soon | missed)
                        .order_by(col(DeadlineRow.due_at), col(DeadlineRow.id))
                        .limit(LIMIT)).all()
    exempt = exempt_action_ids(session)
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
