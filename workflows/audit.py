"""The append-only audit log: each event holds the sha256 of its predecessor over canonical
JSON, so editing, inserting or removing any row breaks the chain at that point."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from workflows.tables import AuditEventRow

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


def append_event(session: Session, *, at: datetime, actor: str, subject_type: str,
                 subject_id: str, action: str, from_state: str | None = None,
                 to_state: str | None = None, payload: dict[str, Any] | None = None
                 ) -> AuditEventRow:
    last = session.exec(select(AuditEventRow).order_by(col(AuditEventRow.id).desc()).limit(1)
                        ).first()
    prev = last.hash if last is not None else GENESIS
    row = AuditEventRow(at=at, actor=actor, subject_type=subject_type, subject_id=subject_id,
                        action=action, from_state=from_state, to_state=to_state,
                        payload=json.loads(canonical(payload or {})), prev_hash=prev, hash="")
    row.hash = event_hash(prev, hashed_fields(row))
    session.add(row)
    session.flush()
    return row
