"""The scripted year, as dated steps through the real services (no shortcuts round the rules).

A proposal to expand the pool goes through approval in principle and heads of terms at each
partner's sovereign body, six monthly gateways (one go with conditions, one pause then go), the
s75 checklist, approval and signing before the signing deadline. The joint committee meets every
month with its chair rotating; one due chair sends apologies; one consensus failure on a line
led by the NHS partner is referred to that partner's Board; one late item is taken with the
chair's urgency consent; one item is deferred because declared interests leave it inquorate.
Between steps the scheduler runs in simulated time (s75/demo/runner.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import select

from decisions.calendar import WorkingCalendar
from decisions.errors import S75Error
from decisions.principals import (
    Principal,
    find_principal,
    operator,
    principal_of,
    secretaries_of,
    with_role,
)
from decisions.voting import voting_partners
from s75.demo import cast as casting
from s75.demo.content import Report
from workflows.actions import perform
from workflows.committee import meetings
from workflows.committee.interest_actions import DeclareInterest
from workflows.committee.item_actions import AcceptItem, AddItem, Decide, PublishItem, SubmitItem
from workflows.committee.meeting_actions import (
    AddAction,
    ApproveMinutes,
    HoldMeeting,
    RecordAttendance,
)
from workflows.committee.tables import MeetingRow
from workflows.events import UnitOfWork
from workflows.proposal import gateways
from workflows.proposal import lifecycle as proposals
from workflows.proposal.actions import FireProposal, RecordApproval, RecordGatewayReturn

Action = Callable[[UnitOfWork], str]


@dataclass(frozen=True)
class Step:
    when: datetime  # UTC
    label: str
    run: Action


@dataclass
class Tally:
    decisions: int = 0
    referrals: int = 0
    deferred: int = 0
    meetings_held: int = 0
    gateways: int = 0


@dataclass
class Year:
    cast: casting.Cast
    start: date
    cal: WorkingCalendar
    tally: Tally = field(default_factory=Tally)
    item_ids: dict[str, int] = field(default_factory=dict)
    proposal_id: int = 0
    programme: dict[str, int] = field(default_factory=dict)
    """The programme's other proposals (s75/demo/programme.py), by key."""
    steps: list[Step] = field(default_factory=list)

    # ------------------------------------------------------------------ helpers
    @property
    def tz(self) -> ZoneInfo:
        return self.cast.cfg.zone

    def at(self, day: date, hour: int = 9, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), self.tz).astimezone(ZoneInfo("UTC"))

    def add(self, day: date, label: str, run: Action, hour: int = 9) -> None:
        self.steps.append(Step(self.at(day, hour), label, run))

    def programme_director(self) -> Principal:
        """Who runs the proposal: the member with the programme_director role (the operator
        if the config names none)."""
        cfg = self.cast.cfg
        found = next(iter(with_role(cfg, "programme_director")), None)
        return principal_of(found, cfg) if found is not None else operator(cfg)

    def secretary(self, body_id: str) -> Principal:
        """The secretary of ``body_id`` (the operator if the config names none)."""
        cfg = self.cast.cfg
        found = secretaries_of(cfg, body_id)
        return principal_of(found[0], cfg) if found else operator(cfg)

    def fund_manager(self) -> Principal:
        """Who reports on the pooled fund: ``[pool] fund_manager``, else the programme
        director."""
        manager = self.cast.cfg.pool.fund_manager
        return self.member(manager) if manager else self.programme_director()

    def member(self, member_id: str) -> Principal:
        return find_principal(self.cast.cfg, member_id, "demo")

    def meeting_id(self, uow: UnitOfWork, body_id: str, day: date) -> int:
        row = uow.session.exec(select(MeetingRow).where(
            MeetingRow.body_id == body_id, MeetingRow.local_date == day)).first()
        if row is None or row.id is None:
            raise S75Error(f"demo: no {body_id} meeting on {day}")
        return row.id

    def item(self, uow: UnitOfWork, key: str, body_id: str, day: date, report: Report, *,
             late_reason: str | None = None, **extra: Any) -> str:
        """Add, submit and accept an item (late ones with the chair's urgency consent)."""
        mid = self.meeting_id(uow, body_id, day)
        chair = None
        if late_reason:
            choice = meetings.projected_chairs(uow, body_id)[mid]
            chair = getattr(choice, "chair", None)
        sec = self.secretary(body_id)
        row = perform(uow, AddItem(mid, report.title, action=report.action, lead=report.lead,
                                   cover=report.cover, body_text=report.body, part=report.part,
                                   exempt_paragraph=report.exempt_paragraph,
                                   public_interest_reason=report.public_interest_reason,
                                   appendices=tuple(report.appendices), **extra), sec)
        assert row.id is not None
        self.item_ids[key] = row.id
        perform(uow, SubmitItem(row.id, urgency_reason=late_reason, chair_consent_by=chair), sec)
        perform(uow, AcceptItem(row.id), sec)
        if late_reason:
            perform(uow, PublishItem(row.id, urgency_reason=late_reason, chair_consent_by=chair),
                    sec)
        name = self.cast.cfg.body_by_id(body_id).name
        return f"{name} {day:%d %b}: item '{report.title}'" + (" (late, urgent)"
                                                                  if late_reason else "")

    def sit(self, uow: UnitOfWork, body_id: str, day: date, *, apologies: Sequence[str] = (),
            declarations: Sequence[tuple[str, str, str]] = (),
            take: Sequence[tuple[str, str, Sequence[str]]] = (),
            action: tuple[str, str, date] | None = None) -> str:
        """Hold a meeting: attendance, last minutes approved, declarations, decisions, held."""
        mid = self.meeting_id(uow, body_id, day)
        sec = self.secretary(body_id)
        for member in self.cast.members(body_id):
            perform(uow, RecordAttendance(mid, (member,), "apologies" if member in apologies
                                          else "present"), sec)
        previous = uow.session.exec(select(MeetingRow).where(
            MeetingRow.body_id == body_id, MeetingRow.status == "held")
            .order_by(MeetingRow.starts_at.desc())).first()  # type: ignore[attr-defined]
        if previous is not None and previous.id is not None:
            perform(uow, ApproveMinutes(previous.id, at_meeting_id=mid), sec)
        for key, member, what in declarations:  # each member declares as themself
            perform(uow, DeclareInterest(self.item_ids[key], member, "pecuniary", what,
                                         managed="left_room"), self.member(member))
        notes = []
        rule = self.cast.cfg.body_by_id(body_id).decision_rule
        for key, outcome, objections in take:
            if key not in self.item_ids:  # e.g. the referred item when nothing was referred
                notes.append(f"nothing to take for {key}")
                continue
            declared = {m for k, m, _ in declarations if k == key}
            votes, partner_votes = self._positions(body_id, outcome, objections,
                                                   set(apologies) | declared)
            result = perform(uow, Decide(self.item_ids[key], outcome=outcome,
                                         objections=tuple(objections) if rule == "consensus"
                                         else (), votes=votes,
                                         partner_votes=partner_votes,
                                         reasons="As set out in the report.",
                                         alternatives_rejected="To do nothing: rejected, as "
                                         "set out in the report."), sec)
            title = short(result.item.title)
            if result.deferred_to is not None:
                self.tally.deferred += 1
                assert result.deferred_to.id is not None
                self.item_ids[key] = result.deferred_to.id
                notes.append(f"{title}: inquorate after declarations, deferred")
            elif result.decision is not None:
                self.tally.decisions += 1
                self.tally.referrals += len(result.referrals)
                d = result.decision
                why = {"consensus": "no consensus", "delegated_limit": "above the delegated "
                       "limit"}.get(d.rule_applied, "not every partner voted for")
                how = {"noted": "noted", "referred": f"{why}, referred"}.get(
                    d.outcome, f"{d.outcome} ({d.rule_applied.replace('_', ' ')})")
                notes.append(f"{title}: {how}")
                for ref in result.referrals:
                    if ref.to_item_id:
                        self.item_ids[f"{key}/referred"] = ref.to_item_id
        if action is not None:
            text, owner, due = action
            perform(uow, AddAction(mid, text, owner, due), sec)
        m = perform(uow, HoldMeeting(mid), sec)
        self.tally.meetings_held += 1
        chair = self.cast.cfg.member_by_id(m.chair_id).name if m.chair_id else "not recorded"
        body = self.cast.cfg.body_by_id(body_id).name
        return f"{body} {day:%d %b} held, chair {chair}. " + "; ".join(notes)

    def _positions(self, body_id: str, outcome: str, objections: Sequence[str],
                   absent: set[str]) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        """The votes the body's decision rule needs, objectors voting against: under one vote
        per partner an objector's partner votes against (no decision, so referred); under a
        majority each objector votes against and the rest for."""
        body = self.cast.cfg.body_by_id(body_id)
        if outcome == "noted" or body.decision_rule == "consensus":
            return None, None
        if body.decision_rule == "majority":
            return {m: "against" if m in objections else "for"
                    for m in self.cast.members(body_id) if m not in absent}, None
        against = {self.cast.cfg.member_by_id(m).partner for m in objections}
        return None, {p: "against" if p in against else "for"
                      for p in voting_partners(body, self.cast.cfg)}

    def decision_of(self, uow: UnitOfWork, key: str) -> tuple[int, str]:
        from workflows.committee.tables import DecisionRow

        d = uow.session.exec(select(DecisionRow).where(
            DecisionRow.item_id == self.item_ids[key])).first()
        assert d is not None and d.id is not None
        return d.id, d.minute_ref or f"minute {d.id}"

    def approvals(self, uow: UnitOfWork, stage_key: str, days: dict[str, date],
                  trigger: str, proposal_id: int | None = None) -> str:
        pid = proposal_id or self.proposal_id
        for partner, body in self.cast.sovereign.items():
            decision_id, minute = self.decision_of(uow, f"{stage_key}:{body.id}")
            perform(uow, RecordApproval(pid, partner, body.id, days[body.id],
                                        minute, decision_id), self.secretary(body.id))
        perform(uow, FireProposal(pid, trigger), self.programme_director())
        row = proposals.get_proposal(uow.session, pid)
        return f"proposal: every partner approved; now {casting.stage(row.state)}"

    def gateway(self, uow: UnitOfWork, day: date, returns: dict[str, tuple[str, str]],
                conditions: Sequence[gateways.ConditionSpec] = (),
                proposal_id: int | None = None) -> str:
        cfg = self.cast.cfg
        pid = proposal_id or self.proposal_id
        for partner, (decision, reasons) in returns.items():
            conds = tuple(conditions) if decision == "go_with_conditions" else ()
            perform(uow, RecordGatewayReturn(pid, partner, decision, reasons,
                                             held_on=day, conditions=conds),
                    self.secretary(cfg.sovereign_body_of(partner).id))
        if proposal_id is None:
            self.tally.gateways += 1
        row = proposals.get_proposal(uow.session, pid)
        said = ", ".join(f"{cfg.partner_by_id(p).name} {d.replace('_', ' ')}"
                         for p, (d, _) in returns.items())
        return f"gateway {day:%b %Y}: {said}; proposal {casting.stage(row.state)}"


def short(title: str, limit: int = 48) -> str:
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def days_before(cal: WorkingCalendar, day: date, working_days: int) -> date:
    return cal.add_working_days(day, -working_days)

