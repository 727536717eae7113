"""The outbox: every message is written in the same transaction as the event that causes it,
then delivered by :func:`deliver_due`.

* ``queue`` inserts with ON CONFLICT DO NOTHING on the unique ``key`` (event + recipient +
  kind), so the same message cannot be queued twice, even by two processes at once.
* ``deliver_due`` sends one message per transaction: claim the row (PostgreSQL: ``FOR UPDATE
  SKIP LOCKED``, so several senders never take the same row; SQLite: the write lock), send,
  mark it sent, commit. A crash before the commit leaves the row pending and it is sent on
  restart; the Message-ID is fixed per row so a receiving system can drop the one duplicate
  that a crash in the instant between the server's "250 OK" and the commit could produce.
* Failures retry with exponential backoff; after ``smtp.max_attempts`` (or a permanent 5xx
  refusal) the message is dead-lettered; ``retry`` puts it back in the queue.
* Any error building or sending one message (a header the email library refuses, an
  attachment that fails to resolve, a server error) is an attempt on that message alone: it is
  recorded on the row and the sender goes on to the next message. Headers built from user
  text (subject, recipient) are folded to one line first (:func:`one_line`).
"""

from __future__ import annotations

import hashlib
import logging
import re
import smtplib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from sqlalchemy import bindparam, or_
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from decisions.errors import InvalidInput, NotFound
from notifications.mailer import Mailer
from notifications.tables import OutboxRow
from workflows.prepared import Prepared, connection

log = logging.getLogger("s75.outbox")

BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=6)
ATTACHMENT_WAIT = timedelta(minutes=5)
ATTACHMENT_MAX_WAIT = timedelta(hours=1)

Resolver = Callable[[Session, dict[str, Any]], tuple[bytes, str] | None]
"""Turns an attachment reference into (bytes, content type), or None if not available yet."""
RESOLVERS: list[Resolver] = []


def register_attachment_resolver(resolver: Resolver) -> None:
    """Documents registers how a ``document_id`` / ``ref`` attachment becomes bytes."""
    if resolver not in RESOLVERS:
        RESOLVERS.append(resolver)


_COLUMNS = ("key", "kind", "recipient", "subject", "body", "created_at", "state", "attempts",
            "next_attempt_at", "attachments", "deadline_id")
_QUEUE: dict[tuple[str, int], Prepared] = {}
QUEUE_CHUNK = 500
"""Messages per INSERT at most (11 parameters each: well within SQLite's 32,766)."""


def _queue_statement(dialect: str, n: int) -> Prepared:
    """INSERT of ``n`` messages (one VALUES row each) ... ON CONFLICT (key) DO NOTHING
    RETURNING key, built and compiled once per dialect and number of messages, and run as
    its SQL text (:mod:`workflows.prepared`): the statement SQLAlchemy's executemany with
    RETURNING sends ("insertmanyvalues"), without its per-call work."""
    stmt = _QUEUE.get((dialect, n))
    if stmt is None:
        table: Any = OutboxRow.__table__  # type: ignore[attr-defined]
        ins: Any = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
        rows = [{c: bindparam(f"{c}_{i}", type_=table.c[c].type) for c in _COLUMNS}
                for i in range(n)]
        stmt = _QUEUE[(dialect, n)] = Prepared(
            (ins.values(rows) if n > 1 else ins.values(rows[0]))
            .on_conflict_do_nothing(index_elements=["key"]).returning(table.c.key),
            as_given=tuple(f"{c}_{i}" for c in _SHARED for i in range(n)))
    return stmt


_SHARED = ("created_at", "next_attempt_at", "attachments")
"""Columns sent as given: the batch's time (the same for every message) and the attachments
(mostly none) converted by their types once a batch, not once a message."""
_NAMES: list[tuple[str, ...]] = []
"""The parameter names of the ``i``-th message of a statement, in ``_COLUMNS``' order."""
_CONVERT: dict[str, tuple[Any, Any]] = {}


def _converters(dialect: Any) -> tuple[Any, Any]:
    """The bind conversion of the outbox's time and JSON columns on ``dialect`` (the value
    itself where the type has none)."""
    found = _CONVERT.get(dialect.name)
    if found is None:
        table: Any = OutboxRow.__table__  # type: ignore[attr-defined]
        to_time, to_json = (table.c[c].type.dialect_impl(dialect).bind_processor(dialect)
                            or (lambda v: v) for c in ("created_at", "attachments"))
        found = _CONVERT[dialect.name] = (to_time, to_json)
    return found


@dataclass(frozen=True)
class Outgoing:
    """One message to queue (see :func:`queue_many`)."""

    key: str
    recipient: str
    subject: str
    body: str
    kind: str = "notice"
    attachments: Sequence[dict[str, Any]] = ()
    deadline_id: int | None = None


def check_recipients(messages: Sequence[Outgoing]) -> None:
    """Refuse the lot if any recipient is not an email address (before anything is queued)."""
    for m in messages:
        if not m.recipient or "@" not in m.recipient:
            raise InvalidInput(f"outbox: recipient {m.recipient!r} for {m.key!r} is not an "
                               "email address; set the member's email in config.toml")


def queue_many(session: Session, messages: Sequence[Outgoing], now: datetime) -> set[str]:
    """Queue every message in one statement (the keys already queued are left as they are);
    returns the keys newly queued."""
    check_recipients(messages)
    if not messages:
        return set()
    # On the session's connection, as a prepared statement: the outbox depends on no pending
    # ORM change, so nothing is flushed for it.
    conn = connection(session)
    queued: set[str] = set()
    lines: dict[str, str] = {}  # each subject made one line once (one per batch, mostly)
    to_time, to_json = _converters(conn.dialect)
    at, none = to_time(now), to_json([])  # the batch's time and no attachments, converted once
    while len(_NAMES) < min(len(messages), QUEUE_CHUNK):
        _NAMES.append(tuple(f"{c}_{len(_NAMES)}" for c in _COLUMNS))
    for start in range(0, len(messages), QUEUE_CHUNK):
        chunk = messages[start:start + QUEUE_CHUNK]
        params: dict[str, Any] = {}
        for names, m in zip(_NAMES, chunk, strict=False):
            subject = lines.get(m.subject)
            if subject is None:
                subject = lines[m.subject] = one_line(m.subject)
            params.update(zip(names, (m.key[:255], m.kind, m.recipient, subject, m.body, at,
                                      "pending", 0, at,
                                      to_json(list(m.attachments)) if m.attachments else none,
                                      m.deadline_id), strict=True))
        stmt = _queue_statement(conn.dialect.name, len(chunk))
        queued.update(str(k) for (k,) in stmt.rows(conn, params))
    return queued


def queue(session: Session, *, key: str, recipient: str, subject: str, body: str,
          now: datetime, kind: str = "notice", attachments: Sequence[dict[str, Any]] = (),
          deadline_id: int | None = None) -> bool:
    """Queue one message; False if a message with this key was already queued."""
    return bool(queue_many(session, [Outgoing(key, recipient, subject, body, kind,
                                              attachments, deadline_id)], now))


@dataclass
class DeliveryReport:
    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    dead: list[int] = field(default_factory=list)
    waiting: list[int] = field(default_factory=list)


class AttachmentPending(Exception):
    pass


_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")
SUBJECT_MAX = 250


def one_line(text: str, limit: int = SUBJECT_MAX) -> str:
    """``text`` as one header line: line breaks and other control characters become single
    spaces (a header cannot hold them: RFC 5322 s2.2), runs of spaces are closed up and the
    result is cut at ``limit`` characters with an ellipsis."""
    flat = " ".join(_CONTROL.sub(" ", text).split())
    return flat if len(flat) <= limit else flat[:limit - 1].rstrip() + "…"


def message_id(row: OutboxRow) -> str:
    digest = hashlib.sha256(row.key.encode()).hexdigest()[:20]
    return f"<s75.{row.id}.{digest}@s75.invalid>"


def build_message(session: Session, row: OutboxRow, sender: str,
                  now: datetime | None = None) -> EmailMessage:
    """The email for ``row``. A referenced attachment (a rendered document) not available
    yet holds the message back for up to ATTACHMENT_MAX_WAIT; after that, or when nothing
    can render documents, the message goes without it and says so."""
    now = now or row.created_at
    missing: list[str] = []
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = one_line(row.recipient, 320)
    msg["Subject"] = one_line(row.subject) or "(no subject)"
    msg["Message-ID"] = message_id(row)
    msg["Date"] = format_datetime(row.created_at)
    msg["X-S75-Key"] = one_line(row.key, 255)
    attached: list[tuple[bytes, str, str]] = []
    for att in row.attachments:
        filename = str(att.get("filename") or "attachment")
        found = next((r for r in (res(session, att) for res in RESOLVERS) if r), None)
        if found is None:
            if RESOLVERS and now - row.created_at < ATTACHMENT_MAX_WAIT:
                raise AttachmentPending(f"attachment {filename!r} is not available yet")
            missing.append(filename)
            continue
        data, ctype = found
        attached.append((data, ctype, filename))
    body = row.body
    if missing:
        body += ("\n\nNot attached (not available when this message was sent; see the "
                 f"published documents): {', '.join(missing)}\n")
    msg.set_content(body)
    for data, ctype, filename in attached:
        maintype, _, subtype = ctype.partition("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype or "octet-stream",
                           filename=filename)
    return msg


def backoff(attempts: int) -> timedelta:
    delay: timedelta = BACKOFF_BASE * (2 ** max(0, attempts - 1))
    return min(BACKOFF_CAP, delay)


def _permanent(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500


def _claim(session: Session, now: datetime, skip: set[int]) -> OutboxRow | None:
    stmt = (select(OutboxRow).where(OutboxRow.state == "pending")
            .where(or_(col(OutboxRow.next_attempt_at).is_(None),
                       col(OutboxRow.next_attempt_at) <= now))
            .order_by(col(OutboxRow.id)).limit(1))
    if skip:
        stmt = stmt.where(col(OutboxRow.id).not_in(skip))
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    return session.exec(stmt).first()


def _failed(row: OutboxRow, exc: Exception, now: datetime, max_attempts: int,
            report: DeliveryReport) -> None:
    """Count ``exc`` as one attempt on ``row``; dead-letter it after ``max_attempts`` or on
    a permanent refusal."""
    assert row.id is not None
    row.attempts += 1
    row.last_error = f"{type(exc).__name__}: {exc}"[:500]
    if row.attempts >= max_attempts or _permanent(exc):
        row.state = "dead"
        row.next_attempt_at = None
        report.dead.append(row.id)
        log.warning("outbox message %s dead-lettered after %s attempt(s): %s", row.id,
                    row.attempts, row.last_error)
    else:
        row.next_attempt_at = now + backoff(row.attempts)
        report.failed.append(row.id)


def _attempt(session: Session, row: OutboxRow, now: datetime, mailer: Mailer,
             max_attempts: int, report: DeliveryReport) -> None:
    assert row.id is not None
    try:
        mailer.send(build_message(session, row, mailer.sender, now))
    except AttachmentPending as exc:
        row.next_attempt_at = now + ATTACHMENT_WAIT
        row.last_error = str(exc)
        report.waiting.append(row.id)
    except Exception as exc:  # one message's fault never stops the rest
        _failed(row, exc, now, max_attempts, report)
    else:
        row.attempts += 1
        row.state = "sent"
        row.sent_at = now
        row.next_attempt_at = None
        row.last_error = None
        report.sent.append(row.id)


def deliver_due(session: Session, now: datetime, mailer: Mailer, *, max_attempts: int = 5,
                limit: int | None = None) -> DeliveryReport:
    """Send every pending message due by ``now``; one commit per message (see module doc)."""
    report = DeliveryReport()
    seen: set[int] = set()
    session.commit()
    while limit is None or len(seen) < limit:
        row = _claim(session, now, seen)
        if row is None or row.id is None:
            session.rollback()
            break
        seen.add(row.id)
        _attempt(session, row, now, mailer, max_attempts, report)
        session.add(row)
        session.commit()
    return report


def next_attempt(session: Session) -> datetime | None:
    stmt = (select(OutboxRow.next_attempt_at).where(OutboxRow.state == "pending")
            .where(col(OutboxRow.next_attempt_at).is_not(None))
            .order_by(col(OutboxRow.next_attempt_at)).limit(1))
    return session.exec(stmt).first()


def retry(session: Session, now: datetime, ids: Sequence[int] = (), *,
          all_dead: bool = False) -> list[int]:
    """Put dead-lettered (or failing) messages back in the queue with their attempts reset."""
    if not ids and not all_dead:
        raise InvalidInput("outbox retry: give message ids, or --dead for every dead letter")
    rows: list[OutboxRow] = []
    if all_dead:
        rows = list(session.exec(select(OutboxRow).where(OutboxRow.state == "dead")))
    for mid in ids:
        row = session.get(OutboxRow, mid)
        if row is None:
            raise NotFound(f"outbox message {mid} does not exist; see 's75 outbox list'")
        if row.state == "sent":
            raise InvalidInput(f"outbox message {mid} was sent at {row.sent_at:%Y-%m-%d %H:%M}"
                               " UTC; a sent message is not sent again")
        rows.append(row)
    for row in rows:
        row.state, row.attempts, row.next_attempt_at = "pending", 0, now
        session.add(row)
    return [r.id for r in rows if r.id is not None]
