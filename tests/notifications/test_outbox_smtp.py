"""The outbox delivered to a real SMTP server (aiosmtpd on loopback)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from decisions.terms import LocalityConfig, Smtp
from notifications import outbox
from notifications.mailer import SmtpMailer
from notifications.tables import OutboxRow
from tests.notifications.notif_support import free_port, smtp_server

NOW = datetime(2019, 4, 2, 16, 0, tzinfo=UTC)
PDF = b"%PDF-1.7\n% a tiny test document\n%%EOF\n"


def _mailer(port: int) -> SmtpMailer:
    return SmtpMailer(Smtp(host="127.0.0.1", port=port, sender="s75@example.org"), timeout=5)


def _rows(engine: Engine) -> list[OutboxRow]:
    with Session(engine) as s:
        return list(s.exec(select(OutboxRow).order_by(col(OutboxRow.id))))


def test_delivers_recipients_subjects_and_attachments(engine: Engine) -> None:
    def resolve(_s: Session, att: dict[str, Any]) -> tuple[bytes, str] | None:
        ref = att.get("ref") or {}
        wanted = ref.get("meeting_id") == 7 or ref.get("decision_id") == 1
        return (PDF, "application/pdf") if wanted else None

    with Session(engine) as s:
        assert outbox.queue(s, key="meeting.published:7:leader@example.org",
                            recipient="leader@example.org", subject="Agenda published: JCC",
                            body="The agenda is out.", now=NOW, kind="agenda_published",
                            attachments=[{"filename": "jcc-2019-04-10-pack.pdf",
                                          "ref": {"kind": "meeting_pack", "meeting_id": 7}}])
        assert outbox.queue(s, key="notice:1:dph@example.org", recipient="dph@example.org",
                            subject="Decision notice", body="Attached.", now=NOW,
                            attachments=[{"filename": "notice.pdf",
                                          "ref": {"kind": "decision_notice", "decision_id": 1}}])
        # The same key again: refused, so the message cannot be sent twice.
        assert not outbox.queue(s, key="notice:1:dph@example.org", recipient="dph@example.org",
                                subject="Decision notice", body="Again", now=NOW)
        s.commit()
    outbox.register_attachment_resolver(resolve)
    try:
        with smtp_server() as (inbox, port), Session(engine) as s, _mailer(port) as m:
            report = outbox.deliver_due(s, NOW, m)
            assert inbox.wait_for(2)
    finally:
        outbox.RESOLVERS.remove(resolve)
    assert len(report.sent) == 2 and not report.failed
    assert [rcpt for _, rcpt in inbox.envelopes] == [["leader@example.org"], ["dph@example.org"]]
    assert [m["Subject"] for m in inbox.messages] == ["Agenda published: JCC", "Decision notice"]
    assert all(m["From"] == "s75@example.org" for m in inbox.messages)
    for msg, name in zip(inbox.messages, ["jcc-2019-04-10-pack.pdf", "notice.pdf"], strict=True):
        atts = list(msg.iter_attachments())
        assert [a.get_filename() for a in atts] == [name]
        assert atts[0].get_content_type() == "application/pdf"
        assert atts[0].get_content() == PDF
    assert "The agenda is out." in inbox.messages[0].get_body().get_content()  # type: ignore[union-attr]
    assert {r.state for r in _rows(engine)} == {"sent"}
    # Nothing more to send.
    with smtp_server() as (inbox2, port), Session(engine) as s, _mailer(port) as m:
        assert outbox.deliver_due(s, NOW + timedelta(hours=1), m).sent == []
    assert inbox2.messages == []


def test_retries_with_backoff_then_dead_letters_then_retry_command(
        engine: Engine, config: LocalityConfig, cli, db_url: str,  # type: ignore[no-untyped-def]
        tmp_path: Any) -> None:
    with Session(engine) as s:
        outbox.queue(s, key="reminder:x:cfo@example.org", recipient="cfo@example.org",
                     subject="Reminder", body="Due soon", now=NOW)
        s.commit()
    closed = free_port()  # nothing listens here
    now = NOW
    for attempt in range(1, config.smtp.max_attempts + 1):
        with Session(engine) as s:
            rep = outbox.deliver_due(s, now, _mailer(closed), max_attempts=5)
        row = _rows(engine)[0]
        assert row.attempts == attempt
        if attempt < 5:
            assert rep.failed == [row.id] and row.state == "pending"
            assert row.next_attempt_at == now + timedelta(minutes=2 ** (attempt - 1))
            with Session(engine) as s:  # not before its backoff has passed
                assert outbox.deliver_due(s, now, _mailer(closed)).failed == []
            now = row.next_attempt_at
        else:
            assert rep.dead == [row.id] and row.state == "dead"
            assert "Connection refused" in (row.last_error or "")
    listed = cli("--db", db_url, "outbox", "list", "--state", "dead", "--json")
    assert listed.code == 0, listed.text
    assert [m["recipient"] for m in json.loads(listed.out)] == ["cfo@example.org"]
    again = cli("--db", db_url, "outbox", "retry", "--dead", "--json")
    assert again.code == 0 and json.loads(again.out)["count"] == 1
    with smtp_server() as (inbox, port), Session(engine) as s, _mailer(port) as m:
        rep = outbox.deliver_due(s, datetime.now(UTC), m)
        assert inbox.wait_for(1)
    assert len(rep.sent) == 1 and inbox.messages[0]["To"] == "cfo@example.org"
    bad = cli("--db", db_url, "outbox", "retry", str(_rows(engine)[0].id))
    assert bad.code == 2 and "is not sent again" in bad.err
