"""The documents' domain events: a document rendered and stored, and the pooled-fund report
sent to the partners (both heard by notifications/planner.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from workflows.events import DomainEvent


@dataclass(frozen=True)
class DocumentRendered(DomainEvent):
    """A document stored: ``kind`` is ``notice`` (a decision notice, with ``decision_id``) or
    ``minutes`` (an issue of the minutes of ``meeting_id``). Raised by the render worker that
    stored it, after the commit of the event that issued it, as of that event's time and
    actor (notifications/documents/document_jobs.py)."""

    name: ClassVar[str] = "document.rendered"
    subject_type: ClassVar[str] = "document"
    subject_field: ClassVar[str] = "document_id"
    document_id: int
    kind: str
    meeting_id: int | None = None
    decision_id: int | None = None


@dataclass(frozen=True)
class PoolReportSent(DomainEvent):
    """The pooled-fund statement for ``quarter`` sent to the partners."""

    name: ClassVar[str] = "pool.report_sent"
    subject_type: ClassVar[str] = "document"
    subject_field: ClassVar[str] = "document_id"
    document_id: int
    quarter: int
    kind: str = "pool_statement"
