"""The documents store: save a rendered PDF once per content hash, list and fetch them.

A published document is a dated act: its row records when it was published and by whom. A
republication of the same kind, subject and audience (a correction, a late report) is the next
version with its own date; the earlier row is kept and named by ``supersedes_id``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from decisions.errors import NotFound
from notifications.documents.tables import DocumentRow


def audience_of(public: bool, member_id: str | None) -> str:
    return "public" if public else (f"member:{member_id}" if member_id else "members")


@dataclass(frozen=True)
class Publication:
    """Who publishes a document and when; ``source_hash`` identifies what it says."""

    at: datetime
    by: str
    source_hash: str | None = None


def save(session: Session, *, kind: str, title: str, pdf: bytes, pages: int,
         subject_type: str, subject_id: object, now: datetime, public: bool = False,
         member_id: str | None = None, meeting_id: int | None = None,
         event: str = "render", publication: Publication | None = None) -> DocumentRow:
    """Store ``pdf`` unless the same content is already stored for the same subject and
    audience; return the row either way. With ``publication`` the row is the next version
    of the document (superseding the latest one)."""
    digest = hashlib.sha256(pdf).hexdigest()
    audience = audience_of(public, member_id)
    existing = session.exec(select(DocumentRow).where(
        DocumentRow.kind == kind, DocumentRow.subject_type == subject_type,
        DocumentRow.subject_id == str(subject_id), DocumentRow.audience == audience,
        DocumentRow.content_hash == digest)).first()
    if existing is not None:
        return existing
    prior = latest_published(session, kind, subject_type, subject_id, audience)
    row = DocumentRow(kind=kind, title=title, meeting_id=meeting_id, subject_type=subject_type,
                      subject_id=str(subject_id), public=public, audience=audience,
                      member_id=member_id, content_hash=digest, pages=pages, size=len(pdf),
                      content=pdf, event=event, created_at=now)
    if publication is not None:
        row.version = next_version(prior)
        row.supersedes_id = prior.id if prior is not None else None
        row.published_at, row.published_by = publication.at, publication.by
        row.source_hash = publication.source_hash
    session.add(row)
    session.flush()
    return row


def next_version(prior: DocumentRow | None) -> int:
    return 1 if prior is None else prior.version + 1


def latest_published(session: Session, kind: str, subject_type: str, subject_id: object,
                     audience: str) -> DocumentRow | None:
    """The current published version of a document (None before its first publication)."""
    return session.exec(select(DocumentRow).where(
        DocumentRow.kind == kind, DocumentRow.subject_type == subject_type,
        DocumentRow.subject_id == str(subject_id), DocumentRow.audience == audience,
        col(DocumentRow.published_at).is_not(None))
        .order_by(col(DocumentRow.version).desc(), col(DocumentRow.id).desc())).first()


def listing(session: Session, *, kind: str | None = None,
            meeting_id: int | None = None) -> list[DocumentRow]:
    q = select(DocumentRow)
    if kind:
        q = q.where(DocumentRow.kind == kind)
    if meeting_id is not None:
        q = q.where(DocumentRow.meeting_id == meeting_id)
    return list(session.exec(q.order_by(col(DocumentRow.id))).all())


def latest(session: Session, kind: str, subject_type: str, subject_id: object,
           audience: str = "members") -> DocumentRow | None:
    return session.exec(select(DocumentRow).where(
        DocumentRow.kind == kind, DocumentRow.subject_type == subject_type,
        DocumentRow.subject_id == str(subject_id), DocumentRow.audience == audience)
        .order_by(col(DocumentRow.id).desc())).first()


def content(session: Session, document_id: int) -> DocumentRow:
    row = session.get(DocumentRow, document_id)
    if row is None:
        raise NotFound(f"document {document_id} does not exist; see `s75 documents list`")
    return row
