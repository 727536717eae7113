"""Who and what the demo's year is about, read from any valid locality config: the joint body,
each partner's sovereign body, the line a consensus failure is about, the officers involved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from decisions.calendar import WorkingCalendar
from decisions.errors import InvalidInput
from decisions.meetings import scheduled_meetings
from decisions.terms import Body, LocalityConfig, PoolLine


@dataclass(frozen=True)
class Cast:
    cfg: LocalityConfig
    joint: Body
    sovereign: dict[str, Body]  # partner id -> its sovereign body
    nhs_partner: str
    referral_line: PoolLine
    expansion_line: PoolLine | None

    def members(self, body_id: str) -> list[str]:
        return [m.id for m in self.cfg.members_of(body_id)]

    def partner_members(self, body_id: str, partner_id: str) -> list[str]:
        return [m.id for m in self.cfg.members_of(body_id) if m.partner == partner_id]

    def officer(self, partner_id: str) -> str:
        """An officer of the partner to own actions and conditions (its signatory)."""
        return self.cfg.partner_by_id(partner_id).authorised_signatory


def cast_for(cfg: LocalityConfig) -> Cast:
    joints = [b for b in cfg.body if b.kind == "joint" and b.meetings is not None]
    if not joints:
        raise InvalidInput("demo: the config needs a [[body]] with kind = \"joint\" and a "
                           "meetings schedule (the committee the year is about)")
    joint = joints[0]
    sovereign = {p.id: cfg.sovereign_body_of(p.id) for p in cfg.pooling_partners}
    pooling = cfg.pooling_partners
    nhs = next((p.id for p in pooling if p.kind == "nhs"), pooling[-1].id)
    lines = [ln for ln in cfg.pool.line if not ln.is_tbc]
    if not lines:
        raise InvalidInput("demo: the pool needs at least one line with contributions")
    referral_line = next((ln for ln in lines if ln.lead == nhs), lines[0])
    expansion = next((ln for ln in cfg.pool.line if ln.is_tbc), None)
    return Cast(cfg, joint, sovereign, nhs, referral_line, expansion)


def meeting_days(body: Body, cfg: LocalityConfig, cal: WorkingCalendar, start: date,
                 end: date) -> list[date]:
    """The body's scheduled meeting days in [start, end); a body without a schedule meets on
    the first working day of each month."""
    if body.meetings is not None:
        return [p.local_date for p in scheduled_meetings(body, start, end - timedelta(days=1), cal,
                                                         cfg.locality.timezone)]
    out, day = [], start
    while day < end:
        out.append(cal.next_working_day(day.replace(day=1)))
        day = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
    return [d for d in out if start <= d < end]


def first_on_or_after(days: list[date], when: date) -> date:
    for d in days:
        if d >= when:
            return d
    raise InvalidInput(f"demo: no meeting is scheduled on or after {when:%d %B %Y}")


def stage(state: str) -> str:
    """A proposal stage as the log prints it ("shadow_operation" -> "shadow operation")."""
    from workflows.definition import load_definition

    states = load_definition("proposal").states
    return (states[state].label if state in states else state.replace("_", " ")).lower()
