"""The render workers: packs, supplements, decision notices and minutes rendered after the
commit that queued them.

Each job is taken in three steps, none holding a transaction while WeasyPrint runs:

1. claim it (notifications/render_jobs.py: a short transaction of its own);
2. read the meeting as it now stands (a read, then rolled back) and render the document
   with :class:`~notifications.documents.pack.Renderer`, its parts in parallel worker
   processes when there are several and cores free, through the bounded in-process cache;
3. in one transaction: mark the job done (guarded: only while this worker holds it), store
   the PDF with its content hash as the version published at the event's time, queue the
   supplement's mail, and wake the outbox messages that were waiting for the document.

A notice or minutes job carries its HTML, fixed in the event's transaction
(document_jobs.py): step 2 is only WeasyPrint, and step 3 also links the document to its
minutes issue or correction and raises DocumentRendered (heard by the planner) as of the
event's time and actor.

Who runs jobs: the process that committed them, right after its commit (the
``after_commit`` hook installed here, unless ``S75_RENDER_JOBS=background``); every ``s75
serve`` process (a worker thread, which also takes the jobs of a process that died); each
scheduler run, before it delivers the outbox; ``s75 render-jobs run``; the demo after each
step.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Engine, event, update
from sqlmodel import Session, col

from decisions.terms import LocalityConfig
from notifications import render_jobs
from notifications.documents import document_jobs
from notifications.documents import meeting_packs as produce
from notifications.documents.workers import cores
from notifications.tables import OutboxRow, RenderJobRow
from workflows.events import EventBus

if TYPE_CHECKING:  # the renderer (WeasyPrint) is imported when a job is rendered
    from notifications.documents.pack import Renderer

log = logging.getLogger("s75.render")


@dataclass
class RunReport:
    stored: list[int] = field(default_factory=list)
    """Ids of the documents stored."""
    unchanged: list[int] = field(default_factory=list)
    """Ids of the jobs whose document already said the same (nothing rendered)."""
    failed: list[int] = field(default_factory=list)
    lost: list[int] = field(default_factory=list)
    """Ids of the jobs taken over by another worker while this one rendered."""

    @property
    def jobs(self) -> int:
        return len(self.stored) + len(self.unchanged) + len(self.failed) + len(self.lost)


_MODE: str | None = None
MODES = ("after-commit", "background")


def mode() -> str:
    """``after-commit`` (default): the committing process renders its own jobs at once;
    ``background``: only workers do (``s75 serve`` sets this while its worker runs)."""
    value = _MODE or os.environ.get("S75_RENDER_JOBS", "after-commit")
    if value not in MODES:
        log.warning("S75_RENDER_JOBS=%r is not valid (after-commit or background); rendering "
                    "after commit", value)
        return "after-commit"
    return value


def set_mode(value: str | None) -> None:
    """Override ``S75_RENDER_JOBS`` for this process (None: back to the environment)."""
    global _MODE
    _MODE = value


def _renderer() -> Renderer:
    from notifications.documents.pack import Renderer

    return Renderer(produce.shared_cache(), workers=cores(), adaptive=True)


def _plan(session: Session, config: LocalityConfig, job: RenderJobRow) -> produce.Plan:
    p = job.params
    at = datetime.fromisoformat(str(p["at"]))
    planner = produce.plan_supplement if job.kind == "supplement" else produce.plan_pack
    return planner(session, config, job.meeting_id, bool(p["public"]), p.get("member_id"), at)


def _wake_outbox(session: Session, at: datetime) -> None:
    """Messages held back for a document being rendered are due again now it is stored."""
    session.execute(update(OutboxRow).where(
        col(OutboxRow.state) == "pending", col(OutboxRow.next_attempt_at) > at,
        col(OutboxRow.last_error).like("%being rendered%")).values(next_attempt_at=at))


def _finished(s: Session, job_id: int, worker: str, report: RunReport) -> bool:
    """Mark the job stored, if this worker still holds it; else drop the result (counted as
    lost: another worker took it over after the lease ran out)."""
    if render_jobs.finish(s, job_id, worker, outcome="stored"):
        return True
    s.rollback()
    report.lost.append(job_id)
    log.warning("render job %s was taken over by another worker; result dropped", job_id)
    return False


def _run_single(engine: Engine, config: LocalityConfig, job: RenderJobRow, worker: str,
                report: RunReport, bus: EventBus | None = None) -> None:
    """A notice or minutes: its HTML, fixed by the event's transaction, to the stored PDF."""
    assert job.id is not None
    r = document_jobs.render(job)
    with Session(engine) as s:
        if not _finished(s, job.id, worker, report):
            return
        heard = bus or _BUS
        if heard is None:
            log.warning("render job %s: no event bus installed in this process; its "
                        "document.rendered is recorded but no handler hears it", job.id)
        row = document_jobs.store_job(s, config, heard, job, r.pdf, r.pages)
        # Done: the HTML (now in the stored PDF) is not kept in the queue.
        kept = {k: v for k, v in job.params.items() if k != "html"}
        s.execute(update(RenderJobRow).where(col(RenderJobRow.id) == job.id).values(
            document_id=row.id, content_hash=row.content_hash, params=kept))
        _wake_outbox(s, datetime.fromisoformat(str(job.params["at"])))
        s.commit()
        report.stored.append(row.id or 0)


def run_one(engine: Engine, config: LocalityConfig, job: RenderJobRow, worker: str,
            renderer: Renderer, report: RunReport, bus: EventBus | None = None) -> None:
    """Render and store one claimed job (see the module doc)."""
    assert job.id is not None
    if job.kind in document_jobs.KINDS:
        _run_single(engine, config, job, worker, report, bus)
        return
    p = job.params
    at = datetime.fromisoformat(str(p["at"]))
    with Session(engine) as read:
        plan = _plan(read, config, job)
        read.rollback()
    with Session(engine) as s:
        if plan.view is None or plan.same is not None:
            if render_jobs.finish(s, job.id, worker, outcome="unchanged" if plan.same
                                  else "empty",
                                  document_id=plan.same.id if plan.same else None,
                                  content_hash=plan.same.content_hash if plan.same else None):
                _wake_outbox(s, at)
                s.commit()
                report.unchanged.append(job.id)
            else:
                report.lost.append(job.id)
            return
    result = produce.build(plan, renderer)
    with Session(engine) as s:
        if not _finished(s, job.id, worker, report):
            return
        row = produce.store_plan(s, plan, result, at, str(p.get("by") or "system"),
                                 str(p.get("event") or "render"))
        s.execute(update(RenderJobRow).where(col(RenderJobRow.id) == job.id).values(
            document_id=row.id, content_hash=row.content_hash))
        if plan.kind == "supplement":
            produce.mail_supplement(s, config, at, plan.meeting_id)
        _wake_outbox(s, at)
        s.commit()
        report.stored.append(row.id or 0)


def run_pending(engine: Engine, config: LocalityConfig, *, keys: list[str] | None = None,
                limit: int | None = None, worker: str | None = None,
                now: Callable[[], datetime] = render_jobs.wall_now,
                renderer: Renderer | None = None, bus: EventBus | None = None) -> RunReport:
    """Claim and render due jobs (only ``keys`` when given) until none is left or ``limit``
    jobs were taken. One job's failure is recorded on it and the others go on. ``bus``
    hears the DocumentRendered of each notice and minutes stored (default: the bus last
    installed in this process)."""
    worker = worker or render_jobs.worker_name()
    report = RunReport()
    r = renderer
    try:
        while limit is None or report.jobs < limit:
            with Session(engine, expire_on_commit=False) as s:
                job = render_jobs.claim(s, worker, now(), keys)
            if job is None or job.id is None:
                break
            if r is None:  # only once there is work: nothing to set up on an idle round
                from notifications.documents.render import sweep_stale_font_folders

                sweep_stale_font_folders()
                r = _renderer()
            try:
                run_one(engine, config, job, worker, r, report, bus)
            except Exception as exc:  # one document's fault never stops the others
                log.exception("render job %s (%s) failed", job.id, job.key)
                with Session(engine) as s:
                    render_jobs.fail(s, job.id, worker, f"{type(exc).__name__}: {exc}", now())
                    s.commit()
                report.failed.append(job.id)
    finally:
        if r is not None and renderer is None:
            r.__exit__(None, None, None)
    return report


_LOCAL = threading.local()


def _after_commit(session: Session) -> None:
    """Render the jobs this session recorded, now that they are committed. (The event also
    fires when a savepoint is released, inside a transaction still open: not then.)"""
    outer = session.get_transaction()
    if outer is not None and outer.is_active:
        return
    keys = session.info.pop(render_jobs.RECORDED, None)
    if not keys or mode() != "after-commit" or getattr(_LOCAL, "busy", False):
        return
    config = session.info.get("s75.config")
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else getattr(bind, "engine", None)
    if config is None or engine is None:
        return  # left for the workers
    _LOCAL.busy = True
    try:
        run_pending(engine, config, keys=list(keys))
    except Exception:  # the action committed; the jobs stay queued for the workers
        log.exception("rendering after commit failed; the jobs stay queued")
    finally:
        _LOCAL.busy = False


_INSTALLED = False
_BUS: EventBus | None = None
"""The bus that hears the DocumentRendered of a stored notice or minutes (the last
installed)."""


def install(bus: EventBus) -> None:
    """Run recorded jobs after each commit (once per process)."""
    global _INSTALLED, _BUS
    _BUS = bus
    if not _INSTALLED:
        event.listen(Session, "after_commit", _after_commit)
        _INSTALLED = True
