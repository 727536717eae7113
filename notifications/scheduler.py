"""The scheduler: APScheduler 3.11 with its SQLAlchemy job store in the application database.
Its only job is to wake up and call ``process_due(now)``, render the documents whose render jobs
are due (notifications/render_jobs.py) and then deliver the outbox.

* Two jobs: ``sweep`` (every ``sweep_seconds``) and ``wake`` (a date job at the next due time,
  moved after every run). Every job has ``misfire_grace_time=None`` and ``coalesce=True``: a
  wake-up missed while the process was down runs once when it comes back, never several
  times and never dropped (APScheduler's default 1 s grace would delete it).
* After downtime the catch-up run is marked late: each run records when the scheduler meant
  to wake next (``scheduler_run.next_at``); a run starting well after that is late.
* Exactly one scheduler runs (two schedulers sharing a job store duplicate runs): on
  PostgreSQL a session advisory lock elects the leader; on SQLite an exclusive lock on a file
  beside the database. The operating system drops either when the process dies.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.pool import NullPool
from sqlmodel import Session, col, select

from decisions.clock import Clock
from decisions.errors import ConflictError
from decisions.terms import LocalityConfig
from notifications import outbox, store
from notifications.mailer import Mailer, SmtpMailer
from notifications.process_due import DueReport, run_due
from notifications.tables import SchedulerRunRow
from workflows.events import EventBus

ADVISORY_KEY = 0x5375  # "S75"
SCOPE = "hashtext(current_database() || '/' || current_schema())"
"""The second half of the advisory lock's key: one leader per database and schema, so two
localities (or two test schemas) on one PostgreSQL server do not block each other."""
LATE_AFTER = timedelta(minutes=2)
JOB_REF = "notifications.scheduler:tick"


class LeaderLock:
    """Held for the life of the process by the one scheduler allowed to run."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._own: Engine | None = None
        self._conn: Connection | None = None
        self._fd: int | None = None

    @property
    def where(self) -> str:
        url = self.engine.url
        if url.get_backend_name() == "sqlite":
            return f"{url.database}.scheduler.lock"
        return f"PostgreSQL advisory lock ({ADVISORY_KEY}, this database and schema)"

    def acquire(self) -> bool:
        if self.engine.url.get_backend_name() == "postgresql":
            # A connection of its own, outside the application's pool: APScheduler's job store
            # disposes that pool when the scheduler shuts down, orphaning pooled connections.
            if self._own is None:
                self._own = create_engine(self.engine.url, poolclass=NullPool)
            conn = self._own.connect()
            got = bool(conn.execute(text(f"SELECT pg_try_advisory_lock(:k, {SCOPE})"),
                                    {"k": ADVISORY_KEY}).scalar())
            conn.commit()
            if got:
                self._conn = conn
            else:
                conn.close()
            return got
        fd = os.open(self.where, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return True

    def holder(self) -> str:
        if self.engine.url.get_backend_name() == "sqlite":
            try:
                return f"pid {Path(self.where).read_text().strip()}"
            except OSError:
                return "another process"
        return "another process"

    def release(self) -> None:
        if self._conn is not None:
            self._conn.execute(text(f"SELECT pg_advisory_unlock(:k, {SCOPE})"),
                               {"k": ADVISORY_KEY})
            self._conn.commit()
            self._conn.close()
            self._conn = None
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


@dataclass
class Runtime:
    engine: Engine
    config: LocalityConfig
    bus: EventBus
    clock: Clock
    mailer_factory: Callable[[], Mailer] | None = None
    sweep_seconds: int = 300
    out: TextIO | None = None
    scheduler: Any = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)

    def make_mailer(self) -> Mailer:
        if self.mailer_factory is not None:
            return self.mailer_factory()
        return SmtpMailer.from_env(self.config.smtp)

    def finish_runs(self) -> None:
        """Wait for a run in progress (it holds ``lock``), then let no further run start or
        plan a wake-up."""
        with self.lock:
            self.stopping.set()

    def say(self, line: str) -> None:
        if self.out is not None:
            print(line, file=self.out, flush=True)


@dataclass
class TickResult:
    started_at: datetime
    late: bool
    expected_at: datetime | None
    due: DueReport
    delivery: outbox.DeliveryReport
    next_at: datetime | None


_RUNTIME: Runtime | None = None


def tick() -> None:
    """The APScheduler job (stored by reference, so nothing secret is pickled)."""
    rt = _RUNTIME
    if rt is not None and not rt.stopping.is_set():
        run_once(rt)


def next_wake(engine: Engine) -> datetime | None:
    with Session(engine) as s:
        times = [t for t in (store.next_due(s), outbox.next_attempt(s)) if t is not None]
    return min(times) if times else None


def run_once(rt: Runtime) -> TickResult:
    """One wake-up: process what is due, deliver the outbox, plan the next wake-up."""
    with rt.lock:
        now = rt.clock.now()
        with Session(rt.engine) as s:
            last = s.exec(select(SchedulerRunRow)
                          .order_by(col(SchedulerRunRow.id).desc()).limit(1)).first()
        expected = last.next_at if last else None
        late = expected is not None and now - expected > LATE_AFTER
        if late and expected is not None:
            rt.say(f"{now:%Y-%m-%d %H:%M:%S} catching up: this run was due at "
                   f"{expected:%Y-%m-%d %H:%M:%S} UTC (marked late)")
        due = run_due(rt.engine, rt.config, rt.bus, now)
        rendered = render_pending(rt)
        mailer = rt.make_mailer()
        try:
            with Session(rt.engine, expire_on_commit=False) as s:
                delivery = outbox.deliver_due(s, now, mailer,
                                              max_attempts=rt.config.smtp.max_attempts)
        finally:
            mailer.close()
        nxt = next_wake(rt.engine)
        sweep_at = now + timedelta(seconds=rt.sweep_seconds)
        planned = min(nxt, sweep_at) if nxt is not None else sweep_at
        with Session(rt.engine) as s:
            s.add(SchedulerRunRow(started_at=now, expected_at=expected, late=late,
                                  next_at=planned,
                                  counts={**due.counts, "rendered": rendered,
                                          "sent": len(delivery.sent),
                                          "failed_sends": len(delivery.failed),
                                          "dead": len(delivery.dead)}))
            s.commit()
        _plan_wake(rt, nxt, now)
        parts = [f"{k} {v}" for k, v in due.counts.items() if v]
        parts += [f"rendered {rendered}"] if rendered else []
        parts += [f"sent {len(delivery.sent)}"] if delivery.sent else []
        parts += [f"send failures {len(delivery.failed)}"] if delivery.failed else []
        parts += [f"dead-lettered {len(delivery.dead)}"] if delivery.dead else []
        tail = f"next due {nxt:%Y-%m-%d %H:%M} UTC" if nxt else "nothing further due"
        rt.say(f"{now:%Y-%m-%d %H:%M:%S} run{' (late)' if late else ''}: "
               f"{', '.join(parts) or 'nothing due'}; {tail}")
        return TickResult(now, late, expected, due, delivery, nxt)


def render_pending(rt: Runtime) -> int:
    """Render the documents whose jobs are due (left by a process that died, or queued with
    ``S75_RENDER_JOBS=background``) before the outbox is delivered: their mails wait for
    them. Returns how many documents were stored."""
    from notifications.documents import jobs  # the documents area, joined here at run time

    return len(jobs.run_pending(rt.engine, rt.config).stored)


def _plan_wake(rt: Runtime, when: datetime | None, now: datetime) -> None:
    sched = rt.scheduler
    if sched is None or when is None or rt.stopping.is_set():
        return
    run_date = max(when, now + timedelta(seconds=1))
    sched.add_job(JOB_REF, "date", run_date=run_date, id="wake", replace_existing=True,
                  misfire_grace_time=None, coalesce=True, max_instances=1)


def build_scheduler(rt: Runtime, blocking: bool = True) -> Any:
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.schedulers.blocking import BlockingScheduler

    cls = BlockingScheduler if blocking else BackgroundScheduler
    sched = cls(jobstores={"default": SQLAlchemyJobStore(engine=rt.engine,
                                                         tablename="apscheduler_jobs")},
                executors={"default": ThreadPoolExecutor(1)},
                job_defaults={"coalesce": True, "misfire_grace_time": None, "max_instances": 1},
                timezone=UTC)
    never_drop: dict[str, Any] = {"misfire_grace_time": None, "coalesce": True,
                                  "max_instances": 1, "replace_existing": True}
    sched.add_job(JOB_REF, "interval", seconds=rt.sweep_seconds, id="sweep", **never_drop)
    # Catch up at once: whatever fell due while no scheduler ran is processed in one run.
    sched.add_job(JOB_REF, "date", run_date=datetime.now(UTC), id="wake", **never_drop)
    rt.scheduler = sched
    return sched


def start(rt: Runtime, *, blocking: bool = True, wait_for_leader: bool = False,
          poll_seconds: float = 5.0) -> LeaderLock:
    """Elect this process leader, then run the scheduler (blocking: until shut down)."""
    global _RUNTIME
    rt.stopping.clear()
    lock = LeaderLock(rt.engine)
    while not lock.acquire():
        if not wait_for_leader:
            raise ConflictError(f"another scheduler is already running ({lock.holder()}; "
                                f"{lock.where}); only one may run against a database. Stop "
                                "it first, or pass --wait to take over when it stops")
        threading.Event().wait(poll_seconds)
    _RUNTIME = rt
    sched = build_scheduler(rt, blocking)
    rt.say(f"scheduler started (leader: {lock.where}); sweep every {rt.sweep_seconds} s")
    try:
        sched.start()
    finally:
        if blocking:  # shut down (by a signal): let a run in progress end before handing over
            rt.finish_runs()
            _RUNTIME = None
            lock.release()
    return lock


def stop(rt: Runtime, lock: LeaderLock | None = None) -> None:
    """Stop the scheduler, letting a run in progress finish, then give up leadership.

    APScheduler 3.11's ``shutdown(wait=True)`` holds its job-store lock while it waits for a
    running job, and a run ends by planning its next wake-up (``add_job`` needs that lock).
    So the runtime is marked stopping first, under the run lock (after any run in progress):
    from then on a run plans no wake-up and a job that starts does nothing, and the shutdown
    can wait for the executor without deadlock. Leadership goes only after that, so no run
    happens while another process may already lead."""
    global _RUNTIME
    rt.finish_runs()
    if rt.scheduler is not None and rt.scheduler.running:
        rt.scheduler.shutdown(wait=True)
    _RUNTIME = None
    if lock is not None:
        lock.release()
