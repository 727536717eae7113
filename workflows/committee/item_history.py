"""One report's journey (``s75 item history``): every meeting the report went to, how it got
there (added, routed, deferred, referred, referred back after call-in), the action asked, the
outcome and its date, in names. Read only.

The items of one report are linked three ways: they share ``report_id`` (routing, deferral and
referral copies carry it), ``carried_from_item_id`` / ``deferred_to_item_id`` (deferral and
referral), and the ``referral`` rows (``from_item_id`` -> ``to_item_id``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, or_, select

from decisions.agenda_rules import ACTION_LABELS
from decisions.outcomes import OUTCOME_LABELS
from decisions.terms import LocalityConfig
from workflows.committee import common
from workflows.committee.records import CallInRow, ReferralRow
from workflows.committee.tables import AgendaItemRow, DecisionRow, MeetingRow
from workflows.tables import AuditEventRow

STATE_WORDS = {"draft": "not yet submitted", "submitted": "submitted, awaiting acceptance",
               "accepted": "accepted for the agenda", "published": "published, to be taken",
               "considered": "being considered"}


@dataclass(frozen=True)
class Step:
    item_id: int
    meeting_id: int
    body_id: str
    body_name: str
    meeting_date: date
    meeting_status: str
    title: str
    action: str
    arrived: str
    """How the report came to this meeting, in words."""
    outcome: str
    outcome_on: date | None
    decision_id: int | None = None
    referral_id: int | None = None
    call_in: str = ""


def _linked(session: Session, start: AgendaItemRow) -> list[AgendaItemRow]:
    """Every item carrying ``start``'s report, found by report_id and the item links."""
    seen: dict[int, AgendaItemRow] = {}
    todo = [start]
    while todo:
        i = todo.pop()
        if i.id is None or i.id in seen:
            continue
        seen[i.id] = i
        report = i.report_id or i.id
        near = list(session.exec(select(AgendaItemRow).where(or_(
            col(AgendaItemRow.report_id) == report, col(AgendaItemRow.id) == report,
            col(AgendaItemRow.carried_from_item_id) == i.id,
            col(AgendaItemRow.deferred_to_item_id) == i.id))).all())
        linked = [i.carried_from_item_id, i.deferred_to_item_id]
        for r in session.exec(select(ReferralRow).where(or_(
                col(ReferralRow.from_item_id) == i.id, col(ReferralRow.to_item_id) == i.id))):
            linked += [r.from_item_id, r.to_item_id]
        near += [row for row in (session.get(AgendaItemRow, x) for x in linked if x)
                 if row is not None]
        todo.extend(x for x in near if x.id not in seen)
    return list(seen.values())


def _where(cfg: LocalityConfig, session: Session, item_id: int | None) -> str:
    i = session.get(AgendaItemRow, item_id) if item_id else None
    if i is None:
        return "an earlier meeting"
    m = common.meeting(session, i.meeting_id)
    return f"the {cfg.body_by_id(m.body_id).name} on {common.local_day(cfg, m.starts_at):%-d %B %Y}"


def _arrived(cfg: LocalityConfig, session: Session, i: AgendaItemRow,
             by_to: dict[int, ReferralRow], first: bool) -> str:
    r = by_to.get(i.id or 0)
    if r is not None:
        why = {"no_consensus": "no consensus", "delegated_limit": "above its delegated limit"}
        return (f"referred by {_where(cfg, session, r.from_item_id)} "
                f"({why.get(r.rule, r.rule.replace('_', ' '))})")
    if i.submitted_by == "call-in referred back":
        return (f"referred back after call-in, from {_where(cfg, session, i.carried_from_item_id)}"
                " for reconsideration")
    earlier = session.exec(select(AgendaItemRow).where(
        AgendaItemRow.deferred_to_item_id == i.id)).first()
    if earlier is not None:
        return f"deferred from {_where(cfg, session, earlier.id)}"
    if first:
        return "first considered here"
    return "routed (the same report sent on)"


def _moved_on(cfg: LocalityConfig, session: Session, item_id: int, to_state: str) -> date | None:
    row = session.exec(select(AuditEventRow).where(
        AuditEventRow.subject_type == "agenda_item", AuditEventRow.subject_id == str(item_id),
        AuditEventRow.to_state == to_state).order_by(col(AuditEventRow.id).desc())).first()
    return None if row is None else common.local_day(cfg, row.at)


def _outcome(cfg: LocalityConfig, session: Session, i: AgendaItemRow, m: MeetingRow,
             d: DecisionRow | None, refs: list[ReferralRow]) -> tuple[str, date | None]:
    day = common.local_day(cfg, m.starts_at)
    if d is not None:
        words = OUTCOME_LABELS.get(d.outcome, d.outcome.replace("_", " "))
        if d.outcome == "referred" and refs:
            to = ", ".join(f"the {cfg.body_by_id(r.to_body_id).name}" for r in refs)
            words += f" to {to}"
        rule = d.rule_applied.replace("_", " ")
        return f"{words} ({rule})", d.decision_date or day
    if i.state == "deferred":
        nxt = session.get(AgendaItemRow, i.deferred_to_item_id) if i.deferred_to_item_id else None
        to = " (no later meeting scheduled yet)"
        if nxt is not None:
            later = common.meeting(session, nxt.meeting_id)
            to = f" to {common.local_day(cfg, later.starts_at):%-d %B %Y}"
        return f"Deferred{to}", day
    if i.state == "withdrawn":
        return "Withdrawn", _moved_on(cfg, session, i.id or 0, "withdrawn")
    return f"Pending: {STATE_WORDS.get(i.state, i.state)}", None


def _call_in(session: Session, cfg: LocalityConfig, d: DecisionRow | None) -> str:
    if d is None:
        return ""
    c = session.exec(select(CallInRow).where(CallInRow.decision_id == d.id)).first()
    if c is None:
        return "exempt from call-in (urgency)" if d.call_in_state == "exempt" else ""
    words = f"called in {c.requested_on:%-d %B %Y}"
    if c.outcome != "pending" and c.resolved_on is not None:
        words += f", {c.outcome.replace('_', ' ')} {c.resolved_on:%-d %B %Y}"
    return words


def history(session: Session, cfg: LocalityConfig, item_id: int) -> list[Step]:
    """Every meeting ``item_id``'s report went to, earliest meeting first."""
    start = common.item(session, item_id)  # NotFound naming the ids
    rows = _linked(session, start)
    meetings = {i.id: common.meeting(session, i.meeting_id) for i in rows}
    rows.sort(key=lambda i: (meetings[i.id].starts_at, i.id or 0))
    ids = [i.id for i in rows]
    refs = list(session.exec(select(ReferralRow).where(or_(
        col(ReferralRow.from_item_id).in_(ids), col(ReferralRow.to_item_id).in_(ids)))).all())
    by_to = {r.to_item_id: r for r in refs if r.to_item_id is not None}
    out = []
    for n, i in enumerate(rows):
        m = meetings[i.id]
        d = session.exec(select(DecisionRow).where(DecisionRow.item_id == i.id)
                         .order_by(col(DecisionRow.id).desc())).first()
        mine = [r for r in refs if r.from_item_id == i.id]
        outcome, on = _outcome(cfg, session, i, m, d, mine)
        out.append(Step(
            i.id or 0, m.id or 0, m.body_id, cfg.body_by_id(m.body_id).name,
            common.local_day(cfg, m.starts_at), m.status, i.title,
            ACTION_LABELS.get(i.action, i.action), _arrived(cfg, session, i, by_to, n == 0),
            outcome, on, d.id if d is not None else None,
            mine[0].id if mine else None, _call_in(session, cfg, d)))
    return out
