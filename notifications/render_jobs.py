"""Render jobs: documents rendered after the commit of the event that asked for them.

The event's transaction records a job (as it records an outbox message); a worker renders it
after the commit, so no transaction (and not SQLite's write lock) is held while WeasyPrint
runs. This module is the queue; notifications/documents/jobs.py does the work.

* ``record`` inserts with ON CONFLICT DO NOTHING on the unique ``key`` (kind, meeting,
  audience and the hash of what the document says): the same document version is queued,
  and so rendered, once, even when two processes record it at once.
* ``claim`` takes one due job in a short transaction of its own: the candidates are read
  with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, and every claim is a guarded UPDATE (``WHERE
  state = 'pending' OR the lease expired``) whose row count says whether this worker won, on
  SQLite as on PostgreSQL. A job for a document another worker is rendering waits, and a
  supplement waits for its main pack (its pages are numbered on from the pack's).
* ``finish`` is a guarded UPDATE too (``WHERE claimed_by = this worker AND state =
  'running'``), made in the same transaction as storing the document: a worker whose lease
  ran out and was taken over stores nothing.
* A crash loses nothing: a job claimed by a worker that died is claimed again once its lease
  (``S75_RENDER_LEASE_SECONDS``, default 600) has run out. A failed render is retried with
  backoff and, after ``MAX_ATTEMPTS``, marked ``dead`` (``s75 render-jobs retry`` puts it
  back).
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from decisions.errors import InvalidInput, NotFound
from notifications.tables import RenderJobRow

MAX_ATTEMPTS = 3
BACKOFF_BASE = timedelta(seconds=30)
RECORDED = "s75.render_jobs"
"""``session.info`` key: the keys of the jobs this session recorded (run after its commit)."""
OPEN = ("pending", "running")


def lease() -> timedelta:
    """How long a claim holds before another worker may take the job over."""
    raw = os.environ.get("S75_RENDER_LEASE_SECONDS", "600")
    try:
        seconds = int(raw)
    except ValueError as exc:
        raise InvalidInput(f"S75_RENDER_LEASE_SECONDS: {raw!r} is not a whole number of "
                           "seconds; give e.g. 600") from exc
    if not 10 <= seconds <= 86_400:
        raise InvalidInput(f"S75_RENDER_LEASE_SECONDS: {seconds} is out of range; give 10 to "
                           "86400 seconds")
    return timedelta(seconds=seconds)


def worker_name() -> str:
    """Who claims: host, process and thread (two threads of one process are two workers)."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:120]


def wall_now() -> datetime:
    return datetime.now(UTC)


def job_key(kind: str, meeting_id: int, audience: str, digest: str) -> str:
    return f"{kind}:{meeting_id}:{audience}:{digest}"[:255]


def record(session: Session, *, kind: str, meeting_id: int, audience: str, digest: str,
           params: dict[str, Any], now: datetime) -> str | None:
    """Queue one job in the caller's transaction; the key if newly queued, else None (that
    version of that document is already queued or done)."""
    key = job_key(kind, meeting_id, audience, digest)
    table: Any = RenderJobRow.__table__  # type: ignore[attr-defined]
    dialect = session.get_bind().dialect.name
    ins: Any = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
    stmt = ins.on_conflict_do_nothing(index_elements=["key"]).returning(table.c.key)
    got = session.execute(stmt, {"key": key, "kind": kind, "meeting_id": meeting_id,
                                 "audience": audience, "params": params, "state": "pending",
                                 "attempts": 0, "created_at": now, "outcome": ""}).scalar()
    if got is None:
        return None
    session.info.setdefault(RECORDED, []).append(key)
    return str(got)


def _due(now: datetime) -> Any:
    expired = now - lease()
    return or_(and_(col(RenderJobRow.state) == "pending",
                    or_(col(RenderJobRow.not_before).is_(None),
                        col(RenderJobRow.not_before) <= now)),
               and_(col(RenderJobRow.state) == "running",
                    col(RenderJobRow.claimed_at) < expired))


def _blocked(session: Session, job: RenderJobRow, now: datetime) -> bool:
    """Another live claim on the same document, or (a supplement) its main pack still open;
    for a job naming ``waits_for`` key prefixes (notices, minutes), an earlier job with one of
    them still open, so that the versions of a document are stored in the order issued."""
    live = or_(col(RenderJobRow.state) == "pending",
               and_(col(RenderJobRow.state) == "running",
                    col(RenderJobRow.claimed_at) >= now - lease()))
    waits = [str(x) for x in (job.params or {}).get("waits_for") or ()]
    if waits:  # a notice or minutes: after every earlier job for the same document
        earlier = select(RenderJobRow.id).where(
            col(RenderJobRow.state).in_(OPEN), col(RenderJobRow.id) < (job.id or 0),
            or_(*(func.substr(col(RenderJobRow.key), 1, len(w)) == w for w in waits)))
        return session.exec(earlier).first() is not None
    same = select(RenderJobRow.id).where(
        RenderJobRow.meeting_id == job.meeting_id, RenderJobRow.audience == job.audience,
        col(RenderJobRow.id) != job.id)
    if session.exec(same.where(RenderJobRow.kind == job.kind,
                               col(RenderJobRow.state) == "running",
                               col(RenderJobRow.claimed_at) >= now - lease())).first():
        return True
    if job.kind == "supplement":
        return session.exec(same.where(RenderJobRow.kind == "pack", live,
                                       col(RenderJobRow.id) < (job.id or 0))).first() is not None
    return False


def claim(session: Session, worker: str, now: datetime | None = None,
          keys: Sequence[str] | None = None) -> RenderJobRow | None:
    """Claim the oldest due job (of ``keys`` when given) for ``worker``, committing the claim;
    None when there is none."""
    now = now or wall_now()
    session.commit()
    stmt = select(RenderJobRow).where(_due(now)).order_by(col(RenderJobRow.id)).limit(20)
    if keys is not None:
        stmt = stmt.where(col(RenderJobRow.key).in_(list(keys)))
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    for job in session.exec(stmt).all():
        if _blocked(session, job, now):
            continue
        if job.state == "running" and job.attempts >= MAX_ATTEMPTS:
            job.state, job.finished_at = "dead", now
            job.error = (f"worker {job.claimed_by} stopped (lease ran out) on attempt "
                         f"{job.attempts}; not retried")
            session.add(job)
            continue
        won = session.execute(
            update(RenderJobRow).where(col(RenderJobRow.id) == job.id, _due(now))
            .values(state="running", claimed_by=worker, claimed_at=now,
                    attempts=RenderJobRow.attempts + 1)).rowcount  # type: ignore[attr-defined]
        if won == 1:
            session.commit()
            session.refresh(job)
            return job
    session.commit()
    return None


def finish(session: Session, job_id: int, worker: str, *, outcome: str,
           document_id: int | None = None, content_hash: str | None = None,
           now: datetime | None = None) -> bool:
    """Mark the job done, in the transaction that stores its document; False (store nothing,
    roll back) when this worker no longer holds it."""
    done = session.execute(
        update(RenderJobRow).where(col(RenderJobRow.id) == job_id,
                                   col(RenderJobRow.claimed_by) == worker,
                                   col(RenderJobRow.state) == "running")
        .values(state="done", finished_at=now or wall_now(), outcome=outcome,
                document_id=document_id, content_hash=content_hash, error=None)
    ).rowcount  # type: ignore[attr-defined]
    return bool(done == 1)


def fail(session: Session, job_id: int, worker: str, error: str,
         now: datetime | None = None) -> str | None:
    """Count a failed attempt: back to pending after a backoff, or dead after MAX_ATTEMPTS.
    Returns the new state (None when this worker no longer held the job)."""
    now = now or wall_now()
    job = session.get(RenderJobRow, job_id)
    if job is None or job.claimed_by != worker or job.state != "running":
        return None
    job.error = error[:500]
    if job.attempts >= MAX_ATTEMPTS:
        job.state, job.finished_at = "dead", now
    else:
        job.state = "pending"
        job.not_before = now + BACKOFF_BASE * (2 ** (job.attempts - 1))
    session.add(job)
    return job.state


def is_open(session: Session, meeting_id: int, kind: str) -> bool:
    """Whether a job for ``kind`` of the meeting is pending or being rendered."""
    return session.exec(select(RenderJobRow.id).where(
        RenderJobRow.meeting_id == meeting_id, RenderJobRow.kind == kind,
        col(RenderJobRow.state).in_(OPEN))).first() is not None


def listing(session: Session, state: str | None = None) -> list[RenderJobRow]:
    q = select(RenderJobRow)
    if state:
        q = q.where(RenderJobRow.state == state)
    return list(session.exec(q.order_by(col(RenderJobRow.id))).all())


@dataclass(frozen=True)
class Counts:
    pending: int
    running: int
    done: int
    dead: int


def counts(session: Session) -> Counts:
    rows = dict(session.exec(select(RenderJobRow.state, func.count())
                             .group_by(col(RenderJobRow.state))).all())
    return Counts(*(int(rows.get(s, 0)) for s in ("pending", "running", "done", "dead")))


def retry(session: Session, ids: Sequence[int] = (), *, all_dead: bool = False) -> list[int]:
    """Put dead jobs back in the queue with their attempts reset."""
    if not ids and not all_dead:
        raise InvalidInput("render-jobs retry: give job ids, or --dead for every dead job")
    rows = list(session.exec(select(RenderJobRow).where(RenderJobRow.state == "dead"))) \
        if all_dead else []
    for jid in ids:
        row = session.get(RenderJobRow, jid)
        if row is None:
            raise NotFound(f"render job {jid} does not exist; see 's75 render-jobs list'")
        if row.state != "dead":
            raise InvalidInput(f"render job {jid} is {row.state}; only a dead job is retried")
        rows.append(row)
    for row in rows:
        row.state, row.attempts, row.not_before, row.claimed_by = "pending", 0, None, None
        session.add(row)
    return [r.id for r in rows if r.id is not None]
