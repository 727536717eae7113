"""The outbox's figures for ``/health``: how many messages are pending, failing (pending after
at least one failed attempt) and dead-lettered, and how long the oldest pending one has
waited. Unhealthy when a message is dead-lettered or the oldest pending message has waited
longer than ``smtp.unhealthy_after_minutes``: mail that is not going out must show, even
while the scheduler says it is running."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from notifications.tables import OutboxRow


@dataclass(frozen=True)
class OutboxHealth:
    pending: int
    failing: int
    dead: int
    oldest_pending_seconds: int | None
    threshold_seconds: int

    @property
    def problems(self) -> list[str]:
        out: list[str] = []
        if self.dead:
            out.append(f"{self.dead} message(s) dead-lettered; see 's75 outbox list --state "
                       "dead' and 's75 outbox retry'")
        age = self.oldest_pending_seconds
        if age is not None and age > self.threshold_seconds:
            out.append(f"the oldest pending message has waited {age // 60} minute(s), more "
                       f"than {self.threshold_seconds // 60}")
        return out

    @property
    def healthy(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {"pending": self.pending, "failing": self.failing, "dead": self.dead,
                "oldest_pending_seconds": self.oldest_pending_seconds,
                "unhealthy_after_seconds": self.threshold_seconds,
                "healthy": self.healthy, "problems": self.problems}


def outbox_health(session: Session, now: datetime, unhealthy_after: timedelta) -> OutboxHealth:
    """One query: counts by state (and failing), and the oldest pending message."""
    tried = func.sum(case((col(OutboxRow.attempts) > 0, 1), else_=0))
    rows = session.exec(
        select(OutboxRow.state, func.count(), tried, func.min(OutboxRow.created_at))
        .group_by(OutboxRow.state)).all()
    pending = failing = dead = 0
    oldest: datetime | None = None
    for state, n, n_tried, first in rows:
        if state == "pending":
            pending, failing, oldest = n, int(n_tried or 0), first
        elif state == "dead":
            dead = n
    age = None if oldest is None else max(0, int((now - oldest).total_seconds()))
    return OutboxHealth(pending, failing, dead, age, int(unhealthy_after.total_seconds()))
