"""Plain data for the staff pages: the bodies a principal clerks, their meetings with each
deadline's RAG status, and one meeting's workspace (every item, Part 2 included: staff only)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from decisions.principals import SECRETARY, VIEWER, Principal, permits
from decisions.terms import LocalityConfig
from notifications.tables import DeadlineRow
from s75.web.formats import clock, short_day_time
from workflows.actions import body_scope
from workflows.committee import clearance, common
from workflows.committee.records import AttendanceRow, MinutesRow, MinuteTextRow
from workflows.committee.tables import AgendaItemRow, MeetingRow

AMBER = timedelta(days=3)
"""A pending deadline this close is amber."""


@dataclass(frozen=True)
class Deadline:
    title: str
    due: str
    state: str
    rag: str
    """red (missed, or overdue), amber (due within 3 days), green (met, or further off)."""
    words: str


@dataclass(frozen=True)
class MeetingSummary:
    id: int
    body: str
    when: str
    status: str
    deadlines: tuple[Deadline, ...]


@dataclass(frozen=True)
class Workspace:
    meeting: MeetingSummary
    body_id: str
    items: tuple[AgendaItemRow, ...]
    attendance: tuple[tuple[str, str], ...]
    members: tuple[tuple[str, str], ...]
    other_meetings: tuple[tuple[int, str], ...]
    business: tuple[int, ...] = ()
    """The business items' ids in agenda order (for the up/down buttons)."""
    clearance: dict[int, str] = field(default_factory=dict)
    """Where each item's officer clearance stands, in words (items needing none: absent)."""
    minutes: dict[int, str] = field(default_factory=dict)
    """The minute text written for each item (held meetings)."""
    authors: tuple[tuple[str, str], ...] = ()
    minutes_state: str | None = None
    """The meeting's minutes: draft | approved | signed; None before it is held."""


def rag(d: DeadlineRow, now: datetime) -> tuple[str, str]:
    if d.state == "missed" or (d.state == "pending" and d.due_at < now):
        return "red", "Missed" if d.state == "missed" else "Overdue"
    if d.state == "pending" and d.due_at - now <= AMBER:
        return "amber", "Due soon"
    return "green", {"met": "Met", "waived": "Waived"}.get(d.state, "On track")


def clerked(cfg: LocalityConfig, p: Principal) -> list[str]:
    """The bodies ``p`` is secretary of (an admin who clerks none: every body)."""
    return [b.id for b in cfg.body if b.id in p.secretary_of or (
        not p.secretary_of and permits(p, SECRETARY, body_scope(cfg, b.id, b.id)))]


def _when(cfg: LocalityConfig, m: MeetingRow) -> str:
    local = m.starts_at.astimezone(cfg.zone)
    return f"{local:%-d %B %Y}, {clock(local)}"


def summary(session: Session, cfg: LocalityConfig, m: MeetingRow, now: datetime,
            deadlines: Sequence[DeadlineRow] | None = None) -> MeetingSummary:
    """A meeting with its deadlines (``deadlines``: already fetched, as :func:`dashboard`
    does for all its meetings at once)."""
    rows = deadlines if deadlines is not None else session.exec(
        select(DeadlineRow).where(DeadlineRow.meeting_id == m.id)
        .order_by(col(DeadlineRow.due_at))).all()
    lines = []
    for d in rows:
        colour, words = rag(d, now)
        lines.append(Deadline(d.title, short_day_time(d.due_at.astimezone(cfg.zone)),
                              d.state, colour, words))
    assert m.id is not None
    return MeetingSummary(m.id, cfg.body_by_id(m.body_id).name, _when(cfg, m), m.status,
                          tuple(lines))


def dashboard(session: Session, cfg: LocalityConfig, p: Principal, now: datetime
              ) -> list[tuple[str, list[MeetingSummary]]]:
    """Each body ``p`` clerks with its meetings from 60 days ago on (at most 12), and their
    deadlines in one query for all of them (a query per body, not per meeting)."""
    listed = []
    for body_id in clerked(cfg, p):
        listed.append((body_id, session.exec(select(MeetingRow).where(
            MeetingRow.body_id == body_id, col(MeetingRow.starts_at) >= now - timedelta(60))
            .order_by(col(MeetingRow.starts_at)).limit(12)).all()))
    ids = [m.id for _, ms in listed for m in ms]
    due: dict[int | None, list[DeadlineRow]] = {i: [] for i in ids}
    for d in session.exec(select(DeadlineRow).where(col(DeadlineRow.meeting_id).in_(ids))
                          .order_by(col(DeadlineRow.due_at))).all() if ids else ():
        due[d.meeting_id].append(d)
    return [(cfg.body_by_id(b).name, [summary(session, cfg, m, now, due[m.id]) for m in ms])
            for b, ms in listed]


def workspace(session: Session, cfg: LocalityConfig, meeting_id: int, now: datetime
              ) -> Workspace:
    m = common.meeting(session, meeting_id)
    names = {x.id: x.name for x in cfg.member}
    att = session.exec(select(AttendanceRow).where(AttendanceRow.meeting_id == meeting_id)).all()
    others = session.exec(select(MeetingRow).where(  # where a report may be routed: the
        MeetingRow.id != meeting_id, MeetingRow.status == "scheduled")  # scheduled ones, not
                          .order_by(col(MeetingRow.starts_at))).all()  # every past meeting
    items = common.items_of(session, meeting_id)
    needs = {i.id: "; ".join(f"{s.kind.capitalize()} {s.state}"
                             for s in clearance.standing(cfg, session, i))
             for i in items if clearance.needed(cfg, session, i)}
    texts = {t.item_id: t.text for t in session.exec(select(MinuteTextRow).where(
        MinuteTextRow.meeting_id == meeting_id)).all()}
    mins = session.exec(select(MinutesRow).where(MinutesRow.meeting_id == meeting_id)).first()
    return Workspace(
        summary(session, cfg, m, now), m.body_id, tuple(items),
        tuple((names.get(a.person, a.person), a.status.replace("_", " ")) for a in att),
        tuple((x.id, x.name) for x in cfg.member),
        tuple((o.id, f"{cfg.body_by_id(o.body_id).name}, {_when(cfg, o)}") for o in others
              if o.id is not None),
        tuple(i.id for i in items if i.standing is None and i.id is not None),
        {k: v for k, v in needs.items() if k is not None}, texts,
        tuple((x.id, x.display) for x in cfg.member if "report_author" in x.roles),
        mins.state if mins is not None else None)


@dataclass(frozen=True)
class RuleCheck:
    """The rules a decision on an item meets as things stand (read only, nothing written)."""

    item: AgendaItemRow
    ok: bool
    lines: tuple[str, ...]


def rule_check(session: Session, cfg: LocalityConfig, item_id: int) -> RuleCheck:
    """What the decide form would meet now: the pipeline's own check (published, attendance
    recorded), then quorum for the item with those who may not take part left out (their
    declared interests), and the body's decision rule; the words are the refusals'."""
    from decisions.errors import RuleRefused
    from decisions.interests import excluded_from_item
    from decisions.quorum import quorum_for_item
    from workflows.committee import attendance, interests
    from workflows.committee.decide import check_decidable
    from workflows.events import UnitOfWork

    item = common.item(session, item_id)
    m = common.meeting(session, item.meeting_id)
    body = cfg.body_by_id(m.body_id)
    lines: list[str] = []
    uow = UnitOfWork(session, cfg, m.starts_at, VIEWER)  # reads only: nothing is emitted
    try:
        check_decidable(uow, item, m)
    except RuleRefused as exc:
        return RuleCheck(item, False, (str(exc),))
    present = attendance.attendees(session, m.id or 0)
    excluded = excluded_from_item(interests.as_declarations(
        interests.declarations_for(session, item_id)))
    q = quorum_for_item(body, cfg, present, excluded)
    names = {x.id: x.display for x in cfg.member}
    if excluded:
        lines.append("Not taking part (declared interests): "
                     + ", ".join(names.get(x, x) for x in sorted(excluded)))
    lines.append(f"Quorum for this item: {q.explain()}. The body's quorum: at least "
                 f"{body.quorum.min_members} members, "
                 f"{body.quorum.min_per_partner} from each partner.")
    if not q.quorate:
        lines.append("Recording a decision now defers the item to the next meeting for want "
                     "of a quorum.")
    rule = f"Decision rule: {body.decision_rule.replace('_', ' ')}"
    if body.decision_rule == "consensus":
        rule += ("; an objection refers the decision to the previously responsible body"
                 if body.on_no_consensus == "refer" else "; an objection means no decision")
    lines.append(rule + ".")
    return RuleCheck(item, q.quorate, tuple(lines))
