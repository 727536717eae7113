"""What every part of the configuration shares: the shape of ids, the limits on days and
money, the strict base model and :class:`Problem` (one thing wrong with a configuration)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
TBC = "tbc"
MAX_DAYS = 366
"""No deadline, reminder or lead time in a locality's config is longer than a year."""
MAX_POUNDS = Decimal("1e12")
"""The money columns hold 12 digits of pounds (and 2 of pence)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a configuration: where, what was found, what would be valid."""

    path: str
    value: object
    allowed: str

    def __str__(self) -> str:
        if self.value is None:
            return f"{self.path}: {self.allowed}"
        return f"{self.path}: {self.value!r} is not valid; {self.allowed}"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


