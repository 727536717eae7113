"""Tables for what reaches people: deadlines, the outbox, scheduler runs and jobs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Float, Index, LargeBinary, Unicode
from sqlmodel import Field, SQLModel

from workflows.sqltypes import JSONType, UTCDateTime, empty_list


class DeadlineRow(SQLModel, table=True):
    """One deadline: what must happen (kind), about what (subject), who owns it, when.

    ``key`` is unique (kind + subject + occurrence), so planning the same deadline twice
    updates the row rather than adding a second one.
    """

    __tablename__ = "deadline"
    __table_args__ = (
        # process_due and the scheduler's next wake: pending deadlines by their next moment;
        # the deadline lists: by state and due time (migration 0002_speed).
        Index("ix_deadline_state_next_at", "state", "next_at"),
        Index("ix_deadline_state_due_at", "state", "due_at"),
        # The iCalendar feeds' window: a body's deadlines, a member's own (0006_feeds).
        Index("ix_deadline_body_due_at", "body_id", "due_at"),
        Index("ix_deadline_owner_due_at", "owner_id", "due_at"),
        Index("ix_deadline_owner_email_due_at", "owner_email", "due_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=255)
    kind: str = Field(index=True, max_length=64)
    subject_type: str = Field(max_length=64)
    subject_id: str = Field(index=True, max_length=64)
    title: str = ""
    """What a secretary reads: "Agenda items for Joint Commissioning Committee, 9 Sep 2015"."""
    rule: str = ""
    """Where the deadline comes from (statute, terms of reference, config key)."""
    body_id: str | None = Field(default=None, max_length=64, index=True)
    meeting_id: int | None = Field(default=None, index=True)
    proposal_id: int | None = Field(default=None, index=True)
    owner_id: str | None = Field(default=None, max_length=64)
    """Member id of the owner, where the owner is a member."""
    owner_email: str
    due_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False, index=True))
    reminder_at: list[Any] = Field(default_factory=empty_list,
                                   sa_column=Column(JSONType, nullable=False))
    """ISO datetimes at which the owner is reminded (lead times before ``due_at``)."""
    next_at: datetime | None = Field(default=None,
                                     sa_column=Column(UTCDateTime, nullable=True, index=True))
    """When process_due next has something to do for this deadline (None once closed)."""
    state: str = Field(default="pending", max_length=16, index=True)
    """pending | met | missed | waived."""
    closed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    outcome: str = ""
    """How it closed, in words ("item submitted", "published automatically", ...)."""
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    details: dict[str, Any] = Field(default_factory=dict,
                                    sa_column=Column(JSONType, nullable=False))


class OutboxRow(SQLModel, table=True):
    __tablename__ = "outbox"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=255)
    """Unique per event, recipient and kind: the same message cannot be queued twice."""
    kind: str = Field(default="notice", max_length=64)
    recipient: str
    subject: str
    body: str
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    state: str = Field(default="pending", max_length=16, index=True)  # pending | sent | dead
    attempts: int = 0
    next_attempt_at: datetime | None = Field(default=None,
                                             sa_column=Column(UTCDateTime, index=True))
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    last_error: str | None = None
    attachments: list[Any] = Field(default_factory=empty_list,
                                   sa_column=Column(JSONType, nullable=False))
    """[{"filename", "content_type", "data_b64"} | {"filename", "document_id"} |
    {"filename", "ref": {...}}]; references are resolved when the message is sent."""
    deadline_id: int | None = None


class SchedulerRunRow(SQLModel, table=True):
    """One wake-up of the scheduler: when it was due, when it ran, whether it was late."""

    __tablename__ = "scheduler_run"
    id: int | None = Field(default=None, primary_key=True)
    started_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    expected_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    late: bool = False
    next_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    """When the scheduler planned to wake next (a later run after this is 'late')."""
    counts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONType, nullable=False))


class SchedulerJobRow(SQLModel, table=True):
    """APScheduler 3's SQLAlchemyJobStore table, declared here so Alembic owns the schema."""

    __tablename__ = "apscheduler_jobs"
    id: str = Field(sa_column=Column(Unicode(191), primary_key=True))
    next_run_time: float | None = Field(default=None, sa_column=Column(Float(25), index=True))
    job_state: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class RenderJobRow(SQLModel, table=True):
    """A document to render after the commit of the event that asked for it (as the outbox
    holds a message): recorded in the event's transaction, claimed by one worker, stored in
    the documents store (notifications/render_jobs.py)."""

    __tablename__ = "render_job"
    __table_args__ = (Index("ix_render_job_state_id", "state", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=255)
    """Unique per document and version (kind, meeting, audience, hash of what it says): the
    same document version is never queued, so never rendered, twice."""
    kind: str = Field(max_length=32)
    """pack | supplement | notice | minutes."""
    meeting_id: int = Field(index=True)
    audience: str = Field(max_length=80)
    params: dict[str, Any] = Field(default_factory=dict,
                                   sa_column=Column(JSONType, nullable=False))
    """What the worker needs: public, member_id, the event, who published and when."""
    state: str = Field(default="pending", max_length=16)
    """pending | running | done | dead."""
    attempts: int = 0
    not_before: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    """After a failed attempt: not claimed again before this time (backoff)."""
    claimed_by: str | None = Field(default=None, max_length=120)
    claimed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    finished_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    document_id: int | None = None
    content_hash: str | None = Field(default=None, max_length=64)
    """SHA-256 of the stored PDF."""
    outcome: str = ""
    """stored | unchanged | empty (what the worker did)."""
    error: str | None = None
