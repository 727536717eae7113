"""View models built from config.toml alone: each body's terms of reference (so the rules the
engine enforces and the rules it publishes are one text) and the pool's standing figures."""

from __future__ import annotations

from decimal import Decimal

from decisions.access import access_terms, call_in_terms
from decisions.terms import Body, LocalityConfig
from notifications.documents.views import (
    PoolLineView,
    PoolStatementView,
    TermsClause,
    TermsView,
)

RULES = {
    "consensus": "Decisions are taken by consensus: a matter is agreed when no member present "
                 "and entitled to take part objects.",
    "majority": "Decisions are taken by a simple majority of the members present and voting.",
    "one_vote_per_partner": "Each partner has one block vote; a matter is agreed when every "
                            "partner votes for it.",
}


def _name(cfg: LocalityConfig, member_id: str) -> str:
    return cfg.member_by_id(member_id).name


def _money(value: Decimal) -> str:
    return f"£{value:,.0f}"


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _or(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def terms_view(cfg: LocalityConfig, body_id: str) -> TermsView:
    body = cfg.body_by_id(body_id)  # NotFound naming the known bodies
    partners = tuple(cfg.partner_by_id(p).name for p in body.partners)
    members = tuple((m.name, cfg.partner_by_id(m.partner).name) for m in cfg.members_of(body_id))
    return TermsView(body.name, cfg.locality.name, partners, members,
                     tuple(_clauses(cfg, body)))


def _clauses(cfg: LocalityConfig, b: Body) -> list[TermsClause]:
    d = b.deadlines
    # A partner that only attends (pools = false) is named apart on a joint body or board;
    # its own sovereign body is simply its own.
    attending = [] if b.kind == "sovereign" else [
        cfg.partner_by_id(p).name for p in b.partners if not cfg.pools(p)]
    pooling = [cfg.partner_by_id(p).name for p in b.partners
               if cfg.partner_by_id(p).name not in attending]
    out = [TermsClause("Status", (
        f"The {b.name} is the sovereign decision-making body of {pooling[0]}."
        if b.kind == "sovereign" else
        f"The {b.name} is a {'joint committee' if b.kind == 'joint' else 'partnership board'} "
        f"of {_and(pooling)}.",
        *((f"{_and(attending)} {'attends' if len(attending) == 1 else 'attend'} as a member "
           "but does not pool: it takes no part in approvals, gateway returns, signing the "
           "agreement or the risk share.",) if attending else ()),
        *((f"It reports to the {cfg.body_by_id(b.reports_to).name}.",) if b.reports_to else ()),
        *(("It is an executive body and takes key decisions, which are notified in the forward "
           "plan (SI 2012/2089).",) if b.executive else ()),
    ))]
    out.append(TermsClause("Membership", (
        f"The {b.name} has {len(cfg.members_of(b.id))} members, listed below.",
        *(("A member may send their named substitute, who counts and decides in their place.",)
          if b.substitutes_allowed else ()),
    )))
    if b.chair_rotation:
        chairs = " and ".join(_name(cfg, m) for m in b.chair_rotation)
        how = ("after each meeting held" if b.rotation_advances_by == "meeting_held"
               else "after each meeting a co-chair actually chairs")
        chair = (f"The {b.name} is jointly chaired by the {chairs}. The chair rotates between "
                 f"meetings, in that order, moving on {how}.",)
    else:
        chair = (f"The chair is the {_name(cfg, b.chair or '')}"
                 + (f"; the vice-chair is the {_name(cfg, b.vice_chair)}." if b.vice_chair
                    else "."),)
    out.append(TermsClause("Chair", chair))
    q = b.quorum
    out.append(TermsClause("Quorum", (
        f"The quorum is {q.min_members} members"
        + (f", including at least {q.min_per_partner} from each "
           + ("pooling partner" if attending else "partner") + "." if q.min_per_partner
           else "."),
        *((f"Members for {_and(attending)} "
           + ("count towards the quorum." if q.attending_count
              else "do not count towards the quorum."),) if attending else ()),
        "A member with a declared interest in an item takes no part in its discussion or vote "
        "and does not count towards the quorum for it, unless a dispensation is recorded "
        "(Localism Act 2011 s31, s33).",
        "If the meeting is not quorate for an item, the item is deferred.",
    )))
    decision = [RULES[b.decision_rule]]
    if attending and b.decision_rule == "one_vote_per_partner":
        decision = [f"Each partner that pools ({_and(pooling)}) has one block vote; a matter is "
                    "agreed when every one of them votes for it."]
    if attending:
        decision.append(f"Members for {_and(attending)} "
                        + ("vote as members of the committee." if b.attending_vote else
                           "take part in discussion but do not vote"
                           + (" or object." if b.decision_rule == "consensus" else ".")))
    if b.decision_rule in ("consensus", "one_vote_per_partner"):
        failed = ("Where consensus is not reached" if b.decision_rule == "consensus" else
                  "Where a partner does not vote for a matter")
        sovereign = _or([f"the {cfg.sovereign_body_of(p.id).name}"
                         for p in cfg.pooling_partners])
        decision.append(f"{failed} the decision is referred to the sovereign body of the "
                        f"partner that leads the matter ({sovereign}), or to each partner's "
                        "where it concerns the whole pool or lines led by several partners."
                        if b.on_no_consensus == "refer" else f"{failed} the proposal falls.")
    if b.casting_vote:
        decision.append("In the event of a tie the chair has a casting vote.")
    out.append(TermsClause("Decisions", tuple(decision)))
    if b.delegated_limit is not None:
        out.append(TermsClause("Delegation", (
            f"The {b.name} may commit up to {_money(b.delegated_limit)} under the scheme of "
            "delegation. A decision above that limit is referred to every "
            + ("pooling " if attending else "") + "partner's sovereign body.",)))
    if b.key_decision_threshold is not None:
        out.append(TermsClause("Key decisions", (
            f"A key decision is one involving spending or savings above "
            f"{_money(b.key_decision_threshold)}, or significant in two or more wards. It is "
            f"published in the forward plan {d.forward_plan_clear_days} clear days before it "
            "is taken (SI 2012/2089 reg 9); otherwise only under the general exception, 5 "
            "clear days after the chair of the overview and scrutiny committee is told (reg "
            "10), or in a case of special urgency that chair agrees to (reg 11).",)))
    if b.meetings is not None:
        m = b.meetings
        out.append(TermsClause("Meetings", (
            f"Ordinary meetings are held at {m.venue} at {m.time:%H:%M} on the schedule "
            f"{m.rule}; a meeting that falls on a bank holiday moves to the "
            f"{m.on_bank_holiday.replace('_', ' ')}.",)))
    out.append(TermsClause("Access to information", (
        access_terms(b),
    )))
    out.append(TermsClause("Deadlines", (
        f"Items for the agenda are notified {d.agenda_items_working_days} working days before "
        "a meeting.",
        f"Draft minutes are produced within {d.draft_minutes_working_days} working days and "
        "approved at the next meeting.",
        f"Decision notices are published within {d.decision_notice_working_days} working "
        "days.",
    )))
    out.append(TermsClause("Call-in", (call_in_terms(b),)))
    return out


def pool_view(cfg: LocalityConfig, period: str = "budget as set",
              forecasts: dict[str, Decimal] | None = None) -> PoolStatementView:
    """The pool's standing figures; ``forecasts`` (line id to forecast outturn) when known."""
    pool = cfg.pool
    partner_ids = tuple(p.id for p in cfg.partner)
    lines = []
    for ln in pool.line:
        contrib = tuple(None if isinstance(ln.contributions, str)
                        else ln.contributions.get(pid, Decimal(0)) for pid in partner_ids)
        lines.append(PoolLineView(ln.service, cfg.partner_by_id(ln.lead).name, contrib,
                                  ln.value, (forecasts or {}).get(ln.id)))
    if isinstance(pool.risk_share, dict):
        shares = tuple(Decimal(pool.risk_share.get(pid, 0)) for pid in partner_ids)
        basis = "a fixed split: " + ", ".join(
            f"{cfg.partner_by_id(pid).name} {s * 100:.0f}%" for pid, s in zip(
                partner_ids, shares, strict=True))
    else:
        totals = [sum((c for ln in lines if (c := ln.contributions[i]) is not None), Decimal(0))
                  for i in range(len(partner_ids))]
        whole = sum(totals, Decimal(0)) or Decimal(1)
        shares = tuple((t / whole).quantize(Decimal("0.0001")) for t in totals)
        basis = "in proportion to contributions"
    fund_manager = _name(cfg, pool.fund_manager) if pool.fund_manager else "not appointed"
    return PoolStatementView(
        pool.name, cfg.locality.name, pool.financial_year, period,
        cfg.partner_by_id(pool.host).name, fund_manager,
        tuple(cfg.partner_by_id(pid).name for pid in partner_ids), tuple(lines), basis, shares,
        ("Quarterly reports and an annual return go to every partner (SI 2000/617 reg 7).",))
