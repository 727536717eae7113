"""The dated steps of the demo year (see s75/demo/story.py for what each helper does)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from functools import partial

from decisions.agenda_rules import item_deadline
from decisions.calendar import WorkingCalendar
from decisions.principals import find_principal
from notifications.documents.pool_report import SendPoolReport
from s75.demo import cast as casting
from s75.demo import programme
from s75.demo.cast import first_on_or_after, meeting_days
from s75.demo.content import REPORTS, Report
from s75.demo.story import Year, days_before
from workflows.actions import perform
from workflows.committee import actions, meetings
from workflows.committee.interest_actions import DeclareInterest
from workflows.committee.item_actions import AcceptItem, RecordKeyDecision
from workflows.committee.meeting_actions import AddMeeting, CloseAction, ScheduleMeetings
from workflows.events import UnitOfWork
from workflows.proposal import gateways
from workflows.proposal import lifecycle as proposals
from workflows.proposal.actions import (
    CloseCondition,
    CreateProposal,
    FireProposal,
    MarkChecklist,
    RecordSignature,
)
from workflows.proposal.rules import REG7_CHECKLIST

EXPANSION_AMOUNT = Decimal("6000000")
LATE_REASON = ("Demand for discharge from hospital rose sharply after the agenda was published; "
               "the beds are needed before the next meeting.")


def build_year(cast: casting.Cast, start: date, cal: WorkingCalendar) -> Year:
    """Every step of the year, in date order."""
    year = Year(cast, start, cal)
    script(year)
    year.steps.sort(key=lambda s: s.when)
    return year


def script(y: Year) -> None:
    cast, cal, cfg = y.cast, y.cal, y.cast.cfg
    joint = cast.joint
    end = y.start.replace(year=y.start.year + 1)
    jdays = meeting_days(joint, cfg, cal, y.start, end)
    if len(jdays) < 12:
        raise ValueError(f"demo: {joint.name} meets {len(jdays)} times in the year; the demo "
                         "needs a monthly schedule")
    sov = cast.sovereign
    sdays = {b.id: meeting_days(b, cfg, cal, y.start, end) for b in sov.values()}
    aip = {b: first_on_or_after(d, y.start + timedelta(days=35)) for b, d in sdays.items()}
    hot = {b: first_on_or_after(d, y.start + timedelta(days=98)) for b, d in sdays.items()}
    s75 = {b: first_on_or_after(d, y.start + timedelta(days=315)) for b, d in sdays.items()}
    nhs_body = sov[cast.nhs_partner]
    referral_day = next(d for d in sdays[nhs_body.id]
                        if item_deadline(d, nhs_body, cal) > jdays[5])
    expansion = cast.expansion_line.service if cast.expansion_line else "additional services"
    partners = " and ".join(p.name for p in cfg.partner)
    reports = REPORTS(cfg.locality.name, cast.referral_line.service, expansion, partners)
    setup = y.start - timedelta(days=28)

    def hour(body_id: str) -> int:
        b = cfg.body_by_id(body_id)
        return (b.meetings.time.hour if b.meetings else 10) + 1

    # Set-up: the year's meetings, the proposal.
    def prepare(uow: UnitOfWork) -> str:
        made = perform(uow, ScheduleMeetings(joint.id, y.start, end), y.secretary(joint.id))
        wanted = sorted({(b, d) for days in (aip, hot, s75) for b, d in days.items()}
                        | {(nhs_body.id, referral_day)})
        for body_id, day in wanted:
            perform(uow, AddMeeting(body_id, day, kind="ordinary"), y.secretary(body_id))
        mm, dd = (int(x) for x in cfg.locality.financial_year_start.split("-"))
        director = y.programme_director()
        p = perform(uow, CreateProposal(f"Expand the pool: {expansion}",
                                        description="Expand the pooled budget from next year.",
                                        start_date=date(end.year, mm, dd)), director)
        assert p.id is not None
        y.proposal_id = p.id
        perform(uow, FireProposal(p.id, "submit"), director)
        return (f"scheduled {len(made)} {joint.name} meetings and {len(wanted)} Cabinet/Board "
                f"meetings; proposal {p.id} '{p.title}' submitted for approval in principle")

    y.add(setup, "prepare the year", prepare)

    # Sovereign bodies: approval in principle, heads of terms, s75 approval.
    for stage, days in (("aip", aip), ("hot", hot), ("s75", s75)):
        for body_id, day in days.items():
            key = f"{stage}:{body_id}"
            y.add(days_before(cal, day, 20), f"{key} item",
                  partial(_sovereign_item, y, key=key, body_id=body_id, day=day,
                          report=reports[stage]))
            y.add(day, f"{key} meeting",
                  partial(_sit, y, body_id=body_id, day=day,
                          take=((key, "approved", ()), *programme.take(stage, body_id))),
                  hour=hour(body_id))
    trig = {"aip": "agree_in_principle", "hot": "agree_heads_of_terms", "s75": "approve_agreement"}
    for stage, days in (("aip", aip), ("hot", hot), ("s75", s75)):
        y.add(cal.add_working_days(max(days.values()), 1), f"{stage} approvals",
              partial(_approvals, y, stage=stage, days=days, trigger=trig[stage]))

    # The joint committee's year.
    council_member = next(m for m in cast.members(joint.id)
                          if m not in joint.chair_rotation and m != joint.chair
                          and cfg.member_by_id(m).partner != cast.nhs_partner)
    nhs_members = [m for m in cast.partner_members(joint.id, cast.nhs_partner)
                   if m not in joint.chair_rotation and m not in (joint.chair, joint.vice_chair)]
    k = joint.quorum.min_per_partner or 1
    declarers = nhs_members[: max(1, len(cast.partner_members(joint.id, cast.nhs_partner)) - k + 1)]
    for i, day in enumerate(jdays[:12]):
        specials = {0: "plan", 5: "referral", 6: "exempt", 9: "interest"}
        keys = [f"budget:{i}"]
        y.add(days_before(cal, day, 15), f"{joint.id} {day} budget item",
              partial(_item, y, key=f"budget:{i}", body_id=joint.id, day=day,
                      report=reports["budget"]))
        if i in specials:
            name = specials[i]
            keys.append(name)
            line = cast.referral_line.id if name == "referral" else None
            y.add(days_before(cal, day, 15), f"{joint.id} {day} {name} item",
                  partial(_item, y, key=name, body_id=joint.id, day=day, report=reports[name],
                          pool_line_id=line))
        if i == 10:
            keys.append("interest")
        if i == 7:
            keys.append("urgent")
            y.add(days_before(cal, day, 3), f"{joint.id} {day} late item",
                  partial(_item, y, key="urgent", body_id=joint.id, day=day,
                          report=reports["urgent"], late_reason=LATE_REASON))
        y.add(day, f"{joint.id} {day} meeting",
              partial(_joint_meeting, y, i=i, day=day, keys=tuple(keys),
                      council_member=council_member, declarers=declarers),
              hour=hour(joint.id))

    # Referral: the secretary of the NHS partner's Board accepts the referred item.
    y.add(cal.add_working_days(jdays[5], 1), "accept the referral",
          partial(_accept, y=y, key="referral/referred"))
    y.add(referral_day, f"{nhs_body.id} referral meeting",
          partial(_sit, y, body_id=nhs_body.id, day=referral_day,
                  take=(("referral/referred", "approved", ()),)),
          hour=hour(nhs_body.id))
    # The Board's decision comes back: the joint committee's secretary accepts the report back
    # for its next agenda, where the committee notes it.
    y.add(cal.add_working_days(referral_day, 1), "accept the report back",
          partial(_accept_report_back, y=y))

    # Gateways at the joint committee's meetings in shadow operation (six months).
    nhs = cast.nhs_partner
    others = [p.id for p in cfg.pooling_partners if p.id != nhs]
    go = ("go", "Comfortable to proceed.")
    condition = gateways.ConditionSpec("Public health budget due diligence report to the "
                                       "Committee", cast.officer(nhs),
                                       jdays[5] + timedelta(days=21))
    plan = [go, ("go_with_conditions", "Proceed once the due diligence report is received."),
            ("pause", "Awaiting the finance committee's review of the budget to be pooled."),
            ("go", "The finance committee's review is complete."), go, go]
    for n, ret in enumerate(plan):
        day = jdays[4 + n]
        returns = {p: go for p in others} | {nhs: ret}
        y.add(day, f"gateway {day}", partial(_gateway, y, day=day, returns=returns,
                                             conditions=(condition,)), hour=hour(joint.id) + 2)
    y.add(jdays[5] + timedelta(days=14), "close the gateway condition",
          partial(_close_conditions, y=y))

    # Quarterly pooled-fund reports to partners (SI 2000/617 reg 7), three weeks after each
    # quarter ends.
    for q in (1, 2, 3):
        quarter_end = y.start + timedelta(days=91 * q)
        y.add(cal.next_working_day(quarter_end + timedelta(days=21)), f"Q{q} pool report",
              partial(_pool_report, y=y, quarter=q))

    # s75 drafting once three consecutive gateways said go; signing before the deadline.
    y.add(cal.add_working_days(jdays[9], 1), "s75 drafting", partial(_drafting, y=y))
    sign_day = cal.add_working_days(max(s75.values()), 3)
    y.add(sign_day, "signing", partial(_signing, y=y, day=sign_day))
    programme.script(y, days={"aip": aip, "hot": hot, "s75": s75}, jdays=jdays,
                     sign_day=sign_day, gateway_hour=hour(joint.id) + 2, item=_sovereign_item)


def _item(y: Year, uow: UnitOfWork, *, key: str, body_id: str, day: date, report: Report,
          late_reason: str | None = None, pool_line_id: str | None = None) -> str:
    return y.item(uow, key, body_id, day, report, late_reason=late_reason,
                  pool_line_id=pool_line_id)


def _sit(y: Year, uow: UnitOfWork, *, body_id: str, day: date,
         take: tuple[tuple[str, str, tuple[str, ...]], ...]) -> str:
    return y.sit(uow, body_id, day, take=take)


def _approvals(y: Year, uow: UnitOfWork, *, stage: str, days: dict[str, date],
               trigger: str) -> str:
    return y.approvals(uow, stage, days, trigger)


def _gateway(y: Year, uow: UnitOfWork, *, day: date, returns: dict[str, tuple[str, str]],
             conditions: tuple[gateways.ConditionSpec, ...]) -> str:
    return y.gateway(uow, day, returns, conditions)


def _sovereign_item(y: Year, uow: UnitOfWork, *, key: str, body_id: str, day: date,
                    report: Report, proposal: str = "", amount: Decimal = EXPANSION_AMOUNT
                    ) -> str:
    note = y.item(uow, key, body_id, day, report, amount=amount,
                  proposal_id=y.programme[proposal] if proposal else y.proposal_id)
    body = y.cast.cfg.body_by_id(body_id)
    if body.executive and body.key_decision_threshold is not None:
        perform(uow, RecordKeyDecision(y.item_ids[key],
                                       forward_plan_published_on=day - timedelta(days=42)),
                y.secretary(body_id))
        note += "; forward plan notice recorded"
    return note


def _joint_meeting(y: Year, uow: UnitOfWork, *, i: int, day: date, keys: tuple[str, ...],
                   council_member: str, declarers: list[str]) -> str:
    cast = y.cast
    joint = cast.joint
    take: list[tuple[str, str, tuple[str, ...]]] = []
    for key in keys:
        outcome = "noted" if key.startswith("budget") else "approved"
        objections = (council_member,) if key == "referral" else ()
        take.append((key, outcome, objections))
    back = y.item_ids.get(REPORT_BACK)
    if back is not None and _on_meeting(uow, back, y.meeting_id(uow, joint.id, day)):
        take.insert(0, (REPORT_BACK, "noted", ()))
    apologies: list[str] = []
    if i == 2:  # the due chair sends apologies
        mid = y.meeting_id(uow, joint.id, day)
        choice = meetings.projected_chairs(uow, joint.id)[mid]
        due = getattr(choice, "due", None)
        apologies = [due] if due else []
    declarations = []
    if "interest" in keys:
        what = "GP partner in a practice that would provide the service"
        if i == 9:
            declarations = [("interest", m, what) for m in declarers]
        else:
            for m in declarers:  # each member declares as themself
                perform(uow, DeclareInterest(
                    y.item_ids["interest"], m, "pecuniary", what, managed="took_part",
                    dispensation_by="Audit Committee Chair",
                    dispensation_reason="Without them the Committee would be inquorate on the "
                    "item (Localism Act 2011 s33(2)(a))."), y.member(m))
    action = None
    owner = cast.officer(cfg_partner(y)) if i in (0, 6) else None
    if owner and i == 0:
        action = ("Report on the due diligence of the budget to be pooled", owner,
                  day + timedelta(days=63))
    if owner and i == 6:
        action = ("Circulate the month 6 forecast outturn to partners", owner,
                  day + timedelta(days=14))
    note = y.sit(uow, joint.id, day, apologies=apologies, declarations=declarations, take=take,
                 action=action)
    if i in (2, 8):  # actions reviewed: the first closed on time, the second late
        for a in actions.listing(uow.session, body_id=joint.id, status="open"):
            assert a.id is not None
            perform(uow, CloseAction(a.id, note="Reported to the Committee."),
                    y.secretary(joint.id))
            note += f"; action {a.id} closed"
    if apologies:
        note += f" (due chair {apologies[0]} sent apologies)"
    return note


def cfg_partner(y: Year) -> str:
    return y.cast.cfg.pool.host


def _accept(uow: UnitOfWork, *, y: Year, key: str) -> str:
    item_id = y.item_ids.get(key)
    if item_id is None:
        return "no referral item was placed"
    from workflows.committee import common

    body_id = common.meeting(uow.session, common.item(uow.session, item_id).meeting_id).body_id
    perform(uow, AcceptItem(item_id), y.secretary(body_id))
    return f"referred item {item_id} accepted for the Board's agenda"


REPORT_BACK = "referral/report_back"


def _accept_report_back(uow: UnitOfWork, *, y: Year) -> str:
    """The report back of the referral's outcome, placed on the referring body's next open
    meeting when the receiving body decided: accepted by that body's secretary."""
    from sqlmodel import select

    from workflows.committee import common
    from workflows.committee.records import ReferralRow

    referred = y.item_ids.get("referral")
    row = None if referred is None else uow.session.exec(select(ReferralRow).where(
        ReferralRow.from_item_id == referred)).first()
    if row is None or row.report_item_id is None:
        return "no report back was placed"
    item = common.item(uow.session, row.report_item_id)
    body_id = common.meeting(uow.session, item.meeting_id).body_id
    perform(uow, AcceptItem(row.report_item_id), y.secretary(body_id))
    y.item_ids[REPORT_BACK] = row.report_item_id
    return f"report back item {row.report_item_id} accepted for the referring body's agenda"


def _on_meeting(uow: UnitOfWork, item_id: int, meeting_id: int) -> bool:
    from workflows.committee import common

    item = common.item(uow.session, item_id)
    return item.meeting_id == meeting_id and item.state in ("accepted", "published")


def _close_conditions(uow: UnitOfWork, *, y: Year) -> str:
    closed = []
    for c in gateways.conditions(uow.session, y.proposal_id, open_only=True):
        assert c.id is not None
        perform(uow, CloseCondition(c.id, "Due diligence report received."),
                find_principal(uow.config, c.owner_id))  # its owner closes it
        closed.append(str(c.id))
    return f"gateway condition(s) {', '.join(closed) or 'none'} closed"


def _pool_report(uow: UnitOfWork, *, y: Year, quarter: int) -> str:
    perform(uow, SendPoolReport(quarter), y.fund_manager())
    return f"quarter {quarter} pooled-fund report sent to partners"


def _drafting(uow: UnitOfWork, *, y: Year) -> str:
    director = y.programme_director()
    perform(uow, FireProposal(y.proposal_id, "start_drafting"), director)
    perform(uow, MarkChecklist(y.proposal_id, tuple(REG7_CHECKLIST),
                               reference="Draft agreement v3"), director)
    perform(uow, FireProposal(y.proposal_id, "submit_agreement"), director)
    return "three consecutive go gateways: s75 drafted, reg 7 checklist complete, sent for approval"


def _signing(uow: UnitOfWork, *, y: Year, day: date) -> str:
    names = []
    cfg = y.cast.cfg
    for p in cfg.pooling_partners:
        perform(uow, RecordSignature(y.proposal_id, p.id, p.authorised_signatory, day),
                y.secretary(cfg.sovereign_body_of(p.id).id))
        names.append(y.cast.cfg.member_by_id(p.authorised_signatory).name)
    row = proposals.get_proposal(uow.session, y.proposal_id)
    return f"s75 agreement signed by {' and '.join(names)}; proposal {casting.stage(row.state)}"
