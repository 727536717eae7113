"""Verifying the audit log so that it proves itself (issue 18).

* :func:`verify` walks the chain reading each row as stored (on SQLite as raw bytes), so a row
  that cannot be read (invalid JSON, bytes that are not UTF-8, a timestamp that is not one) is
  reported as the first broken event instead of crashing; then the head row is compared.
* Anchors (:mod:`workflows.audit_anchor`) published outside the database are checked against
  the chain: the event at each anchor's count must still carry the anchor's hash, so
  truncating the log or re-hashing it after an anchor was published is detected.
* ``state=True`` also checks that the current rows agree with the events: each proposal's
  state is the last state the log moved it to and its version counts those moves; each
  decision's outcome is the one the log recorded.

The append path stays in :mod:`workflows.audit`; this module only reads.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from workflows.audit import GENESIS, BrokenLink, event_hash
from workflows.tables import AuditHeadRow, ProposalRow

TEXT_COLUMNS = ("actor", "subject_type", "subject_id", "action", "from_state", "to_state",
                "prev_hash", "hash")


class Unreadable(Exception):
    """A stored value that is not what its column holds."""


@dataclass
class Report:
    """What ``verify`` found: the first broken link (or None) and the events checked."""

    broken: BrokenLink | None
    events: int
    anchors_checked: int = 0
    state_checked: dict[str, int] = field(default_factory=dict)

    @property
    def intact(self) -> bool:
        return self.broken is None


# reading rows as stored ------------------------------------------------------------------------

def _select(dialect: str, batch: int) -> Any:
    if dialect == "sqlite":  # raw bytes: a non-UTF-8 value must not fail the whole read
        cols = ", ".join(f"CAST({c} AS BLOB)" for c in ("at", *TEXT_COLUMNS, "payload"))
    else:
        cols = ", ".join(("at", *TEXT_COLUMNS, "payload"))
    return text(f"SELECT id, {cols} FROM audit_event WHERE id > :after ORDER BY id "
                f"LIMIT {int(batch)}")


def _text(name: str, value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    try:
        return bytes(value).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Unreadable(f"its {name} is not UTF-8 text (byte {exc.start})") from None


def _at(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    raw = _text("timestamp", value)
    try:
        at = datetime.fromisoformat(raw or "")
    except ValueError:
        raise Unreadable(f"its timestamp {raw!r} is not a date and time") from None
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def _payload(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    raw = _text("payload", value)
    try:
        loaded = json.loads(raw or "")
    except json.JSONDecodeError as exc:
        raise Unreadable(f"its payload is not valid JSON ({exc.msg} at character "
                         f"{exc.pos})") from None
    if not isinstance(loaded, dict):
        raise Unreadable("its payload is not a JSON object")
    return loaded


@dataclass(frozen=True)
class Event:
    id: int
    fields: dict[str, Any]
    prev_hash: str
    hash: str

    def describe(self) -> str:
        f = self.fields
        return f"{f['action']} on {f['subject_type']} {f['subject_id']} at {f['at']}"


def _event(raw: Any) -> Event:
    values = dict(zip(("at", *TEXT_COLUMNS, "payload"), raw[1:], strict=True))
    texts = {c: _text(c, values[c]) for c in TEXT_COLUMNS}
    fields = {"at": _at(values["at"]).isoformat(), **{c: texts[c] for c in TEXT_COLUMNS[:6]},
              "payload": _payload(values["payload"])}
    return Event(int(raw[0]), fields, texts["prev_hash"] or "", texts["hash"] or "")


def events(session: Session, batch: int = 2000) -> Iterator[Event | tuple[int, str]]:
    """Every event in id order; an unreadable row as (id, why)."""
    stmt = _select(session.get_bind().dialect.name, batch)
    after = 0
    while True:
        rows = session.execute(stmt, {"after": after}).all()
        if not rows:
            return
        for raw in rows:
            after = int(raw[0])
            try:
                yield _event(raw)
            except Unreadable as exc:
                yield after, str(exc)


# the chain and its head ------------------------------------------------------------------------

def _head(session: Session) -> tuple[int, str, int]:
    try:
        head = session.get(AuditHeadRow, 1)
    except Exception as exc:  # an unreadable head is a finding, not a crash
        raise Unreadable(f"the audit head row cannot be read ({type(exc).__name__})") from None
    return (head.count, head.last_hash, head.last_id) if head else (0, GENESIS, 0)


def walk(session: Session, positions: Iterable[int] = ()) -> tuple[BrokenLink | None, int,
                                                                  dict[int, tuple[int, str]]]:
    """The first broken link (None if intact), the events walked, and the (id, hash) of the
    events at the 1-based ``positions`` asked for (to check anchors)."""
    wanted = set(positions)
    at: dict[int, tuple[int, str]] = {}
    prev, prev_id, count = GENESIS, None, 0
    for ev in events(session):
        if isinstance(ev, tuple):
            return BrokenLink(ev[0], f"cannot be read: {ev[1]}; the row was damaged or edited "
                              "outside s75", count), count, at
        if ev.prev_hash != prev:
            before = f"event {prev_id}" if prev_id is not None else "the start of the log"
            return BrokenLink(ev.id, f"({ev.describe()}) does not follow {before}: an event "
                              "was inserted or removed before it, or its link edited",
                              count), count, at
        if event_hash(ev.prev_hash, ev.fields) != ev.hash:
            return BrokenLink(ev.id, f"({ev.describe()}) does not match its hash: the row was "
                              "edited after it was written", count), count, at
        prev, prev_id, count = ev.hash, ev.id, count + 1
        if count in wanted:
            at[count] = (ev.id, ev.hash)
    try:
        head_count, head_hash, head_id = _head(session)
    except Unreadable as exc:
        return BrokenLink(None, str(exc), count), count, at
    if (head_count, head_hash) != (count, prev):
        end = f"event {prev_id}" if prev_id is not None else "the start"
        return BrokenLink(head_id or None, f"is missing: the log ends at {end} after {count} "
                          f"event(s), but the head records {head_count}, the last with hash "
                          f"{head_hash[:12]}…: the newest events were removed (or the chain's "
                          "head was edited)", count), count, at
    return None, count, at


def verify(session: Session, *, anchors: Iterable[Any] = (), key: bytes | None = None,
           state: bool = False) -> Report:
    """The chain, then each anchor (signature and hash at its count), then (with ``state``)
    the current rows against the events."""
    from workflows.audit_anchor import check_anchor

    anchors = list(anchors)
    broken, count, at = walk(session, (a.count for a in anchors))
    report = Report(broken, count)
    if broken is not None:
        return report
    for anchor in anchors:
        problem = check_anchor(anchor, key, at.get(anchor.count), count)
        report.anchors_checked += 1
        if problem is not None:
            report.broken = problem
            return report
    if state:
        report.broken, report.state_checked = check_state(session)
    return report


# the rows against the events -------------------------------------------------------------------

def _moves(session: Session) -> dict[str, Any]:
    """From the log: each proposal's last state and number of moves, each decision's
    outcome."""
    proposals: dict[str, list[Any]] = {}
    outcomes: dict[str, tuple[int, str]] = {}
    for ev in events(session):
        if isinstance(ev, tuple):
            continue  # walk() already reports unreadable rows
        f = ev.fields
        if f["subject_type"] == "proposal" and f["to_state"] is not None and \
                str(f["action"]).startswith("proposal."):
            seen = proposals.setdefault(f["subject_id"], [None, 0, ev.id])
            seen[0] = f["to_state"]
            seen[1] += 1 if f["from_state"] is not None else 0
            seen[2] = ev.id
        if f["subject_type"] == "decision" and "outcome" in f["payload"]:
            outcomes[f["subject_id"]] = (ev.id, str(f["payload"]["outcome"]))
    return {"proposals": proposals, "outcomes": outcomes}


def check_state(session: Session) -> tuple[BrokenLink | None, dict[str, int]]:
    from workflows.committee.tables import DecisionRow

    log = _moves(session)
    proposals, outcomes = log["proposals"], log["outcomes"]
    checked = {"proposals": 0, "decisions": 0}
    for p in session.exec(select(ProposalRow).order_by(col(ProposalRow.id))).all():
        checked["proposals"] += 1
        seen = proposals.get(str(p.id))
        if seen is None:
            return BrokenLink(None, f"has no event creating proposal {p.id} ({p.title!r}): "
                              "the row was inserted outside s75", checked["proposals"]), checked
        last, moves, event_id = seen
        if p.state != last:
            return BrokenLink(event_id, f"last moved proposal {p.id} to {last!r}, but the "
                              f"proposal row says {p.state!r}: the row was edited outside s75",
                              checked["proposals"]), checked
        if p.version != moves + 1:
            return BrokenLink(event_id, f"records {moves} move(s) of proposal {p.id}, so "
                              f"version {moves + 1}, but the row says version {p.version}: the "
                              "row was edited outside s75", checked["proposals"]), checked
    for d in session.exec(select(DecisionRow).order_by(col(DecisionRow.id))).all():
        checked["decisions"] += 1
        found = outcomes.get(str(d.id))
        if found is None:
            return BrokenLink(None, f"has no event recording decision {d.id}: the row was "
                              "inserted outside s75", checked["decisions"]), checked
        event_id, outcome = found
        if d.outcome != outcome:
            return BrokenLink(event_id, f"recorded decision {d.id} as {outcome!r}, but the "
                              f"decision row says {d.outcome!r}: the row was edited outside "
                              "s75", checked["decisions"]), checked
    return None, checked
