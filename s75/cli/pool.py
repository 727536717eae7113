"""``s75 pool show``, ``s75 pool report --quarter N`` and ``s75 pool variance FILE.csv``: the
pooled budget from config, its risk share, the quarterly report to the partners, and each
partner's share of a forecast over- or underspend."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from decisions.errors import InvalidInput
from s75.cli.options import JsonOpt, get_app
from s75.cli.output import emit_object, emit_rows, money

pool_app = typer.Typer(no_args_is_help=True, help="The pooled budget and its risk share.")


@pool_app.command("show")
def pool_show(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """The pool's lines, totals by partner (tbc lines flagged) and risk share."""
    from decisions.pool import pool_totals, risk_shares

    cfg = get_app(ctx).config
    totals = pool_totals(cfg.pool)
    shares = risk_shares(cfg.pool)
    lines = []
    for ln in cfg.pool.line:
        row: dict[str, Any] = {"id": ln.id, "service": ln.service, "lead": ln.lead,
                               "value": ln.value}
        for p in cfg.partner:
            row[p.id] = None if isinstance(ln.contributions, str) else ln.contributions.get(p.id)
        lines.append(row)
    out = {"pool": cfg.pool.name, "financial_year": cfg.pool.financial_year,
           "host": cfg.pool.host, "total": totals.total, "by_partner": totals.by_partner,
           "risk_share": {k: float(v) for k, v in shares.items()},
           "risk_share_basis": cfg.pool.risk_share if isinstance(cfg.pool.risk_share, str)
           else "fixed", "tbc_lines": list(totals.tbc_lines), "lines": lines}
    if as_json:
        emit_object(out, True)
        return
    emit_rows(lines, False, cfg.pool.name, ["id", "service", "lead", "value",
                                            *[p.id for p in cfg.partner]])
    emit_object({"total": money(totals.total),
                 **{f"{k} contributes": money(v) for k, v in totals.by_partner.items()},
                 "risk share": ", ".join(f"{k} {v:.0%}" for k, v in shares.items()),
                 "not in the total": ", ".join(f"{t} (tbc)" for t in totals.tbc_lines) or "—"},
                False)


@pool_app.command("report")
def pool_report(
    ctx: typer.Context,
    quarter: Annotated[int, typer.Option(help="Quarter of the financial year, 1 to 4.")],
    as_json: JsonOpt = False,
) -> None:
    """Send the quarter's report on the pooled fund to the partners (as the pooled fund
    manager or the programme director): stored as a public PDF; meets the quarterly deadline."""
    from notifications.documents.pool_report import SendPoolReport

    def shown(_uow: Any, doc: Any) -> dict[str, Any]:
        return {"document": doc.id, "title": doc.title, "pages": doc.pages,
                "audience": doc.audience}

    emit_object(get_app(ctx).perform(SendPoolReport(quarter), shown), as_json)


@pool_app.command("variance")
def pool_variance(ctx: typer.Context, file: Annotated[Path, typer.Argument(help="CSV")],
                  as_json: JsonOpt = False) -> None:
    """Budget monitoring: variance per line and each partner's share of it."""
    from decisions.pool import parse_variance_csv, variance_report

    cfg = get_app(ctx).config
    try:
        text = file.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InvalidInput(f"{file}: cannot be read ({exc.strerror}); give the path of a "
                           "budget-monitoring CSV file") from None
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{file}: is not UTF-8 text (byte {exc.start}); expected a CSV "
                           "file saved as UTF-8 (in Excel: Save As, 'CSV UTF-8')") from None
    rep = variance_report(cfg.pool, parse_variance_csv(text, str(file), cfg.pool))
    rows = [{"line": r.line_id, "service": r.service, "budget": r.budget,
             "forecast_outturn": r.forecast_outturn, "variance": r.variance,
             "percent": None if r.percent is None else float(r.percent)} for r in rep.rows]
    out = {"rows": rows, "budget": rep.budget, "forecast_outturn": rep.forecast_outturn,
           "variance": rep.variance,
           "percent": None if rep.percent is None else float(rep.percent),
           "shares": {k: float(v) for k, v in rep.shares.items()},
           "partner_variance": rep.partner_variance}
    if as_json:
        emit_object(out, True)
        return
    emit_rows(rows, False, "Forecast outturn by line", ["service", "budget",
                                                       "forecast_outturn", "variance", "percent"])
    kind = "overspend" if rep.variance > 0 else "underspend"
    emit_object({"total variance": f"{money(rep.variance)} ({kind})",
                 **{f"{k} share": money(v) for k, v in rep.partner_variance.items()}}, False)



def register(app: typer.Typer) -> None:
    app.add_typer(pool_app, name="pool")
