"""The proposal lifecycle's rules as plain functions over plain data (no I/O).

Sources: seeds file 001 (three formal approvals through each partner's own governance, signed
by 31 March), file 002 (monthly gateways: partners confirm they remain comfortable to proceed),
file 003 (signed by named officers), SI 2000/617 reg 7 (what the agreement must contain).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from decisions.terms import Body, LocalityConfig

STAGES: dict[str, str] = {
    "approval_in_principle": "Approval in principle",
    "heads_of_terms": "Heads of terms",
    "s75_approval": "The s75 agreement",
    "variation": "The annual variation",
}
"""States in which partners' approvals are recorded; the stage is named after the state."""

DECISIONS = ("go", "go_with_conditions", "pause", "stop")

REG7_CHECKLIST: dict[str, str] = {
    "aims_and_outcomes": "the aims and outcomes of the arrangements",
    "contributions": "each partner's contributions and how they may be varied",
    "functions": "the NHS and health-related functions included",
    "people_and_services": "the people and services the arrangements cover",
    "staff_goods_accommodation": "the staff, goods, services and accommodation provided",
    "duration": "the duration of the arrangements",
    "review": "how the arrangements are reviewed",
    "variation": "how the arrangements may be varied",
    "termination": "how the arrangements may be terminated",
    "fund_management": "how the pooled fund is managed and monitored",
    "host_and_fund_manager": "the host partner and the pooled fund manager",
    "reports_and_returns": "quarterly reports and an annual return to the partners",
}
"""What a Section 75 agreement must cover: SI 2000/617 reg 7 (DESIGN.md §2)."""


# Approvals ---------------------------------------------------------------------------------
def approving_bodies(config: LocalityConfig, partner_id: str, stage: str) -> list[Body]:
    """Bodies whose decision counts as ``partner_id``'s approval of ``stage``: its sovereign
    body, and any joint body of which it is a partner holding delegated authority for it."""
    sovereign = config.sovereign_body_of(partner_id)
    out = [sovereign]
    for body in config.body:
        if body.id != sovereign.id and partner_id in body.partners and \
                stage in body.delegated_stages:
            out.append(body)
    return out


def approval_refusal(config: LocalityConfig, partner_id: str, body_id: str,
                     stage: str) -> str | None:
    """None if ``body_id`` may approve ``stage`` for ``partner_id``; else why not, in words."""
    bodies = approving_bodies(config, partner_id, stage)
    if any(b.id == body_id for b in bodies):
        return None
    partner = config.partner_by_id(partner_id)
    names = " or ".join(f"{b.name} ({b.id})" for b in bodies)
    return (f"{STAGES.get(stage, stage)} is approved for {partner.name} by {names}, not "
            f"{body_id!r}: a joint body may approve only a stage it holds delegated authority "
            "for (body.delegated_stages in config)")


def missing_approvals(config: LocalityConfig, stage: str, approved: Iterable[str]) -> list[str]:
    """One line per partner that has not approved ``stage``, e.g. "Heads of terms needs approval
    from NHS Bolton CCG (CCG Board)"."""
    done = set(approved)
    out = []
    for p in config.pooling_partners:
        if p.id not in done:
            names = " or ".join(b.name for b in approving_bodies(config, p.id, stage))
            out.append(f"{STAGES.get(stage, stage)} needs approval from {p.name} ({names})")
    return out


def attending_refusal(config: LocalityConfig, partner_id: str, what: str) -> str | None:
    """None if the partner pools; else why it takes no part in ``what`` (approvals, gateway
    returns, signing)."""
    if config.pools(partner_id):
        return None
    name = config.partner_by_id(partner_id).name
    pooling = ", ".join(p.id for p in config.pooling_partners)
    return (f"--partner: {name} ({partner_id}) attends but does not pool (config partner.pools "
            f"= false), so it takes no part in {what}; the partners that pool: {pooling}")


# Gateways ----------------------------------------------------------------------------------
def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def next_month(month: date) -> date:
    return (month_end(month) + timedelta(days=1)).replace(day=1)


def months_between(first: date, last: date) -> list[date]:
    """First days of each month from ``first``'s month to ``last``'s month inclusive."""
    out: list[date] = []
    m, end = month_start(first), month_start(last)
    while m <= end:
        out.append(m)
        m = next_month(m)
    return out


@dataclass(frozen=True)
class MonthStatus:
    month: date
    rag: str
    """green (every partner go) | amber (conditions or a pause) | red (a stop, or missed) |
    due (the current month, not yet complete)"""
    summary: str
    returns: Mapping[str, str]
    late: Mapping[str, str] = field(default_factory=dict)
    """Partner -> why its return was recorded after the month was marked missed."""


def gateway_month_status(month: date, partners: Sequence[str], returns: Mapping[str, str],
                         today: date, late: Mapping[str, str] | None = None) -> MonthStatus:
    """RAG of one month's gateway given each partner's return so far; returns recorded late
    (after the month was marked missed) are named in the summary."""
    st = _month_status(month, partners, returns, today)
    if not late:
        return st
    said = "; ".join(f"{p}: {why}" for p, why in late.items())
    return MonthStatus(month, st.rag, f"{st.summary}; recorded late ({said})", returns,
                       dict(late))


def month_missed(month: date, today: date) -> bool:
    """A month's gateway is marked missed once the month has ended without every return."""
    return month_end(month) < today


def _month_status(month: date, partners: Sequence[str], returns: Mapping[str, str],
                  today: date) -> MonthStatus:
    missing = [p for p in partners if p not in returns]
    decisions = set(returns.values())
    if "stop" in decisions:
        who = ", ".join(p for p, d in returns.items() if d == "stop")
        return MonthStatus(month, "red", f"stop ({who})", returns)
    if missing:
        if month_end(month) < today:
            text = "missed: no gateway held" if not returns else \
                f"missed: no return from {', '.join(missing)}"
            return MonthStatus(month, "red", text, returns)
        return MonthStatus(month, "due", f"due by {month_end(month).isoformat()}; awaiting "
                           f"{', '.join(missing)}", returns)
    if "pause" in decisions:
        who = ", ".join(p for p, d in returns.items() if d == "pause")
        return MonthStatus(month, "amber", f"pause ({who})", returns)
    if "go_with_conditions" in decisions:
        who = ", ".join(p for p, d in returns.items() if d == "go_with_conditions")
        return MonthStatus(month, "amber", f"go with conditions ({who})", returns)
    return MonthStatus(month, "green", "go", returns)


def consecutive_go(statuses: Sequence[MonthStatus]) -> int:
    """Green months in a row up to the latest month (a current month still due is skipped)."""
    run = 0
    seq = list(statuses)
    if seq and seq[-1].rag == "due":
        seq.pop()
    for st in reversed(seq):
        if st.rag != "green":
            break
        run += 1
    return run


# Signing -----------------------------------------------------------------------------------
def default_start(config: LocalityConfig, variation: int = 0) -> date:
    """The pool's financial year start (``pool.financial_year``), one year on per variation."""
    month, day = (int(x) for x in config.locality.financial_year_start.split("-"))
    return date(config.pool.start_year + variation, month, day)


def signing_deadline(config: LocalityConfig, start: date, moved: bool = False) -> date:
    """The last day to sign: ``locality.signing_deadline`` (default 31 March) before ``start``;
    when a recorded decision moved the start date, the day before the new start."""
    if moved:
        return start - timedelta(days=1)
    month, day = (int(x) for x in config.locality.signing_deadline.split("-"))
    deadline = date(start.year, month, day)
    if deadline >= start:
        deadline = date(start.year - 1, month, day)
    return deadline


def checklist_missing(marked_present: Iterable[str]) -> list[str]:
    done = set(marked_present)
    return [k for k in REG7_CHECKLIST if k not in done]
