"""The pool in the configuration (``[pool]`` and its ``[[pool.line]]``s) and the checks that
its partners resolve, its numbers agree and only pooling partners contribute or share the
risk (a partner with ``pools = false`` attends joint bodies but pools nothing)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Literal

from pydantic import Field

from decisions.terms_base import ID_PATTERN, MAX_POUNDS, TBC, Problem, Strict


class PoolLine(Strict):
    id: str = Field(pattern=ID_PATTERN)
    service: str
    lead: str
    contributions: dict[str, Decimal] | Literal["tbc"]
    """Each partner's contribution in pounds, or "tbc" while the value is not yet known."""

    @property
    def is_tbc(self) -> bool:
        return self.contributions == TBC

    @property
    def value(self) -> Decimal | None:
        if isinstance(self.contributions, str):
            return None
        return sum(self.contributions.values(), Decimal(0))


class Pool(Strict):
    name: str
    financial_year: str = Field(pattern=r"^\d{4}/\d{2}$")
    host: str
    fund_manager: str | None = None
    risk_share: Literal["proportional"] | dict[str, Decimal] = "proportional"
    line: tuple[PoolLine, ...] = Field(min_length=1)

    @property
    def start_year(self) -> int:
        return int(self.financial_year[:4])


def pool_problems(pool: Pool, partners: set[str], attending: set[str], members: set[str],
                  problems: list[Problem],
                  need: Callable[[set[str], object, str, str], bool]) -> None:
    """Append what is wrong with the pool: ids that do not resolve, shares that do not sum
    to one, a partner that only attends (``attending``) but contributes or shares the risk."""
    why = ("a partner with pools = false attends but pools nothing; set pools = true on "
           "partner {pid}, or take it out of {where}")
    need(partners, pool.host, "pool.host", "partner ids")
    if pool.host in attending:
        problems.append(Problem("pool.host", pool.host,
                                why.format(pid=pool.host, where="pool.host")))
    if pool.fund_manager is not None:
        need(members, pool.fund_manager, "pool.fund_manager", "member ids")
    if isinstance(pool.risk_share, dict):
        for pid, share in pool.risk_share.items():
            need(partners, pid, f"pool.risk_share.{pid}", "partner ids")
            if pid in attending:
                problems.append(Problem(f"pool.risk_share.{pid}", str(share),
                                        why.format(pid=pid, where="the risk share")))
            if share < 0:
                problems.append(Problem(f"pool.risk_share.{pid}", share, "a fraction >= 0"))
        total = sum(pool.risk_share.values(), Decimal(0))
        if total != Decimal(1):
            problems.append(
                Problem("pool.risk_share", {k: float(v) for k, v in pool.risk_share.items()},
                        f"fractions that sum to 1 (these sum to {total})")
            )
    line_ids: set[str] = set()
    for i, line in enumerate(pool.line):
        if line.id in line_ids:
            problems.append(Problem(f"pool.line[{i}].id", line.id, "each line id is unique"))
        line_ids.add(line.id)
        need(partners, line.lead, f"pool.line[{i}].lead", "partner ids")
        if line.lead in attending:
            problems.append(Problem(f"pool.line[{i}].lead", line.lead,
                                    why.format(pid=line.lead, where=f"the lead of {line.id}")))
        if isinstance(line.contributions, dict):
            for pid, amount in line.contributions.items():
                need(partners, pid, f"pool.line[{i}].contributions.{pid}", "partner ids")
                if pid in attending:
                    problems.append(Problem(
                        f"pool.line[{i}].contributions.{pid}", str(amount),
                        why.format(pid=pid, where=f"the contributions to {line.id}")))
                if not 0 <= amount <= MAX_POUNDS:
                    problems.append(
                        Problem(f"pool.line[{i}].contributions.{pid}", amount,
                                "an amount >= 0" if amount < 0 else
                                f"an amount in pounds below {MAX_POUNDS:,.0f}")
                    )
