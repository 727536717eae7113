"""Tables for what moves: proposals and the append-only, hash-chained audit log."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, Index
from sqlmodel import Field, SQLModel

from workflows.sqltypes import JSONType, UTCDateTime


class ProposalRow(SQLModel, table=True):
    __tablename__ = "proposal"
    id: int | None = Field(default=None, primary_key=True)
    title: str
    kind: str = "pool_expansion"
    description: str = ""
    state: str = "draft"
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    created_by: str = ""
    facts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONType, nullable=False))
    variation: int = 0
    """0 for the original agreement; 1, 2, ... for each annual variation of a live one."""
    start_date: date | None = None
    """When the agreement (or the current variation) takes effect; default: the pool's
    financial year start (plus one year per variation)."""
    start_moved: bool = False
    """True once a recorded decision moved the start date (the signing deadline follows it)."""
    shadow_start: date | None = None
    shadow_end: date | None = None
    version: int = 1


class AuditEventRow(SQLModel, table=True):
    __tablename__ = "audit_event"
    __table_args__ = (
        # A subject's history (``s75 item history``, a proposal's timeline) without scanning
        # the whole log (migration 0002_speed).
        Index("ix_audit_event_subject", "subject_type", "subject_id", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    actor: str
    subject_type: str
    subject_id: str
    action: str
    from_state: str | None = None
    to_state: str | None = None
    payload: dict[str, Any] = Field(default_factory=dict,
                                    sa_column=Column(JSONType, nullable=False))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)


class AuditHeadRow(SQLModel, table=True):
    """The chain's anchor: how many events there are and the last hash. Locked (FOR UPDATE) by
    each append so concurrent transactions extend the chain one at a time, and compared by
    ``s75 audit verify`` so removing the newest events is detected too."""

    __tablename__ = "audit_head"
    id: int = Field(default=1, primary_key=True)
    count: int = 0
    last_id: int = 0
    last_hash: str = Field(default="0" * 64, max_length=64)
