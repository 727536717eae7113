"""The documents store: every PDF the engine produced, with what it is about and who may
see it. The bytes are kept in the row (``content``) or, for large files, on disk (``path``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from workflows.sqltypes import UTCDateTime

DOCUMENT_KINDS = ("agenda", "pack", "supplement", "minutes", "notice", "actions",
                  "forward-plan", "terms", "gateway-report", "pool")


class DocumentRow(SQLModel, table=True):
    __tablename__ = "document"
    __table_args__ = (UniqueConstraint("kind", "subject_type", "subject_id", "audience",
                                       "content_hash"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32, index=True)
    """One of DOCUMENT_KINDS."""
    title: str
    meeting_id: int | None = Field(default=None, index=True)
    subject_type: str = Field(max_length=32)
    """meeting | decision | body | locality."""
    subject_id: str = Field(max_length=64, index=True)
    public: bool = False
    audience: str = Field(default="members", max_length=80)
    """public | members | member:<id>."""
    member_id: str | None = Field(default=None, max_length=64)
    content_hash: str = Field(max_length=64)
    """sha256 of the PDF bytes: the same content is stored once."""
    pages: int = 0
    size: int = 0
    content: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    path: str | None = None
    event: str = ""
    """The domain event that produced it, or "render" for one made on request."""
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    version: int = 1
    """1 for the first publication of this kind, subject and audience; a republication (a
    correction, a late report) is the next version, the earlier row kept."""
    supersedes_id: int | None = None
    """The version this one replaces."""
    published_at: datetime | None = Field(default=None,
                                          sa_column=Column(UTCDateTime, nullable=True))
    """When this version was published (None for a document rendered only on request)."""
    published_by: str | None = None
    """Who published it: the acting principal's id, as the audit log records it."""
    source_hash: str | None = Field(default=None, max_length=64)
    """sha256 of what the document says (its view model without the version line): an
    unchanged document is not rendered or stored again."""
