"""The programme director's gateway board: proposals as rows, gateway months as columns, each
cell the partners' returns in words with their RAG rating.

A page costs three queries whatever its size: the count of matching proposals, the page of
proposals with their risk flags (computed in SQL from each proposal's row and its gateway
summary, :mod:`s75.web.board_summary`, so the "at risk" filter and the flags shown agree and
pagination stays exact), and the page's gateway returns. See docs/programme.md.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache
from typing import Any, NamedTuple

from sqlalchemy import Date, Integer, Select, Table, and_, bindparam, exists, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from decisions.errors import InvalidInput, NotFound
from decisions.terms import LocalityConfig
from s75.web.board_cells import Cell, CellMaker, cell_maker
from s75.web.board_summary import SUMMARY
from s75.web.cursor_reads import Read
from workflows.definition import load_definition
from workflows.prepared import connection
from workflows.proposal.rules import (
    default_start,
    month_start,
    months_between,
)
from workflows.proposal.tables import GatewayReturnRow, GatewayRow
from workflows.tables import ProposalRow

PROPOSAL: Table = ProposalRow.__table__  # type: ignore[attr-defined]
GATEWAY: Table = GatewayRow.__table__  # type: ignore[attr-defined]
RETURN: Table = GatewayReturnRow.__table__  # type: ignore[attr-defined]
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


def _risk_tests() -> dict[str, ColumnElement[bool]]:
    """Each risk's own test of a proposal row joined to its gateway summary (board_summary:
    the latest gateway month, whether it was other than go, the earliest open condition's due
    date), with the day-dependent bounds as bind parameters (:func:`_bounds`), so the
    statements are built once and a test reads no other table."""
    p, g = PROPOSAL.c, SUMMARY.c
    previous = bindparam("previous", type_=Date)
    start = func.coalesce(p.start_date, bindparam("default_start", type_=Date))
    return {
        "overdue_condition": g.first_open_due < bindparam("today", type_=Date),
        # a return other than go at the latest gateway held
        "latest_not_go": g.latest_not_go.is_(True),
        # the latest gateway is older than last month's, or none was held in a shadow
        # operation that began before last month
        "missed_gateway": or_(g.latest_month < previous,
                              and_(g.latest_month.is_(None), p.shadow_start <= previous)),
        "start_near": start <= bindparam("start_limit", type_=Date),
    }


def _risk_columns() -> dict[str, ColumnElement[bool]]:
    """Each risk as a boolean column: conditions and the start date count for a proposal
    still in progress, gateways for one in shadow operation (or paused)."""
    p = PROPOSAL.c
    active, shadow = p.state.not_in(ENDED), p.state.in_(IN_SHADOW)
    return {k: and_(shadow if k in ("latest_not_go", "missed_gateway") else active, test)
            for k, test in _risk_tests().items()}


def _at_risk() -> ColumnElement[bool]:
    """Any risk: the same tests as the columns, with the state tested once and the cheapest
    test first (shadow operation is a stage of a proposal in progress)."""
    p = PROPOSAL.c
    t = _risk_tests()
    return and_(p.state.not_in(ENDED), or_(
        t["start_near"],
        and_(p.state.in_(IN_SHADOW), or_(t["missed_gateway"], t["latest_not_go"])),
        t["overdue_condition"]))


def _bounds(cfg: LocalityConfig, today: date) -> dict[str, date]:
    """The bind parameters of :func:`_risk_columns` on ``today``."""
    return {"today": today, "previous": month_start(month_start(today) - timedelta(days=1)),
            "default_start": default_start(cfg),
            "start_limit": today + timedelta(days=START_RISK_DAYS)}


def _where(stage: bool, partner: bool, at_risk: bool) -> list[ColumnElement[bool]]:
    p = PROPOSAL.c
    out: list[ColumnElement[bool]] = []
    if stage:
        out.append(p.state == bindparam("stage"))
    if at_risk:
        out.append(_at_risk())
    if partner:  # the proposals on which this partner has made a gateway return
        r = RETURN.c
        out.append(exists().where(r.proposal_id == p.id, r.partner_id == bindparam("partner")))
    return out


@cache
def _statements(stage: bool, partner: bool, at_risk: bool) -> tuple[Select[Any], Select[Any]]:
    """The count and the page (``:limit`` rows from ``:offset``) for one shape of filters,
    built once: a request only binds its values."""
    p = PROPOSAL.c
    risks = _risk_columns()
    where = _where(stage, partner, at_risk)
    rows = PROPOSAL.outerjoin(SUMMARY, SUMMARY.c.proposal_id == p.id)
    # board_row unpacks these columns in this order (the risks in RISKS' order)
    page = (select(p.id, p.title, p.state, p.start_date, p.variation, p.shadow_start,
                   p.shadow_end, *(v.label(k) for k, v in risks.items()))
            .select_from(rows).where(*where).order_by(p.id)
            .limit(bindparam("limit", type_=Integer))
            .offset(bindparam("offset", type_=Integer)))
    total = select(func.count(p.id)).select_from(rows).where(*where)
    return total, page


def _params(cfg: LocalityConfig, today: date, f: Filters) -> dict[str, Any]:
    out: dict[str, Any] = {"stage": f.stage, "partner": f.partner}
    return out | _bounds(cfg, today)


class PageRow(NamedTuple):
    """A proposal of the page: the columns of :func:`_statements`' page, by name (the risks'
    flags in :data:`RISKS`' order; NULL, as false, where a test's column is)."""

    id: int
    title: str
    state: str
    start_date: date | None
    variation: int
    shadow_start: date | None
    shadow_end: date | None
    overdue_condition: bool | None
    latest_not_go: bool | None
    missed_gateway: bool | None
    start_near: bool | None


assert PageRow._fields[7:] == tuple(RISKS)


@cache
def _reads(stage: bool, partner: bool, at_risk: bool) -> tuple[Read, Read]:
    """:func:`_statements` run on the DBAPI cursor (s75.web.cursor_reads)."""
    total, page = _statements(stage, partner, at_risk)
    return Read(total), Read(page)


def proposal_rows(session: Session, cfg: LocalityConfig, today: date, f: Filters,
                  limit: int, offset: int = 0) -> list[PageRow]:
    """The matching proposals (one query), each with a boolean column per risk."""
    _, q = _reads(bool(f.stage), bool(f.partner), f.at_risk)
    params = _params(cfg, today, f) | {"limit": limit, "offset": offset}
    return list(map(PageRow._make, q.rows(connection(session), params)))


def count(session: Session, cfg: LocalityConfig, today: date, f: Filters) -> int:
    q, _ = _reads(bool(f.stage), bool(f.partner), f.at_risk)
    return int(q.raw(connection(session), _params(cfg, today, f))[0][0])


@cache
def _returns_read() -> Read:
    g, r = GATEWAY.c, RETURN.c
    return Read(select(g.proposal_id, g.month, r.partner_id, r.decision)
                .join(RETURN, r.gateway_id == g.id)
                .where(g.proposal_id.in_(bindparam("ids", expanding=True)),
                       g.month >= bindparam("first", type_=Date)).order_by(r.id))


def returns_of(session: Session, ids: Sequence[int], first: date
               ) -> dict[int, dict[date, dict[str, str]]]:
    """Each proposal's gateway returns by month from ``first`` (one query). The rows are read
    as the driver gives them; a month's value is converted to a date once per distinct value
    (a page's returns are a few hundred rows of a dozen months)."""
    out: dict[int, dict[date, dict[str, str]]] = {}
    if not ids:
        return out
    read, conn = _returns_read(), connection(session)
    rows: list[Any] = read.raw(conn, {"ids": list(ids), "first": first})
    by_pid, to_month, by_partner, by_decision = read.results(conn.dialect)
    if by_pid or by_partner or by_decision:  # not so on SQLite or PostgreSQL: ints and text
        rows, to_month = read.converted(conn.dialect, rows), None
    months: dict[Any, date] = {}
    last_pid: int | None = None
    last_month: Any = None
    at: dict[str, str] = {}
    for pid, month, partner, decision in rows:
        if pid != last_pid or month != last_month:  # rows come by return id: mostly a
            last_pid, last_month = pid, month        # gateway's in a run
            day = months.get(month)
            if day is None:
                day = months[month] = to_month(month) if to_month is not None else month
            at = out.setdefault(pid, {}).setdefault(day, {})
        at[partner] = decision
    return out


@lru_cache(maxsize=16)
def columns(today: date, months: int = MONTHS_SHOWN) -> tuple[date, ...]:
    """The board's months up to ``today``'s (worked out once a day)."""
    first = month_start(today)
    for _ in range(months - 1):
        first = month_start(first - timedelta(days=1))
    return tuple(months_between(first, today))


@cache
def _risk_words(flags: tuple[bool, ...]) -> tuple[str, ...]:
    """The risks in words of a row whose risk columns (in :data:`RISKS`' order) are ``flags``."""
    return tuple(words for words, flag in zip(RISKS.values(), flags, strict=True) if flag)


def board_row(cfg: LocalityConfig, row: Any, months: Sequence[date],
              returns: Mapping[date, Mapping[str, str]], labels: Mapping[str, str],
              maker: CellMaker) -> BoardRow:
    # the page's columns (proposal_rows), unpacked once: a Row's attribute is a lookup by name
    pid, title, state, start_date, variation, shadow_start, shadow_end, *flags = row
    start = start_date or default_start(cfg, variation)
    return BoardRow(pid, title, state, labels.get(state, state), start,
                    _risk_words(tuple(map(bool, flags))),
                    maker.shadow(shadow_start, shadow_end, months, returns))


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
    maker = cell_maker(cfg, today, f.partner)
    return Board(tuple(board_row(cfg, r, months, returns.get(r.id, {}), labels, maker)
                       for r in rows),
                 months, total, f, pages, tuple((p.id, p.name) for p in cfg.pooling_partners),
                 tuple(labels.items()))


def every_row(session: Session, cfg: LocalityConfig, today: date, f: Filters,
              batch: int = 500) -> Iterator[BoardRow]:
    """Every matching proposal, for the export: a batch of rows and their returns at a time."""
    months = columns(today)
    labels = stage_labels()
    maker = CellMaker(cfg, today, f.partner)
    offset = 0
    while True:
        rows = proposal_rows(session, cfg, today, f, batch, offset)
        if not rows:
            return
        returns = returns_of(session, [r.id for r in rows], months[0])
        for r in rows:
            yield board_row(cfg, r, months, returns.get(r.id, {}), labels, maker)
        offset += batch
