"""The pool: totals by partner ("tbc" lines left out and flagged), the risk share (in proportion
to contributions, or a fixed split; file 003 para 3.4: 50:50) and budget monitoring (file 004:
budget, forecast outturn, variance and % per service) with each partner's share of the over- or
underspend. SI 2000/617 reg 7: contributions, fund management and monitoring."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from decisions.errors import InvalidInput
from decisions.terms import Pool, PoolLine

ZERO = Decimal(0)
PENNY = Decimal("0.01")
MAX_AMOUNT = Decimal("1e12")  # pounds; the money columns hold 12 digits and 2 of pence


@dataclass(frozen=True)
class PoolTotals:
    total: Decimal
    by_partner: dict[str, Decimal]
    tbc_lines: tuple[str, ...]


def pool_totals(pool: Pool) -> PoolTotals:
    by_partner: dict[str, Decimal] = {}
    tbc: list[str] = []
    for line in pool.line:
        if isinstance(line.contributions, str):
            tbc.append(line.id)
            continue
        for pid, amount in line.contributions.items():
            by_partner[pid] = by_partner.get(pid, ZERO) + amount
    return PoolTotals(sum(by_partner.values(), ZERO), by_partner, tuple(tbc))


def risk_shares(pool: Pool) -> dict[str, Decimal]:
    """Each partner's fraction of an over- or underspend."""
    if isinstance(pool.risk_share, dict):
        return dict(pool.risk_share)
    totals = pool_totals(pool)
    if totals.total == 0:
        raise InvalidInput("pool.risk_share: 'proportional' but no line has known "
                           "contributions; give contributions or a fixed split")
    return {pid: amount / totals.total for pid, amount in totals.by_partner.items()}


@dataclass(frozen=True)
class VarianceLine:
    line_or_service: str
    budget: Decimal
    forecast_outturn: Decimal


@dataclass(frozen=True)
class VarianceRow:
    line_id: str
    service: str
    budget: Decimal
    forecast_outturn: Decimal
    variance: Decimal
    percent: Decimal | None
    """Variance as a percentage of budget, one decimal place; None when the budget is zero."""


@dataclass(frozen=True)
class VarianceReport:
    rows: tuple[VarianceRow, ...]
    budget: Decimal
    forecast_outturn: Decimal
    variance: Decimal
    percent: Decimal | None
    shares: dict[str, Decimal]
    """Each partner's fraction under the risk share."""
    partner_variance: dict[str, Decimal]
    """Each partner's share of the total variance (positive: overspend to fund), to the penny."""

    @property
    def position(self) -> str:
        if self.variance > 0:
            return "overspend"
        return "underspend" if self.variance < 0 else "breakeven"


def _percent(variance: Decimal, budget: Decimal) -> Decimal | None:
    if budget == 0:
        return None
    return (variance * 100 / budget).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def find_line(pool: Pool, key: str) -> PoolLine | None:
    """The pool line whose id or service name (case-insensitive) is ``key``."""
    k = key.strip().casefold()
    return next((ln for ln in pool.line if k in (ln.id.casefold(), ln.service.casefold())), None)


def variance_report(pool: Pool, rows: Sequence[VarianceLine]) -> VarianceReport:
    out: list[VarianceRow] = []
    seen: set[str] = set()
    for row in rows:
        line = find_line(pool, row.line_or_service)
        if line is None:
            raise InvalidInput(f"service: {row.line_or_service!r} is not a pool line; expected "
                               f"one of: {'; '.join(ln.service for ln in pool.line)}")
        if line.id in seen:
            raise InvalidInput(f"service: {line.service!r} appears twice; give one row per line")
        seen.add(line.id)
        variance = row.forecast_outturn - row.budget
        out.append(VarianceRow(line.id, line.service, row.budget, row.forecast_outturn,
                               variance, _percent(variance, row.budget)))
    budget = sum((r.budget for r in out), ZERO)
    outturn = sum((r.forecast_outturn for r in out), ZERO)
    variance = outturn - budget
    shares = risk_shares(pool)
    partner_variance = {pid: (variance * share).quantize(PENNY, rounding=ROUND_HALF_UP)
                        for pid, share in shares.items()}
    return VarianceReport(tuple(out), budget, outturn, variance, _percent(variance, budget),
                          shares, partner_variance)


_COLUMNS = {
    "service": ("service", "line", "line_or_service", "budget monitoring results by service",
                "service area", "pool line"),
    "budget": ("budget",),
    "forecast_outturn": ("forecast outturn", "forecast_outturn", "outturn", "forecast"),
    "variance": ("variance", "forecast variance", "forecast year-end variance"),
}


def _header_key(header: str) -> tuple[str | None, Decimal]:
    """The column a header names and its unit multiplier (1000 for '£000's')."""
    h = header.strip().casefold()
    scale = Decimal(1000) if re.search(r"£\s?000|\b000'?s\b|£k\b", h) else Decimal(1)
    bare = re.sub(r"\(.*?\)|\d{4}/\d{2}|£\s?000'?s|£k", "", h).strip(" _-")
    for key, names in _COLUMNS.items():
        if bare in names or bare.replace("_", " ") in names:
            return key, scale
    for key in ("forecast_outturn", "variance", "budget", "service"):
        if any(name in bare for name in _COLUMNS[key]):
            return key, scale
    return None, scale


def parse_amount(raw: str) -> Decimal:
    """'29,911', '£1.2m' is not accepted; '(279)' is -279 as in file 004."""
    text = raw.strip().replace(",", "").replace("£", "").strip()
    negative = text.startswith("(") and text.endswith(")")
    if negative:
        text = text[1:-1].strip()
    value = Decimal(text)
    if not value.is_finite():
        raise InvalidOperation(raw)
    return -value if negative else value


def parse_variance_csv(text: str, source: str, pool: Pool) -> list[VarianceLine]:
    """Rows of a budget-monitoring CSV: a header row naming the service (or pool line), the
    budget and the forecast outturn (a variance column, if given, is checked); amounts in
    pounds, or thousands when the header says £000's; '(279)' is negative. Rows whose service
    starts with 'Total' are skipped. InvalidInput names the file, row, column and value."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidInput(f"{source}: the file is empty; expected a header row with "
                           "service, budget and forecast outturn columns") from None
    columns: dict[str, tuple[int, Decimal]] = {}
    for i, name in enumerate(header):
        key, scale = _header_key(name)
        if key and key not in columns:
            columns[key] = (i, scale)
    missing = [k for k in ("service", "budget", "forecast_outturn") if k not in columns]
    if missing:
        raise InvalidInput(f"{source}: row 1 (header): missing column(s) "
                           f"{', '.join(missing)}; found {header!r}; expected columns such as "
                           "Service, Budget, Forecast Outturn[, Variance]")
    result: list[VarianceLine] = []
    first_row: dict[str, int] = {}
    try:
        rows = list(enumerate(reader, start=2))
    except csv.Error as exc:
        raise InvalidInput(f"{source}: not a readable CSV file ({exc}); expected comma-separated "
                           "rows of service, budget and forecast outturn") from None
    for number, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        cells = {k: row[i] if i < len(row) else "" for k, (i, _) in columns.items()}
        service = cells["service"].strip()
        if service.casefold().startswith("total"):
            continue
        line = find_line(pool, service)
        if line is None:
            raise InvalidInput(
                f"{source}: row {number}, column service: {service!r} is not a pool line; "
                f"expected one of: {'; '.join(ln.service for ln in pool.line)} (or its id)")
        if line.id in first_row:
            raise InvalidInput(
                f"{source}: row {number}, column service: {line.service!r} is also on row "
                f"{first_row[line.id]}; give one row per pool line")
        first_row[line.id] = number
        amounts: dict[str, Decimal] = {}
        for key in ("budget", "forecast_outturn", "variance"):
            if key not in columns:
                continue
            raw = cells[key]
            if key == "variance" and not raw.strip():
                continue
            try:
                amounts[key] = parse_amount(raw) * columns[key][1]
            except (ArithmeticError, ValueError):  # InvalidOperation, Overflow
                raise InvalidInput(f"{source}: row {number}, column {key}: {raw!r} is not a "
                                   "number; expected an amount such as 29,911 or (279)") from None
            if abs(amounts[key]) >= MAX_AMOUNT:
                raise InvalidInput(f"{source}: row {number}, column {key}: {raw!r} is too "
                                   f"large; expected pounds below {MAX_AMOUNT:,.0f}")
        if "variance" in amounts:
            expected = amounts["forecast_outturn"] - amounts["budget"]
            if abs(amounts["variance"] - expected) > columns["variance"][1]:
                raise InvalidInput(
                    f"{source}: row {number}, column variance: {cells['variance']!r} does not "
                    f"equal forecast outturn minus budget ({expected:,})")
        result.append(VarianceLine(service, amounts["budget"], amounts["forecast_outturn"]))
    if not result:
        raise InvalidInput(f"{source}: no rows under the header; expected one row per pool line "
                           "with its service, budget and forecast outturn")
    return result
