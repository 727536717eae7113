"""Moving the start date of the agreement (and so its signing deadline): every pooling
partner's decision to move it to the same date, each by its sovereign body, or one decision of
a joint body of all of them holding delegated authority for the agreement
(``delegated_stages`` including ``s75_approval``). Until the last partner decides, each
decision is recorded as awaiting the others and the start date does not move."""

from __future__ import annotations

from datetime import date

from sqlmodel import col, select

from decisions.errors import InvalidInput, RuleRefused
from decisions.terms import Body, LocalityConfig
from workflows.engine import describe
from workflows.events import UnitOfWork
from workflows.proposal.citations import cited_source
from workflows.proposal.events import StartMoved, StartMoveDecided
from workflows.proposal.queries import deadline_of, get_proposal, local_today, start_of
from workflows.proposal.tables import StartDateChangeRow
from workflows.tables import ProposalRow

RULE = "the start date (each partner's decision)"


def deciders(cfg: LocalityConfig, body: Body) -> list[str] | None:
    """The pooling partners ``body`` decides for: the partners whose sovereign body it is;
    None for a joint body of every pooling partner with delegated authority for the
    agreement (it decides for all)."""
    pooling = [p.id for p in cfg.pooling_partners]
    if body.kind != "sovereign" and "s75_approval" in body.delegated_stages and \
            all(p in body.partners for p in pooling):
        return None
    return [p for p in pooling if cfg.sovereign_body_of(p).id == body.id]


def _who_may(cfg: LocalityConfig) -> str:
    sovereign = ", ".join(cfg.sovereign_body_of(p.id).name for p in cfg.pooling_partners)
    joint = [b.name for b in cfg.body if deciders(cfg, b) is None]
    return f"each partner's sovereign body ({sovereign})" + (
        f" or, with delegated authority for the agreement, {' or '.join(joint)}" if joint
        else "")


def pending(uow: UnitOfWork, row: ProposalRow) -> list[StartDateChangeRow]:
    return list(uow.session.exec(select(StartDateChangeRow).where(
        StartDateChangeRow.proposal_id == row.id, StartDateChangeRow.variation == row.variation,
        col(StartDateChangeRow.applied).is_(False)).order_by(col(StartDateChangeRow.id))).all())


def move_start(uow: UnitOfWork, proposal_id: int, *, new_start: date, body_id: str,
               meeting_date: date, minute_ref: str, decision_id: int | None = None
               ) -> StartDateChangeRow:
    """Record ``body_id``'s decision to move the start to ``new_start``; the start moves (the
    signing deadline becoming the day before it) once every pooling partner has so decided."""
    s, cfg = uow.session, uow.config
    row = get_proposal(s, proposal_id)
    who = describe(row, "proposal")
    if row.state in ("live", "stopped", "withdrawn"):
        raise RuleRefused("the proposal workflow",
                          f"{who} is {row.state!r}; its start date can no longer move")
    body = cfg.body_by_id(body_id)
    partners = deciders(cfg, body)
    if partners == []:
        raise RuleRefused(RULE, f"--body: {body.name} ({body_id}) cannot move the start date "
                                f"of {who}; it is moved by {_who_may(cfg)}")
    if not minute_ref.strip():
        raise InvalidInput("--minute: give the minute reference of the decision")
    today = local_today(cfg, uow.now)
    if meeting_date > today:
        raise InvalidInput(f"--meeting-date: {meeting_date.isoformat()} is in the future")
    if new_start <= today:
        raise InvalidInput(f"--to: the new start {new_start.isoformat()} must be after today")
    cited_source(uow, body_id, meeting_date, decision_id)
    waiting = pending(uow, row)
    for w in waiting:
        if partners is not None and w.partner_id in partners:
            raise RuleRefused(RULE, f"{cfg.body_by_id(w.body_id).name} already decided on "
                                    f"{w.meeting_date.isoformat()} to move the start of {who} "
                                    f"to {w.new_start.isoformat()}; the other partners' "
                                    "decisions are awaited")
        if w.new_start != new_start:
            raise RuleRefused(RULE, f"--to: {cfg.body_by_id(w.body_id).name} decided on "
                                    f"{w.meeting_date.isoformat()} to move the start of {who} "
                                    f"to {w.new_start.isoformat()}, not {new_start.isoformat()}"
                                    "; every partner decides the same new start date")
    old = start_of(cfg, row)
    change = StartDateChangeRow(proposal_id=proposal_id, variation=row.variation,
                                old_start=old, new_start=new_start, body_id=body_id,
                                partner_id=partners[0] if partners and len(partners) == 1
                                else None, applied=False,
                                meeting_date=meeting_date, minute_ref=minute_ref.strip(),
                                decision_id=decision_id, recorded_at=uow.now,
                                recorded_by=uow.actor)
    s.add(change)
    s.flush()
    decided = {p for w in [*waiting, change] for p in
               (deciders(cfg, cfg.body_by_id(w.body_id)) or [x.id for x in cfg.pooling_partners])}
    awaiting = tuple(p.id for p in cfg.pooling_partners if p.id not in decided)
    if awaiting:
        assert partners
        uow.emit(StartMoveDecided(proposal_id=proposal_id, partner_id=partners[0],
                                  body_id=body_id, new_start=new_start,
                                  meeting_date=meeting_date, minute_ref=change.minute_ref,
                                  decision_id=decision_id, awaiting=awaiting))
        return change
    for w in [*waiting, change]:
        w.applied = True
        s.add(w)
    row.start_date = new_start
    row.start_moved = True
    s.add(row)
    s.flush()
    uow.emit(StartMoved(proposal_id=proposal_id, old_start=old, start_date=new_start,
                        body_id=body_id, meeting_date=meeting_date, minute_ref=change.minute_ref,
                        decision_id=decision_id, signing_deadline=deadline_of(cfg, row)))
    return change


def awaiting(uow: UnitOfWork, row: ProposalRow) -> list[str]:
    """Pooling partners still to decide a pending move of the start date (names)."""
    waiting = pending(uow, row)
    if not waiting:
        return []
    cfg = uow.config
    decided = {p for w in waiting for p in (deciders(cfg, cfg.body_by_id(w.body_id)) or [])}
    return [f"{p.name} ({cfg.sovereign_body_of(p.id).name})" for p in cfg.pooling_partners
            if p.id not in decided]
