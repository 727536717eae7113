"""Event handlers: each domain event creates, moves, meets or waives deadline rows and queues
the messages it causes, in the same transaction as the event (``install(bus)``, called by
s75/wiring.py).

Consumed: meeting.scheduled|rescheduled|moved|cancelled|held|published, item.submitted|
key_decision|deferred|withdrawn, decision.recorded|called_in|notice_published, action.added|
closed|done|dropped, minutes.drafted|approved|signed, referral.created, proposal.* (reads the
proposal's state), gateway.recorded, condition.added|closed, document.rendered|published,
pool.report_sent.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from notifications import deadlines as dl
from notifications import store
from notifications.messages import body_members, send_all, when
from workflows.committee.tables import AgendaItemRow, DecisionRow, MeetingRow
from workflows.events import EventBus, LegacyEvent, UnitOfWork

PUBLISHED = "s75.meetings_published"
"""session.info key: meetings for which meeting.published was emitted in this transaction."""


def install(bus: EventBus) -> None:
    for prefix, handler in HANDLERS.items():
        bus.subscribe(prefix, handler)


def _id(ev: LegacyEvent, key: str) -> int | None:
    """An id from the event data, else the event's subject when it is of that type."""
    value = ev.data.get(key)
    if value is None and key.removesuffix("_id") == ev.subject_type.removeprefix("agenda_"):
        value = ev.subject_id
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        return date.fromisoformat(value[:10])
    return None


def _verb(ev: LegacyEvent) -> str:
    return ev.name.split(".", 1)[1] if "." in ev.name else ev.name


def _met(uow: UnitOfWork, outcome: str, **where: Any) -> None:
    rows = store.find(uow.session, **where)
    for row in rows:
        store.close(row, "met", outcome, uow.now)
        uow.session.add(row)


def _waive(uow: UnitOfWork, outcome: str, **where: Any) -> None:
    store.close_matching(uow.session, uow.now, "waived", outcome, **where)


# Meetings ----------------------------------------------------------------------------------
def plan_meeting(uow: UnitOfWork, m: MeetingRow) -> None:
    assert m.id is not None
    body = uow.config.body_by_id(m.body_id)
    for p in dl.meeting_deadlines(uow.config, body, m.id, m.starts_at):
        store.upsert(uow.session, p, uow.now)


def on_meeting(uow: UnitOfWork, ev: LegacyEvent) -> None:
    meeting_id = _id(ev, "meeting_id")
    m = uow.session.get(MeetingRow, meeting_id) if meeting_id else None
    if m is None or m.id is None:
        return
    verb, cfg = _verb(ev), uow.config
    body = cfg.body_by_id(m.body_id)
    if verb in ("scheduled", "rescheduled", "moved"):
        plan_meeting(uow, m)
    elif verb == "cancelled":
        _waive(uow, f"meeting cancelled: {ev.data.get('reason') or m.cancel_reason or ''}".strip(),
               meeting_id=m.id)
        send_all(uow.session, cfg, uow.now, f"meeting.cancelled:{m.id}", body_members(cfg, body.id),
                 f"Cancelled: {body.name}, {when(cfg, m.starts_at)}",
                 f"The meeting of the {body.name} on {when(cfg, m.starts_at)} is cancelled."
                 f"\nReason: {m.cancel_reason or ev.data.get('reason') or 'not given'}\n",
                 kind="meeting_cancelled")
    elif verb == "held":
        held = m.local_date or dl.local_date(cfg, m.starts_at)
        store.upsert(uow.session, dl.minutes_deadline(cfg, body, m.id, held), uow.now)
        _waive(uow, "meeting held", meeting_id=m.id, kind=("agenda_items", "notice"))
    elif verb == "published":
        uow.session.info.setdefault(PUBLISHED, set()).add(m.id)
        _met(uow, "agenda published", meeting_id=m.id, kind=("publication", "notice"))
        send_all(uow.session, cfg, uow.now, f"meeting.published:{m.id}",
                 body_members(cfg, body.id),
                 f"Agenda published: {body.name}, {when(cfg, m.starts_at)}",
                 f"The agenda and reports for the {body.name} on {when(cfg, m.starts_at)} at "
                 f"{m.venue or 'the usual venue'} are published.\nThe agenda pack is attached "
                 "where it has been rendered.\n", kind="agenda_published",
                 attachments=[{"filename": f"{body.id}-{m.local_date or m.starts_at.date()}"
                               "-pack.pdf", "content_type": "application/pdf",
                               "ref": {"kind": "meeting_pack", "meeting_id": m.id}}])


# Items and decisions -----------------------------------------------------------------------
def on_item(uow: UnitOfWork, ev: LegacyEvent) -> None:
    item_id = _id(ev, "item_id")
    item = uow.session.get(AgendaItemRow, item_id) if item_id else None
    if item is None or item.id is None:
        return
    verb, cfg = _verb(ev), uow.config
    if verb == "submitted" and not item.standing:
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
            store.upsert(uow.session, dl.forward_plan_deadline(
                cfg, body, item.meeting_id, day, item.id, item.title), uow.now)
    elif verb == "key_decision":
        published = _day(ev.data.get("forward_plan_published_on"))
        exception = ev.data.get("exception") or "none"
        if published is not None or exception != "none":
            how = (f"forward plan notice published {published:%d %b %Y}" if published
                   else f"{str(exception).replace('_', ' ')} recorded")
            _met(uow, how, kind="forward_plan", subject_id=item.id)
    elif verb in ("deferred", "withdrawn"):
        _waive(uow, f"item {verb}", kind="forward_plan", subject_id=item.id)


def on_decision(uow: UnitOfWork, ev: LegacyEvent) -> None:
    decision_id = _id(ev, "decision_id")
    d = uow.session.get(DecisionRow, decision_id) if decision_id else None
    if d is None or d.id is None:
        return
    verb, cfg = _verb(ev), uow.config
    if verb == "recorded":
        body_id = d.body_id
        if body_id is None and d.meeting_id is not None:
            m = uow.session.get(MeetingRow, d.meeting_id)
            body_id = m.body_id if m else None
        if body_id is None:
            return
        body = cfg.body_by_id(body_id)
        on = d.decision_date or dl.local_date(cfg, d.decided_at)
        expires = d.call_in_expires or _day(ev.data.get("call_in_expires"))
        for p in dl.decision_deadlines(cfg, body, d.id, on, d.meeting_id, expires):
            store.upsert(uow.session, p, uow.now)
    elif verb == "called_in":
        _waive(uow, "decision called in", kind="call_in_expiry", subject_id=d.id)
    elif verb in ("notice_published", "published"):
        _met(uow, "decision notice published", kind="decision_notice", subject_id=d.id)


def on_minutes(uow: UnitOfWork, ev: LegacyEvent) -> None:
    meeting_id = _id(ev, "meeting_id")
    if meeting_id is not None and _verb(ev) in ("drafted", "approved", "signed", "published"):
        _met(uow, f"minutes {_verb(ev)}", kind="draft_minutes", meeting_id=meeting_id)


def on_document(uow: UnitOfWork, ev: LegacyEvent) -> None:
    kind = str(ev.data.get("kind") or ev.data.get("document_kind") or "")
    if kind == "minutes" and _id(ev, "meeting_id") is not None:
        _met(uow, "minutes rendered", kind="draft_minutes", meeting_id=_id(ev, "meeting_id"))
    elif kind in ("decision_notice", "notice") and _id(ev, "decision_id") is not None:
        _met(uow, "decision notice published", kind="decision_notice",
             subject_id=_id(ev, "decision_id"))
    elif kind in ("pool_statement", "quarterly_report"):
        on_pool_report(uow, ev)


def on_pool_report(uow: UnitOfWork, ev: LegacyEvent) -> None:
    """A pool statement sent to partners meets the earliest quarterly report now due."""
    rows = [r for r in store.find(uow.session, kind="quarterly_report")
            if r.due_at >= uow.now or r.details.get("quarter") == ev.data.get("quarter")]
    if rows:
        store.close(rows[0], "met", "pool statement sent to partners", uow.now)
        uow.session.add(rows[0])


# Actions, conditions, referrals -------------------------------------------------------------
def _owned(uow: UnitOfWork, ev: LegacyEvent, kind: str, subject_id: str, title: str,
           rule: str, *, body_id: str | None = None, meeting_id: int | None = None,
           proposal_id: int | None = None) -> None:
    due = _day(ev.data.get("due") or ev.data.get("due_on"))
    owner = ev.data.get("owner") or ev.data.get("owner_id") or ev.data.get("owner_email")
    if due is None:
        return
    cfg = uow.config
    p = dl.owned_deadline(cfg, kind, kind, subject_id, owner, due, title, rule,
                          body_id=body_id, meeting_id=meeting_id, proposal_id=proposal_id)
    row = store.upsert(uow.session, p, uow.now)
    send_all(uow.session, cfg, uow.now, f"{kind}.added:{subject_id}", [row.owner_email],
             f"{title} (due {due:%d %b %Y})",
             f"{title}\n\nYou are recorded as its owner; it is due by {when(cfg, row.due_at)}. "
             "You will be reminded before then.\n", kind=kind, deadline_id=row.id)


def on_action(uow: UnitOfWork, ev: LegacyEvent) -> None:
    from workflows.committee.records import ActionRow

    verb, action_id = _verb(ev), _id(ev, "action_id")
    if action_id is None:
        return
    if verb == "added":
        text = ev.data.get("description") or ev.data.get("text") or f"action {action_id}"
        body_id = ev.data.get("body_id")
        _owned(uow, ev, "action", str(action_id), f"Action: {text}",
               "action arising, reviewed at each meeting until closed",
               body_id=body_id if isinstance(body_id, str) else None,
               meeting_id=_id(ev, "meeting_id"))
        return
    row = uow.session.get(ActionRow, action_id)
    if verb == "dropped" or (row is not None and row.status == "dropped"):
        _waive(uow, "action dropped", kind="action", subject_id=action_id)
    elif verb in ("closed", "done"):
        _met(uow, "action closed", kind="action", subject_id=action_id)


def on_referral(uow: UnitOfWork, ev: LegacyEvent) -> None:
    if _verb(ev) != "created":
        return
    cfg = uow.config
    to_body = ev.data.get("to_body_id") or ev.data.get("body_id")
    if not isinstance(to_body, str) or to_body not in {b.id for b in cfg.body}:
        return
    body = cfg.body_by_id(to_body)
    send_all(uow.session, cfg, uow.now, f"referral.created:{ev.subject_id}",
             [dl.secretary_email(cfg, to_body)], f"Referral to the {body.name}",
             f"A decision has been referred to the {body.name}: "
             f"{ev.data.get('reason') or ev.data.get('title') or ''}\n"
             f"It is placed on meeting {ev.data.get('to_meeting_id') or '(to be scheduled)'}.\n",
             kind="referral")


HANDLERS = {
    "meeting.": on_meeting, "item.": on_item, "decision.": on_decision,
    "minutes.": on_minutes, "document.": on_document, "pool.report": on_pool_report,
    "action.": on_action, "referral.": on_referral,
}


def session_published(session: Session) -> set[int]:
    value: set[int] = session.info.get(PUBLISHED, set())
    return value
