"""The append-only audit log: each event holds the sha256 of its predecessor over canonical
JSON, so editing, inserting or removing any row breaks the chain at that point. A one-row head
(count and last hash) anchors the end of the chain and serialises appends."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from json.encoder import encode_basestring as _quoted  # a string as canonical() writes it
from typing import Any, cast

from sqlalchemy import Connection, bindparam, delete, func, insert, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from workflows.prepared import Prepared, connection
from workflows.tables import AuditEventRow, AuditHeadRow

GENESIS = "0" * 64


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                              default=str)


def canonical(fields: dict[str, Any]) -> str:
    """Keys sorted, no spaces, not ASCII-escaped, other objects as their ``str`` (what
    ``json.dumps`` writes with those options: one encoder, made once)."""
    return _CANONICAL.encode(fields)


def event_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical(fields)).encode()).hexdigest()


def stored_payload(payload: dict[str, Any] | None) -> str:
    """The payload's JSON as the log stores it: its canonical JSON, which reads back to a value
    of the same canonical JSON (what :func:`verify_chain` hashes) unless a mapping in it has a
    key that is not a string (JSON makes it one, and it sorts differently): then the canonical
    JSON of the value read back."""
    text = canonical(payload or {})
    return text if _string_keys(payload) else canonical(json.loads(text))


def _string_keys(value: Any) -> bool:
    """Whether every key of every mapping in ``value`` is a string."""
    if isinstance(value, dict):
        for k, v in value.items():
            if type(k) is not str or (v and isinstance(v, dict | list | tuple)
                                      and not _string_keys(v)):
                return False
    elif isinstance(value, list | tuple):
        for v in value:
            if v and isinstance(v, dict | list | tuple) and not _string_keys(v):
                return False
    return True


def _q(value: str | None) -> str:
    return "null" if value is None else _quoted(value)


def hashed_text(at: str, actor: str, subject_type: str, subject_id: str, action: str,
                from_state: str | None, to_state: str | None, payload: str) -> str:
    """``canonical`` of the hashed fields, the payload given as its stored JSON (encoded once,
    not again inside the fields): the same text, key by key in sorted order."""
    if not (type(at) is str and type(actor) is str and type(subject_type) is str
            and type(subject_id) is str and type(action) is str
            and (from_state is None or type(from_state) is str)
            and (to_state is None or type(to_state) is str)):
        return canonical({"at": at, "actor": actor, "subject_type": subject_type,
                          "subject_id": subject_id, "action": action, "from_state": from_state,
                          "to_state": to_state, "payload": json.loads(payload)})
    return (f'{{"action":{_q(action)},"actor":{_q(actor)},"at":{_q(at)},'
            f'"from_state":{_q(from_state)},"payload":{payload},'
            f'"subject_id":{_q(subject_id)},"subject_type":{_q(subject_type)},'
            f'"to_state":{_q(to_state)}}}')


def hashed_fields(row: AuditEventRow) -> dict[str, Any]:
    return {
        "at": row.at.isoformat(), "actor": row.actor, "subject_type": row.subject_type,
        "subject_id": row.subject_id, "action": row.action, "from_state": row.from_state,
        "to_state": row.to_state, "payload": row.payload,
    }


_HEAD_KEY = "s75.audit_head"
"""Where a database connection remembers the head it last wrote: (count, last hash)."""

_EVENTS = AuditEventRow.__table__  # type: ignore[attr-defined]
_HEADS = AuditHeadRow.__table__  # type: ignore[attr-defined]
_FIELDS = ("at", "actor", "subject_type", "subject_id", "action", "from_state", "to_state",
           "payload", "prev_hash", "hash")
_CAS = (_HEADS.c.id == 1, _HEADS.c.count == bindparam("old_count"),
        _HEADS.c.last_hash == bindparam("old_hash"))
_E_FIELDS = tuple((f"e_{f}", f) for f in _FIELDS)
_INSERT_ONE = Prepared(insert(_EVENTS).values(
    {f: bindparam(f"e_{f}", type_=_EVENTS.c[f].type) for f in _FIELDS}),
    as_given=("e_payload",))
_MOVE = Prepared(update(_HEADS).where(*_CAS).values(count=bindparam("new_count"),
                                                    last_id=bindparam("new_id"),
                                                    last_hash=bindparam("new_hash")))
_UNDO = delete(_EVENTS).where(_EVENTS.c.id == bindparam("new_id"))
_MOVED = (update(_HEADS).where(*_CAS)
          .values(count=bindparam("new_count"), last_hash=bindparam("new_hash"),
                  last_id=func.nextval(func.pg_get_serial_sequence("audit_event", "id")))
          .returning(_HEADS.c.last_id).cte("moved"))
_ONE_TRIP = Prepared(insert(_EVENTS).from_select(
    ["id", *_FIELDS],
    sa_select(_MOVED.c.last_id, *(bindparam(f, type_=_EVENTS.c[f].type) for f in _FIELDS)))
    .returning(_EVENTS.c.id), as_given=("payload",))
"""PostgreSQL: the head's UPDATE takes the event's id from the sequence, and the event is
inserted only if the head moved (one round trip)."""


def _read_head(conn: Connection) -> tuple[int, str]:
    """The head row, locked (FOR UPDATE: other appenders wait until this transaction ends);
    created on the first append to an empty log."""
    found = conn.execute(select(_HEADS.c.count, _HEADS.c.last_hash)
                         .where(_HEADS.c.id == 1).with_for_update()).first()
    if found is None:
        conn.execute(insert(_HEADS).values(id=1, count=0, last_id=0, last_hash=GENESIS))
        return 0, GENESIS
    return int(found[0]), str(found[1])


@dataclass(frozen=True)
class Appended:
    """The event just appended: its id and its link in the chain."""

    id: int
    prev_hash: str
    hash: str


def _extend(conn: Connection, known: tuple[int, str], hashed: str,
            values: dict[str, Any]) -> Appended | None:
    """Insert the event after the head ``known`` and move the head to it, if the head is still
    ``known`` (compare and swap: the UPDATE locks the head and matches its count and hash, so
    a concurrent appender's event in between is noticed and nothing is left half-written).
    ``hashed`` is the canonical text of its hashed fields; ``values`` the row's, the payload as
    its stored JSON text."""
    count, prev = known
    digest = hashlib.sha256((prev + hashed).encode()).hexdigest()
    values["prev_hash"], values["hash"] = prev, digest
    params = {"old_count": count, "old_hash": prev, "new_count": count + 1,
              "new_hash": digest}
    if conn.dialect.name == "postgresql":
        found = _ONE_TRIP.rows(conn, {**params, **values})
        if not found:
            return None
        new_id = int(found[0][0])
    else:
        result = _INSERT_ONE.execute(conn, {e: values[f] for e, f in _E_FIELDS})
        new_id = int(cast(int, result.lastrowid))
        moved = _MOVE.execute(conn, {**params, "new_id": new_id})
        if moved.rowcount != 1:
            conn.execute(_UNDO, {"new_id": new_id})
            return None
    conn.info[_HEAD_KEY] = (count + 1, digest)
    return Appended(new_id, prev, digest)


def append_event(session: Session, *, at: datetime, actor: str, subject_type: str,
                 subject_id: str, action: str, from_state: str | None = None,
                 to_state: str | None = None, payload: dict[str, Any] | None = None
                 ) -> Appended:
    """Append one event after the chain's head: two Core statements, an INSERT of the event and
    an UPDATE of the head that succeeds only if the head is still the one the event links to
    (one round trip on PostgreSQL). The head this connection last wrote is remembered, so the
    log is not re-read; if another writer moved the head since, the event is removed again, the
    head read under its lock (FOR UPDATE) and the event linked to it (so appends stay one at a
    time, in chain order).

    The hash is taken over the fields exactly as they are read back (the payload through
    canonical JSON, the time as stored: UTC), so :func:`verify_chain` recomputes it."""
    return append_event_on(connection(session), at=at, actor=actor, subject_type=subject_type,
                           subject_id=subject_id, action=action, from_state=from_state,
                           to_state=to_state, payload=payload)


def append_event_on(conn: Connection, *, at: datetime, actor: str, subject_type: str,
                    subject_id: str, action: str, from_state: str | None = None,
                    to_state: str | None = None, payload: dict[str, Any] | None = None
                    ) -> Appended:
    """:func:`append_event` on ``conn`` (in its transaction). The payload is encoded once: its
    canonical JSON is the JSON column's value (sent as text, not encoded again by the column
    type) and is spliced into the canonical text of the hashed fields."""
    stored = stored_payload(payload)
    at = _as_stored(at)
    hashed = hashed_text(at.isoformat(), actor, subject_type, subject_id, action, from_state,
                         to_state, stored)
    values = {"at": at, "actor": actor, "subject_type": subject_type, "subject_id": subject_id,
              "action": action, "from_state": from_state, "to_state": to_state,
              "payload": stored}
    known = conn.info.get(_HEAD_KEY)
    done = _extend(conn, known, hashed, values) if known is not None else None
    if done is None:
        conn.info.pop(_HEAD_KEY, None)
        done = _extend(conn, _read_head(conn), hashed, values)
        if done is None:  # pragma: no cover - the head is locked
            raise RuntimeError("the audit head changed while locked")
    return done


def _as_stored(at: datetime) -> datetime:
    """``at`` as the log stores and returns it (UTC); a naive time is refused, as the column
    type refuses it."""
    if at.tzinfo is None:
        raise ValueError(f"naive datetime {at!r}: pass a timezone-aware datetime")
    return at if at.tzinfo is UTC else at.astimezone(UTC)


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


def back_entry(payload: dict[str, Any], zone: Any) -> str:
    """For an event entered as of another time (``--now``): "entered 2 Dec 2026 09:14 as of
    10 Apr 2019 16:00", in the locality's time zone ``zone``; "" for one entered as it
    happened."""
    b = (payload or {}).get("back_entry")
    if not isinstance(b, dict):
        return ""
    try:
        entered = datetime.fromisoformat(str(b["entered_at"])).astimezone(zone)
        as_of = datetime.fromisoformat(str(b["as_of"])).astimezone(zone)
    except (KeyError, ValueError):
        return ""
    return (f"entered {entered.day} {entered:%b %Y %H:%M} as of "
            f"{as_of.day} {as_of:%b %Y %H:%M}")



_MOVE_TO = Prepared(
    update(_HEADS).where(*_CAS)
    .values(count=bindparam("new_count"), last_hash=bindparam("new_hash"),
            last_id=sa_select(_EVENTS.c.id).where(_EVENTS.c.hash == bindparam("new_hash"))
            .scalar_subquery()))
"""The head moved to the event whose (unique) hash is ``new_hash``, if it is still the one the
batch links to."""
_INSERT_MANY = Prepared(insert(_EVENTS).values(
    {f: bindparam(f, type_=_EVENTS.c[f].type) for f in _FIELDS}), as_given=("payload",))
"""One event of a batch (sent as one executemany), the payload as its stored JSON text."""


def append_events(session: Session, events: list[dict[str, Any]]) -> int:
    """Append ``events`` (each a dict of :func:`append_event`'s keyword arguments), in order,
    as one batch: one INSERT of them all (an executemany) and one compare and swap of the head
    to the last, which succeeds only if the head is still the one the first event links to.
    The chain is exactly the one appending them one by one would write; if another writer
    moved the head since, the events are removed again and linked to the head read under its
    lock, as :func:`append_event` does. Returns how many were appended.

    Each payload is encoded once, as :func:`append_event_on` encodes it: its canonical JSON is
    the column's value and is spliced into the hashed text (both prepared statements)."""
    if not events:
        return 0
    conn = connection(session)
    values: list[dict[str, Any]] = []
    hashed: list[str] = []
    for e in events:
        at = e["at"]
        if at.tzinfo is not UTC:
            at = at.astimezone(UTC)
        stored = stored_payload(e.get("payload"))
        from_state, to_state = e.get("from_state"), e.get("to_state")
        hashed.append(hashed_text(at.isoformat(), e["actor"], e["subject_type"],
                                  e["subject_id"], e["action"], from_state, to_state, stored))
        values.append({"at": at, "actor": e["actor"], "subject_type": e["subject_type"],
                       "subject_id": e["subject_id"], "action": e["action"],
                       "from_state": from_state, "to_state": to_state, "payload": stored})
    known = conn.info.get(_HEAD_KEY)
    if known is None or not _extend_many(conn, known, hashed, values):
        conn.info.pop(_HEAD_KEY, None)
        if not _extend_many(conn, _read_head(conn), hashed, values):  # pragma: no cover
            raise RuntimeError("the audit head changed while locked")
    return len(values)


def _extend_many(conn: Connection, known: tuple[int, str], hashed: list[str],
                 values: list[dict[str, Any]]) -> bool:
    """:func:`append_events` after the head ``known`` (False if the head moved meanwhile):
    ``hashed`` the canonical text of each event's hashed fields, ``values`` its row's."""
    count, prev = known
    sha256 = hashlib.sha256
    for text, v in zip(hashed, values, strict=True):
        v["prev_hash"] = prev
        v["hash"] = prev = sha256((prev + text).encode()).hexdigest()
    _INSERT_MANY.execute_many(conn, values)
    moved = _MOVE_TO.execute(conn, {"old_count": count, "old_hash": known[1],
                                    "new_count": count + len(values), "new_hash": prev})
    if moved.rowcount != 1:
        conn.execute(delete(_EVENTS).where(_EVENTS.c.hash.in_([v["hash"] for v in values])))
        return False
    conn.info[_HEAD_KEY] = (count + len(values), prev)
    return True
