"""The programme director's gateway board: proposals as rows, gateway months as columns, each
cell the partners' returns in words with their RAG rating.

A page costs three queries whatever its size: the count of matching proposals, the page of
proposals with their risk flags (computed in SQL, so the "at risk" filter and the flags shown
agree and pagination stays exact), and the page's gateway returns. See docs/web.md.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Date, Table, and_, cast, exists, func, literal, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from decisions.errors import InvalidInput, NotFound
from decisions.terms import LocalityConfig
from notifications.documents.gather import RAG_LABEL
from workflows.definition import load_definition
from workflows.proposal.rules import (
    default_start,
    gateway_month_status,
    month_start,
    months_between,
)
from workflows.proposal.tables import ConditionRow, GatewayReturnRow, GatewayRow
from workflows.tables import ProposalRow

PROPOSAL: Table = ProposalRow.__table__  # type: ignore[attr-defined]
GATEWAY: Table = GatewayRow.__table__  # type: ignore[attr-defined]
RETURN: Table = GatewayReturnRow.__table__  # type: ignore[attr-defined]
CONDITION: Table = ConditionRow.__table__  # type: ignore[attr-defined]
PAGE_SIZE = 25
MONTHS_SHOWN = 12
START_RISK_DAYS = 56
"""A proposal not yet live whose start date is this close (8 weeks) is at risk."""
ENDED = ("live", "stopped", "withdrawn")
IN_SHADOW = ("shadow_operation", "paused")
RISKS = {
    "overdue_condition": "a gateway condition is past its due date",
    "latest_not_go": "the latest gateway was not go from every partner",
    "missed_gateway": "last month's gateway has not been held",
    "start_near": f"the start date is within {START_RISK_DAYS // 7} weeks and the agreement is "
                  "not yet in force",
}
"""Why a proposal is at risk, in words (the board's legend and each row's reasons)."""


@dataclass(frozen=True)
class Filters:
    stage: str = ""
    partner: str = ""
    at_risk: bool = False
    page: int = 1

    def query(self, **change: Any) -> str:
        """The query string of these filters with ``change`` applied (for links)."""
        values = {"stage": self.stage, "partner": self.partner,
                  "at_risk": "yes" if self.at_risk else "", "page": self.page} | change
        if values.get("page") == 1:
            values.pop("page")
        return "&".join(f"{k}={v}" for k, v in values.items() if v)


def stage_labels() -> dict[str, str]:
    return {s.name: s.label for s in load_definition("proposal").states.values()}


def parse_filters(cfg: LocalityConfig, stage: str, partner: str, at_risk: str,
                  page: str) -> Filters:
    """The board's query string checked: a bad value names the field, the value and what is
    valid (InvalidInput: 400)."""
    labels = stage_labels()
    if stage and stage not in labels:
        raise InvalidInput(f"stage: {stage!r} is not a stage; expected one of "
                           f"{', '.join(labels)}")
    partners = [p.id for p in cfg.partner]
    if partner and partner not in partners:
        raise InvalidInput(f"partner: {partner!r} is not a partner; expected one of "
                           f"{', '.join(partners)}")
    if at_risk not in ("", "yes", "no"):
        raise InvalidInput(f"at_risk: {at_risk!r} is not valid; expected yes or no")
    try:
        number = int(page or "1")
    except ValueError:
        number = 0
    if number < 1:
        raise InvalidInput(f"page: {page!r} is not valid; expected a whole number from 1")
    return Filters(stage, partner, at_risk == "yes", number)


@dataclass(frozen=True)
class Cell:
    month: date
    rag: str
    """green | amber | red | due | none (the proposal was not in shadow operation)"""
    label: str
    returns: tuple[str, ...]
    """Each partner's return in words, e.g. "Bolton Council: go with conditions"."""


@dataclass(frozen=True)
class BoardRow:
    id: int
    title: str
    state: str
    stage: str
    start_date: date
    risks: tuple[str, ...]
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Board:
    rows: tuple[BoardRow, ...]
    months: tuple[date, ...]
    total: int
    filters: Filters
    pages: int
    partners: tuple[tuple[str, str], ...]
    stages: tuple[tuple[str, str], ...]


def _risk_columns(cfg: LocalityConfig, today: date) -> dict[str, ColumnElement[bool]]:
    p = PROPOSAL.c
    g, r, c = GATEWAY.c, RETURN.c, CONDITION.c
    active = p.state.not_in(ENDED)
    shadow = p.state.in_(IN_SHADOW)
    g2 = GATEWAY.alias("latest_gateway")
    latest = (select(func.max(g2.c.month)).where(g2.c.proposal_id == p.id)
              .correlate(PROPOSAL).scalar_subquery())
    previous = month_start(month_start(today) - timedelta(days=1))
    start = func.coalesce(p.start_date, cast(literal(default_start(cfg)), Date))
    return {
        "overdue_condition": and_(active, exists().where(
            c.proposal_id == p.id, c.status == "open", c.due < today)),
        "latest_not_go": and_(shadow, exists().where(
            r.gateway_id == g.id, g.proposal_id == p.id, g.month == latest, r.decision != "go")),
        "missed_gateway": and_(shadow, or_(
            latest < previous, and_(latest.is_(None), p.shadow_start <= previous))),
        "start_near": and_(active, start <= today + timedelta(days=START_RISK_DAYS)),
    }


def _where(f: Filters, risks: Mapping[str, ColumnElement[bool]]) -> list[ColumnElement[bool]]:
    p = PROPOSAL.c
    out: list[ColumnElement[bool]] = []
    if f.stage:
        out.append(p.state == f.stage)
    if f.at_risk:
        out.append(or_(*risks.values()))
    if f.partner:  # the proposals on which this partner has made a gateway return
        r = RETURN.c
        out.append(exists().where(r.proposal_id == p.id, r.partner_id == f.partner))
    return out


def proposal_rows(session: Session, cfg: LocalityConfig, today: date, f: Filters,
                  limit: int | None, offset: int = 0) -> list[Any]:
    """The matching proposals (one query), each with a boolean column per risk."""
    p = PROPOSAL.c
    risks = _risk_columns(cfg, today)
    q = (select(p.id, p.title, p.state, p.start_date, p.variation, p.shadow_start,
                p.shadow_end, *(v.label(k) for k, v in risks.items()))
         .where(*_where(f, risks)).order_by(p.id).offset(offset))
    if limit is not None:
        q = q.limit(limit)
    return list(session.execute(q).all())


def count(session: Session, cfg: LocalityConfig, today: date, f: Filters) -> int:
    p = PROPOSAL.c
    q = select(func.count(p.id)).where(*_where(f, _risk_columns(cfg, today)))
    return int(session.execute(q).scalar_one())


def returns_of(session: Session, ids: Sequence[int], first: date
               ) -> dict[int, dict[date, dict[str, str]]]:
    """Each proposal's gateway returns by month from ``first`` (one query)."""
    g, r = GATEWAY.c, RETURN.c
    out: dict[int, dict[date, dict[str, str]]] = {}
    if not ids:
        return out
    q = (select(g.proposal_id, g.month, r.partner_id, r.decision)
         .join(RETURN, r.gateway_id == g.id)
         .where(g.proposal_id.in_(ids), g.month >= first).order_by(r.id))
    for pid, month, partner, decision in session.execute(q):
        out.setdefault(pid, {}).setdefault(month, {})[partner] = decision
    return out


def columns(today: date, months: int = MONTHS_SHOWN) -> tuple[date, ...]:
    first = month_start(today)
    for _ in range(months - 1):
        first = month_start(first - timedelta(days=1))
    return tuple(months_between(first, today))


def cells(cfg: LocalityConfig, row: Any, months: Sequence[date],
          returns: Mapping[date, Mapping[str, str]], today: date,
          partner: str = "") -> tuple[Cell, ...]:
    names = {p.id: p.name for p in cfg.partner}
    partners = [partner] if partner else list(names)
    shown = set(months_between(row.shadow_start, row.shadow_end or today)) \
        if row.shadow_start else set()
    out = []
    for m in months:
        if m not in shown:
            out.append(Cell(m, "none", "Not in shadow operation", ()))
            continue
        got = {p: d for p, d in returns.get(m, {}).items() if p in partners}
        st = gateway_month_status(m, partners, got, today)
        words = tuple(f"{names[p]}: {got[p].replace('_', ' ')}" if p in got else
                      f"{names[p]}: no return" for p in partners)
        out.append(Cell(m, st.rag, RAG_LABEL.get(st.rag, st.rag), words))
    return tuple(out)


def board_row(cfg: LocalityConfig, row: Any, months: Sequence[date],
              returns: Mapping[date, Mapping[str, str]], today: date, labels: Mapping[str, str],
              partner: str = "") -> BoardRow:
    risks = tuple(RISKS[k] for k in RISKS if getattr(row, k))
    start = row.start_date or default_start(cfg, row.variation)
    return BoardRow(row.id, row.title, row.state, labels.get(row.state, row.state), start,
                    risks, cells(cfg, row, months, returns, today, partner))


def board(session: Session, cfg: LocalityConfig, today: date, f: Filters,
          page_size: int = PAGE_SIZE) -> Board:
    """One page of the board: three queries."""
    total = count(session, cfg, today, f)
    pages = max(1, -(-total // page_size))
    if f.page > pages:
        raise NotFound(f"page {f.page} is past the last page ({pages}) of the board with "
                       "these filters")
    rows = proposal_rows(session, cfg, today, f, page_size, (f.page - 1) * page_size)
    months = columns(today)
    started = [r.shadow_start for r in rows if r.shadow_start is not None]
    if started:  # no leading columns in which no proposal of the page was in shadow operation
        months = tuple(m for m in months if m >= month_start(min(started))) or months[-1:]
    returns = returns_of(session, [r.id for r in rows], months[0])
    labels = stage_labels()
    return Board(tuple(board_row(cfg, r, months, returns.get(r.id, {}), today, labels,
                                 f.partner) for r in rows),
                 months, total, f, pages, tuple((p.id, p.name) for p in cfg.pooling_partners),
                 tuple(labels.items()))


def every_row(session: Session, cfg: LocalityConfig, today: date, f: Filters,
              batch: int = 500) -> Iterator[BoardRow]:
    """Every matching proposal, for the export: a batch of rows and their returns at a time."""
    months = columns(today)
    labels = stage_labels()
    offset = 0
    while True:
        rows = proposal_rows(session, cfg, today, f, batch, offset)
        if not rows:
            return
        returns = returns_of(session, [r.id for r in rows], months[0])
        for r in rows:
            yield board_row(cfg, r, months, returns.get(r.id, {}), today, labels, f.partner)
        offset += batch
