"""Simulated time: a virtual clock moved from due time to due time through ``process_due``
(and the outbox), printing what happened. The same functions the real scheduler calls."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from decisions.clock import SimulatedClock
from decisions.terms import LocalityConfig
from notifications import outbox
from notifications.mailer import Mailer
from notifications.process_due import Happened, run_due
from notifications.scheduler import next_wake
from workflows.events import EventBus

LABEL = {"reminded": "REMINDED", "met": "MET", "missed": "MISSED", "waived": "WAIVED",
         "published": "PUBLISHED", "moved": "MOVED", "failed": "FAILED"}


@dataclass
class SimulationResult:
    start: datetime
    until: datetime
    steps: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    events: list[Happened] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        keys = ("met", "reminded", "missed", "waived", "published", "moved", "failed", "sent",
                "send_failures", "dead")
        return {k: self.counts.get(k, 0) for k in keys}


def simulate(engine: Engine, config: LocalityConfig, bus: EventBus, start: datetime,
             until: datetime, *, mailer: Mailer | None = None,
             say: Callable[[str], None] = print, clock: SimulatedClock | None = None,
             max_steps: int = 100_000) -> SimulationResult:
    """Move ``clock`` from ``start`` to each next due time up to ``until``; at each, run
    process_due and (with a mailer) deliver the outbox. Returns what happened."""
    clock = clock or SimulatedClock(start)
    clock.set(start)
    result = SimulationResult(start, until)
    zone = config.zone
    while result.steps < max_steps:
        now = clock.now()
        report = run_due(engine, config, bus, now)
        result.steps += 1
        for e in report.events:
            result.events.append(e)
            result.counts[e.what] += 1
            say(f"{now.astimezone(zone):%Y-%m-%d %H:%M}  {LABEL.get(e.what, e.what):<9} "
                f"{e.kind:<16} {e.title}" + (f" — {e.detail}" if e.detail else ""))
        if mailer is not None:
            render_pending(engine, config)  # the packs before the mail that attaches them
            with Session(engine, expire_on_commit=False) as s:
                d = outbox.deliver_due(s, now, mailer, max_attempts=config.smtp.max_attempts)
            result.counts["sent"] += len(d.sent)
            result.counts["send_failures"] += len(d.failed)
            result.counts["dead"] += len(d.dead)
            if d.sent or d.failed or d.dead:
                say(f"{now.astimezone(zone):%Y-%m-%d %H:%M}  SENT      {len(d.sent)} message(s)"
                    + (f", {len(d.failed)} failed (will retry)" if d.failed else "")
                    + (f", {len(d.dead)} dead-lettered" if d.dead else ""))
        nxt = next_wake(engine) if mailer is not None else _next_deadline(engine)
        if nxt is None or nxt > until:
            break
        clock.set(max(nxt, now + timedelta(seconds=1)))
    counts = result.summary()
    say(f"simulated {start.astimezone(zone):%Y-%m-%d} to {until.astimezone(zone):%Y-%m-%d} "
        f"in {result.steps} step(s): " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return result


def render_pending(engine: Engine, config: LocalityConfig) -> int:
    """Render due render jobs (a render that failed after its commit is retried here)."""
    from notifications.documents import jobs  # the documents area, joined at run time

    return len(jobs.run_pending(engine, config).stored)


def _next_deadline(engine: Engine) -> datetime | None:
    from notifications import store

    with Session(engine) as s:
        return store.next_due(s)
