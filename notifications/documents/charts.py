"""Inline SVG charts. Each carries a <title> and <desc> (WeasyPrint gives an inline SVG's
<title> as its text alternative; ``aria-label`` is ignored) and every value is escaped."""

from __future__ import annotations

from decimal import Decimal
from html import escape

from notifications.documents.views import PoolStatementView

BUDGET = "#6b8fb5"
FORECAST = "#1d3557"


def pool_chart(view: PoolStatementView, width: int = 640) -> str:
    """Horizontal bars: budget and forecast outturn per line, in £m."""
    lines = [ln for ln in view.lines if ln.budget is not None]
    peak = max([float(ln.budget or 0) for ln in lines]
               + [float(ln.forecast or 0) for ln in lines] + [1.0])
    label_w, row_h, bar_h, top = 230, 34, 12, 26
    height = top + row_h * len(lines) + 10
    scale = (width - label_w - 70) / peak
    desc = "; ".join(
        f"{ln.service}: budget £{_m(ln.budget)}m, forecast "
        f"{'n/a' if ln.forecast is None else '£' + _m(ln.forecast) + 'm'}" for ln in lines)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img">',
           f"<title>Budget and forecast outturn by service line, {escape(view.financial_year)}"
           "</title>", f"<desc>{escape(desc)}</desc>",
           f'<rect x="{label_w}" y="4" width="12" height="10" fill="{BUDGET}"/>'
           f'<text x="{label_w + 16}" y="13" font-size="10" font-family="S75 Arimo">Budget</text>'
           f'<rect x="{label_w + 80}" y="4" width="12" height="10" fill="{FORECAST}"/>'
           f'<text x="{label_w + 96}" y="13" font-size="10" font-family="S75 Arimo">'
           "Forecast outturn</text>"]
    for i, ln in enumerate(lines):
        y = top + i * row_h
        name = ln.service if len(ln.service) <= 40 else ln.service[:38] + "…"
        out.append(f'<text x="0" y="{y + 14}" font-size="10" font-family="S75 Arimo">'
                   f"{escape(name)}</text>")
        b = float(ln.budget or 0) * scale
        out.append(f'<rect x="{label_w}" y="{y}" width="{b:.1f}" height="{bar_h}" '
                   f'fill="{BUDGET}"/>')
        out.append(f'<text x="{label_w + b + 4:.1f}" y="{y + 10}" font-size="9" '
                   f'font-family="S75 Arimo">{_m(ln.budget)}</text>')
        if ln.forecast is not None:
            f = float(ln.forecast) * scale
            out.append(f'<rect x="{label_w}" y="{y + bar_h + 2}" width="{f:.1f}" '
                       f'height="{bar_h}" fill="{FORECAST}"/>')
            out.append(f'<text x="{label_w + f + 4:.1f}" y="{y + 2 * bar_h}" font-size="9" '
                       f'font-family="S75 Arimo">{_m(ln.forecast)}</text>')
    out.append("</svg>")
    return "".join(out)


def _m(value: Decimal | None) -> str:
    return "tbc" if value is None else f"{value / 1_000_000:,.1f}"
