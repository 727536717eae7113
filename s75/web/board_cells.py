"""The gateway board's cells: a proposal's month in shadow operation as its RAG rating and
each partner's return in words, worked out once per distinct value (most cells of a board
repeat: every partner go) by the day's :class:`CellMaker`, kept between requests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from decisions.terms import LocalityConfig
from notifications.documents.gather import RAG_LABEL
from workflows.proposal.rules import gateway_month_status, month_start


@dataclass(frozen=True)
class Cell:
    month: date
    rag: str
    """green | amber | red | due | none (the proposal was not in shadow operation)"""
    label: str
    returns: tuple[str, ...]
    """Each partner's return in words, e.g. "Bolton Council: go with conditions"."""


class CellMaker:
    """A page's cells: the partners' names looked up once, and each distinct cell (a month
    and the partners' returns in it) worked out once per page, since most cells of a board
    repeat (every partner go)."""

    def __init__(self, cfg: LocalityConfig, today: date, partner: str = "") -> None:
        self.names = {p.id: p.name for p in cfg.partner}
        self.partners = (partner,) if partner else tuple(self.names)
        self.today = today
        self.memo: dict[tuple[date, tuple[str | None, ...]], Cell] = {}
        self.none: tuple[None, ...] = (None,) * len(self.partners)
        """The key of a month without a return."""

    def cell(self, m: date, returns: Mapping[str, str]) -> Cell:
        key = (m, tuple(map(returns.get, self.partners)))
        found = self.memo.get(key)
        if found is not None:
            return found
        got = {p: d for p, d in zip(self.partners, key[1], strict=True) if d is not None}
        st = gateway_month_status(m, self.partners, got, self.today)
        words = tuple(f"{self.names[p]}: {got[p].replace('_', ' ')}" if p in got else
                      f"{self.names[p]}: no return" for p in self.partners)
        made = self.memo[key] = Cell(m, st.rag, RAG_LABEL.get(st.rag, st.rag), words)
        return made

    def row(self, row: Any, months: Sequence[date],
            returns: Mapping[date, Mapping[str, str]]) -> tuple[Cell, ...]:
        return self.shadow(row.shadow_start, row.shadow_end, months, returns)

    def shadow(self, start: date | None, end: date | None, months: Sequence[date],
               returns: Mapping[date, Mapping[str, str]]) -> tuple[Cell, ...]:
        """The cells of a proposal in shadow operation from ``start`` to ``end`` (None: not
        yet ended; both None: never in shadow operation). Each month's cell is found in the
        memo by its key, worked out only when new (:meth:`cell`)."""
        if start is None:
            return tuple(map(_not_in_shadow, months))
        first = month_start(start)
        last = month_start(end or self.today)
        memo, partners, none = self.memo, self.partners, self.none
        out = []
        for m in months:
            if first <= m <= last:
                got = returns.get(m)
                key = (m, tuple(map(got.get, partners)) if got else none)
                c = memo.get(key)
                out.append(c if c is not None else self.cell(m, got or {}))
            else:
                out.append(_not_in_shadow(m))
        return tuple(out)


@cache
def _not_in_shadow(m: date) -> Cell:
    return Cell(m, "none", "Not in shadow operation", ())


_MAKERS: dict[tuple[date, str, tuple[tuple[str, str], ...]], CellMaker] = {}


def cell_maker(cfg: LocalityConfig, today: date, partner: str = "") -> CellMaker:
    """The day's cell maker, kept between requests (a cell is a function of the month, the
    returns, the partners' names and the day): at most a few days' makers are kept."""
    key = (today, partner, tuple((p.id, p.name) for p in cfg.partner))
    found = _MAKERS.get(key)
    if found is None:
        if len(_MAKERS) > 8:
            _MAKERS.clear()
        found = _MAKERS[key] = CellMaker(cfg, today, partner)
    return found


def cells(cfg: LocalityConfig, row: Any, months: Sequence[date],
          returns: Mapping[date, Mapping[str, str]], today: date,
          partner: str = "") -> tuple[Cell, ...]:
    return CellMaker(cfg, today, partner).row(row, months, returns)
