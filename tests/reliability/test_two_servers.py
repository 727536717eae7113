"""Two real ``s75 serve`` processes on one PostgreSQL database (issue 18.6), each on its own
free port with the scheduler on, mailing a real aiosmtpd server:

* one holds the scheduler (the advisory lock), the other says it is waiting for leadership;
* both deliver the outbox (``FOR UPDATE SKIP LOCKED``): every message arrives once, and each
  server sent some (their configs differ only in the sender address);
* both render the packs queued by publications (render jobs): each document version is
  stored once;
* the leader SIGKILLed, the other takes the scheduler over within 30 seconds and carries on
  alone: the messages and packs queued afterwards go out once too.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from decisions.terms import LocalityConfig
from notifications import outbox
from notifications.documents import jobs, produce
from notifications.documents.tables import DocumentRow
from notifications.tables import OutboxRow, RenderJobRow
from tests.conftest import postgres_only
from tests.documents.test_publication import COVER
from tests.notifications.notif_support import Inbox, free_port, smtp_server
from tests.principals import as_principal
from workflows.committee import items, meetings
from workflows.events import EventBus, UnitOfWork

ROOT = Path(__file__).resolve().parents[2]
TAKEOVER_BOUND = 30.0
MESSAGES = 150
T0 = datetime(2019, 3, 1, 9, tzinfo=UTC)


class SlowInbox(Inbox):
    """Takes 20 ms over each message, as a real relay might, so that one server cannot drain
    the queue before the other's worker wakes."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(0.02)
        return await super().handle_DATA(server, session, envelope)


def _get(url: str) -> dict[str, Any] | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return dict(json.loads(r.read()))
    except urllib.error.HTTPError as exc:  # 503 still carries the state
        return dict(json.loads(exc.read()))
    except OSError:
        return None


def _until(what: str, test: Callable[[], bool], bound: float) -> float:
    start = time.monotonic()
    while not test():
        assert time.monotonic() - start < bound, f"{what}: not within {bound:.0f} s"
        time.sleep(0.2)
    took = time.monotonic() - start
    print(f"{what}: {took:.1f} s", file=sys.stderr)
    return took


def _config(tmp: Path, name: str, port: int) -> Path:
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    text = text.replace('port = 8025', f'port = {port}', 1)
    text = text.replace('sender = "s75@example.org"', f'sender = "{name}@example.org"', 1)
    path = tmp / f"config-{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _schedule(engine: Engine, config: LocalityConfig) -> list[int]:
    with Session(engine) as s:
        uow = UnitOfWork(s, config, T0, as_principal("secretary"), EventBus())
        made = meetings.schedule(uow, "jcc", date(2019, 4, 1), date(2019, 7, 31))
        s.commit()
        return [m.id for m in made if m.id is not None]


def _publish(engine: Engine, config: LocalityConfig, meeting_id: int, n: int) -> None:
    """An item accepted and the agenda published: a pack render job and the members' mail
    (queued here, in background mode: the servers render and send)."""
    bus = EventBus()
    produce.install(bus)
    from notifications import planner

    planner.install(bus)
    with Session(engine) as s:
        uow = UnitOfWork(s, config, T0, as_principal("secretary"), bus)
        item = items.add(uow, meeting_id, f"Intermediate care beds, phase {n}", lead="DASS",
                         cover=COVER, body_text=f"# Background\n\nPhase {n} of the plan.")
        assert item.id is not None
        items.submit(uow, item.id, submitted_by="dass", submitted_on=date(2019, 3, 20))
        items.accept(uow, item.id)
        items.publish_meeting(uow, meeting_id)
        s.commit()


def _queue(engine: Engine, prefix: str, count: int) -> None:
    with Session(engine) as s:
        outbox.queue_many(s, [outbox.Outgoing(f"{prefix}:{n}", f"m{n}@example.org",
                                              f"{prefix} {n}", "body") for n in range(count)],
                          T0)
        s.commit()


def _settled(engine: Engine) -> bool:
    with Session(engine) as s:
        open_jobs = s.exec(select(func.count()).select_from(RenderJobRow).where(
            col(RenderJobRow.state).in_(("pending", "running")))).one()
        unsent = s.exec(select(func.count()).select_from(OutboxRow).where(
            OutboxRow.state != "sent")).one()
        return open_jobs == 0 and unsent == 0


@pytest.fixture
def servers(db_url: str, tmp_path: Path) -> Iterator[Callable[[str, int], subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    logs: list[Any] = []

    def start(config: str, port: int) -> subprocess.Popen[bytes]:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "S75_RENDER_LEASE_SECONDS": "15",
               "S75_CONFIG": config}
        log = (tmp_path / f"serve-{port}.log").open("wb")
        logs.append(log)
        proc = subprocess.Popen([sys.executable, "-m", "s75", "--db", db_url, "serve",
                                 "--port", str(port)], env=env, cwd=tmp_path, stdout=log,
                                stderr=subprocess.STDOUT)
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    for log in logs:
        log.close()


def test_two_servers_share_the_work_and_one_takes_over(
        engine: Engine, config: LocalityConfig, tmp_path: Path,
        servers: Callable[[str, int], subprocess.Popen[bytes]]) -> None:
    postgres_only(engine, "two s75 serve processes share one database by advisory lock and "
                          "SKIP LOCKED")
    jobs.set_mode("background")  # this test process queues; only the servers render
    try:
        meeting_ids = _schedule(engine, config)
        with smtp_server(SlowInbox()) as (inbox, smtp_port):
            ports = {"a": free_port(), "b": free_port()}
            a = servers(str(_config(tmp_path, "a", smtp_port)), ports["a"])
            health_a = f"http://127.0.0.1:{ports['a']}/health"
            _until("server a leads", lambda: bool((_get(health_a) or {})
                                                  .get("scheduler_running")), 90)
            servers(str(_config(tmp_path, "b", smtp_port)), ports["b"])
            health_b = f"http://127.0.0.1:{ports['b']}/health"
            _until("server b waits", lambda: (_get(health_b) or {}).get("scheduler")
                   == "waiting for leadership", 90)
            # Work for both: mail, and two publications (two packs to render).
            _queue(engine, "both", MESSAGES)
            for n, mid in enumerate(meeting_ids[:2], 1):
                _publish(engine, config, mid, n)
            _until("both servers done", lambda: _settled(engine), 300)
            senders = Counter(env[0] for env in inbox.envelopes)
            # The leader killed: the other takes the scheduler over.
            a.send_signal(signal.SIGKILL)
            a.wait()
            took = _until("takeover", lambda: bool((_get(health_b) or {})
                                                   .get("scheduler_running")),
                          TAKEOVER_BOUND)
            _queue(engine, "after", 40)
            _publish(engine, config, meeting_ids[2], 3)
            _until("server b alone done", lambda: _settled(engine), 300)
            total = len(inbox.messages)
        with Session(engine) as s:
            rows = s.exec(select(OutboxRow)).all()
            done = s.exec(select(RenderJobRow)).all()
            docs = s.exec(select(DocumentRow).where(DocumentRow.kind == "pack")).all()
    finally:
        jobs.set_mode(None)
    keys = Counter(str(m["X-S75-Key"]) for m in inbox.messages)
    assert total == len(rows) and set(keys.values()) == {1}, keys.most_common(3)
    assert senders["a@example.org"] > 0 and senders["b@example.org"] > 0, senders
    assert {j.state for j in done} == {"done"} and all(j.attempts == 1 for j in done)
    versions = Counter((d.meeting_id, d.audience, d.version) for d in docs)
    assert set(versions.values()) == {1} and {d.meeting_id for d in docs} >= set(meeting_ids[:3])
    renderers = Counter((j.claimed_by or "").split(":")[1] for j in done)
    print(f"\nmessages {total}, each once (a sent {senders['a@example.org']}, b sent "
          f"{senders['b@example.org']} before the kill); {len(done)} render jobs, each "
          f"stored once, by processes {dict(renderers)}; takeover {took:.1f} s after SIGKILL")
