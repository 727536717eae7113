"""Tables for what reaches people: deadlines and the outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from decisions.sqltypes import JSONType, UTCDateTime


class DeadlineRow(SQLModel, table=True):
    __tablename__ = "deadline"
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(index=True)
    subject_type: str
    subject_id: str = Field(index=True)
    owner_email: str
    due_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False, index=True))
    state: str = "pending"  # pending | met | missed | waived
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONType, nullable=False))


class OutboxRow(SQLModel, table=True):
    __tablename__ = "outbox"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=255)
    """Unique per event, recipient and kind: the same message cannot be queued twice."""
    recipient: str
    subject: str
    body: str
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    state: str = "pending"  # pending | sent | dead
    attempts: int = 0
    next_attempt_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    last_error: str | None = None
    attachments: list[Any] = Field(default_factory=list, sa_column=Column(JSONType, nullable=False))
