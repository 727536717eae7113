"""Decision notices and minutes rendered after the commit of the event that issues them.

The event's transaction fixes what the document says: it builds the document's HTML from
the record as it stands at that moment (the notice's call-in dates, the minutes' text) and
records a render job holding it (notifications/render_jobs.py), beside the act of
publication itself (``decision.notice_published_on``, the ``minutes_version`` row, the audit
event). A worker (notifications/documents/jobs.py) turns that HTML into the PDF after the
commit, without a transaction open, and stores it, dated as published at the event's time
by the event's actor, in one short transaction that also links it to what asked for it (the
minutes issue, the correction) and raises :class:`DocumentRendered`.

A job waits while an earlier job for the same document (or for the document it supersedes)
is still open, so versions are stored in the order they were issued.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from decisions.principals import Principal
from decisions.terms import LocalityConfig
from notifications import render_jobs
from notifications.documents import kinds, store
from notifications.documents.events import DocumentRendered
from notifications.documents.tables import DocumentRow
from notifications.documents.templating import Rendered
from notifications.tables import RenderJobRow
from workflows.committee.corrections import correction_of
from workflows.committee.records import MinutesVersionRow
from workflows.events import EventBus, UnitOfWork

KINDS = ("notice", "minutes")


def document_prefix(kind: str, meeting_id: int, audience: str, subject: str) -> str:
    """The start of the key of every job for one document (kind, subject, audience)."""
    return f"{render_jobs.job_key(kind, meeting_id, audience, subject)}|"


def queue(uow: UnitOfWork, *, kind: str, html: str, title: str, subject_type: str,
          subject_id: int, public: bool, meeting_id: int | None, event: str,
          unique: str = "", waits_for: tuple[str, ...] = (),
          link: dict[str, Any] | None = None) -> str | None:
    """Record, in the event's transaction, a job rendering ``html`` after the commit. The
    key names the document and the hash of what it says (with ``unique``, e.g. the minutes
    issue): the same version is queued, so rendered, once. Returns the key (None when that
    version is already queued)."""
    audience = store.audience_of(public, None)
    meeting = int(meeting_id or 0)
    subject = f"{subject_type[0]}{subject_id}"
    prefix = document_prefix(kind, meeting, audience, subject)
    digest = hashlib.sha256(html.encode()).hexdigest()
    uow.session.info["s75.config"] = uow.config  # for the render after commit (jobs.py)
    params = {"html": html, "title": title, "subject_type": subject_type,
              "subject_id": subject_id, "public": public, "meeting_id": meeting_id,
              "event": event, "at": uow.now.isoformat(), "by": uow.actor,
              "waits_for": [prefix, *waits_for], "link": link or {}}
    return render_jobs.record(uow.session, kind=kind, meeting_id=meeting,
                              audience=audience,
                              digest=f"{subject}|{digest}{':' + unique if unique else ''}",
                              params=params, now=uow.now)


def queue_notice(uow: UnitOfWork, decision_id: int, meeting_id: int | None, html: str,
                 title: str, public: bool, event: str, *,
                 supersedes: int | None = None) -> str | None:
    """A notice's job; with ``supersedes`` (a correction or rescission) the stored notice
    is the next version of the notice of decision ``supersedes``."""
    waits: tuple[str, ...] = ()
    link: dict[str, Any] = {}
    if supersedes is not None:
        meeting = int(meeting_id or 0)
        waits = (document_prefix("notice", meeting, store.audience_of(public, None),
                                 f"d{supersedes}"),)
        link = {"supersedes_decision": supersedes}
    return queue(uow, kind="notice", html=html, title=title, subject_type="decision",
                 subject_id=decision_id, public=public, meeting_id=meeting_id, event=event,
                 waits_for=waits, link=link)


def render(job: RenderJobRow) -> Rendered:
    """The PDF of a notice or minutes job (no database: run outside any transaction)."""
    return kinds.render(str(job.params["html"]))


def _supersede(session: Session, row: DocumentRow, decision_id: int, superseded_id: int,
               at: datetime, by: str) -> int | None:
    """The stored notice as the next version of the latest notice of either decision (the
    earlier issue kept, named by ``supersedes_id``); the id of that earlier issue."""
    prior = session.exec(select(DocumentRow).where(
        DocumentRow.kind == "notice", DocumentRow.subject_type == "decision",
        col(DocumentRow.subject_id).in_((str(superseded_id), str(decision_id))),
        DocumentRow.audience == row.audience, col(DocumentRow.id) != row.id)
        .order_by(col(DocumentRow.version).desc(), col(DocumentRow.id).desc())).first()
    if prior is not None:
        row.version, row.supersedes_id = prior.version + 1, prior.id
    row.published_at, row.published_by = at, by
    session.add(row)
    c = correction_of(session, superseded_id)
    if c is not None and row.public:
        c.old_document_id, c.document_id = (prior.id if prior is not None else None), row.id
        session.add(c)
    return prior.id if prior is not None else None


def _link(session: Session, row: DocumentRow, link: dict[str, Any], at: datetime,
          by: str) -> None:
    if "minutes_version" in link:
        version = session.get(MinutesVersionRow, int(link["minutes_version"]))
        if version is not None:
            if row.public:
                version.public_document_id = row.id
            else:
                version.document_id = row.id
            session.add(version)
    if "supersedes_decision" in link:
        _supersede(session, row, int(row.subject_id), int(link["supersedes_decision"]), at, by)


def store_job(session: Session, config: LocalityConfig, bus: EventBus | None,
              job: RenderJobRow, pdf: bytes, pages: int) -> DocumentRow:
    """In the worker's transaction (the job already marked done by this worker): store the
    PDF as the event's document, link it, and raise DocumentRendered as of the event's time
    and actor."""
    p = job.params
    at = datetime.fromisoformat(str(p["at"]))
    by = str(p.get("by") or "system")
    meeting_id = p.get("meeting_id")
    # A notice is a dated publication (the next version of the decision's notice, published
    # at the event's time by its actor); each minutes issue is recorded in minutes_version.
    html = str(p["html"])
    publication = store.Publication(at, by, hashlib.sha256(html.encode()).hexdigest()) \
        if job.kind == "notice" else None
    row = store.save(session, kind=job.kind, title=str(p["title"]), pdf=pdf, pages=pages,
                     subject_type=str(p["subject_type"]), subject_id=p["subject_id"], now=at,
                     public=bool(p["public"]), meeting_id=meeting_id,
                     event=str(p.get("event") or "render"), publication=publication)
    _link(session, row, dict(p.get("link") or {}), at, by)
    session.flush()
    uow = UnitOfWork(session, config, at, Principal(by, by, kind="system"),
                     bus or EventBus())
    decision = int(p["subject_id"]) if p["subject_type"] == "decision" else None
    uow.emit(DocumentRendered(document_id=row.id or 0, kind=job.kind,
                              decision_id=decision, meeting_id=meeting_id))
    return row


def stored_for_version(session: Session, version_id: int, public: bool = False
                       ) -> DocumentRow | None:
    """The stored document of one minutes issue (None until its job has run)."""
    version = session.get(MinutesVersionRow, version_id)
    if version is None:
        return None
    doc_id = version.public_document_id if public else version.document_id
    return session.get(DocumentRow, doc_id) if doc_id is not None else None

