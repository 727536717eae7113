"""Public access to meetings and papers: which business is exempt (Part 2).

The one home of the rule "this item is exempt from the public"; every layer asks
:func:`is_exempt` rather than comparing ``part`` itself.
"""

from __future__ import annotations

from typing import Protocol

PUBLIC_PART = 1
EXEMPT_PART = 2
"""Part 2 of an agenda: business from which the public are excluded (LGA 1972 s100A(4),
Schedule 12A; for NHS boards the Public Bodies (Admission to Meetings) Act 1960 s1(2))."""


class HasPart(Protocol):
    @property
    def part(self) -> int: ...


def is_exempt(thing: HasPart | int) -> bool:
    """True for Part 2 (exempt) business: an item, a view of one, or a part number."""
    part = thing if isinstance(thing, int) else thing.part
    return part == EXEMPT_PART
