"""Recording a decision (``python -m bench publish``, beside the pack figures): how long the
decision's transaction holds SQLite's write lock now that its notice is rendered after the
commit, against the same transaction rendering and storing the notice inside it (as before
issue 14.5: the same HTML, WeasyPrint and store, before the commit), and against WeasyPrint
rendering that notice's HTML alone (no database). Wall and CPU seconds of this process (the
notice renders in it), median over the decisions of ``runs`` fresh databases."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from decisions.principals import operator
from decisions.terms import LocalityConfig
from notifications import render_jobs
from notifications.documents import document_jobs, jobs, kinds
from notifications.tables import RenderJobRow
from s75.config import load_config
from s75.db import make_engine, upgrade
from s75.standing import sync_standing
from s75.wiring import build_bus
from workflows.committee import attendance, decide, items, meetings
from workflows.events import EventBus, UnitOfWork

ROOT = Path(__file__).resolve().parent.parent
HEADING = "## Publishing: recording a decision, its notice rendered after commit"
T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
COVER = {"decisions_required": "Approve the plan", "key_points": "Demand is rising",
         "impacts": "Financial: within the pool's budget", "sponsor": "DASS",
         "presenter": "Head of Commissioning"}
REASONS = "Winter demand rose by 12%; the beds cost less than spot purchase. " * 4


@dataclass
class Timing:
    wall: float
    cpu: float


@dataclass
class DecisionRun:
    after: Timing
    """The decision's transaction, to its commit, recording the notice's job (now)."""
    before: Timing
    """The same transaction rendering and storing the notice before its commit (before)."""
    stored: Timing
    """After: transaction start to the notice stored by the worker run after the commit."""
    raw: Timing
    """WeasyPrint alone, the same notice's HTML."""
    pages: int


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _since(t: tuple[float, float]) -> Timing:
    return Timing(time.perf_counter() - t[0], time.process_time() - t[1])


def _held_meeting(engine: Engine, cfg: LocalityConfig, bus: EventBus, n: int) -> list[int]:
    with Session(engine) as s:
        uow = UnitOfWork(s, cfg, T0, operator(cfg), bus)
        [m, *_] = meetings.schedule(uow, "jcc", date(2026, 4, 1), date(2026, 4, 30))
        assert m.id is not None
        ids = []
        for k in range(1, n + 1):
            it = items.add(uow, m.id, f"Report {k}: intermediate care beds", lead="DASS",
                           cover=COVER, body_text="# Proposal\n\nCommission 20 beds.")
            assert it.id is not None
            items.submit(uow, it.id, submitted_by="dass", submitted_on=date(2026, 3, 10))
            items.accept(uow, it.id)
            ids.append(it.id)
        uow.now = T0 + timedelta(days=20)
        items.publish_meeting(uow, m.id)
        uow.now = m.starts_at
        for member in cfg.members_of("jcc"):
            attendance.record(uow, m.id, member.id)
        meetings.hold(uow, m.id)
        s.commit()
        return ids


def _decide(engine: Engine, cfg: LocalityConfig, bus: EventBus, item_id: int,
            inside: bool) -> tuple[Timing, list[str]]:
    """Record one decision; with ``inside``, render and store its notice before the commit
    (the old way: the write lock held through WeasyPrint). Its notice keys."""
    t = _clock()
    with Session(engine) as s:
        uow = UnitOfWork(s, cfg, T0 + timedelta(days=31), operator(cfg), bus)
        decide.decide_item(uow, item_id, resolution="That 20 beds be commissioned.",
                           reasons=REASONS)
        keys = [k for k in s.info.get(render_jobs.RECORDED, []) if k.startswith("notice:")]
        if inside:
            for job in s.exec(select(RenderJobRow).where(col(RenderJobRow.key).in_(keys))):
                r = document_jobs.render(job)
                row = document_jobs.store_job(s, cfg, bus, job, r.pdf, r.pages)
                s.execute(update(RenderJobRow).where(col(RenderJobRow.id) == job.id).values(
                    state="done", outcome="stored", document_id=row.id))
        s.commit()
    return _since(t), keys


def run_once(cfg: LocalityConfig, decisions: int = 4) -> list[DecisionRun]:
    bus = build_bus()
    out = []
    with tempfile.TemporaryDirectory(prefix="s75-bench-") as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        upgrade(engine)
        with Session(engine) as s:
            sync_standing(s, cfg, T0)
            s.commit()
        jobs.set_mode("background")  # to time the commit apart; then render as after it
        try:
            ids = _held_meeting(engine, cfg, bus, 2 * decisions)
            for k in range(decisions):
                t = _clock()
                after, keys = _decide(engine, cfg, bus, ids[2 * k], inside=False)
                with Session(engine) as s:  # (a done job no longer holds its HTML)
                    job = s.exec(select(RenderJobRow).where(
                        col(RenderJobRow.key) == keys[0])).one()
                    html = str(job.params["html"])
                report = jobs.run_pending(engine, cfg, keys=keys)
                assert len(report.stored) == len(keys) == 1, report
                stored = _since(t)
                before, _ = _decide(engine, cfg, bus, ids[2 * k + 1], inside=True)
                t = _clock()
                rendered = kinds.render(html)
                out.append(DecisionRun(after, before, stored, _since(t), rendered.pages))
        finally:
            jobs.set_mode(None)
            engine.dispose()
    return out


def run(runs: int = 3) -> list[DecisionRun]:
    cfg = load_config(ROOT / "config.toml")
    return [r for _ in range(runs) for r in run_once(cfg)]


def _med(results: list[DecisionRun], name: str) -> Timing:
    return Timing(statistics.median(getattr(r, name).wall for r in results),
                  statistics.median(getattr(r, name).cpu for r in results))


def section(results: list[DecisionRun], load: tuple[float, float]) -> str:
    after, before, stored, raw = (_med(results, k) for k in ("after", "before", "stored",
                                                             "raw"))

    def row(what: str, t: Timing) -> str:
        return (f"| {what} | {t.wall * 1000:.0f} ms | {t.cpu * 1000:.0f} ms | "
                f"{t.wall / raw.wall:.2f}x |")

    busy = load[0] > (os.cpu_count() or 1) or load[1] > (os.cpu_count() or 1)
    note = (" The cores were busy (load average above the cores): the wall times include "
            "waiting for a core; the CPU column is the work done." if busy else "")
    return f"""{HEADING}

`python -m bench publish` ({len(results)} decisions on {len(results) // 4} fresh SQLite
databases, median; load average {load[0]:.1f} before, {load[1]:.1f} after, on
{os.cpu_count()} cores). A held meeting of the Joint Commissioning Committee; each decision
recorded by the services (`decide_item`, its `DecisionRecorded` and `DecisionNoticePublished`
handlers, the audit chain) in its own transaction. *Before* renders and stores the public
notice ({results[0].pages} page) in that transaction, as the code did before issue 14.5 (the
same HTML, WeasyPrint and store); *after* records its render job and commits, and the notice
is rendered after the commit. Raw: WeasyPrint rendering the same notice's HTML, no database.
CPU is this process's (the notice renders in it).{note}

| measure | wall | CPU | / raw WeasyPrint (wall) |
|---|---|---|---|
{row("decision transaction, to its commit (write lock held): before, rendering inside", before)}
{row("decision transaction, to its commit (write lock held): after, job recorded", after)}
{row("after: transaction start to the notice stored by the worker", stored)}
{row("raw WeasyPrint, the same notice's HTML", raw)}

The write lock is held {before.wall / after.wall:.1f}x less long ({before.cpu / after.cpu:.1f}x
less CPU inside the transaction): the transaction keeps the queries, the notice's HTML and
the job's row, and WeasyPrint runs after the commit. The notice is stored
{(stored.wall - after.wall) * 1000:.0f} ms after the commit (by the process that committed
it, or a worker), dated as published in the transaction; event to stored notice costs
{stored.cpu / before.cpu:.2f}x the CPU of rendering it inside the transaction.
"""
