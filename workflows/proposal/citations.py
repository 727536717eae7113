"""What a partner's approval of a stage, or its decision to move the start date, cites: a
decision recorded in s75 at a held meeting of the body (``--decision``), or, for a body whose
meetings are not recorded in s75, its minute reference and date, marked as recorded from
outside. A meeting of the body on that date that s75 holds but that was not held, or that was
held but is not cited by its decision, is refused."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from decisions.errors import InvalidInput, RuleRefused
from workflows.committee import common
from workflows.committee.tables import DecisionRow, MeetingRow
from workflows.events import UnitOfWork

RULE = "the record of the decision"
CARRIED = ("approved", "amended")
DECISION = "decision"
OUTSIDE = "outside"
"""ApprovalRow.source: a decision recorded in s75, or a minute recorded from outside it."""


def cited_source(uow: UnitOfWork, body_id: str, meeting_date: date,
                 decision_id: int | None) -> str:
    """``"decision"`` or ``"outside"``; RuleRefused / InvalidInput when the citation does not
    hold (naming the decision or meeting, its state and what would be valid)."""
    cfg, s = uow.config, uow.session
    body = cfg.body_by_id(body_id)
    if decision_id is not None:
        d = common.decision(s, decision_id, "--decision")
        if d.body_id != body_id:
            other = cfg.body_by_id(d.body_id).name if d.body_id else "no body"
            raise RuleRefused(RULE, f"--decision: decision {d.id} was taken by {other}, not "
                                    f"{body.name} (--body {body_id})")
        m = common.meeting(s, d.meeting_id or 0)
        if m.status != "held":
            raise RuleRefused(RULE, f"--decision: decision {d.id} is recorded at "
                                    f"{common.describe_meeting(cfg, m)}, which was not held "
                                    f"(it is {m.status}); record the meeting as held "
                                    f"('s75 meeting hold {m.id}') before citing its decisions")
        if d.outcome not in CARRIED:
            raise RuleRefused(RULE, f"--decision: decision {d.id} was {d.outcome!r}, not "
                                    "approved; an approval cites a decision that approved "
                                    "(approved or amended)")
        on = d.decision_date or m.local_date or common.local_day(cfg, m.starts_at)
        if on != meeting_date:
            raise InvalidInput(f"--meeting-date: {meeting_date.isoformat()} is not the date "
                               f"of decision {d.id} ({on.isoformat()})")
        return DECISION
    same_day = [m for m in s.exec(select(MeetingRow).where(MeetingRow.body_id == body_id)).all()
                if (m.local_date or common.local_day(cfg, m.starts_at)) == meeting_date]
    for m in same_day:
        if m.status != "held":
            raise RuleRefused(RULE, f"--meeting-date: {common.describe_meeting(cfg, m)} was "
                                    f"not held (it is {m.status}); cite a decision of a held "
                                    "meeting (--decision)")
        ids = [d.id for d in s.exec(select(DecisionRow).where(
            DecisionRow.meeting_id == m.id)).all() if d.outcome in CARRIED]
        raise RuleRefused(RULE, f"--decision: missing; {common.describe_meeting(cfg, m)} is "
                                "recorded in s75, so cite the decision it took (--decision; "
                                f"approving decisions there: {ids or 'none'})")
    return OUTSIDE
