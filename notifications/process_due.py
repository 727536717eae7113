"""``process_due``: the one function that acts on what is due at ``now``.

For every pending deadline whose next moment has come (oldest first): send the reminders
whose lead time has come (to the owner; for agenda items the body's members too), and once
the deadline has passed close it: met (the thing happened, or was done automatically at the
deadline: the agenda published, the notice issued, the call-in window closed) or missed
(escalated to the secretary and the owner).

Idempotent: reminders and escalations go through the outbox's unique keys, and a closed
deadline is never processed again, so a second call for the same ``now`` does nothing more.
It runs in the caller's transaction. A refusal by a rule (say, publication refused for an
invalid Part 2 item) is reported and escalated without undoing the rest: the publication at
the agenda deadline, which writes before its rules can refuse it, runs in a savepoint; any
other deadline writes nothing before a refusal can come, so its row is put back as it was.
Its report carries the next moment it has work (``next_at``), read in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from decisions.errors import S75Error
from decisions.principals import SYSTEM, Principal
from decisions.terms import LocalityConfig
from notifications import deadlines as dl
from notifications import due_rows as dr
from notifications import messages, outbox, store
from notifications.automatic import already_met, meeting_gone, publication_meeting, publish_agenda
from notifications.due_rows import Deadline
from workflows.committee.tables import DecisionRow
from workflows.events import EventBus, UnitOfWork

LATE_AFTER = timedelta(minutes=30)
"""A deadline closed more than this after its due time was processed late (after downtime)."""


@dataclass
class Happened:
    at: datetime
    deadline_id: int
    kind: str
    title: str
    what: str  # reminded | met | missed | waived | published | moved | failed
    detail: str = ""


@dataclass
class DueReport:
    now: datetime
    events: list[Happened] = field(default_factory=list)
    late: list[int] = field(default_factory=list)
    next_at: datetime | None = None
    """When process_due next has work (read in the same transaction, after this run)."""

    def count(self, what: str) -> int:
        return sum(1 for e in self.events if e.what == what)

    @property
    def counts(self) -> dict[str, int]:
        return {w: self.count(w) for w in ("reminded", "met", "missed", "waived", "published",
                                           "moved", "failed")}


def _note(report: DueReport, row: Deadline, what: str, detail: str = "") -> None:
    assert row.id is not None
    report.events.append(Happened(report.now, row.id, row.kind, row.title, what, detail))


def plan_standing(uow: UnitOfWork) -> None:
    """Deadlines that come from config rather than events: the quarterly reports to partners
    on the configured pool (``pool.financial_year``). A report already overdue when first
    planned (the engine started late in the year) is not planned, rather than escalated.
    Worked out once per config; one query while any is still to come (none after the last)."""
    cfg = uow.config
    start = dl.financial_year_start(cfg, cfg.pool.start_year)
    to_come = [p for p in _quarterly(cfg, start) if p.due_at > uow.now]
    if not to_come:
        return
    have = dr.planned_keys(uow.session, [p.key for p in to_come])
    for p in to_come:
        if p.key not in have:
            store.plan(uow.session, p, uow.now)


_QUARTERLY: list[tuple[LocalityConfig, date, list[dl.PlannedDeadline]]] = []


def _quarterly(cfg: LocalityConfig, start: date) -> list[dl.PlannedDeadline]:
    """The pool's quarterly report deadlines, worked out once per (immutable) config."""
    if _QUARTERLY and _QUARTERLY[0][0] is cfg and _QUARTERLY[0][1] == start:
        return _QUARTERLY[0][2]
    planned = dl.quarterly_report_deadlines(cfg, start)
    _QUARTERLY[:] = [(cfg, start, planned)]
    return planned


@dataclass
class _Reminders:
    """The reminders of consecutive deadlines, queued together in one statement
    (:func:`outbox.queue_many`) before anything else is queued or noted, so the outbox and
    the report hold them in the same order as when each is queued at once. Each recipient is
    checked when its reminder is collected, so a refusal comes where it came before."""

    report: DueReport
    pending: list[tuple[Deadline, list[outbox.Outgoing]]] = field(default_factory=list)

    def add(self, row: Deadline, out: list[outbox.Outgoing]) -> None:
        outbox.check_recipients(out)
        self.pending.append((row, out))

    def drop(self, row: Deadline) -> None:
        self.pending = [(r, out) for r, out in self.pending if r is not row]

    def queue(self, uow: UnitOfWork) -> None:
        if not self.pending:
            return
        pending, self.pending = self.pending, []
        queued = outbox.queue_many(uow.session, [m for _, out in pending for m in out],
                                   uow.now)
        for row, out in pending:
            _note(self.report, row, "reminded", ", ".join(messages.newly_queued(out, queued)))


def _remind(uow: UnitOfWork, row: Deadline, batch: _Reminders) -> None:
    """Send the latest reminder whose time has come (after downtime, earlier ones that were
    missed are skipped rather than sent in a burst); none once the deadline has passed."""
    done = list(row.details.get("reminded", []))
    due = [iso for iso in row.reminder_at
           if iso not in done and datetime.fromisoformat(iso) <= uow.now]
    if not due:
        return
    done.extend(due)
    if uow.now < row.due_at:
        batch.add(row, messages.reminder(uow.config, row, due[-1], uow.now))
    row.details = {**row.details, "reminded": done}


def _resolve(uow: UnitOfWork, row: Deadline, report: DueReport) -> None:
    """The deadline has passed: met, missed or waived."""
    cfg, now = uow.config, uow.now
    m = publication_meeting(uow, row)
    gone = meeting_gone(uow, row, m)
    if gone:
        store.close(row, "waived", gone, now)
        _note(report, row, "waived", gone)
        return
    why = already_met(uow, row)
    if why is None and m is not None:  # a publication deadline: publish its agenda
        pub = publish_agenda(uow, m)
        for old, new in pub.moved:
            _note(report, row, "moved", f"item {old} -> next meeting"
                  + (f" (item {new})" if new else " (none scheduled yet)"))
        why = f"published automatically at the deadline ({len(pub.published)} item(s))"
        _note(report, row, "published", why)
    elif why is None and row.kind == "notice":
        if dr.publication_state(uow.session, row.meeting_id) == "met":
            why = "notice given with the published agenda"
        else:
            messages.send_all(uow.session, cfg, now, f"notice:{row.key}",
                              messages.body_members(cfg, row.body_id), row.title,
                              f"{row.title}.\n\nRule: {row.rule}\n", kind="meeting_notice",
                              deadline_id=row.id)
            why = "notice issued automatically to members"
    elif why is None and row.kind == "call_in_expiry":
        d = uow.session.get(DecisionRow, int(row.subject_id))
        if d is not None and d.call_in_state in ("called_in", "upheld", "referred_back",
                                                 "withdrawn", "exempt"):
            store.close(row, "waived", f"decision {d.call_in_state.replace('_', ' ')}", now)
            _note(report, row, "waived", row.outcome)
            return
        why = "call-in window closed without a call-in; the decision may be implemented"
        messages.closed_notice(uow.session, cfg, row, now, "call-in window closed")
    if row.state != "pending":  # an event fired above (meeting.published) closed it
        row.outcome = why or row.outcome
        _note(report, row, "met", row.outcome)
        return
    if why is not None:
        store.close(row, "met", why, now)
        _note(report, row, "met", why)
        return
    store.close(row, "missed", "not done by the deadline", now)
    sent = messages.escalate(uow.session, cfg, row, now, "it was not done by the deadline")
    _note(report, row, "missed", "escalated to " + ", ".join(sent))


def _order(row: Deadline) -> tuple[datetime, int, int]:
    kind = dl.KIND_ORDER.index(row.kind) if row.kind in dl.KIND_ORDER else len(dl.KIND_ORDER)
    assert row.next_at is not None and row.id is not None
    return (row.next_at, kind, row.id)


def process_due(uow: UnitOfWork) -> DueReport:
    """Act on every deadline whose time has come by ``uow.now`` (see the module doc)."""
    report = DueReport(uow.now)
    plan_standing(uow)
    rows = sorted(dr.due(uow.session, uow.now), key=_order)
    batch = _Reminders(report)
    for i, row in enumerate(rows):
        if row.state != "pending":  # closed by an event fired for an earlier deadline
            if row.closed_at == uow.now:
                batch.queue(uow)
                _note(report, row, row.state, row.outcome)
            continue
        if _automatic(uow, row):
            batch.queue(uow)
            # The plain rows' changes written first (so what the committees' action and its
            # handlers read is current); MeetingPublished closes the plain rows it meets in
            # place (dr.held); a due deadline a handler loads as a mapped row is processed as
            # that row afterwards (dr.adopt).
            dr.write(uow.session, rows)
            with dr.loading(uow.session) as seen, dr.held(uow.session, rows):
                _in_savepoint(uow, row, report, dr.snapshot(rows))
            dr.adopt(uow.session, rows, i + 1, seen)
            continue
        # Nothing else writes before a rule can refuse it (the outbox checks every recipient
        # before its one INSERT), so no savepoint: a refusal puts the row back as it was.
        before = (row.state, row.outcome, row.closed_at, row.next_at, row.details)
        try:
            _step(uow, row, batch)
        except S75Error as exc:
            row.state, row.outcome, row.closed_at, row.next_at, row.details = before
            batch.drop(row)
            batch.queue(uow)
            _fail(uow, row, report, exc.message)
    batch.queue(uow)
    dr.write(uow.session, rows)  # the plain rows' changes, one executemany
    report.next_at = store.next_due(uow.session)  # the mapped rows' flushed first
    return report


def _automatic(uow: UnitOfWork, row: Deadline) -> bool:
    """Whether processing ``row`` now may run an automatic step through the committees'
    actions (the agenda published at its deadline), which writes before its rules can refuse
    it: that deadline is processed in a savepoint."""
    return row.kind == "publication" and row.meeting_id is not None and row.due_at <= uow.now


def _step(uow: UnitOfWork, row: Deadline, batch: _Reminders) -> None:
    report = batch.report
    _remind(uow, row, batch)
    if row.due_at <= uow.now and row.state == "pending":
        batch.queue(uow)  # what is queued and noted before this deadline's outcome
        if uow.now - row.due_at > LATE_AFTER:
            row.details = {**row.details, "processed_late": uow.now.isoformat()}
            assert row.id is not None
            report.late.append(row.id)
        _resolve(uow, row, report)
    row.next_at = store.next_at(row)


def _in_savepoint(uow: UnitOfWork, row: Deadline, report: DueReport,
                  was: list[tuple[dr.DueRow, tuple[Any, ...]]]) -> None:
    savepoint = uow.session.begin_nested()
    try:
        batch = _Reminders(report)
        _step(uow, row, batch)
        batch.queue(uow)
        savepoint.commit()
    except S75Error as exc:
        savepoint.rollback()
        dr.restore(was)  # the plain rows as they were (the mapped ones expired by it)
        _fail(uow, row, report, exc.message)


def _fail(uow: UnitOfWork, row: Deadline, report: DueReport, message: str) -> None:
    """An automatic step was refused by a rule: the deadline is missed; the secretary is told
    why (outside the rolled-back savepoint)."""
    store.close(row, "missed", f"automatic step refused: {message}", uow.now)
    messages.escalate(uow.session, uow.config, row, uow.now,
                      f"the automatic step was refused: {message}")
    _note(report, row, "failed", message)


def run_due(engine: Engine, config: LocalityConfig, bus: EventBus, now: datetime,
            principal: Principal = SYSTEM) -> DueReport:
    """process_due in its own transaction (commits whole, or not at all)."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            report = process_due(UnitOfWork(session, config, now, principal, bus))
            session.commit()
        except BaseException:
            session.rollback()
            raise
    return report
