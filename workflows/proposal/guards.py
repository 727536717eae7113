"""Guards and effects of the proposal lifecycle (named in definitions/proposal.toml)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value

from workflows.events import UnitOfWork
from workflows.guards import effect, guard
from workflows.proposal.queries import (
    approvals,
    checklist_present,
    deadline_of,
    gateway_status,
    latest_returns,
    local_today,
    open_conditions,
    signatures,
    start_of,
)
from workflows.proposal.rules import (
    REG7_CHECKLIST,
    STAGES,
    checklist_missing,
    consecutive_go,
    missing_approvals,
    month_end,
    month_start,
    next_month,
)
from workflows.tables import ProposalRow

READS_RETURNS = frozenset({"consecutive_go_gateways", "no_partner_paused"})
"""Guards that read the proposal's gateway returns: a trigger with one of them reads the
returns with the proposal, in one statement (workflows/proposal/loading.py)."""
_READS: dict[str, bool] = {}


def reads_returns(trigger: str) -> bool:
    """Whether a transition fired by ``trigger`` (from any state) has a guard in
    :data:`READS_RETURNS`."""
    found = _READS.get(trigger)
    if found is None:
        from workflows.definition import load_definition

        defn = load_definition("proposal")
        found = _READS[trigger] = any(g in READS_RETURNS for t in defn.transitions
                                      if t.trigger == trigger for g in t.guards)
    return found


@guard("approved_by_every_partner")
def _approved(subject: ProposalRow, facts: Mapping[str, Any], uow: UnitOfWork) -> str | None:
    """Every partner has approved the stage the proposal is in, through its sovereign body or a
    joint body with delegated authority for the stage."""
    stage = subject.state
    if stage not in STAGES:
        return f"{stage!r} is not a stage partners approve"
    done = [a.partner_id for a in approvals(uow.session, subject, stage)]
    missing = missing_approvals(uow.config, stage, done)
    return "\n".join(missing) or None


@guard("consecutive_go_gateways")
def _go_gateways(subject: ProposalRow, facts: Mapping[str, Any], uow: UnitOfWork) -> str | None:
    assert subject.id is not None
    need = uow.config.locality.consecutive_go_gateways
    months = gateway_status(uow.session, subject.id, local_today(uow.config, uow.now))
    run = consecutive_go(months)
    if run >= need:
        return None
    held = [m for m in months if m.rag != "due"]
    broke = held[len(held) - run - 1] if len(held) > run else None
    last = f"; {broke.month:%B %Y} was {broke.summary}" if broke else ""
    return (f"s75 drafting needs {need} consecutive go gateways (every partner go); "
            f"there {'is' if run == 1 else 'are'} {run} in a row{last}")


@guard("no_open_conditions")
def _no_open(subject: ProposalRow, facts: Mapping[str, Any], uow: UnitOfWork) -> str | None:
    assert subject.id is not None
    conds = open_conditions(uow.session, subject.id)
    if not conds:
        return None
    listed = "; ".join(f"#{c.id} {c.text!r} (owner {c.owner_id}, due {c.due.isoformat()})"
                       for c in conds)
    return f"{len(conds)} gateway condition(s) still open: {listed}"


@guard("no_partner_paused")
def _no_pause(subject: ProposalRow, facts: Mapping[str, Any], uow: UnitOfWork) -> str | None:
    assert subject.id is not None
    paused = [p for p, d in latest_returns(uow, subject.id).items() if d == "pause"]
    if not paused:
        return None
    return f"paused until {', '.join(paused)} return{'s' if len(paused) == 1 else ''} go at a " \
           "gateway"


@guard("checklist_complete")
def _checklist(subject: ProposalRow, facts: Mapping[str, Any], uow: UnitOfWork) -> str | None:
    missing = checklist_missing(checklist_present(uow.session, subject))
    if not missing:
        return None
    return ("the agreement must cover every SI 2000/617 reg 7 item; not yet marked present: "
            + "; ".join(f"{k} ({REG7_CHECKLIST[k]})" for k in missing))


@guard("signed_by_every_partner")
def _signed(subject: ProposalRow, facts: Mapping[str, Any], uow: UnitOfWork) -> str | None:
    done = {s.partner_id for s in signatures(uow.session, subject)}
    missing = []
    for p in uow.config.pooling_partners:
        if p.id not in done:
            who = uow.config.member_by_id(p.authorised_signatory).name
            missing.append(f"{p.name} ({who})")
    if not missing:
        return None
    return f"the agreement needs signing for {', '.join(missing)}"


def _set(uow: UnitOfWork, subject: ProposalRow, **values: Any) -> None:
    uow.session.exec(update(ProposalRow).where(ProposalRow.id == subject.id)  # type: ignore[arg-type]
                     .values(**values).execution_options(synchronize_session=False))
    for key, value in values.items():
        set_committed_value(subject, key, value)


@effect("start_shadow")
def _start_shadow(subject: ProposalRow, facts: Mapping[str, Any], uow: UnitOfWork
                  ) -> dict[str, Any]:
    today = local_today(uow.config, uow.now)
    _set(uow, subject, shadow_start=month_start(today), shadow_end=None)
    return {"next_gateway_month": today.strftime("%Y-%m"),
            "gateway_due": month_end(today).isoformat()}


@effect("end_shadow")
def _end_shadow(subject: ProposalRow, facts: Mapping[str, Any], uow: UnitOfWork
                ) -> dict[str, Any]:
    if subject.shadow_start is not None and subject.shadow_end is None:
        _set(uow, subject, shadow_end=local_today(uow.config, uow.now))
    return {}


@effect("next_gateway")
def _next_gateway(subject: ProposalRow, facts: Mapping[str, Any], uow: UnitOfWork
                  ) -> dict[str, Any]:
    nxt = next_month(local_today(uow.config, uow.now))
    return {"next_gateway_month": nxt.strftime("%Y-%m"), "gateway_due": month_end(nxt).isoformat()}


@effect("signing_deadline")
def _deadline(subject: ProposalRow, facts: Mapping[str, Any], uow: UnitOfWork
              ) -> dict[str, Any]:
    return {"signing_deadline": deadline_of(uow.config, subject).isoformat(),
            "start_date": start_of(uow.config, subject).isoformat()}


@effect("open_variation")
def _open_variation(subject: ProposalRow, facts: Mapping[str, Any], uow: UnitOfWork
                    ) -> dict[str, Any]:
    """An annual variation: a new round of approvals, checklist and signatures, taking effect
    a year after the current start."""
    start = start_of(uow.config, subject)
    new_start = start.replace(year=start.year + 1)
    _set(uow, subject, variation=subject.variation + 1, start_date=new_start, start_moved=False)
    return {"variation": subject.variation, "start_date": new_start.isoformat(),
            "signing_deadline": deadline_of(uow.config, subject).isoformat()}


@effect("close_variation")
def _close_variation(subject: ProposalRow, facts: Mapping[str, Any], uow: UnitOfWork
                     ) -> dict[str, Any]:
    """Abandoning a variation: back to the previous round's terms and start date."""
    start = start_of(uow.config, subject)
    _set(uow, subject, variation=max(subject.variation - 1, 0),
         start_date=start.replace(year=start.year - 1), start_moved=False)
    return {"variation": subject.variation}
