"""One function per document kind: view model in, HTML (or PDF) out. Public versions are
redacted on the view model first (redact.py)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from decisions.access import is_exempt
from notifications.documents import redact
from notifications.documents.charts import pool_chart
from notifications.documents.templating import Rendered, render_html
from notifications.documents.views import (
    ActionLogView,
    AgendaView,
    DecisionNoticeView,
    ForwardPlanView,
    GatewayReportView,
    MinutesView,
    PackView,
    PoolStatementView,
    ReportView,
    SupplementView,
    TermsView,
    numbered,
)

KINDS = ("agenda", "pack", "supplement", "minutes", "notice", "actions", "forward-plan",
         "terms", "gateway-report", "pool")


def _ctx(title: str, **extra: Any) -> dict[str, Any]:
    return {"doc_title": title, "numbered": numbered, **extra}


def agenda_html(a: AgendaView, *, public: bool = False, pages: dict[str, int] | None = None,
                supplement: SupplementView | None = None, folio: bool = True) -> str:
    if public:
        a = redact.public_agenda(a)
    title = supplement.title if supplement else a.title
    return render_html("agenda.html", **_ctx(title, a=a, pages=pages, supplement=supplement,
                                             folio=folio, marking=_marking(public, a)))


def report_html(r: ReportView, a: AgendaView, *, public: bool = False,
                folio: bool = True) -> str:
    """One item's paper. In a public document a Part 2 report becomes a stub."""
    if public:
        r = redact.public_report(r)
    stub = public and is_exempt(r)
    marking = "NOT FOR PUBLICATION – Part 2" if is_exempt(r) and not stub else ""
    return render_html("report.html", **_ctx(
        f"{a.body_name} {a.starts_at:%-d %B %Y}: item {r.number}, {r.title}", r=r, stub=stub,
        body_name=a.body_name, meeting_date=a.starts_at, folio=folio, marking=marking,
        running=f"{a.body_name}, {a.starts_at:%-d %B %Y} · item {r.number}"))


def pack_html(p: PackView) -> str:
    """The whole pack as one HTML document (rendered in one go; pack.py renders it by parts)."""
    a = redact.public_agenda(p.agenda) if p.public else p.agenda
    reports = tuple(redact.public_report(r) for r in p.reports) if p.public else p.reports
    return render_html("pack.html", **_ctx(p.title, a=a, reports=reports, public=p.public,
                                           supplement=None, body_name=a.body_name,
                                           meeting_date=a.starts_at,
                                           marking=_marking(p.public, a)))


def minutes_html(m: MinutesView, *, public: bool = False) -> str:
    if public:
        m = redact.public_minutes(m)
    return render_html("minutes.html", **_ctx(m.title, m=m, marking=(
        "" if public or not any(is_exempt(i) for i in m.items)
        else "Contains Part 2 (exempt) minutes – not for publication")))


def actions_html(v: ActionLogView, *, public: bool = False) -> str:
    if public:
        v = redact.public_actions(v)
    return render_html("actions.html", **_ctx(v.title, v=v, marking=(
        "" if public or not any(is_exempt(a) for a in v.actions)
        else "Contains actions on Part 2 (exempt) business – not for publication")))


def notice_html(n: DecisionNoticeView, *, public: bool = False) -> str:
    if public:
        n = redact.public_notice(n)
    title = f"{n.decision_maker}: record of decision {n.reference}, {n.title}"
    return render_html("notice.html", **_ctx(title, n=n, marking=(
        "NOT FOR PUBLICATION – Part 2" if is_exempt(n) and not public else "")))


def forward_plan_html(f: ForwardPlanView) -> str:
    return render_html("forward_plan.html", **_ctx(f.title, f=f))


def terms_html(t: TermsView) -> str:
    return render_html("terms.html", **_ctx(t.title, t=t))


def gateway_html(g: GatewayReportView) -> str:
    return render_html("gateway.html", **_ctx(g.title, g=g))


@dataclass(frozen=True)
class PoolTotals:
    contributions: tuple[Decimal, ...]
    budget: Decimal
    forecast: Decimal | None
    """The forecast outturn of the lines that have one (None: no line is forecast yet)."""
    variance: Decimal | None
    """Forecast less budget over the forecast lines only: no variance from missing figures."""
    variance_pct: Decimal | None
    tbc: tuple[str, ...]
    shares: tuple[tuple[str, Decimal, Decimal], ...]
    """Each partner's share of the variance; empty while nothing is forecast."""
    unforecast: tuple[str, ...] = ()


def pool_totals(p: PoolStatementView) -> PoolTotals:
    known = [ln for ln in p.lines if ln.budget is not None]
    contributions = tuple(sum((ln.contributions[i] or Decimal(0) for ln in known), Decimal(0))
                          for i in range(len(p.partners)))
    budget = sum((ln.budget or Decimal(0) for ln in known), Decimal(0))
    forecast_lines = [ln for ln in known if ln.forecast is not None]
    forecast = variance = pct = None
    shares: tuple[tuple[str, Decimal, Decimal], ...] = ()
    if forecast_lines:
        forecast = sum((ln.forecast or Decimal(0) for ln in forecast_lines), Decimal(0))
        their_budget = sum((ln.budget or Decimal(0) for ln in forecast_lines), Decimal(0))
        variance = forecast - their_budget
        pct = (variance * 100 / their_budget).quantize(Decimal("0.1")) if their_budget else None
        shares = tuple((name, share, (variance * share).quantize(Decimal(1)))
                       for name, share in zip(p.partners, p.risk_shares, strict=True))
    return PoolTotals(contributions, budget, forecast, variance, pct,
                      tuple(ln.service for ln in p.lines if ln.budget is None), shares,
                      tuple(ln.service for ln in known if ln.forecast is None))


def pool_html(p: PoolStatementView) -> str:
    return render_html("pool.html", **_ctx(p.title, p=p, totals=pool_totals(p),
                                           chart=pool_chart(p)))


def _marking(public: bool, a: AgendaView) -> str:
    if public or not any(is_exempt(e) for e in a.entries):
        return ""
    return "Contains Part 2 (exempt) items – not for publication"


def render(html: str) -> Rendered:
    from notifications.documents.render import html_to_pdf  # the renderer, only when used

    return html_to_pdf(html, full_fonts=True)
