"""Event handlers: each domain event creates, moves, meets or waives deadline rows and queues
the messages it causes, in the same transaction as the event (``install(bus)``, called by
s75/wiring.py). Each committee handler is subscribed to one event type and takes its ids from
the event's fields.

Consumed: MeetingScheduled, MeetingCancelled, MeetingHeld, MeetingPublished, ItemMoved
(submitted, deferred, withdrawn), KeyDecisionRecorded, DecisionRecorded,
DecisionNoticePublished (the call-in window), DecisionCalledIn, DecisionMadeUrgent, ActionAdded,
ActionClosed, MinutesApproved, MinutesSigned, DocumentRendered, PoolReportSent; referral.*
(planner_referrals.py); proposal.*, gateway.recorded, condition.added|closed
(planner_proposals.py).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from notifications import deadlines as dl
from notifications import due_rows, store
from notifications.documents.events import DocumentRendered, PoolReportSent
from notifications.messages import body_members, members_page_line, send_all, tell_owner, when
from notifications.tables import DeadlineRow
from workflows.committee.call_in import DecisionMadeUrgent, DecisionNoticePublished
from workflows.committee.events import (
    ActionAdded,
    ActionClosed,
    DecisionCalledIn,
    DecisionRecorded,
    ItemMoved,
    KeyDecisionRecorded,
    MeetingCancelled,
    MeetingHeld,
    MeetingPublished,
    MeetingScheduled,
    MinutesApproved,
    MinutesSigned,
)
from workflows.committee.records import ActionRow
from workflows.committee.tables import AgendaItemRow, DecisionRow, MeetingRow
from workflows.events import EventBus, UnitOfWork


def install(bus: EventBus) -> None:
    bus.subscribe(MeetingScheduled, on_meeting_scheduled)
    bus.subscribe(MeetingCancelled, on_meeting_cancelled)
    bus.subscribe(MeetingHeld, on_meeting_held)
    bus.subscribe(MeetingPublished, on_meeting_published)
    bus.subscribe(ItemMoved, on_item_moved)
    bus.subscribe(KeyDecisionRecorded, on_key_decision)
    bus.subscribe(DecisionRecorded, on_decision_recorded)
    bus.subscribe(DecisionCalledIn, on_called_in)
    bus.subscribe(DecisionNoticePublished, on_notice_published)
    bus.subscribe(DecisionMadeUrgent, on_made_urgent)
    bus.subscribe(MinutesApproved, on_minutes)
    bus.subscribe(MinutesSigned, on_minutes)
    bus.subscribe(DocumentRendered, on_document)
    bus.subscribe(PoolReportSent, on_pool_report)
    bus.subscribe(ActionAdded, on_action_added)
    bus.subscribe(ActionClosed, on_action_closed)
    from notifications import planner_referrals

    planner_referrals.install(bus)


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        return date.fromisoformat(value[:10])
    return None


def _met(uow: UnitOfWork, outcome: str, **where: Any) -> None:
    rows = store.find(uow.session, **where)
    for row in rows:
        store.close(row, "met", outcome, uow.now)
        uow.session.add(row)


def _met_published(uow: UnitOfWork, meeting_id: int) -> None:
    """The meeting's pending publication and notice deadlines met: found with one prepared
    read; one process_due holds as a plain row is closed in place (process_due writes it),
    any other as its mapped row."""
    s = uow.session
    for deadline_id in due_rows.pending_ids(s, meeting_id, ("publication", "notice")):
        held = due_rows.held_row(s, deadline_id)
        if held is not None:
            if held.state == store.OPEN:
                store.close(held, "met", "agenda published", uow.now)
            continue
        row = s.get(DeadlineRow, deadline_id)
        if row is not None:
            store.close(row, "met", "agenda published", uow.now)
            s.add(row)


def _waive(uow: UnitOfWork, outcome: str, **where: Any) -> None:
    store.close_matching(uow.session, uow.now, "waived", outcome, **where)


# Meetings ----------------------------------------------------------------------------------
def plan_meeting(uow: UnitOfWork, m: MeetingRow) -> None:
    assert m.id is not None
    body = uow.config.body_by_id(m.body_id)
    for p in dl.meeting_deadlines(uow.config, body, m.id, m.starts_at):
        store.plan(uow.session, p, uow.now)


def _meeting(uow: UnitOfWork, meeting_id: int) -> MeetingRow:
    m = uow.session.get(MeetingRow, meeting_id)
    assert m is not None and m.id is not None, f"meeting {meeting_id} raised an event unsaved"
    return m


def on_meeting_scheduled(uow: UnitOfWork, ev: MeetingScheduled) -> None:
    plan_meeting(uow, _meeting(uow, ev.meeting_id))


def on_meeting_cancelled(uow: UnitOfWork, ev: MeetingCancelled) -> None:
    m, cfg = _meeting(uow, ev.meeting_id), uow.config
    body = cfg.body_by_id(m.body_id)
    reason = ev.reason or m.cancel_reason or ""
    _waive(uow, f"meeting cancelled: {reason}".strip(), meeting_id=m.id)
    send_all(uow.session, cfg, uow.now, f"meeting.cancelled:{m.id}", body_members(cfg, body.id),
             f"Cancelled: {body.name}, {when(cfg, m.starts_at)}",
             f"The meeting of the {body.name} on {when(cfg, m.starts_at)} is cancelled."
             f"\nReason: {reason or 'not given'}\n", kind="meeting_cancelled")


def on_meeting_held(uow: UnitOfWork, ev: MeetingHeld) -> None:
    m, cfg = _meeting(uow, ev.meeting_id), uow.config
    assert m.id is not None
    body = cfg.body_by_id(m.body_id)
    held = m.local_date or dl.local_date(cfg, m.starts_at)
    store.plan(uow.session, dl.minutes_deadline(cfg, body, m.id, held), uow.now)
    _waive(uow, "meeting held", meeting_id=m.id, kind=("agenda_items", "notice"))


def on_meeting_published(uow: UnitOfWork, ev: MeetingPublished) -> None:
    """The agenda is published (by hand or at the deadline): the publication and notice
    deadlines are met and the members are sent the agenda with its pack attached."""
    m, cfg = _meeting(uow, ev.meeting_id), uow.config
    body = cfg.body_by_id(m.body_id)
    assert m.id is not None
    _met_published(uow, m.id)
    send_all(uow.session, cfg, uow.now, f"meeting.published:{m.id}",
             body_members(cfg, body.id),
             f"Agenda published: {body.name}, {when(cfg, m.starts_at)}",
             f"The agenda and reports for the {body.name} on {when(cfg, m.starts_at)} at "
             f"{m.venue or 'the usual venue'} are published.\nThe agenda pack is attached "
             "where it has been rendered.\n" + members_page_line(cfg, m.id),
             kind="agenda_published",
             attachments=[{"filename": f"{body.id}-{m.local_date or m.starts_at.date()}"
                           "-pack.pdf", "content_type": "application/pdf",
                           "ref": {"kind": "meeting_pack", "meeting_id": m.id}}])


# Items and decisions -----------------------------------------------------------------------
def on_item_moved(uow: UnitOfWork, ev: ItemMoved) -> None:
    if ev.trigger not in ("submitted", "deferred", "withdrawn"):
        return  # nothing planned for the item's other moves (no row loaded for them)
    item = uow.session.get(AgendaItemRow, ev.item_id)
    if item is None or item.id is None:
        return
    if ev.trigger == "submitted" and not item.standing:
        _item_submitted(uow, item)
    elif ev.trigger in ("deferred", "withdrawn"):
        _waive(uow, f"item {ev.trigger}", kind="forward_plan", subject_id=item.id)


def _item_submitted(uow: UnitOfWork, item: AgendaItemRow) -> None:
    assert item.id is not None
    cfg = uow.config
    for row in store.find(uow.session, kind="agenda_items", meeting_id=item.meeting_id):
        if uow.now <= row.due_at:
            store.close(row, "met", f"item {item.id} '{item.title}' notified", uow.now)
            uow.session.add(row)
    m = uow.session.get(MeetingRow, item.meeting_id)
    body = cfg.body_by_id(m.body_id) if m else None
    if (m is not None and body is not None and body.executive and item.amount is not None
            and body.key_decision_threshold is not None
            and item.amount >= body.key_decision_threshold):
        day = m.local_date or dl.local_date(cfg, m.starts_at)
        store.plan(uow.session, dl.forward_plan_deadline(
            cfg, body, item.meeting_id, day, item.id, item.title), uow.now)


def on_key_decision(uow: UnitOfWork, ev: KeyDecisionRecorded) -> None:
    published = _day(ev.forward_plan_published_on)
    if published is not None or ev.exception != "none":
        how = (f"forward plan notice published {published:%d %b %Y}" if published
               else f"{ev.exception.replace('_', ' ')} recorded")
        _met(uow, how, kind="forward_plan", subject_id=ev.item_id)


def on_decision_recorded(uow: UnitOfWork, ev: DecisionRecorded) -> None:
    d = uow.session.get(DecisionRow, ev.decision_id)
    if d is None or d.id is None:
        return
    cfg = uow.config
    body = cfg.body_by_id(ev.body_id)
    on = d.decision_date or dl.local_date(cfg, d.decided_at)
    # The end of the call-in window is planned when the notice is published (below).
    for p in dl.decision_deadlines(cfg, body, d.id, on, ev.meeting_id, None):
        store.plan(uow.session, p, uow.now)


def on_notice_published(uow: UnitOfWork, ev: DecisionNoticePublished) -> None:
    """The call-in window runs from the publication of the decision notice."""
    expires, published = _day(ev.call_in_expires), _day(ev.published_on)
    if expires is None or published is None:
        return
    body = uow.config.body_by_id(ev.body_id)
    store.plan(uow.session, dl.call_in_deadline(uow.config, body, ev.decision_id,
                                                ev.meeting_id, published, expires), uow.now)


def on_called_in(uow: UnitOfWork, ev: DecisionCalledIn) -> None:
    _waive(uow, "decision called in", kind="call_in_expiry", subject_id=ev.decision_id)


def on_made_urgent(uow: UnitOfWork, ev: DecisionMadeUrgent) -> None:
    _waive(uow, "exempt from call-in for urgency", kind="call_in_expiry",
           subject_id=ev.decision_id)


def on_minutes(uow: UnitOfWork, ev: MinutesApproved | MinutesSigned) -> None:
    verb = "approved" if isinstance(ev, MinutesApproved) else "signed"
    _met(uow, f"minutes {verb}", kind="draft_minutes", meeting_id=ev.meeting_id)


def on_document(uow: UnitOfWork, ev: DocumentRendered) -> None:
    if ev.kind == "minutes" and ev.meeting_id is not None:
        _met(uow, "minutes rendered", kind="draft_minutes", meeting_id=ev.meeting_id)
    elif ev.kind in ("decision_notice", "notice") and ev.decision_id is not None:
        _met(uow, "decision notice published", kind="decision_notice",
             subject_id=ev.decision_id)


def on_pool_report(uow: UnitOfWork, ev: PoolReportSent) -> None:
    """A pool statement sent to partners meets the earliest quarterly report now due."""
    rows = [r for r in store.find(uow.session, kind="quarterly_report")
            if r.due_at >= uow.now or r.details.get("quarter") == ev.quarter]
    if rows:
        store.close(rows[0], "met", "pool statement sent to partners", uow.now)
        uow.session.add(rows[0])


# Actions -------------------------------------------------------------
def on_action_added(uow: UnitOfWork, ev: ActionAdded) -> None:
    """An action arising: an owned deadline, and its owner told."""
    cfg = uow.config
    title = f"Action: {ev.description or f'action {ev.action_id}'}"
    due = _day(ev.due_on)
    if due is None:
        return
    p = dl.owned_deadline(cfg, "action", "action", str(ev.action_id),
                          ev.owner or ev.owner_email, due, title,
                          "action arising, reviewed at each meeting until closed",
                          body_id=ev.body_id, meeting_id=ev.meeting_id)
    row = store.upsert(uow.session, p, uow.now)
    tell_owner(uow.session, cfg, uow.now, row, key=f"action.added:{ev.action_id}", title=title,
               due=due, kind="action")


def on_action_closed(uow: UnitOfWork, ev: ActionClosed) -> None:
    row = uow.session.get(ActionRow, ev.action_id)
    if ev.status == "dropped" or (row is not None and row.status == "dropped"):
        _waive(uow, "action dropped", kind="action", subject_id=ev.action_id)
    else:
        _met(uow, "action closed", kind="action", subject_id=ev.action_id)
