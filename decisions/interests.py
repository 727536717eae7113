"""Interests: a dated register per member, and declarations per item at the meeting with how
each was managed.

- A member with a disclosable pecuniary interest in an item may not take part in its discussion
  or vote unless a dispensation has been granted (Localism Act 2011 s31(4), s33).
- Minutes record who declared what interest, on which item, and how it was managed (NHS
  England, Managing Conflicts of Interest in the NHS, 2017).
- A member who left the room or took no part does not count towards the item's quorum and does
  not vote; one who took part (a non-pecuniary interest, or a pecuniary one with a dispensation)
  counts and votes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal, get_args

from decisions.errors import InvalidInput, RuleRefused

Nature = Literal["pecuniary", "non_pecuniary", "indirect"]
Managed = Literal["left_room", "no_vote", "took_part"]
NATURES: tuple[str, ...] = get_args(Nature)
MANAGED: tuple[str, ...] = get_args(Managed)
MANAGED_LABELS = {
    "left_room": "left the room for the item",
    "no_vote": "remained but took no part in the discussion or vote",
    "took_part": "took part",
}


@dataclass(frozen=True)
class RegisteredInterest:
    member_id: str
    nature: Nature
    description: str
    registered_on: date


@dataclass(frozen=True)
class Declaration:
    member_id: str
    item_ref: str
    nature: Nature
    description: str
    managed: Managed
    dispensation_by: str | None = None
    dispensation_reason: str | None = None

    @property
    def has_dispensation(self) -> bool:
        return bool(self.dispensation_by and self.dispensation_reason)

    def minute(self) -> str:
        """The sentence the minutes carry for this declaration."""
        nature = self.nature.replace("_", "-")
        text = (f"{self.member_id} declared a {nature} interest in item {self.item_ref} "
                f"({self.description}) and {MANAGED_LABELS[self.managed]}")
        if self.has_dispensation:
            text += (f", under a dispensation granted by {self.dispensation_by} "
                     f"({self.dispensation_reason})")
        return text + "."


def _check_choice(field: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise InvalidInput(f"{field}: {value!r} is not valid; expected one of {', '.join(allowed)}")


def validate_registered_interest(interest: RegisteredInterest) -> None:
    _check_choice("nature", interest.nature, NATURES)
    if not interest.description.strip():
        raise InvalidInput("description: missing; say what the interest is "
                           "(e.g. 'Director of Bolton Care Ltd')")


def validate_declaration(decl: Declaration) -> None:
    """Raises InvalidInput for a malformed declaration and RuleRefused where a member with a
    pecuniary interest took part without a recorded dispensation."""
    _check_choice("nature", decl.nature, NATURES)
    _check_choice("managed", decl.managed, MANAGED)
    if not decl.description.strip():
        raise InvalidInput("description: missing; say what the interest is")
    given = [bool(decl.dispensation_by and decl.dispensation_by.strip()),
             bool(decl.dispensation_reason and decl.dispensation_reason.strip())]
    if any(given) and not all(given):
        raise InvalidInput(
            "dispensation: give both who granted it (dispensation_by) and why "
            "(dispensation_reason), or neither"
        )
    if decl.managed == "took_part" and decl.nature == "pecuniary" and not decl.has_dispensation:
        raise RuleRefused(
            "Localism Act 2011 s31(4) and s33",
            f"{decl.member_id} has a pecuniary interest in item {decl.item_ref} and may take "
            "part in its discussion or vote only under a dispensation; record who granted it "
            "and why (s33), or record that the member left the room or took no part",
        )


def excluded_from_item(declarations: Iterable[Declaration]) -> frozenset[str]:
    """Members who neither count towards the item's quorum nor vote on it: those who left the
    room or took no part."""
    return frozenset(d.member_id for d in declarations if d.managed != "took_part")


