"""The documents store: save a rendered PDF once per content hash, list and fetch them."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlmodel import Session, col, select

from decisions.errors import NotFound
from notifications.documents.tables import DocumentRow


def save(session: Session, *, kind: str, title: str, pdf: bytes, pages: int,
         subject_type: str, subject_id: object, now: datetime, public: bool = False,
         member_id: str | None = None, meeting_id: int | None = None,
         event: str = "render") -> DocumentRow:
    """Store ``pdf`` unless the same content is already stored for the same subject and
    audience; return the row either way."""
    digest = hashlib.sha256(pdf).hexdigest()
    audience = "public" if public else (f"member:{member_id}" if member_id else "members")
    existing = session.exec(select(DocumentRow).where(
        DocumentRow.kind == kind, DocumentRow.subject_type == subject_type,
        DocumentRow.subject_id == str(subject_id), DocumentRow.audience == audience,
        DocumentRow.content_hash == digest)).first()
    if existing is not None:
        return existing
    row = DocumentRow(kind=kind, title=title, meeting_id=meeting_id, subject_type=subject_type,
                      subject_id=str(subject_id), public=public, audience=audience,
                      member_id=member_id, content_hash=digest, pages=pages, size=len(pdf),
                      content=pdf, event=event, created_at=now)
    session.add(row)
    session.flush()
    return row


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
