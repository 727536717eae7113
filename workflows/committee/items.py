"""Agenda items: add (a draft with its cover sheet), submit (late items need the chair's
urgency consent), accept, publish, withdraw, defer to the next meeting, and route one report
to further bodies and dates. State changes go through the agenda_item workflow
(workflows/definitions/agenda_item.toml) so each raises :class:`ItemMoved`
(``item.<trigger>``); a new draft raises :class:`ItemDrafted`, publishing a meeting's agenda
:class:`MeetingPublished` (workflows/committee/events.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from decisions.access import regime_of
from decisions.agenda_rules import check_wording, validate_action, validate_exempt
from decisions.checklist import check_answers
from decisions.errors import InvalidInput, RuleRefused
from workflows.committee import appendices as appendix_files
from workflows.committee import common, item_rows
from workflows.committee.bulk import fire_all
from workflows.committee.common import CLOSING_POSITION
from workflows.committee.events import ItemDrafted, MeetingPublished
from workflows.committee.item_rows import Item
from workflows.committee.records import UrgencyConsentRow
from workflows.committee.tables import COVER_FIELDS, COVER_REQUIRED, AgendaItemRow, MeetingRow
from workflows.engine import fire
from workflows.events import UnitOfWork
from workflows.proposal.queries import get_proposal

WORKFLOW = "agenda_item"
REPORT_KINDS = ("Written Report", "To follow", "Verbal", "Presentation")
TO_FOLLOW = "To follow"
"""An item on the agenda whose report is not yet available: listed "Report to follow", then
supplied with ``item edit`` (a supplement if the agenda is already published)."""
MAX_MINUTES = 480
MAX_AMOUNT = Decimal("1e12")  # the money columns hold 12 digits of pounds and 2 of pence


def check_amount(amount: Decimal) -> None:
    """A sum of money an item commits: pounds and pence, not negative, fits the records."""
    if not amount.is_finite():
        raise InvalidInput(f"amount: {amount} is not a sum of money; expected pounds, e.g. "
                           "1200000")
    if amount < 0:
        raise InvalidInput(f"amount: {amount} is negative; give the sum in pounds")
    if amount >= MAX_AMOUNT:
        shown = f"{amount:,}" if amount.adjusted() < 30 else f"{amount:.3e}"
        raise InvalidInput(f"amount: {shown} is too large; expected pounds below "
                           f"{MAX_AMOUNT:,.0f}")
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput(f"amount: {amount} has fractions of a penny; give pounds and pence, "
                           "e.g. 1200000.50")


def _data(item: AgendaItemRow, m: MeetingRow, **extra: Any) -> dict[str, Any]:
    """The fields of the item's events (ItemMoved, ItemDrafted) besides its id."""
    return {"meeting_id": item.meeting_id, "body_id": m.body_id, "title": item.title,
            "part": item.part, "item_action": item.action,
            "starts_at": m.starts_at.isoformat(), **extra}


def _drafted(uow: UnitOfWork, item: AgendaItemRow, m: MeetingRow,
             report_id: int | None = None) -> None:
    assert item.id is not None
    uow.emit(ItemDrafted(item_id=item.id, report_id=report_id, **_data(item, m)))


def move(uow: UnitOfWork, item: AgendaItemRow, trigger: str,
         facts: Mapping[str, Any] | None = None, **extra: Any) -> str:
    """Fire ``trigger`` on the item through the workflow engine."""
    m = common.meeting(uow.session, item.meeting_id)
    return fire(uow, item, WORKFLOW, trigger, facts, event_data=_data(item, m, **extra))


def _next_position(uow: UnitOfWork, meeting_id: int) -> int:
    used = [i.position for i in common.items_of(uow.session, meeting_id)
            if i.position < CLOSING_POSITION]
    return (max(used, default=0) // 10 + 1) * 10


def add(uow: UnitOfWork, meeting_id: int, title: str, *, action: str = "for_decision",
        lead: str = "", report: str = "Written Report", indicative_time: str | None = None,
        duration_minutes: int | None = None, part: int = 1, exempt_paragraph: int | None = None,
        public_interest_reason: str | None = None, cover: Mapping[str, str] | None = None,
        body_text: str = "", appendices: Sequence[Mapping[str, Any]] = (),
        pool_line_id: str | None = None, amount: Decimal | None = None,
        proposal_id: int | None = None, report_id: int | None = None,
        action_text: str = "", checklist: Mapping[str, str] | None = None,
        author: str | None = None) -> AgendaItemRow:
    """A draft item on a scheduled meeting's agenda, before any other business."""
    cfg = uow.config
    m = common.meeting(uow.session, meeting_id)
    if m.status != "scheduled":
        raise RuleRefused("meeting lifecycle", f"{common.describe_meeting(cfg, m)} is "
                          f"{m.status}; add items to a scheduled meeting")
    if not title.strip():
        raise InvalidInput("title: missing; give the item a title as it will appear on the agenda")
    validate_action(action)
    if report not in REPORT_KINDS:
        raise InvalidInput(f"report: {report!r} is not valid; expected one of "
                           f"{', '.join(REPORT_KINDS)}")
    body = cfg.body_by_id(m.body_id)
    validate_exempt(part, exempt_paragraph, public_interest_reason, regime=body.access_regime)
    unknown = sorted(set(cover or {}) - set(COVER_FIELDS))
    if unknown:
        raise InvalidInput(f"cover: {unknown} are not cover-sheet fields; expected "
                           f"{', '.join(COVER_FIELDS)}")
    lines = {ln.id for ln in cfg.pool.line}
    if pool_line_id is not None and pool_line_id != "*" and pool_line_id not in lines:
        raise InvalidInput(f"pool_line: {pool_line_id!r} is not a pool line; expected one of "
                           f"{sorted(lines)}, or '*' for the whole pool")
    if amount is not None:
        check_amount(amount)
    if duration_minutes is not None and not 0 < duration_minutes <= MAX_MINUTES:
        raise InvalidInput(f"minutes: {duration_minutes} is not valid; expected the time "
                           f"allowed in minutes, from 1 to {MAX_MINUTES}")
    if proposal_id is not None:
        get_proposal(uow.session, proposal_id)
    if indicative_time is not None:
        parts = indicative_time.split(":")
        if len(parts) != 2 or not all(p.isdigit() for p in parts) or int(parts[0]) > 23 \
                or int(parts[1]) > 59:
            raise InvalidInput(f"time: {indicative_time!r} is not valid; expected HH:MM")
    appendix_files.check(tuple(appendices))
    apps = [{"title": str(a["title"]), "text": str(a.get("text", ""))} for a in appendices]
    item = AgendaItemRow(
        meeting_id=meeting_id, title=title.strip(), action=action,
        action_text=check_wording(action_text), checklist=check_answers(checklist or {}),
        lead=lead, report=report, author=author or None,
        indicative_time=indicative_time, duration_minutes=duration_minutes, part=part,
        exempt_paragraph=exempt_paragraph, public_interest_reason=public_interest_reason,
        cover={k: str((cover or {}).get(k, "")) for k in COVER_FIELDS}, body_text=body_text,
        appendices=apps, pool_line_id=pool_line_id, amount=amount, proposal_id=proposal_id,
        report_id=report_id, position=_next_position(uow, meeting_id))
    uow.session.add(item)
    uow.session.flush()
    assert item.id is not None
    if any(a.get("pdf") is not None for a in appendices):
        item.appendices = [appendix_files.store(uow, item.id, n, a)
                           if a.get("pdf") is not None else apps[n - 1]
                           for n, a in enumerate(appendices, start=1)]
        uow.session.add(item)
    if item.report_id is None:
        item.report_id = item.id
    _drafted(uow, item, m)
    return item


def _consent(uow: UnitOfWork, item: AgendaItemRow, kind: str, by: str, reason: str,
             on: date) -> None:
    assert item.id is not None
    uow.session.add(UrgencyConsentRow(item_id=item.id, kind=kind, consented_by=by,
                                      reason=reason, given_on=on, recorded_at=uow.now))


def _check_consent_by(uow: UnitOfWork, m: MeetingRow, by: str | None) -> None:
    if by is None:
        return
    common.member(uow.config, by, m.body_id)
    body = uow.config.body_by_id(m.body_id)
    chairs = {c for c in (*body.chair_rotation, body.chair, body.vice_chair) if c}
    if by not in chairs:
        raise RuleRefused(regime_of(body).urgency_rule,
                          f"urgency consent is the chair's to give; {by} is not a chair, "
                          f"co-chair or vice-chair of {body.name} ({', '.join(sorted(chairs))})")


def submit(uow: UnitOfWork, item_id: int, *, submitted_by: str,
           submitted_on: date | None = None, urgency_reason: str | None = None,
           chair_consent_by: str | None = None) -> AgendaItemRow:
    """Notify the item to the secretary. After the meeting's item deadline it needs the chair's
    consent and the special circumstances (LGA 1972 s100B(4)), recorded for the minutes."""
    item = common.item(uow.session, item_id)
    m = common.meeting(uow.session, item.meeting_id)
    on = submitted_on or common.local_day(uow.config, uow.now)
    _check_consent_by(uow, m, chair_consent_by)
    check_cover(item)
    facts = {"submitted_on": on.isoformat(), "urgency_reason": urgency_reason,
             "chair_consent_by": chair_consent_by}
    late = m.item_deadline is not None and on > m.item_deadline
    move(uow, item, "submitted", facts, late=late, submitted_by=submitted_by,
         item_deadline=m.item_deadline.isoformat() if m.item_deadline else None)
    item.submitted_by, item.submitted_at, item.late = submitted_by, uow.now, late
    if late and chair_consent_by and urgency_reason:
        item.urgency_reason, item.urgency_consent_by = urgency_reason, chair_consent_by
        _consent(uow, item, "late_item", chair_consent_by, urgency_reason, on)
    uow.session.add(item)
    uow.session.flush()
    return item


COVER_QUESTIONS = {
    "decisions_required": "What decisions do you require?",
    "key_points": "the key points of the report",
    "impacts": "the likely impacts and implications",
    "sponsor": "the sponsor",
    "presenter": "who presents it",
}


def check_cover(item: AgendaItemRow) -> None:
    """A written report is submitted with its cover sheet's required fields filled in."""
    if item.standing is not None or item.report != "Written Report":
        return
    missing = [f for f in COVER_REQUIRED if not str((item.cover or {}).get(f, "")).strip()]
    if missing:
        named = "; ".join(f"{f} ({COVER_QUESTIONS[f]})" for f in missing)
        raise InvalidInput(f"cover: {common.describe_item(item)} cannot be submitted without "
                           f"its cover sheet's required fields; missing: {named}. Fill them "
                           "in (`s75 item add` --decisions, --key-points, --impacts, "
                           "--sponsor, --presenter) and submit again")


def accept(uow: UnitOfWork, item_id: int) -> AgendaItemRow:
    item = common.item(uow.session, item_id)
    move(uow, item, "accepted")
    return item


def return_to_lead(uow: UnitOfWork, item_id: int, reason: str) -> AgendaItemRow:
    item = common.item(uow.session, item_id)
    move(uow, item, "returned", {"reason": reason})
    return item


def publish(uow: UnitOfWork, item_id: int, *, published_on: date | None = None,
            urgency_reason: str | None = None,
            chair_consent_by: str | None = None) -> AgendaItemRow:
    """Open the item to inspection with the agenda; after the clear-days deadline only with the
    chair's urgency consent (LGA 1972 s100B(4); PBAMA 1960 s1(4) for NHS boards)."""
    item = common.item(uow.session, item_id)
    m = common.meeting(uow.session, item.meeting_id)
    on = published_on or common.local_day(uow.config, uow.now)
    _check_consent_by(uow, m, chair_consent_by)
    facts = {"published_on": on.isoformat(), "urgency_reason": urgency_reason,
             "chair_consent_by": chair_consent_by}
    if chair_consent_by and urgency_reason and not item.urgency_consent_by:
        # Recorded before the move so the item.published handlers see an urgent item (its
        # supplement); a refused move rolls the whole action back.
        item.urgency_reason, item.urgency_consent_by, item.late = (urgency_reason,
                                                                   chair_consent_by, True)
        _consent(uow, item, "late_item", chair_consent_by, urgency_reason, on)
        uow.session.add(item)
    move(uow, item, "published", facts)
    return item


def publish_meeting(uow: UnitOfWork, meeting_id: int, *, published_on: date | None = None,
                    automatic: bool = False) -> list[Item]:
    """Publish the agenda: every accepted item of the meeting (standing business included),
    then raise :class:`MeetingPublished`, which stores the packs, queues the members' emails
    and meets the publication deadline. The same step whether a secretary publishes or the
    scheduler does at the deadline (``automatic``)."""
    m = common.meeting(uow.session, meeting_id)
    if m.status != "scheduled":
        raise RuleRefused("meeting lifecycle", f"{common.describe_meeting(uow.config, m)} is "
                          f"{m.status}; only a scheduled meeting's agenda is published")
    on = published_on or common.local_day(uow.config, uow.now)
    # Each accepted item as publish() would move it (no urgency consent: the guards decide),
    # as one set: read as plain rows (workflows/committee/item_rows.py), one versioned UPDATE,
    # their audit events in one batch (workflows/committee/bulk.py).
    out = item_rows.accepted(uow.session, meeting_id)
    facts = {"published_on": on.isoformat(), "urgency_reason": None, "chair_consent_by": None}
    fire_all(uow, out, WORKFLOW, "published", facts, lambda item: _data(item, m))
    uow.emit(MeetingPublished(meeting_id=meeting_id, body_id=m.body_id,
                              starts_at=m.starts_at.isoformat(), published_on=on.isoformat(),
                              items=[i.id for i in out if i.id is not None],
                              automatic=automatic))
    return out


def withdraw(uow: UnitOfWork, item_id: int, reason: str) -> AgendaItemRow:
    item = common.item(uow.session, item_id)
    if item.standing:
        raise RuleRefused("standing business", f"{common.describe_item(item)} is standing "
                          "business every agenda carries; it cannot be withdrawn")
    move(uow, item, "withdrawn", {"reason": reason})
    return item


_COPY = ("title", "action", "action_text", "checklist", "lead", "report", "duration_minutes",
         "part",
         "exempt_paragraph", "public_interest_reason", "cover", "body_text", "appendices",
         "pool_line_id", "amount", "proposal_id", "report_id")


def copy_to(uow: UnitOfWork, item: AgendaItemRow, meeting: MeetingRow, *,
            state: str = "accepted", **changes: Any) -> AgendaItemRow:
    """A new item on ``meeting`` carrying ``item``'s report (same report_id)."""
    assert meeting.id is not None
    values = {k: getattr(item, k) for k in _COPY}
    values.update(changes)
    new = AgendaItemRow(meeting_id=meeting.id, state=state, carried_from_item_id=item.id,
                        position=_next_position(uow, meeting.id), **values)
    uow.session.add(new)
    uow.session.flush()
    return new


def defer_item(uow: UnitOfWork, item: AgendaItemRow, reason: str) -> AgendaItemRow | None:
    """Defer the item: it goes onto the body's next scheduled meeting as an accepted item (None
    when no later meeting is scheduled: the secretary places it when one is)."""
    m = common.meeting(uow.session, item.meeting_id)
    later = common.meetings_after(uow.session, m.body_id, m.starts_at)
    new = copy_to(uow, item, later[0]) if later else None
    if new is not None:
        item.deferred_to_item_id = new.id
        uow.session.add(item)
    move(uow, item, "deferred", {"reason": reason},
         to_meeting_id=later[0].id if later else None, to_item_id=new.id if new else None,
         to_starts_at=later[0].starts_at.isoformat() if later else None)
    return new


def defer(uow: UnitOfWork, item_id: int, reason: str) -> AgendaItemRow | None:
    item = common.item(uow.session, item_id)
    if not reason.strip():
        raise InvalidInput("reason: missing; say why the item is deferred (it is minuted)")
    return defer_item(uow, item, reason)


def route(uow: UnitOfWork, item_id: int, meeting_id: int, *,
          action: str = "to_note", decisions: str | None = None,
          wording: str = "") -> AgendaItemRow:
    """Send the same report to another meeting (another body or date), for information
    (to_note) or for decision there; the new item starts as a draft and is submitted there.
    It takes its own action and the decisions required of the receiving meeting (``decisions``;
    a report the source took to note needs them stated before it goes for decision)."""
    item = common.item(uow.session, item_id)
    if item.standing:
        raise RuleRefused("routing reports", f"{common.describe_item(item)} is standing "
                          f"business ({item.standing}) of its own meeting; standing items are "
                          "on every agenda and cannot be routed; route a business item (a "
                          "report)")
    target = common.meeting(uow.session, meeting_id)
    if target.status != "scheduled":
        raise RuleRefused("meeting lifecycle", f"{common.describe_meeting(uow.config, target)} "
                          f"is {target.status}; route the report to a scheduled meeting")
    validate_action(action)
    cover = dict(item.cover or {})
    given = (decisions or "").strip()
    if given:
        cover["decisions_required"] = given
    elif action == "to_note":
        cover["decisions_required"] = "To note the report."
    elif item.action == "to_note" or not str(cover.get("decisions_required") or "").strip():
        body = uow.config.body_by_id(target.body_id)
        raise InvalidInput(f"--decisions: missing; {common.describe_item(item)} went to its "
                           f"meeting {item.action.replace('_', ' ')} (decisions required: "
                           f"{cover.get('decisions_required') or 'none'!r}); say what the "
                           f"{body.name} is asked to decide, e.g. --decisions 'Approve the "
                           "recommendations'")
    new = copy_to(uow, item, target, state="draft", action=action, action_text=wording,
                  cover=cover)
    new.carried_from_item_id = None
    _drafted(uow, new, target, new.report_id)
    return new
