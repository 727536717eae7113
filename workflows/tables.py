"""Tables for what moves: proposals and the append-only, hash-chained audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from decisions.sqltypes import JSONType, UTCDateTime


class ProposalRow(SQLModel, table=True):
    __tablename__ = "proposal"
    id: int | None = Field(default=None, primary_key=True)
    title: str
    kind: str = "pool_expansion"
    state: str = "draft"
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    facts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONType, nullable=False))
    version: int = 1


class AuditEventRow(SQLModel, table=True):
    __tablename__ = "audit_event"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    actor: str
    subject_type: str
    subject_id: str
    action: str
    from_state: str | None = None
    to_state: str | None = None
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONType, nullable=False))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)
