"""The minutes and the decision notice from the database: every agenda item minuted in agenda
order (standing business included), numbered per body per year, each outcome in its own words
(decisions/outcomes.py) and every person by name, never by id."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

from sqlmodel import Session, col, select

from decisions.access import body_contact, decision_record_basis, is_exempt, regime_of
from decisions.errors import NotFound
from decisions.outcomes import DecisionFacts, Destination, account, day, names, resolution
from decisions.outcomes import deferred as deferred_words
from decisions.outcomes import minute_number as format_number
from decisions.outcomes import withdrawn as withdrawn_words
from decisions.terms import Body, LocalityConfig
from notifications.documents import minutes_trail
from notifications.documents.call_in_views import call_in_facts
from notifications.documents.config_views import terms_view
from notifications.documents.meeting_views import declared_sentences
from notifications.documents.publication import clock_text
from notifications.documents.views import (
    Attendee,
    DecisionNoticeView,
    DeclarationView,
    MinuteItem,
    MinutesView,
)
from workflows.committee.corrections import original_of, replacement_ids
from workflows.committee.records import (
    ActionRow,
    AttendanceRow,
    DeclarationRow,
    KeyDecisionRow,
    MinutesRow,
    MinutesVersionRow,
    MinuteTextRow,
    ReferralRow,
)
from workflows.committee.tables import AgendaItemRow, DecisionRow, MeetingRow
from workflows.tables import AuditEventRow

MANAGED_TEXT = {
    "left_room": "left the room for the item and took no part in the discussion or vote",
    "no_vote": "remained in the room, took no part in the vote and did not count towards "
               "the quorum",
    "took_part": "remained and took part",
}
MINUTED_STATES = ("published", "considered", "decided", "deferred")


def person(cfg: LocalityConfig, member_id: str | None) -> str:
    """A member as a person reads them ("Cllr Jane Smith, Leader of the Council")."""
    if not member_id:
        return ""
    for m in cfg.member:
        if m.id == member_id:
            return m.display
    return member_id  # a name typed for someone in attendance who is not a member


def _local(cfg: LocalityConfig, m: MeetingRow) -> date:
    return m.local_date or m.starts_at.astimezone(cfg.zone).date()


def _reason(session: Session, item: AgendaItemRow, state: str) -> tuple[str, str | None]:
    """The reason given when the item moved to ``state``, and the state it came from."""
    row = session.exec(select(AuditEventRow).where(
        AuditEventRow.subject_id == str(item.id), AuditEventRow.to_state == state,
        col(AuditEventRow.subject_type).contains("item"))
        .order_by(col(AuditEventRow.id).desc())).first()
    if row is None:
        return "", None
    facts = (row.payload or {}).get("facts") or {}
    return str(facts.get("reason", "")), row.from_state


def minuted_items(session: Session, meeting_id: int) -> list[AgendaItemRow]:
    """Every item that was business of the meeting, in agenda order: standing business, items
    published with the agenda (decided, deferred or not), and items withdrawn after
    publication."""
    rows = session.exec(select(AgendaItemRow).where(AgendaItemRow.meeting_id == meeting_id)
                        .order_by(col(AgendaItemRow.position), col(AgendaItemRow.id))).all()
    def minuted(r: AgendaItemRow) -> bool:
        if r.standing is not None:
            return r.state != "withdrawn"
        if r.state == "withdrawn":
            return _reason(session, r, "withdrawn")[1] in ("published", "considered")
        return r.state in MINUTED_STATES

    out = [r for r in rows if minuted(r)]
    return out


def first_number(session: Session, m: MeetingRow, cfg: LocalityConfig) -> int:
    """Minute numbers run on through the body's year: 1 + the minutes of its earlier held
    meetings that calendar year."""
    year = _local(cfg, m).year
    earlier = session.exec(select(MeetingRow).where(
        MeetingRow.body_id == m.body_id, MeetingRow.status == "held",
        col(MeetingRow.starts_at) < m.starts_at)).all()
    return 1 + sum(len(minuted_items(session, e.id or 0)) for e in earlier
                   if _local(cfg, e).year == year)


def numbers(session: Session, cfg: LocalityConfig, m: MeetingRow,
            items: list[AgendaItemRow]) -> dict[int, str]:
    body = cfg.body_by_id(m.body_id)
    start, year = first_number(session, m, cfg), _local(cfg, m).year
    return {i.id or 0: format_number(body.minute_number, code=body.short_code, year=year,
                                     n=start + k) for k, i in enumerate(items)}


def terms_paragraph(cfg: LocalityConfig, body: Body, rule: str) -> str:
    """The paragraph of the body's published terms of reference (config_views.terms_view)
    that a referral rests on, e.g. "5.2"."""
    heading, start = (("Delegation", ("",)) if rule == "delegated_limit"
                      else ("Decisions", ("Where consensus is not reached",
                                          "Where a partner does not vote for a matter")))
    for c_no, clause in enumerate(terms_view(cfg, body.id).clauses, start=1):
        if clause.heading != heading:
            continue
        for p_no, text in enumerate(clause.paragraphs, start=1):
            if text.startswith(start):
                return f"{c_no}.{p_no}"
    return ""


def money(value: Decimal | None) -> str:
    return f"£{value:,.0f}" if value is not None else ""


def decision_facts(session: Session, cfg: LocalityConfig, d: DecisionRow) -> DecisionFacts:
    body = cfg.body_by_id(d.body_id or "")
    tally = (d.details or {}).get("tally") or {}
    refs = [session.get(ReferralRow, r) for r in (d.details or {}).get("referrals", [])]
    dests = []
    for r in refs:
        if r is None:
            continue
        to = session.get(MeetingRow, r.to_meeting_id) if r.to_meeting_id else None
        dests.append(Destination(cfg.body_by_id(r.to_body_id).name,
                                 _local(cfg, to) if to else None))
    counts = None
    if "for" in tally:
        counts = (int(tally["for"]), int(tally["against"]), int(tally["abstain"]))
    casting = tally.get("casting_vote")
    partner_votes = tuple((cfg.partner_by_id(p).name, v)
                          for p, v in (tally.get("partner_votes") or {}).items())
    referral_rule = "delegated_limit" if d.rule_applied == "delegated_limit" else "no_consensus"
    return DecisionFacts(
        d.outcome, d.rule_applied, d.text, len(tally.get("eligible", d.details.get("counted", []))),
        tuple(person(cfg, x) for x in tally.get("objections", [])), counts,
        (person(cfg, casting["chair"]), casting["position"]) if casting else None,
        partner_votes, tuple(dests),
        terms_paragraph(cfg, body, referral_rule) if d.outcome in ("referred", "not_approved")
        else "", money(body.delegated_limit))


def _latest_decision(session: Session, item_id: int | None) -> DecisionRow | None:
    return session.exec(select(DecisionRow).where(DecisionRow.item_id == item_id)
                        .order_by(col(DecisionRow.id).desc())).first()


def _deferral(session: Session, cfg: LocalityConfig, i: AgendaItemRow, body: Body) -> str:
    reason, _ = _reason(session, i, "deferred")
    to = None
    if i.deferred_to_item_id:
        new = session.get(AgendaItemRow, i.deferred_to_item_id)
        nm = session.get(MeetingRow, new.meeting_id) if new else None
        to = f"{day(_local(cfg, nm))} of the {body.name}" if nm else None
    quorum = reason.startswith("inquorate")
    why = reason.removeprefix("inquorate for this item: ") if quorum else reason
    return deferred_words(why, for_quorum=quorum, to=to)


def _apologies(cfg: LocalityConfig, att: list[AttendanceRow]) -> tuple[str, ...]:
    sent = [person(cfg, a.member_id or a.person) for a in att if a.status == "apologies"]
    subs = [f"{person(cfg, a.member_id)} attended as substitute for "
            f"{person(cfg, a.substitute_for)}." for a in att if a.substitute_for]
    first = (f"Apologies for absence were received from {names(sent)}." if sent
             else "There were no apologies for absence.")
    return (first, *subs)


def _previous(session: Session, cfg: LocalityConfig, m: MeetingRow) -> tuple[str, ...]:
    rows = session.exec(select(MinutesRow).where(
        MinutesRow.approved_at_meeting_id == m.id)).all()
    out = []
    for r in rows:
        prev = session.get(MeetingRow, r.meeting_id)
        when = day(_local(cfg, prev)) if prev else "an earlier date"
        signed = (f" and signed by the chair, {person(cfg, r.signed_by)}"
                  if r.signed_by else "")
        if r.amended:
            out.append(f"Resolved: That the minutes of the meeting held on {when} be approved "
                       f"as a correct record, subject to the following amendment: "
                       f"{r.amendments.rstrip('.')}; the minutes were signed{signed[4:]}.")
        else:
            out.append(f"Resolved: That the minutes of the meeting held on {when} be approved "
                       f"as a correct record{signed}.")
    return tuple(out) or ("No minutes of an earlier meeting were submitted for approval.",)


def _matters(session: Session, cfg: LocalityConfig, m: MeetingRow) -> tuple[str, ...]:
    rows = session.exec(select(ActionRow).where(
        ActionRow.body_id == m.body_id, ActionRow.meeting_id != m.id,
        col(ActionRow.created_at) < m.starts_at).order_by(col(ActionRow.id))).all()
    here = _local(cfg, m)
    out = []
    for a in rows:
        if a.status != "open" and a.closed_on is not None and a.closed_on < here:
            continue
        state = "open" if a.status == "open" else f"{a.status} ({a.closing_note})".rstrip(" ()")
        out.append(f"Action A{a.id}: {a.description} ({person(cfg, a.owner)}, due "
                   f"{a.due_on.day} {a.due_on:%B %Y}): {state}.")
    return tuple(out) or ("There were no matters arising and no open actions.",)


def _declarations(session: Session, cfg: LocalityConfig, m: MeetingRow,
                  numbered: dict[int, str]) -> tuple[DeclarationView, ...]:
    rows = session.exec(select(DeclarationRow).where(DeclarationRow.meeting_id == m.id)
                        .order_by(col(DeclarationRow.id))).all()
    out = []
    for d in rows:
        item = session.get(AgendaItemRow, d.item_id)
        managed = MANAGED_TEXT.get(d.managed, d.managed)
        if d.dispensation_by:
            managed += (f", under a dispensation granted by {person(cfg, d.dispensation_by)}: "
                        f"{d.dispensation_reason}")
        out.append(DeclarationView(person(cfg, d.member_id), numbered.get(d.item_id, ""),
                                   item.title if item else "",
                                   f"{d.nature.replace('_', '-').capitalize()}: "
                                   f"{d.description}", managed[0].upper() + managed[1:]))
    return tuple(out)


def _business(session: Session, cfg: LocalityConfig, i: AgendaItemRow,
              body: Body) -> tuple[str, str, str, tuple[str, ...]]:
    """(outcome, resolution, account, corrections) of a business item."""
    if i.state == "deferred":
        return "deferred", _deferral(session, cfg, i, body), "", ()
    if i.state == "withdrawn":
        return "withdrawn", withdrawn_words(_reason(session, i, "withdrawn")[0]), "", ()
    d = _latest_decision(session, i.id)
    if d is None:
        return "", "", "", ()
    f = decision_facts(session, cfg, d)
    status, lines = minutes_trail.trail(session, cfg, d)
    if status == "rescinded":
        return "rescinded", "", "", (f"As recorded: {resolution(f)}", *lines)
    return d.outcome, resolution(f), account(f), lines


def _next_meeting(session: Session, cfg: LocalityConfig, m: MeetingRow) -> str:
    nxt = session.exec(select(MeetingRow).where(
        MeetingRow.body_id == m.body_id, MeetingRow.status != "cancelled",
        col(MeetingRow.starts_at) > m.starts_at).order_by(col(MeetingRow.starts_at))).first()
    if nxt is None:
        return "The date of the next meeting is to be arranged."
    clock = clock_text(f"{nxt.starts_at.astimezone(cfg.zone):%H:%M}")  # "2.00pm", as elsewhere
    return f"The next meeting will be held on {day(_local(cfg, nxt))} at {clock}, {nxt.venue}."


def minutes_view(session: Session, cfg: LocalityConfig, meeting_id: int) -> MinutesView:
    m = session.get(MeetingRow, meeting_id)
    if m is None:
        raise NotFound(f"meeting {meeting_id} does not exist; list meetings with "
                       "`s75 meeting list`")
    body = cfg.body_by_id(m.body_id)
    att = list(session.exec(select(AttendanceRow).where(AttendanceRow.meeting_id == meeting_id)
                            .order_by(col(AttendanceRow.id))).all())

    def attendee(a: AttendanceRow) -> Attendee:
        role = cfg.partner_by_id(a.partner_id).name if a.partner_id else ""
        note = f"substitute for {person(cfg, a.substitute_for)}" if a.substitute_for else a.note
        return Attendee(person(cfg, a.member_id or a.person), role, note)

    items = minuted_items(session, meeting_id)
    numbered = numbers(session, cfg, m, items)
    decls = _declarations(session, cfg, m, numbered)
    texts = {t.item_id: t.text for t in session.exec(select(MinuteTextRow).where(
        MinuteTextRow.meeting_id == meeting_id)).all()}
    standing: dict[str, Callable[[], tuple[str, ...]]] = {
        "apologies": lambda: _apologies(cfg, att),
        "declarations": lambda: declared_sentences(decls),
        "minutes": lambda: _previous(session, cfg, m),
        "matters_arising": lambda: _matters(session, cfg, m)}
    entries = []
    for i in items:
        paras = tuple(p.strip() for p in texts.get(i.id or 0, "").split("\n\n") if p.strip())
        outcome, decision, how = "", "", ""
        fixes: tuple[str, ...] = ()
        if i.standing == "aob" and not paras:
            paras = ("There was no other business.",)
        elif i.standing is not None:
            paras = standing.get(i.standing, tuple)() + paras
        else:
            outcome, decision, how, fixes = _business(session, cfg, i, body)
        notes = tuple(f"{v.member}: {v.interest}. {v.managed}." for v in decls
                      if v.item_number == numbered[i.id or 0])
        entries.append(MinuteItem(numbered[i.id or 0], i.title, i.part, i.exempt_paragraph,
                                  paras, decision, how, i.urgency_reason or "", notes,
                                  outcome=outcome, standing=i.standing or "",
                                  corrections=fixes))
    row = session.exec(select(MinutesRow).where(MinutesRow.meeting_id == meeting_id)).first()
    part2 = sorted({i.exempt_paragraph for i in items if is_exempt(i) and i.exempt_paragraph})
    exclusion = (regime_of(body).exclusion_resolution(part2)
                 if any(is_exempt(i) for i in items) else "")
    approval = ""
    if row is not None and row.state in ("approved", "signed") and row.approved_at_meeting_id:
        at = session.get(MeetingRow, row.approved_at_meeting_id)
        signed = f", and signed by the chair, {person(cfg, row.signed_by)}" \
            if row.signed_by else ""
        approval = (f"Approved by the {body.name} at its meeting on "
                    f"{day(_local(cfg, at)) if at else ''}"
                    f"{' as amended' if row.amended else ' as a correct record'}{signed}.")
    return MinutesView(body.name, cfg.locality.name, m.starts_at.astimezone(cfg.zone), m.venue,
                       person(cfg, m.chair_id) or "not recorded",
                       tuple(attendee(a) for a in att if a.status == "present"),
                       tuple(attendee(a) for a in att if a.status == "apologies"),
                       tuple(attendee(a) for a in att if a.status == "in_attendance"),
                       decls, tuple(entries), exclusion,
                       not any(i.state == "deferred" for i in items),
                       row.state if row is not None else "draft", regime=body.access_regime,
                       approval=approval,
                       amendments=row.amendments if row is not None and row.amended else "",
                       next_meeting=_next_meeting(session, cfg, m),
                       corrections=tuple(
                           f"Corrected on {day(v.created_at.astimezone(cfg.zone).date())}: "
                           f"{v.reason.rstrip('.')}." for v in session.exec(
                               select(MinutesVersionRow).where(
                                   MinutesVersionRow.meeting_id == meeting_id,
                                   MinutesVersionRow.status == "corrected")
                               .order_by(col(MinutesVersionRow.version))).all()))


def reference(session: Session, cfg: LocalityConfig, d: DecisionRow) -> str:
    """The decision's reference, counted per body per calendar year (``JCC/2019/3``)."""
    body = cfg.body_by_id(d.body_id or "")
    year = (d.decision_date or d.decided_at.astimezone(cfg.zone).date()).year
    # A correction keeps the reference of the decision it corrects and takes no number.
    first, skip = original_of(session, d.id or 0), replacement_ids(session)
    same = session.exec(select(DecisionRow).where(
        DecisionRow.body_id == body.id, col(DecisionRow.id) <= first)).all()
    n = sum(1 for x in same if x.decision_date is not None and x.decision_date.year == year
            and x.id not in skip)
    return format_number(body.reference, code=body.short_code, year=year, n=max(n, 1))


def notice_view(session: Session, cfg: LocalityConfig, decision_id: int,
                now: datetime) -> DecisionNoticeView:
    d = session.get(DecisionRow, decision_id)
    if d is None:
        raise NotFound(f"decision {decision_id} does not exist")
    item = session.get(AgendaItemRow, d.item_id)
    if item is None:  # pragma: no cover - foreign key
        raise NotFound(f"the agenda item of decision {decision_id} does not exist")
    m = session.get(MeetingRow, item.meeting_id)
    body = cfg.body_by_id(d.body_id or (m.body_id if m else ""))
    decided = d.decision_date or d.decided_at.astimezone(cfg.zone).date()
    key = session.exec(select(KeyDecisionRow).where(KeyDecisionRow.item_id == item.id)).first()
    ci = call_in_facts(session, cfg, d, now.astimezone(cfg.zone).date())
    f = decision_facts(session, cfg, d)
    status, trail = minutes_trail.trail(session, cfg, d)
    if status == "corrected":
        trail = ("This record replaces the record of this decision first published; that "
                 "record is kept, marked superseded.", *trail)
    minute = ""
    if m is not None and m.status != "cancelled":
        minute = numbers(session, cfg, m, minuted_items(session, m.id or 0)).get(item.id or 0, "")
    return DecisionNoticeView(
        reference(session, cfg, d), item.title, body.name, decided, resolution(f),
        d.reasons or "Not stated.",
        tuple(x for x in (d.alternatives_rejected or "").splitlines() if x.strip()),
        tuple(f"{person(cfg, x.get('member_id'))}: {x.get('nature', '').replace('_', '-')} "
              f"interest – {x.get('description', '')} "
              f"({MANAGED_TEXT.get(x.get('managed', ''), '')})"
              for x in d.interests_declared or []),
        tuple(f"{person(cfg, x.get('member_id'))}: granted by "
              f"{person(cfg, x.get('granted_by'))} – {x.get('reason', '')}"
              for x in d.dispensations or []),
        ci.published_on, None if ci.urgency or status == "rescinded" else ci.expires,
        account(f), bool(d.key_decision), f"FP/{key.id}" if key is not None else "",
        ci.urgency, body_contact(cfg, body), cfg.locality.name, item.part,
        item.exempt_paragraph, regime=body.access_regime, minute=minute, outcome=d.outcome,
        referred_to=tuple(x.words() for x in f.referrals),
        legal_basis=decision_record_basis(body), status=status, corrections=trail,
        implementation="" if status == "rescinded" else ci.implementation,
        call_in_note=ci.note, call_in_days=body.deadlines.call_in_working_days)


def minutes_row(session: Session, meeting_id: int) -> MinutesRow | None:
    return session.exec(select(MinutesRow).where(MinutesRow.meeting_id == meeting_id)).first()
