"""View models from the database: what a document shows about a meeting, a decision, a body.

Reads only; every function takes the session and the config and returns a plain view model
(views.py). Numbering: the agenda numbers items 1, 2, ... in position order; items that reached
members after publication with the chair's urgency consent go in a supplement and take the
numbers after the main agenda's, so their paragraph numbers follow on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from decisions.access import body_contact, is_exempt, meets_under, regime_of
from decisions.agenda_rules import ACTION_LABELS
from decisions.errors import NotFound
from decisions.terms import LocalityConfig
from notifications.documents import minutes_gather
from notifications.documents.publication import chair_of_the_day, clock_text, first_publication
from notifications.documents.reports import (
    is_followed,
    is_supplementary,
    is_urgent_late,
    report_view,
)
from notifications.documents.views import (
    ActionLogView,
    ActionView,
    AgendaEntry,
    AgendaView,
    DecisionNoticeView,
    ForwardPlanEntry,
    ForwardPlanView,
    GatewayCell,
    GatewayProposal,
    GatewayReportView,
    MinutesView,
    NextMeeting,
    OpenCondition,
    PackView,
    SupplementView,
)
from workflows.committee.records import (
    ActionRow,
    DeclarationRow,
    KeyDecisionRow,
)
from workflows.committee.tables import AgendaItemRow, DecisionRow, ItemAppendixRow, MeetingRow
from workflows.proposal.rules import MonthStatus

MANAGED_TEXT = {
    "left_room": "Left the room for the item and took no part in the discussion or vote",
    "no_vote": "Remained in the room, took no part in the vote and did not count towards "
               "the quorum",
    "took_part": "Took part",
}
RULE_TEXT = {
    "consensus": "Consensus: no member entitled to take part objected",
    "majority": "Majority vote",
    "one_vote_per_partner": "One vote per partner",
    "no_consensus": "Referral: consensus was not reached",
    "delegated_limit": "Referral: the amount is above the body's delegated limit",
    "quorum": "Deferral for want of quorum",
    "no_quorum": "Deferral for want of quorum",
}
SKIP_STATES = ("withdrawn", "draft")


def _tz(cfg: LocalityConfig) -> ZoneInfo:
    return cfg.zone


def _member(cfg: LocalityConfig, member_id: str | None) -> str:
    if not member_id:
        return ""
    try:
        return cfg.member_by_id(member_id).display
    except (StopIteration, NotFound):
        return member_id


def _partner(cfg: LocalityConfig, partner_id: str | None) -> str:
    try:
        return cfg.partner_by_id(partner_id or "").name
    except StopIteration:
        return partner_id or ""


def meeting(session: Session, meeting_id: int) -> MeetingRow:
    m = session.get(MeetingRow, meeting_id)
    if m is None:
        raise NotFound(f"meeting {meeting_id} does not exist; list meetings with "
                       "`s75 meeting list`")
    return m


def _items(session: Session, meeting_id: int) -> list[AgendaItemRow]:
    rows = session.exec(select(AgendaItemRow).where(AgendaItemRow.meeting_id == meeting_id)
                        .order_by(col(AgendaItemRow.position), col(AgendaItemRow.id))).all()
    return [r for r in rows if r.state not in SKIP_STATES and r.deferred_to_item_id is None]


def numbering(items: Sequence[AgendaItemRow]) -> dict[int, str]:
    """Main agenda first (reports to follow keep their place), then urgent late items,
    numbered on from the main agenda."""
    main = [i for i in items if not is_urgent_late(i)]
    late = [i for i in items if is_urgent_late(i)]
    return {i.id or 0: str(n) for n, i in enumerate(main + late, start=1)}


def _interests(session: Session, meeting_id: int, member_id: str | None) -> dict[int, str]:
    if member_id is None:
        return {}
    rows = session.exec(select(DeclarationRow).where(
        DeclarationRow.meeting_id == meeting_id, DeclarationRow.member_id == member_id)).all()
    return {d.item_id: f"{d.nature.replace('_', '-').capitalize()}: {d.description}"
            for d in rows}


def agenda_view(session: Session, cfg: LocalityConfig, meeting_id: int, *,
                member_id: str | None = None) -> AgendaView:
    m = meeting(session, meeting_id)
    body = cfg.body_by_id(m.body_id)
    items = _items(session, meeting_id)
    numbers = numbering(items)
    interests = _interests(session, meeting_id, member_id)
    entries = tuple(AgendaEntry(
        numbers[i.id or 0], i.title, "Report to follow" if i.report == "To follow" else i.report,
        i.action_text or ACTION_LABELS.get(i.action, i.action),
        clock_text(i.indicative_time), i.lead, i.part, i.exempt_paragraph,
        i.public_interest_reason or "", (i.id or 0) in interests,
        1 if is_supplementary(i) else None) for i in items)
    tz = _tz(cfg)
    nxt = session.exec(select(MeetingRow).where(
        MeetingRow.body_id == m.body_id, MeetingRow.status == "scheduled",
        col(MeetingRow.starts_at) > m.starts_at).order_by(col(MeetingRow.starts_at))).first()
    contact = body.secretary_email or cfg.locality.secretary_email
    next_meeting = None
    if nxt is not None:
        deadline = nxt.item_deadline or (nxt.starts_at.astimezone(tz).date()
                                         - timedelta(days=14))
        next_meeting = NextMeeting(nxt.starts_at.astimezone(tz), nxt.venue, deadline, contact)
    chair = _member(cfg, chair_of_the_day(session, cfg, m)) or (
        "no chair available: every chair and vice-chair has sent apologies")
    published = first_publication(session, meeting_id)
    regime = meets_under(body)
    return AgendaView(
        body.name, cfg.locality.name, m.starts_at.astimezone(tz), m.venue, chair, entries,
        next_meeting, contact=body_contact(cfg, body),
        published_on=None if published is None else published.on,
        member_name=_member(cfg, member_id) if member_id else None, access_note=regime,
        regime=regime_of(body).id)


def _has_report(item: AgendaItemRow) -> bool:
    """A report to bind into the pack (none while it is "to follow")."""
    return item.standing is None and item.report != "To follow" and (
        bool(item.body_text.strip()) or bool(item.cover))


def pack_view(session: Session, cfg: LocalityConfig, meeting_id: int, *, public: bool = False,
              member_id: str | None = None) -> PackView:
    agenda = agenda_view(session, cfg, meeting_id, member_id=member_id)
    items = _items(session, meeting_id)
    numbers = numbering(items)
    interests = _interests(session, meeting_id, member_id)
    reports = tuple(report_view(cfg, i, numbers[i.id or 0], interests.get(i.id or 0, ""),
                                agenda.regime, _pdf_loader(session))
                    for i in items if _has_report(i) and not is_supplementary(i))
    return PackView(agenda, reports, public=public, member_name=agenda.member_name)


def _pdf_loader(session: Session) -> Callable[[int], bytes]:
    def load(appendix_id: int) -> bytes:
        row = session.get(ItemAppendixRow, appendix_id)
        return row.content if row is not None else b""
    return load


def has_supplement(session: Session, meeting_id: int) -> bool:
    return any(is_supplementary(i) and _has_report(i) for i in _items(session, meeting_id))


def supplement_contents(session: Session, meeting_id: int) -> str:
    """What the supplement carries, for the email that sends it."""
    late = [i for i in _items(session, meeting_id) if is_supplementary(i) and _has_report(i)]
    parts = []
    if any(is_followed(i) for i in late):
        parts.append("reports listed on the agenda as to follow")
    if any(is_urgent_late(i) for i in late):
        parts.append("reports accepted after the agenda with the chair's consent to their "
                     "being considered as a matter of urgency")
    return " and ".join(parts)


def supplement_view(session: Session, cfg: LocalityConfig, meeting_id: int, *,
                    first_page: int, public: bool = False,
                    member_id: str | None = None) -> SupplementView:
    agenda = agenda_view(session, cfg, meeting_id, member_id=member_id)
    items = _items(session, meeting_id)
    numbers = numbering(items)
    late = [i for i in items if is_supplementary(i) and _has_report(i)]
    if not late:
        raise NotFound("this meeting has no supplementary items: a supplement carries reports "
                       "listed to follow and since supplied, and reports "
                       "accepted after publication with the chair's urgency consent")
    interests = _interests(session, meeting_id, member_id)
    from dataclasses import replace
    entries = tuple(e for e in agenda.entries if e.supplement)
    reports = tuple(report_view(cfg, i, numbers[i.id or 0], interests.get(i.id or 0, ""),
                                agenda.regime, _pdf_loader(session))
                    for i in late)
    urgent = [i for i in late if is_urgent_late(i)]
    consent = "; ".join(sorted({f"{i.urgency_reason}" for i in urgent if i.urgency_reason}))
    followed = tuple(numbers[i.id or 0] for i in late if is_followed(i))
    return SupplementView(1, replace(agenda, entries=entries), reports, first_page,
                          _member(cfg, urgent[0].urgency_consent_by) if urgent else "",
                          consent or ("not stated" if urgent else ""), public=public,
                          member_name=agenda.member_name, urgent=len(urgent),
                          followed=followed)


def _rule(d: DecisionRow, body_rule: str) -> str:
    base = RULE_TEXT.get(d.rule_applied, d.rule_applied.replace("_", " ").capitalize())
    explanation = str(d.details.get("explanation", "")).strip() if d.details else ""
    if not explanation or explanation.rstrip(".").casefold() == base.casefold():
        return base  # "Noted", not "Noted. Noted."
    return f"{base}. {explanation}"


def minutes_view(session: Session, cfg: LocalityConfig, meeting_id: int) -> MinutesView:
    """The minutes: built in minutes_gather.py (every item in agenda order, in names)."""
    return minutes_gather.minutes_view(session, cfg, meeting_id)


def notice_view(session: Session, cfg: LocalityConfig, decision_id: int,
                now: datetime) -> DecisionNoticeView:
    """The decision notice: built in minutes_gather.py."""
    return minutes_gather.notice_view(session, cfg, decision_id, now)


def action_log_view(session: Session, cfg: LocalityConfig, body_id: str,
                    as_of: date) -> ActionLogView:
    body = cfg.body_by_id(body_id)
    rows = session.exec(select(ActionRow).where(ActionRow.body_id == body_id)
                        .order_by(col(ActionRow.due_on), col(ActionRow.id))).all()
    found = {i.id: i for i in session.exec(select(AgendaItemRow).where(
        col(AgendaItemRow.id).in_([r.item_id for r in rows if r.item_id]))).all()} if rows else {}
    none = AgendaItemRow(meeting_id=0, title="", part=1)
    return ActionLogView(body.name, cfg.locality.name, as_of, tuple(
        ActionView(f"A{r.id}", (item := found.get(r.item_id, none)).title,
                   r.description, _member(cfg, r.owner) if r.owner else "", r.due_on, r.status,
                   r.closing_note, part=item.part,
                   exempt_paragraph=item.exempt_paragraph if is_exempt(item) else None)
        for r in rows), regime=body.access_regime)


def forward_plan_view(session: Session, cfg: LocalityConfig, now: datetime,
                      months: int = 4) -> ForwardPlanView:
    tz = _tz(cfg)
    today = now.astimezone(tz).date()
    rows = session.exec(select(KeyDecisionRow, AgendaItemRow, MeetingRow)
                        .join(AgendaItemRow, col(AgendaItemRow.id) == col(KeyDecisionRow.item_id))
                        .join(MeetingRow, col(MeetingRow.id) == col(AgendaItemRow.meeting_id))
                        .where(col(MeetingRow.starts_at) >= now)
                        .order_by(col(MeetingRow.starts_at))).all()
    end = today + timedelta(days=31 * months)
    entries = []
    for key, item, m in rows:
        day = m.starts_at.astimezone(tz).date()
        if day > end or item.state in SKIP_STATES:
            continue
        body = cfg.body_by_id(m.body_id)
        entries.append(ForwardPlanEntry(
            f"FP/{key.id}", item.title, body.name, f"{day:%-d %B %Y}", True,
            (f"Report: {item.title}",),
            f"{cfg.locality.secretary_name}, "
            f"{body.secretary_email or cfg.locality.secretary_email}",
            "Other documents relevant to the matter may be submitted to the decision maker; "
            "ask the contact officer.", key.forward_plan_published_on or today,
            "All wards" if key.wards_affected == 0 else f"{key.wards_affected} wards",
            item.exempt_paragraph if is_exempt(item) else None))
    return ForwardPlanView(cfg.locality.name, f"{today:%B %Y} to {end:%B %Y}", today,
                           tuple(entries), f"Enquiries: {cfg.locality.secretary_email}")


RAG_LABEL = {"green": "Go", "amber": "Go with conditions or pause", "red": "Stop or missed",
             "due": "Due: returns awaited"}


def _cell_label(cfg: LocalityConfig, st: MonthStatus, partners: list[str]) -> str:
    """A month's gateway in words, partners by name, with any return recorded late: "Go",
    "Pause: NHS Bolton CCG", "Missed: no return from Bolton Council", "Due by 31 March 2020:
    awaiting ...", "Go; late: NHS Bolton CCG"."""
    label = _cell_words(cfg, st, partners)
    if st.late:
        label += "; late: " + ", ".join(_partner(cfg, p) for p in st.late)
    return label


def _cell_words(cfg: LocalityConfig, st: MonthStatus, partners: list[str]) -> str:
    def who(decision: str) -> str:
        return ", ".join(_partner(cfg, p) for p, d in st.returns.items() if d == decision)
    missing = ", ".join(_partner(cfg, p) for p in partners if p not in st.returns)
    if "stop" in st.returns.values():
        return f"Stop: {who('stop')}"
    if st.rag == "red":
        return f"Missed: no return from {missing}" if st.returns else "Missed: no gateway held"
    if st.rag == "due":
        return f"Due: awaiting {missing}"
    if "pause" in st.returns.values():
        return f"Pause: {who('pause')}"
    if st.rag == "amber":
        return f"Go with conditions: {who('go_with_conditions')}"
    return "Go"


def gateway_view(session: Session, cfg: LocalityConfig, now: datetime) -> GatewayReportView:
    from workflows.proposal.queries import gateway_status, open_conditions
    from workflows.tables import ProposalRow

    today = now.astimezone(_tz(cfg)).date()
    proposals = session.exec(select(ProposalRow).order_by(col(ProposalRow.id))).all()
    statuses = {p.id: gateway_status(session, p.id or 0, today) for p in proposals}
    months = sorted({s.month for ss in statuses.values() for s in ss})
    out = []
    for p in proposals:
        by_month = {s.month: s for s in statuses[p.id]}
        cells = tuple(
            GatewayCell(f"{mo:%b %Y}", "grey", "No gateway") if mo not in by_month else
            GatewayCell(f"{mo:%b %Y}", "grey" if by_month[mo].rag == "due"  # type: ignore[arg-type]
                        else by_month[mo].rag,
                        _cell_label(cfg, by_month[mo], [x.id for x in cfg.pooling_partners]))
            for mo in months)
        conds = tuple(OpenCondition(c.text, _member(cfg, c.owner_id), c.due,
                                    _partner(cfg, c.partner_id))
                      for c in open_conditions(session, p.id or 0))
        out.append(GatewayProposal(f"P-{p.id}", p.title, p.state.replace("_", " "), cells,
                                   conds))
    return GatewayReportView(cfg.locality.name, today, tuple(f"{m:%b %Y}" for m in months),
                             tuple(out))
