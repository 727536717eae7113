"""The demo's programme: the proposals beside the main one (s75/demo/script.py), so the gateway
board, the proposal timeline and the forward plan show what a programme director sees.

Each goes through the real actions as the right people: the programme director creates,
submits and moves it; each partner's sovereign body approves it at its own meetings (the items
sit beside the main proposal's); the secretary of each partner's sovereign body records its
gateway returns; the authorised signatories sign. One is stopped by a partner at a gateway, one
is signed, goes live and opens its annual variation, and two stay in shadow operation (one with
a condition still open, one with a month whose gateway was missed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import partial

from decisions.calendar import WorkingCalendar
from s75.demo.cast import stage as stage_words
from s75.demo.content import REPORTS
from s75.demo.story import Year
from workflows.actions import perform
from workflows.events import UnitOfWork
from workflows.proposal import gateways
from workflows.proposal.actions import (
    CreateProposal,
    FireProposal,
    MarkChecklist,
    RecordSignature,
)
from workflows.proposal.lifecycle import get_proposal
from workflows.proposal.rules import REG7_CHECKLIST

REASONS = {
    "go": "Comfortable to proceed.",
    "go_with_conditions": "Proceed once the workforce plan for the joint team is agreed.",
    "pause": "Awaiting the finance committee's review.",
    "stop": "The recurrent funding cannot be committed from next year's allocation.",
}
MISSED = ""
"""A month in which no gateway was held."""
VARY_REASON = "Contributions revised for next financial year after the annual review."


@dataclass(frozen=True)
class Plan:
    key: str
    service: str
    amount: Decimal
    returns: tuple[str, ...]
    """The NHS partner's return at each monthly gateway from the joint committee's fifth
    meeting (the other partners return go)."""
    agreement: bool = False
    """On to the s75 agreement, signing, live, then the annual variation."""


PLANS = (
    Plan("equipment", "Integrated community equipment service", Decimal("2400000"),
         ("go",) * 6, agreement=True),
    Plan("carers", "Carers' breaks and respite", Decimal("900000"), ("go", "go", "stop")),
    Plan("reablement", "Intermediate care and reablement", Decimal("3100000"),
         ("go", "go", "go_with_conditions", "go", "go", "go", "go", "go")),
    Plan("rehab", "Community mental health rehabilitation", Decimal("1800000"),
         ("go", "go", MISSED, "go", "go", "go", "go", "go")),
)

ItemMaker = Callable[..., str]
"""script.py's sovereign item step (an item for a proposal, with its forward plan notice)."""


def stages(plan: Plan) -> tuple[str, ...]:
    return ("aip", "hot", "s75") if plan.agreement else ("aip", "hot")


def take(stage: str, body_id: str) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """The programme's items a sovereign body decides at its ``stage`` meeting."""
    return tuple((f"{p.key}:{stage}:{body_id}", "approved", ()) for p in PLANS
                 if stage in stages(p))


def script(y: Year, *, days: dict[str, dict[str, date]], jdays: list[date], sign_day: date,
           gateway_hour: int, item: ItemMaker) -> None:
    """Add the programme's steps to ``y``: ``days`` maps each stage ("aip", "hot", "s75") to
    the sovereign bodies' meeting days; ``jdays`` are the joint committee's meeting days."""
    cast, cal, cfg = y.cast, y.cal, y.cast.cfg
    partners = " and ".join(p.name for p in cfg.partner)
    line = cast.referral_line.service
    y.add(y.start - timedelta(days=28), "create the programme",
          partial(_create, y=y), hour=10)
    trig = {"aip": "agree_in_principle", "hot": "agree_heads_of_terms",
            "s75": "approve_agreement"}
    for plan in PLANS:
        reports = REPORTS(cfg.locality.name, line, plan.service, partners)
        for stage in stages(plan):
            for body_id, day in days[stage].items():
                key = f"{plan.key}:{stage}:{body_id}"
                y.add(cal.add_working_days(day, -20), f"{key} item",
                      partial(item, y, key=key, body_id=body_id, day=day,
                              report=reports[stage], proposal=plan.key, amount=plan.amount))
            y.add(cal.add_working_days(max(days[stage].values()), 1),
                  f"{plan.key} {stage} approvals",
                  partial(_approvals, y=y, plan=plan, stage=stage, days=days[stage],
                          trigger=trig[stage]), hour=10)
        _gateways(y, plan, jdays, gateway_hour)
        if plan.agreement:
            y.add(cal.add_working_days(jdays[9], 1), f"{plan.key} s75 drafting",
                  partial(_drafting, y=y, plan=plan), hour=10)
            y.add(sign_day, f"{plan.key} signing", partial(_signing, y=y, plan=plan,
                                                           day=sign_day), hour=10)
            vary_day = _vary_day(cal, sign_day, y.start)
            y.add(vary_day, f"{plan.key} variation", partial(_vary, y=y, plan=plan))


def _vary_day(cal: WorkingCalendar, sign_day: date, start: date) -> date:
    """Ten working days after signing, and before the demo year ends."""
    end = start.replace(year=start.year + 1) - timedelta(days=1)
    return min(cal.add_working_days(sign_day, 10), end)


def _gateways(y: Year, plan: Plan, jdays: list[date], hour: int) -> None:
    cast = y.cast
    nhs = cast.nhs_partner
    others = [p.id for p in cast.cfg.pooling_partners if p.id != nhs]
    for n, ret in enumerate(plan.returns):
        day = jdays[4 + n]
        if ret == MISSED:
            continue
        returns = {p: ("go", REASONS["go"]) for p in others} | {nhs: (ret, REASONS[ret])}
        conditions = (gateways.ConditionSpec(
            f"{plan.service}: workforce plan for the joint team agreed by partners",
            cast.officer(nhs), day + timedelta(days=28)),) if ret == "go_with_conditions" else ()
        y.add(day, f"{plan.key} gateway {day}",
              partial(_gateway, y=y, plan=plan, day=day, returns=returns,
                      conditions=conditions), hour=hour)
        if ret == "stop":
            break


def _create(uow: UnitOfWork, *, y: Year) -> str:
    director = y.programme_director()
    mm, dd = (int(x) for x in y.cast.cfg.locality.financial_year_start.split("-"))
    starts = date(y.start.year + 1, mm, dd)  # next financial year, as the main proposal
    made = []
    for plan in PLANS:
        p = perform(uow, CreateProposal(
            f"Expand the pool: {plan.service}",
            description=f"Bring {plan.service.lower()} into the pooled budget "
                        f"(about £{plan.amount:,.0f} a year).",
            start_date=starts), director)
        assert p.id is not None
        y.programme[plan.key] = p.id
        perform(uow, FireProposal(p.id, "submit"), director)
        made.append(f"{p.id} '{p.title}'")
    return f"programme: proposals {', '.join(made)} submitted for approval in principle"


def _approvals(uow: UnitOfWork, *, y: Year, plan: Plan, stage: str, days: dict[str, date],
               trigger: str) -> str:
    pid = y.programme[plan.key]
    if get_proposal(uow.session, pid).state in ("stopped", "withdrawn"):
        return f"{plan.key}: no approvals, the proposal has ended"
    return y.approvals(uow, f"{plan.key}:{stage}", days, trigger, proposal_id=pid)


def _gateway(uow: UnitOfWork, *, y: Year, plan: Plan, day: date,
             returns: dict[str, tuple[str, str]],
             conditions: tuple[gateways.ConditionSpec, ...]) -> str:
    return f"{plan.key} " + y.gateway(uow, day, returns, conditions,
                                      proposal_id=y.programme[plan.key])


def _drafting(uow: UnitOfWork, *, y: Year, plan: Plan) -> str:
    pid, director = y.programme[plan.key], y.programme_director()
    perform(uow, FireProposal(pid, "start_drafting"), director)
    perform(uow, MarkChecklist(pid, tuple(REG7_CHECKLIST), reference="Draft agreement v2"),
            director)
    perform(uow, FireProposal(pid, "submit_agreement"), director)
    return f"{plan.key}: s75 drafted, reg 7 checklist complete, sent for approval"


def _signing(uow: UnitOfWork, *, y: Year, plan: Plan, day: date) -> str:
    cfg, pid = y.cast.cfg, y.programme[plan.key]
    for p in cfg.pooling_partners:
        perform(uow, RecordSignature(pid, p.id, p.authorised_signatory, day),
                y.secretary(cfg.sovereign_body_of(p.id).id))
    state = get_proposal(uow.session, pid).state
    return f"{plan.key}: s75 agreement signed; proposal {stage_words(state)}"


def _vary(uow: UnitOfWork, *, y: Year, plan: Plan) -> str:
    pid = y.programme[plan.key]
    perform(uow, FireProposal(pid, "vary", facts={"reason": VARY_REASON}),
            y.programme_director())
    return f"{plan.key}: annual variation opened; proposal " \
           f"{stage_words(get_proposal(uow.session, pid).state)}"
