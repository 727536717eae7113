"""The scheduler: killed in the middle of a run and restarted, every due message is sent
exactly once; catch-up after downtime runs once and is marked late; one leader only."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time as _time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from decisions.clock import SimulatedClock
from decisions.errors import ConflictError
from decisions.terms import LocalityConfig
from notifications import outbox, scheduler
from notifications.tables import OutboxRow, SchedulerRunRow
from s75.db import make_engine, upgrade
from s75.standing import sync_standing
from tests.notifications.notif_support import Inbox, smtp_server, uow_at
from workflows.committee import meetings

ROOT = Path(__file__).resolve().parents[2]
S75 = [sys.executable, "-c", "from s75.cli.main import entry; entry()"]


def _rows(engine: Engine) -> list[OutboxRow]:
    with Session(engine) as s:
        return list(s.exec(select(OutboxRow).order_by(col(OutboxRow.id))))


def _prepare(tmp_path: Path, config: LocalityConfig, port: int) -> tuple[Path, str, Engine]:
    cfg_file = tmp_path / "config.toml"
    text = (ROOT / "config.toml").read_text().replace("port = 8025", f"port = {port}")
    cfg_file.write_text(text)
    url = f"sqlite:///{tmp_path / 's75.db'}"
    engine = make_engine(url)
    upgrade(engine)
    now = datetime.now(UTC)
    with Session(engine) as s:
        sync_standing(s, config, now - timedelta(days=30))
        s.commit()
    # A meeting in a few days: its item and publication deadlines have already passed, so
    # the scheduler's first run escalates, publishes the agenda and tells every member.
    with uow_at(engine, config, now - timedelta(days=30)) as uow:
        from notifications.deadlines import working_calendar

        day = working_calendar(config).add_working_days(now.date(), 3)
        meetings.add_meeting(uow, "jcc", day, reason="test")
    with Session(engine) as s:
        for n in range(15):
            outbox.queue(s, key=f"test:{n}:member{n}@example.org",
                         recipient=f"member{n}@example.org", subject=f"Test message {n}",
                         body="hello", now=now - timedelta(minutes=5))
        s.commit()
    return cfg_file, url, engine


def _start(cfg_file: Path, url: str, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "S75_CONFIG": str(cfg_file)}
    with log.open("ab") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen([*S75, "--db", url, "scheduler", "run", "--sweep", "3600"],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def test_killed_mid_run_and_restarted_sends_every_message_exactly_once(
        tmp_path: Path, config: LocalityConfig) -> None:
    inbox = Inbox(hold_at=8)
    log = tmp_path / "scheduler.log"
    with smtp_server(inbox) as (_, port):
        cfg_file, url, engine = _prepare(tmp_path, config, port)
        proc = _start(cfg_file, url, log)
        try:
            assert inbox.held.wait(120), log.read_text()
            # The 8th message is on the wire: kill the scheduler in the middle of its run.
            proc.send_signal(signal.SIGKILL)
            proc.wait(30)
        finally:
            if proc.poll() is None:
                proc.kill()
        inbox.hold_at = None
        inbox.release.set()
        assert len(inbox.messages) == 7
        rows = _rows(engine)
        assert Counter(r.state for r in rows)["sent"] == 7
        total = len(rows)
        assert total >= 7 + 15  # the run had queued its own messages before sending

        proc = _start(cfg_file, url, log)
        try:
            assert inbox.wait_for(total, timeout=120), log.read_text()
            deadline = _time.monotonic() + 60
            while any(r.state != "sent" for r in _rows(engine)):
                assert _time.monotonic() < deadline, log.read_text()
                _time.sleep(0.2)
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(60) == 0, log.read_text()
        finally:
            if proc.poll() is None:
                proc.kill()
    keys = [str(m["X-S75-Key"]).strip() for m in inbox.messages]
    assert len(keys) == len(set(keys)) == total  # exactly once each
    assert set(keys) == {r.key for r in _rows(engine)}
    assert any(m["Subject"].startswith("Agenda published: Joint Commissioning Committee")
               for m in inbox.messages)
    assert "scheduler started" in log.read_text()
    engine.dispose()


def test_catch_up_runs_once_and_is_marked_late(engine: Engine, config: LocalityConfig) -> None:
    from notifications.planner import install
    from workflows.events import EventBus

    bus = EventBus()
    install(bus)
    clock = SimulatedClock(datetime(2019, 4, 1, 8, tzinfo=UTC))

    class NoMail:
        sender = "s75@example.org"

        def send(self, message: object) -> None:
            raise AssertionError("nothing should be sent")

        def close(self) -> None:
            return None

    rt = scheduler.Runtime(engine, config, bus, clock, mailer_factory=NoMail, sweep_seconds=300)
    first = scheduler.run_once(rt)
    assert not first.late
    clock.set(clock.now() + timedelta(seconds=200))  # on time: before the planned sweep
    assert not scheduler.run_once(rt).late
    clock.set(clock.now() + timedelta(days=2))  # the process was down
    late = scheduler.run_once(rt)
    assert late.late and late.expected_at is not None
    assert not scheduler.run_once(rt).late  # caught up once
    with Session(engine) as s:
        runs = s.exec(select(SchedulerRunRow).order_by(col(SchedulerRunRow.id))).all()
    assert [r.late for r in runs] == [False, False, True, False]


def test_jobs_never_misfire_and_coalesce(engine: Engine, config: LocalityConfig) -> None:
    from workflows.events import EventBus

    rt = scheduler.Runtime(engine, config, EventBus(), SimulatedClock())
    sched = scheduler.build_scheduler(rt, blocking=False)
    jobs = {j.id: j for j in sched.get_jobs()}  # not started: the jobs as they will be stored
    assert set(jobs) == {"sweep", "wake"}
    assert all(j.misfire_grace_time is None and j.coalesce for j in jobs.values())
    assert jobs["wake"].func_ref == "notifications.scheduler:tick"  # stored by reference


def test_only_one_scheduler_may_lead(engine: Engine) -> None:
    first = scheduler.LeaderLock(engine)
    assert first.acquire()
    try:
        second = scheduler.LeaderLock(engine)
        assert not second.acquire()
        from workflows.events import EventBus

        rt = scheduler.Runtime(engine, _cfg(), EventBus(), SimulatedClock())
        with pytest.raises(ConflictError, match="another scheduler is already running"):
            scheduler.start(rt, blocking=False)
    finally:
        first.release()
    again = scheduler.LeaderLock(engine)
    assert again.acquire()
    again.release()


def _cfg() -> LocalityConfig:
    from s75.config import load_config

    return load_config(ROOT / "config.toml")



def test_stopping_during_a_run_lets_it_finish_and_never_hangs(
        engine: Engine, config: LocalityConfig) -> None:
    """APScheduler's shutdown(wait=True) holds its job-store lock while waiting for the job,
    and a run ends by planning its next wake-up: stopping mid-run once deadlocked."""
    import threading

    from workflows.events import EventBus

    entered, release = threading.Event(), threading.Event()

    class SlowMail:
        sender = "s75@example.org"

        def __init__(self) -> None:
            entered.set()
            release.wait(60)

        def send(self, message: object) -> None:
            return None

        def close(self) -> None:
            return None

    now = datetime.now(UTC)
    with Session(engine) as s:  # something due later, so the run plans its next wake-up
        outbox.queue(s, key="later", recipient="member@example.org", subject="Later",
                     body="hello", now=now + timedelta(days=1))
        s.commit()
    rt = scheduler.Runtime(engine, config, EventBus(), SimulatedClock(now),
                           mailer_factory=SlowMail, sweep_seconds=3600)
    lock = scheduler.start(rt, blocking=False)
    assert entered.wait(60), "the catch-up run never started"
    stopper = threading.Thread(target=scheduler.stop, args=(rt, lock), daemon=True)
    stopper.start()
    stopper.join(0.3)  # let stop() get going while the run is still in progress
    release.set()
    stopper.join(60)  # a bound against hanging, not a timing assertion
    assert not stopper.is_alive(), "scheduler.stop() hung while a run was in progress"
    assert not rt.scheduler.running
    with Session(engine) as s:
        assert len(s.exec(select(SchedulerRunRow)).all()) == 1  # the run finished, once
    again = scheduler.LeaderLock(engine)
    assert again.acquire(), "leadership was not given up"
    again.release()
