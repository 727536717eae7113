"""Quorum, checked per item: the body's minimum number of members and, for a joint body, the
minimum from each partner (typical joint committee terms of reference), leaving out members who
may not take part in the item because of a declared interest (Localism Act 2011 s31; NHS
England, Managing Conflicts of Interest in the NHS, 2017). A named substitute counts in the
member's place only where the terms of reference allow substitutes. People "in attendance"
(officers, advisers) never count. Members for a partner that only attends (``pools = false``)
count towards the minimum only where the terms say so (``quorum.attending_count``), and the
minimum per partner is asked of the pooling partners alone.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Literal

from decisions.errors import InvalidInput
from decisions.terms import Body, LocalityConfig

Capacity = Literal["member", "substitute", "in_attendance"]


@dataclass(frozen=True)
class Attendee:
    member_id: str
    partner: str
    capacity: Capacity
    substitute_for: str | None = None

    @property
    def seat(self) -> str:
        """The member whose seat this attendee fills (themselves, or the member substituted)."""
        return self.substitute_for if self.capacity == "substitute" and self.substitute_for \
            else self.member_id


@dataclass(frozen=True)
class QuorumResult:
    quorate: bool
    counted: tuple[str, ...]
    per_partner: dict[str, int]
    shortfalls: tuple[str, ...]
    not_counted: dict[str, str] = field(default_factory=dict)
    """Attendee id -> why they do not count for this item."""

    def explain(self) -> str:
        if self.quorate:
            return f"quorate: {len(self.counted)} members count"
        return "inquorate: " + "; ".join(self.shortfalls)


def _who(cfg: LocalityConfig, member_id: str) -> str:
    """A member in words ("Dr Colin Mercer, GP Board Director (1)"); a name typed for
    someone who is not a member stays as typed."""
    return next((m.display for m in cfg.member if m.id == member_id), member_id)


def _counts(body: Body, cfg: LocalityConfig, a: Attendee, seated: set[str],
            excluded: Collection[str]) -> str | None:
    """None if the attendee counts for the item, else the reason they do not."""
    if a.capacity == "in_attendance":
        return "in attendance only"
    if a.member_id in excluded:
        return "declared an interest in this item"
    partner = cfg.member_by_id(a.seat).partner if a.seat in seated else a.partner
    if not cfg.pools(partner) and not body.quorum.attending_count:
        return (f"attends for {cfg.partner_by_id(partner).name}, which does not pool; the terms "
                f"of reference of the {body.name} do not count attending partners for quorum")
    if a.capacity == "member":
        if a.member_id not in seated:
            return f"not a member of the {body.name}"
        return None
    if not body.substitutes_allowed:
        return f"the terms of reference of the {body.name} do not allow substitutes"
    if a.substitute_for is None or a.substitute_for not in seated:
        return (f"substitute for {_who(cfg, a.substitute_for or '')}, who is not a member of "
                f"the {body.name}")
    named = cfg.member_by_id(a.substitute_for).substitute
    if named != a.member_id:
        return (f"not the named substitute for {_who(cfg, a.substitute_for)} (named: "
                f"{_who(cfg, named) if named else 'none'})")
    if a.substitute_for in excluded:
        return (f"{_who(cfg, a.substitute_for)}, whose seat this is, declared an interest in "
                "this item")
    return None


def quorum_for_item(body: Body, cfg: LocalityConfig, attendees: Sequence[Attendee],
                    excluded: Collection[str]) -> QuorumResult:
    """Whether the item is quorate with these attendees, leaving out ``excluded`` members
    (those who may not take part because of an interest; see
    :func:`decisions.interests.excluded_from_item`)."""
    seated = {m.id for m in cfg.members_of(body.id)}
    counted: list[str] = []
    seats: set[str] = set()
    not_counted: dict[str, str] = {}
    per_partner = {p: 0 for p in body.partners}
    present_members = {a.member_id for a in attendees if a.capacity == "member"}
    for a in attendees:
        if a.capacity == "substitute" and a.substitute_for in present_members:
            not_counted[a.member_id] = f"{_who(cfg, a.substitute_for or '')} is present in person"
            continue
        why = _counts(body, cfg, a, seated, excluded)
        if why is None and a.seat in seats:
            why = f"the seat of {_who(cfg, a.seat)} is already counted"
        if why is not None:
            not_counted[a.member_id] = why
            continue
        seats.add(a.seat)
        counted.append(a.member_id)
        partner = cfg.member_by_id(a.seat).partner
        if partner not in per_partner:
            raise InvalidInput(f"attendee {_who(cfg, a.member_id)}: partner {partner!r} is not "
                               f"a partner of the {body.name} ({', '.join(body.partners)})")
        per_partner[partner] += 1

    shortfalls: list[str] = []
    need = body.quorum.min_members
    if len(counted) < need:
        detail = ""
        if not_counted:
            detail = ": " + "; ".join(f"{_who(cfg, m)} does not count ({why})"
                                      for m, why in not_counted.items())
        shortfalls.append(f"needs {need} members, {len(counted)} can count{detail}")
    if body.quorum.min_per_partner:
        for pid in (p for p in body.partners if cfg.pools(p)):
            if per_partner[pid] < body.quorum.min_per_partner:
                name = cfg.partner_by_id(pid).name
                shortfalls.append(f"needs {body.quorum.min_per_partner} from {name}, "
                                  f"{per_partner[pid]} can count")
    return QuorumResult(not shortfalls, tuple(counted), per_partner, tuple(shortfalls),
                        not_counted)
