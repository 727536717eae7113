"""Referral when consensus fails (file 003, para 4.4: "the previously 'responsible' Board/
Cabinet have the decision referred to them"): to the sovereign body of the partner that leads
the affected pool line, or to every pooling partner's sovereign body when lines led by several
partners, or the whole pool, are affected (never to a partner that only attends). The referral
is placed on that body's next meeting whose item deadline has not passed; when it has none, on
the first one scheduled later (workflows/committee/referrals.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from decisions.errors import InvalidInput
from decisions.terms import Body, LocalityConfig


@dataclass(frozen=True)
class MeetingSlot:
    meeting_id: int
    body_id: str
    starts_at: datetime
    item_deadline: datetime
    """The instant after which items are too late (e.g. the end of the deadline day, UTC)."""


def referral_bodies(cfg: LocalityConfig, body: Body,
                    affected_lines: Sequence[str] | None) -> list[str]:
    """Body ids to which a failed decision of ``body`` is referred. ``affected_lines`` are pool
    line ids; None (or empty) means the whole pool."""
    lines = {line.id: line for line in cfg.pool.line}
    if affected_lines:
        unknown = [ln for ln in affected_lines if ln not in lines]
        if unknown:
            raise InvalidInput(f"lines: {', '.join(unknown)} not in the pool; expected pool line "
                               f"ids: {', '.join(lines)}")
        leads = {lines[ln].lead for ln in affected_lines}
        if len(leads) == 1:
            return [cfg.sovereign_body_of(leads.pop()).id]
    partners = [p for p in body.partners if cfg.pools(p)]  # a partner that only attends: no
    for line in cfg.pool.line:
        if line.lead not in partners:
            partners.append(line.lead)
    bodies: list[str] = []
    for pid in partners:
        sid = cfg.sovereign_body_of(pid).id
        if sid not in bodies:
            bodies.append(sid)
    return bodies


def referral_reason(cfg: LocalityConfig, body: Body, affected_lines: Sequence[str] | None,
                    target: str) -> str:
    """A sentence for the referral item and the minutes."""
    target_name = cfg.body_by_id(target).name
    if affected_lines:
        services = "; ".join(next(ln.service for ln in cfg.pool.line if ln.id == lid)
                             for lid in affected_lines)
        what = f"the pool line(s) {services}"
    else:
        what = "the whole pool"
    failed = ("the partners' votes did not all agree" if body.decision_rule ==
              "one_vote_per_partner" else "consensus could not be reached")
    return (f"Referred by {body.name} to {target_name}: {failed} on a "
            f"decision affecting {what}; under the terms of reference the decision goes to the "
            "previously responsible Board or Cabinet.")


def next_open_meeting(slots: Sequence[MeetingSlot], body_id: str,
                      now: datetime) -> MeetingSlot | None:
    """The body's next meeting whose item deadline has not passed at ``now``."""
    open_ = [s for s in slots
             if s.body_id == body_id and now < s.item_deadline and now < s.starts_at]
    return min(open_, key=lambda s: s.starts_at, default=None)
