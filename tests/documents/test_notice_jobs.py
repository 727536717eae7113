"""Decision notices and minutes rendered after commit (issue 14.5): recording a decision
commits without rendering (the notice's job is recorded, its publication dated, no PDF yet);
a worker then stores it exactly once, even with two workers at it; a worker that dies
between claiming and storing loses nothing (its lease runs out and another takes the job);
the mail circulating the draft minutes waits for them. Through the services and the real
event bus (documents and planner), on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from decisions.terms import LocalityConfig, Smtp
from notifications import outbox, planner, render_jobs
from notifications.documents import circulate, jobs, minutes_issue, produce, store
from notifications.documents.jobs import RunReport
from notifications.mailer import SmtpMailer
from notifications.tables import DeadlineRow, OutboxRow, RenderJobRow
from tests.documents.doc_helpers import text
from tests.documents.meeting_setup import PRESENT
from tests.documents.test_publication import COVER
from tests.notifications.notif_support import smtp_server
from tests.principals import as_principal
from workflows.actions import perform
from workflows.committee import attendance, decide, items, meetings
from workflows.committee.circulation import CirculateMinutes
from workflows.committee.records import MinutesVersionRow
from workflows.committee.tables import DecisionRow
from workflows.events import EventBus, UnitOfWork
from workflows.tables import AuditEventRow

DECIDED = datetime(2019, 4, 10, 15, tzinfo=UTC)


@pytest.fixture
def background() -> object:
    """Only workers render (as under ``s75 serve``): nothing runs at the commit."""
    jobs.set_mode("background")
    yield
    jobs.set_mode(None)


def _bus() -> EventBus:
    bus = EventBus()
    for module in (planner, produce, minutes_issue, circulate):
        module.install(bus)
    return bus


def _decide(engine: Engine, config: LocalityConfig) -> tuple[int, int]:
    """A JCC meeting held and one item decided (the packs, minutes and notice queued)."""
    bus = _bus()
    with Session(engine) as session:
        uow = UnitOfWork(session, config, datetime(2019, 3, 1, 9, tzinfo=UTC),
                         as_principal("secretary"), bus)
        [m1, _m2] = meetings.schedule(uow, "jcc", date(2019, 4, 1), date(2019, 5, 31))
        assert m1.id is not None
        item = items.add(uow, m1.id, "Intermediate care beds", lead="DASS", cover=COVER,
                         body_text="# Background\n\nDemand rose by 12% over winter.")
        assert item.id is not None
        items.submit(uow, item.id, submitted_by="dass", submitted_on=date(2019, 3, 20))
        items.accept(uow, item.id)
        uow.now = datetime(2019, 4, 2, 9, tzinfo=UTC)
        items.publish_meeting(uow, m1.id, published_on=date(2019, 4, 2))
        uow.now = DECIDED
        for who in PRESENT:
            attendance.record(uow, m1.id, who)
        meetings.hold(uow, m1.id)
        result = decide.decide_item(uow, item.id, resolution="That 20 beds be commissioned.",
                                    reasons="Winter demand.")
        assert result.decision is not None and result.decision.id is not None
        # Nothing rendered in the transaction: the notice is a job, its publication dated.
        assert store.listing(session, kind="notice") == []
        session.commit()
        return m1.id, result.decision.id


def _keys(engine: Engine, kind: str) -> list[str]:
    with Session(engine) as s:
        return [j.key for j in render_jobs.listing(s) if j.kind == kind]


def test_a_decision_commits_without_rendering_its_notice(
        engine: Engine, config: LocalityConfig, background: object) -> None:
    meeting_id, decision_id = _decide(engine, config)
    with Session(engine) as s:
        [job] = [j for j in render_jobs.listing(s) if j.kind == "notice"]
        assert (job.state, job.audience, job.meeting_id) == ("pending", "public", meeting_id)
        assert store.listing(s, kind="notice") == [] and store.listing(s, kind="minutes") == []
        d = s.get(DecisionRow, decision_id)
        assert d is not None and d.notice_published_on == date(2019, 4, 10)
        acts = s.exec(select(AuditEventRow.action).where(
            AuditEventRow.subject_type == "decision",
            AuditEventRow.subject_id == str(decision_id))).all()
        assert "decision.notice_published" in acts
        assert "Record of decision" in str(job.params["html"])
    # The worker runs days later: the notice is dated when the decision's transaction
    # published it, by its actor, and the call-in window counted from then.
    later = datetime.now(UTC) + timedelta(days=3)
    report = jobs.run_pending(engine, config, keys=_keys(engine, "notice"),
                              now=lambda: later)
    assert len(report.stored) == 1
    with Session(engine) as s:
        [notice] = store.listing(s, kind="notice")
        assert (notice.published_at, notice.published_by, notice.version) == \
            (DECIDED, "secretary", 1)
        assert notice.created_at == DECIDED
        assert "That 20 beds be commissioned." in text(notice.content or b"")
        [job] = [j for j in render_jobs.listing(s) if j.kind == "notice"]
        assert (job.document_id, job.content_hash) == (notice.id, notice.content_hash)
        # The decision-notice deadline is met by the DocumentRendered the worker raised.
        met = s.exec(select(DeadlineRow).where(DeadlineRow.kind == "decision_notice",
                                               DeadlineRow.subject_id == str(decision_id))
                     ).first()
        assert met is not None and (met.state, met.outcome, met.closed_at) == \
            ("met", "decision notice published", DECIDED)


def test_two_workers_store_each_notice_and_minutes_once(
        engine: Engine, config: LocalityConfig, background: object) -> None:
    _decide(engine, config)
    keys = _keys(engine, "notice") + _keys(engine, "minutes")
    assert len(keys) == 2  # the public notice, the members' draft minutes
    reports: list[RunReport] = []
    start = threading.Barrier(2)

    def work(name: str) -> None:
        start.wait()
        reports.append(jobs.run_pending(engine, config, keys=keys, worker=name))

    threads = [threading.Thread(target=work, args=(f"worker-{n}",)) for n in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert sum(len(r.stored) for r in reports) == 2
    assert not any(r.failed or r.lost for r in reports)
    with Session(engine) as s:
        done = [j for j in render_jobs.listing(s) if j.key in keys]
        assert [(j.state, j.attempts) for j in done] == [("done", 1), ("done", 1)]
        assert len(store.listing(s, kind="notice")) == 1
        assert len(store.listing(s, kind="minutes")) == 1
        [version] = s.exec(select(MinutesVersionRow)).all()
        assert version.document_id == store.listing(s, kind="minutes")[0].id
    # Run again: nothing left to render.
    assert jobs.run_pending(engine, config, keys=keys).jobs == 0


def test_a_crash_between_commit_and_render_loses_no_notice(
        engine: Engine, config: LocalityConfig, background: object) -> None:
    _decide(engine, config)
    keys = _keys(engine, "notice")
    start = render_jobs.wall_now()
    with Session(engine, expire_on_commit=False) as s:
        claimed = render_jobs.claim(s, "dead-worker", start, keys)  # then the process dies
        assert claimed is not None and claimed.kind == "notice"
    assert jobs.run_pending(engine, config, keys=keys,
                            now=lambda: start + timedelta(seconds=5)).jobs == 0
    later = start + render_jobs.lease() + timedelta(seconds=1)
    report = jobs.run_pending(engine, config, keys=keys, worker="survivor", now=lambda: later)
    assert len(report.stored) == 1
    with Session(engine) as s:
        job = s.exec(select(RenderJobRow).where(col(RenderJobRow.key).in_(keys))).one()
        assert (job.state, job.claimed_by, job.attempts) == ("done", "survivor", 2)
        assert not render_jobs.finish(s, job.id or 0, "dead-worker", outcome="stored")
        [notice] = store.listing(s, kind="notice")
        assert notice.published_at == DECIDED


def test_the_circulated_draft_waits_for_its_minutes(
        engine: Engine, config: LocalityConfig, background: object) -> None:
    meeting_id, _ = _decide(engine, config)
    assert len(jobs.run_pending(engine, config, keys=_keys(engine, "minutes")).stored) == 1
    at = DECIDED + timedelta(days=2)
    with Session(engine) as session:
        uow = UnitOfWork(session, config, at, as_principal("secretary"), _bus())
        perform(uow, CirculateMinutes(meeting_id))
        session.commit()
    with smtp_server() as (inbox, port):
        mailer = SmtpMailer(Smtp(host="127.0.0.1", port=port, sender="s75@example.org"))
        with Session(engine, expire_on_commit=False) as s:
            waiting = outbox.deliver_due(s, at, mailer).waiting
        with Session(engine) as s:
            drafts = s.exec(select(OutboxRow).where(
                OutboxRow.kind == "minutes_circulated")).all()
        assert drafts and {r.id for r in drafts} <= set(waiting)
        assert "being rendered" in (drafts[0].last_error or "")
        assert not [m for m in inbox.messages if "Draft minutes" in str(m["Subject"])]
        assert len(jobs.run_pending(engine, config).stored) >= 1
        with Session(engine, expire_on_commit=False) as s:  # woken at once
            sent = outbox.deliver_due(s, at, mailer).sent
        mailer.close()
        assert {r.id for r in drafts} <= set(sent)
        assert inbox.wait_for(len(sent))
        with Session(engine) as s:
            version = s.exec(select(MinutesVersionRow).order_by(
                col(MinutesVersionRow.version).desc())).first()
            assert version is not None and version.document_id is not None
            doc = store.content(s, version.document_id)
        mail = next(m for m in inbox.messages if "Draft minutes" in str(m["Subject"]))
        [att] = [p for p in message_from_bytes(mail.as_bytes()).walk() if p.get_filename()]
        assert att.get_payload(decode=True) == doc.content
