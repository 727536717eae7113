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
