"""Packs rendered after commit (issue 14.5): the event's transaction records a render job; a
worker renders it after the commit and stores it with its content hash; the same version is
never queued twice; a job whose worker died is taken over after its lease; the agenda mail
waits for its pack; the render cache is bounded; no font folder outlives its process."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from decisions.errors import InvalidInput
from decisions.terms import LocalityConfig, Smtp
from notifications import outbox, render_jobs
from notifications.documents import jobs, produce, store
from notifications.documents.pack import MemoryCache, bounded_cache
from notifications.documents.render import FONT_FOLDER_PREFIX, sweep_stale_font_folders
from notifications.mailer import SmtpMailer
from notifications.tables import OutboxRow, RenderJobRow
from tests.documents.test_publication import COVER
from tests.notifications.notif_support import smtp_server
from tests.principals import as_principal
from workflows.committee import items, meetings
from workflows.events import EventBus, UnitOfWork

PUBLISHED = datetime(2019, 3, 26, 9, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]


def _publish(engine: Engine, config: LocalityConfig) -> int:
    bus = EventBus()
    produce.install(bus)
    from notifications import planner

    planner.install(bus)
    with Session(engine) as session:
        uow = UnitOfWork(session, config, datetime(2019, 3, 1, 9, tzinfo=UTC),
                         as_principal("secretary"), bus)
        [m1, _m2] = meetings.schedule(uow, "jcc", date(2019, 4, 1), date(2019, 5, 31))
        assert m1.id is not None
        item = items.add(uow, m1.id, "Intermediate care beds", lead="DASS", cover=COVER,
                         body_text="# Background\n\nDemand rose by 12% over winter.")
        assert item.id is not None
        items.submit(uow, item.id, submitted_by="dass", submitted_on=date(2019, 3, 20))
        items.accept(uow, item.id)
        uow.now = PUBLISHED
        items.publish_meeting(uow, m1.id)
        assert session.exec(select(store.DocumentRow).where(
            store.DocumentRow.kind == "pack")).first() is None  # not in the transaction
        session.commit()
        return m1.id


@pytest.fixture
def background() -> object:
    jobs.set_mode("background")
    yield
    jobs.set_mode(None)


def test_the_pack_is_rendered_after_commit_once(engine: Engine, config: LocalityConfig) -> None:
    meeting_id = _publish(engine, config)
    with Session(engine) as s:
        [job] = render_jobs.listing(s)
        [pack] = store.listing(s, kind="pack")
        assert (job.kind, job.state, job.outcome, job.attempts) == ("pack", "done", "stored", 1)
        assert job.document_id == pack.id and job.content_hash == pack.content_hash
        assert pack.published_at == PUBLISHED and pack.published_by == "secretary"
        # The same content published again queues nothing: one job per document version.
        uow = UnitOfWork(s, config, PUBLISHED + timedelta(days=1), as_principal("secretary"),
                         EventBus())
        assert produce.queue_packs(uow, meeting_id) == []
        key = render_jobs.job_key("pack", meeting_id, "public", "x")
        params = {"public": True, "member_id": None, "at": PUBLISHED.isoformat(), "by": "s"}
        assert render_jobs.record(s, kind="pack", meeting_id=meeting_id, audience="public",
                                  digest="x", params=params, now=PUBLISHED) == key
        assert render_jobs.record(s, kind="pack", meeting_id=meeting_id, audience="public",
                                  digest="x", params=params, now=PUBLISHED) is None
        s.rollback()


def test_a_dead_workers_job_is_taken_over_after_its_lease(
        engine: Engine, config: LocalityConfig, background: object) -> None:
    meeting_id = _publish(engine, config)
    start = render_jobs.wall_now()
    with Session(engine, expire_on_commit=False) as s:
        claimed = render_jobs.claim(s, "dead-worker", start)  # then the process dies
        assert claimed is not None and claimed.state == "running"
    # While the lease runs, no other worker takes it.
    assert jobs.run_pending(engine, config, now=lambda: start + timedelta(seconds=5)).jobs == 0
    later = start + render_jobs.lease() + timedelta(seconds=1)
    report = jobs.run_pending(engine, config, worker="survivor", now=lambda: later)
    assert len(report.stored) == 1
    with Session(engine) as s:
        [job] = render_jobs.listing(s)
        assert (job.state, job.claimed_by, job.attempts) == ("done", "survivor", 2)
        # The dead worker, had it come back, could store nothing.
        assert not render_jobs.finish(s, job.id or 0, "dead-worker", outcome="stored")
        assert len(store.listing(s, kind="pack", meeting_id=meeting_id)) == 1


def test_a_failed_render_is_retried_then_dead(engine: Engine, config: LocalityConfig,
                                              background: object,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    _publish(engine, config)

    def broken(*_a: object) -> object:
        raise RuntimeError("WeasyPrint fell over")

    monkeypatch.setattr("notifications.documents.meeting_packs.build", broken)
    t = render_jobs.wall_now()
    for n in range(render_jobs.MAX_ATTEMPTS):
        report = jobs.run_pending(engine, config, now=lambda n=n: t + timedelta(hours=n))
        assert len(report.failed) == 1
    with Session(engine) as s:
        [job] = render_jobs.listing(s)
        assert job.state == "dead" and job.error == "RuntimeError: WeasyPrint fell over"
        assert render_jobs.retry(s, all_dead=True) == [job.id]
        s.commit()
    monkeypatch.undo()
    assert len(jobs.run_pending(engine, config).stored) == 1


def test_the_agenda_mail_waits_for_its_pack(engine: Engine, config: LocalityConfig,
                                           background: object) -> None:
    _publish(engine, config)
    with smtp_server() as (inbox, port):
        mailer = SmtpMailer(Smtp(host="127.0.0.1", port=port, sender="s75@example.org"))
        with Session(engine, expire_on_commit=False) as s:
            d = outbox.deliver_due(s, PUBLISHED, mailer)
        agenda = [i for i in d.waiting]
        assert agenda and not [m for m in inbox.messages
                               if "Agenda published" in str(m["Subject"])]
        with Session(engine) as s:
            row = s.get(OutboxRow, agenda[0])
            assert row is not None and "being rendered" in (row.last_error or "")
        assert len(jobs.run_pending(engine, config).stored) == 1
        with Session(engine, expire_on_commit=False) as s:  # woken at once, not in 5 minutes
            d = outbox.deliver_due(s, PUBLISHED, mailer)
        mailer.close()
        assert set(agenda) <= set(d.sent)
        assert inbox.wait_for(len(d.sent))
        with Session(engine) as s:
            [pack] = store.listing(s, kind="pack")
        mail = next(m for m in inbox.messages if "Agenda published" in str(m["Subject"]))
        parsed = message_from_bytes(mail.as_bytes())
        [att] = [p for p in parsed.walk() if p.get_filename()]
        assert att.get_payload(decode=True) == pack.content


def test_the_render_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    cache = MemoryCache(limit=250)
    for n in range(5):
        cache.put(f"p{n}", bytes(100))
        cache.get("p0")  # kept: used most recently
    assert cache.size <= 250 and set(cache.parts) == {"p0", "p4"}
    monkeypatch.setenv("S75_RENDER_CACHE_MB", "8")
    assert bounded_cache().limit == 8 * 1024 * 1024
    monkeypatch.setenv("S75_RENDER_CACHE_MB", "lots")
    with pytest.raises(InvalidInput, match="S75_RENDER_CACHE_MB: 'lots'"):
        bounded_cache()


RENDER_IN_WORKERS = """
from notifications.documents.pack import MemoryCache, Renderer, build_pack
from notifications.documents.samples import sample_pack
with Renderer(MemoryCache(), workers=2, adaptive=False) as r:
    result = build_pack(sample_pack(), r)
assert r.rendered >= 2, r.rendered
print(result.pages)
"""


def test_no_temporary_folder_outlives_the_render(tmp_path: Path) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", RENDER_IN_WORKERS], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout.strip()) > 1
    assert sorted(p.name for p in tmp.iterdir()) == []  # main process and both workers
    # A killed process's folder is swept at the next render; a live one's is kept.
    dead = tmp / f"{FONT_FOLDER_PREFIX}999999999-abc"
    live = tmp / f"{FONT_FOLDER_PREFIX}{os.getpid()}-abc"
    dead.mkdir()
    live.mkdir()
    assert sweep_stale_font_folders(tmp) == [dead]
    assert live.is_dir() and not dead.exists()


def test_cli_lists_runs_and_retries(engine: Engine, config: LocalityConfig, db_url: str,
                                    cli: object, background: object) -> None:
    _publish(engine, config)
    run = cli("--db", db_url, "render-jobs", "list", "--json")  # type: ignore[operator]
    assert run.code == 0, run.err
    import json

    [row] = json.loads(run.out)
    assert (row["document"], row["state"], row["audience"]) == ("pack", "pending", "public")
    assert row["meeting"].startswith("Joint Commissioning Committee, ")
    run = cli("--db", db_url, "render-jobs", "run", "--json")  # type: ignore[operator]
    assert run.code == 0 and json.loads(run.out)["stored"] == 1, run.err
    run = cli("--db", db_url, "render-jobs", "retry")  # type: ignore[operator]
    assert run.code == 2 and "give job ids, or --dead" in run.err
    with Session(engine) as s:
        assert s.exec(select(RenderJobRow.state)).all() == ["done"]


def test_a_savepoint_released_does_not_render_inside_the_transaction(
        engine: Engine, config: LocalityConfig) -> None:
    """process_due publishes in a savepoint per deadline: its jobs render after the outer
    commit, not when the savepoint is released (the write lock still held)."""
    bus = EventBus()
    produce.install(bus)
    with Session(engine) as session:
        uow = UnitOfWork(session, config, datetime(2019, 3, 1, 9, tzinfo=UTC),
                         as_principal("secretary"), bus)
        [m1, _m2] = meetings.schedule(uow, "jcc", date(2019, 4, 1), date(2019, 5, 31))
        assert m1.id is not None
        item = items.add(uow, m1.id, "Intermediate care beds", lead="DASS", cover=COVER,
                         body_text="# Background\n\nDemand rose by 12% over winter.")
        assert item.id is not None
        items.submit(uow, item.id, submitted_by="dass", submitted_on=date(2019, 3, 20))
        items.accept(uow, item.id)
        savepoint = session.begin_nested()
        items.publish_meeting(uow, m1.id)
        savepoint.commit()
        assert render_jobs.RECORDED in session.info  # kept for the outer commit
        assert store.listing(session, kind="pack") == []
        session.commit()
    with Session(engine) as s:
        assert [j.state for j in render_jobs.listing(s)] == ["done"]
        assert len(store.listing(s, kind="pack")) == 1
