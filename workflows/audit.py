"""The append-only audit log: each event holds the sha256 of its predecessor over canonical
JSON, so editing, inserting or removing any row breaks the chain at that point. A one-row head
(count and last hash) anchors the end of the chain and serialises appends."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from workflows.tables import AuditEventRow, AuditHeadRow

GENESIS = "0" * 64


def canonical(fields: dict[str, Any]) -> str:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)


def event_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical(fields)).encode()).hexdigest()


def hashed_fields(row: AuditEventRow) -> dict[str, Any]:
    return {
        "at": row.at.isoformat(), "actor": row.actor, "subject_type": row.subject_type,
        "subject_id": row.subject_id, "action": row.action, "from_state": row.from_state,
        "to_state": row.to_state, "payload": row.payload,
    }


def _head(session: Session) -> AuditHeadRow:
    head = session.exec(select(AuditHeadRow).where(AuditHeadRow.id == 1).with_for_update()
                        ).first()
    if head is None:
        head = AuditHeadRow(id=1)
        session.add(head)
        session.flush()
    return head


def append_event(session: Session, *, at: datetime, actor: str, subject_type: str,
                 subject_id: str, action: str, from_state: str | None = None,
                 to_state: str | None = None, payload: dict[str, Any] | None = None
                 ) -> AuditEventRow:
    head = _head(session)  # locks the head: one appender at a time
    last = session.exec(select(AuditEventRow).order_by(col(AuditEventRow.id).desc()).limit(1)
                        ).first()
    prev = last.hash if last is not None else GENESIS
    row = AuditEventRow(at=at, actor=actor, subject_type=subject_type, subject_id=subject_id,
                        action=action, from_state=from_state, to_state=to_state,
                        payload=json.loads(canonical(payload or {})), prev_hash=prev, hash="")
    row.hash = event_hash(prev, hashed_fields(row))
    session.add(row)
    session.flush()
    assert row.id is not None
    head.count += 1
    head.last_id = row.id
    head.last_hash = row.hash
    session.add(head)
    session.flush()
    return row


@dataclass(frozen=True)
class BrokenLink:
    """Where the chain first fails, and why, in words."""

    event_id: int | None
    reason: str
    checked: int

    def __str__(self) -> str:
        where = f"audit event {self.event_id}" if self.event_id is not None else "the audit log"
        return f"{where} {self.reason}"


def _describe(row: AuditEventRow) -> str:
    return f"{row.action} on {row.subject_type} {row.subject_id} at {row.at.isoformat()}"


def verify_chain(session: Session, batch: int = 2000) -> BrokenLink | None:
    """Walk every event in order; None when intact, else the first broken link."""
    prev = GENESIS
    prev_id: int | None = None
    count = 0
    after = 0
    while True:
        rows = session.exec(select(AuditEventRow).where(col(AuditEventRow.id) > after)
                            .order_by(col(AuditEventRow.id)).limit(batch)).all()
        if not rows:
            break
        for row in rows:
            assert row.id is not None
            if row.prev_hash != prev:
                before = f"event {prev_id}" if prev_id is not None else "the start of the log"
                return BrokenLink(row.id, f"({_describe(row)}) does not follow {before}: an "
                                  "event was inserted or removed before it, or its link edited",
                                  count)
            if event_hash(row.prev_hash, hashed_fields(row)) != row.hash:
                return BrokenLink(row.id, f"({_describe(row)}) does not match its hash: the "
                                  "row was edited after it was written", count)
            prev, prev_id = row.hash, row.id
            count += 1
            after = row.id
    head = session.get(AuditHeadRow, 1)
    head_count, head_hash, head_id = (head.count, head.last_hash, head.last_id) if head else \
        (0, GENESIS, 0)
    if (head_count, head_hash) != (count, prev):
        end = f"event {prev_id}" if prev_id is not None else "the start"
        return BrokenLink(head_id or None, f"is missing: the log ends at {end} after {count} "
                          f"event(s), but {head_count} were written, the last with hash "
                          f"{head_hash[:12]}…: the newest events were removed (or the chain's "
                          "head was edited)", count)
    return None


def count_events(session: Session) -> int:
    head = session.get(AuditHeadRow, 1)
    return head.count if head else 0
