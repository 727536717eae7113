"""One bad message never stops the mail (issue 18): a line break typed into an action's
description is folded out of the subject and the message delivered, and the messages queued
after it go too; a message that cannot even be built is an attempt on that message alone,
dead-lettered after ``smtp.max_attempts``; ``/health`` shows pending, failing and
dead-lettered mail and turns unhealthy."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from decisions.terms import LocalityConfig, Smtp
from notifications import outbox
from notifications.mailer import SmtpMailer
from notifications.outbox_health import outbox_health
from notifications.tables import OutboxRow
from tests.notifications.notif_support import smtp_server, uow_at
from tests.notifications.test_process_due import at, schedule_jcc
from workflows.committee import actions

NOW = datetime(2019, 4, 10, 16, 0, tzinfo=UTC)


def _mailer(port: int) -> SmtpMailer:
    return SmtpMailer(Smtp(host="127.0.0.1", port=port, sender="s75@example.org"), timeout=5)


def _rows(engine: Engine) -> list[OutboxRow]:
    with Session(engine) as s:
        return list(s.exec(select(OutboxRow).order_by(col(OutboxRow.id))))


def test_a_line_break_in_an_action_is_folded_and_the_mail_after_it_goes(
        engine: Engine, config: LocalityConfig) -> None:
    first, *_ = schedule_jcc(engine, config)
    with uow_at(engine, config, at(date(2019, 4, 10), 16)) as uow:
        actions.add(uow, first, "Report flu uptake\r\nBcc: everyone@example.org\n\nby ward",
                    owner="dph", due_on=date(2019, 5, 1))
        actions.add(uow, first, "Circulate the pool report", owner="dph",
                    due_on=date(2019, 5, 2))
    # A row written before the fold (an older release, or by hand) still goes out folded.
    with Session(engine) as s:
        s.add(OutboxRow(key="legacy:1", recipient="dph@example.org", created_at=NOW,
                        subject="Legacy\nsubject\u2028with breaks", body="Old row",
                        next_attempt_at=NOW))
        s.commit()
    queued = _rows(engine)
    assert len(queued) == 3
    with smtp_server() as (inbox, port), Session(engine) as s, _mailer(port) as m:
        report = outbox.deliver_due(s, NOW + timedelta(minutes=1), m)
        assert inbox.wait_for(3)
    assert len(report.sent) == 3 and not report.failed and not report.dead
    subjects = [str(msg["Subject"]) for msg in inbox.messages]
    assert any("Report flu uptake Bcc: everyone@example.org by ward" in x for x in subjects)
    assert any("Circulate the pool report" in x for x in subjects)
    assert "Legacy subject with breaks" in subjects
    assert all("\n" not in x and "\r" not in x for x in subjects)
    assert [rcpt for _, rcpt in inbox.envelopes] == [["dph@example.org"]] * 3  # no Bcc added
    assert {r.state for r in _rows(engine)} == {"sent"}


def test_a_message_that_cannot_be_built_is_dead_lettered_alone(engine: Engine) -> None:
    def broken(_s: Session, att: dict[str, Any]) -> tuple[bytes, str] | None:
        if att.get("ref", {}).get("kind") == "broken":
            raise ValueError("the document store is unreadable")
        return None

    with Session(engine) as s:
        outbox.queue(s, key="bad:1", recipient="cfo@example.org", subject="Broken", body="x",
                     now=NOW, attachments=[{"filename": "a.pdf", "ref": {"kind": "broken"}}])
        for n in range(3):
            outbox.queue(s, key=f"good:{n}", recipient="cfo@example.org",
                         subject=f"Good {n}", body="y", now=NOW)
        s.commit()
    outbox.register_attachment_resolver(broken)
    try:
        with smtp_server() as (inbox, port), _mailer(port) as m:
            for attempt in range(3):
                with Session(engine) as s:
                    later = NOW + timedelta(days=attempt)
                    report = outbox.deliver_due(s, later, m, max_attempts=3)
            assert inbox.wait_for(3)
    finally:
        outbox.RESOLVERS.remove(broken)
    assert report.dead == [_rows(engine)[0].id]
    assert sorted(str(x["Subject"]) for x in inbox.messages) == ["Good 0", "Good 1", "Good 2"]
    bad = _rows(engine)[0]
    assert (bad.state, bad.attempts) == ("dead", 3)
    assert bad.last_error == "ValueError: the document store is unreadable"
    with Session(engine) as s:
        health = outbox_health(s, NOW + timedelta(days=3), timedelta(hours=1))
    assert (health.pending, health.failing, health.dead) == (0, 0, 1)
    assert not health.healthy and "1 message(s) dead-lettered" in health.problems[0]


def test_health_counts_pending_and_failing_and_the_oldest_age(engine: Engine) -> None:
    with Session(engine) as s:
        for n in range(2):
            outbox.queue(s, key=f"k:{n}", recipient="cfo@example.org", subject="S", body="b",
                         now=NOW - timedelta(minutes=90 - n * 60))
        s.commit()
        # Nothing listens on this port: one failed attempt each.
        from tests.notifications.notif_support import free_port
        with _mailer(free_port()) as m:
            report = outbox.deliver_due(s, NOW, m)
    assert len(report.failed) == 2
    with Session(engine) as s:
        ok = outbox_health(s, NOW, timedelta(hours=2))
        late = outbox_health(s, NOW, timedelta(hours=1))
    assert (ok.pending, ok.failing, ok.dead, ok.oldest_pending_seconds) == (2, 2, 0, 5400)
    assert ok.healthy
    assert late.problems == ["the oldest pending message has waited 90 minute(s), more than 60"]
