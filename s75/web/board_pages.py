"""The programme director's pages: the gateway board (``/proposals``), its export as CSV and
XLSX, and a proposal's page (``/proposals/{id}``). Filters come from the query string and are
checked in board.parse_filters (a bad one is a 400 naming the field)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from jinja2 import Environment
from markupsafe import Markup

from s75.app import App
from s75.web import board as boards
from s75.web.deadline_risk import deadlines_at_risk
from s75.web.export import export_csv, export_xlsx
from s75.web.pages import page
from s75.web.paging import parse_page
from s75.web.proposal_view import proposal_page
from workflows.committee.common import local_day

router = APIRouter()


def _app(request: Request) -> App:
    app: App = request.app.state.s75
    return app


def _filters(request: Request, a: App) -> boards.Filters:
    q = request.query_params
    return boards.parse_filters(a.config, q.get("stage", ""), q.get("partner", ""),
                                q.get("at_risk", ""), q.get("page", "1"))


@router.get("/proposals", response_class=HTMLResponse)
def board(request: Request) -> HTMLResponse:
    a = _app(request)
    f = _filters(request, a)
    now = a.clock.now()
    with a.session() as s:
        data = boards.board(s, a.config, local_day(a.config, now), f)
        deadlines = deadlines_at_risk(s, a.config, now)
    return page(request, "board.html", title="Gateway board", b=data, risks=boards.RISKS,
                deadlines=deadlines, cell_html=cell_html(request, data))


def cell_html(request: Request, data: boards.Board) -> dict[boards.Cell, Markup]:
    """Each distinct cell of the page rendered once (templates/web/_board_cell.html): most
    cells of a board repeat (every partner go in a month), and a page has hundreds."""
    env: Environment = request.app.state.templates
    template = env.get_template("_board_cell.html")
    out: dict[boards.Cell, Markup] = {}
    for row in data.rows:
        for c in row.cells:
            if c not in out:
                out[c] = Markup(template.render(c=c))
    return out


def _export(request: Request, kind: str) -> Response:
    a = _app(request)
    f = _filters(request, a)
    today = local_day(a.config, a.clock.now())
    with a.session() as s:
        rows = list(boards.every_row(s, a.config, today, f))
    months = boards.columns(today)
    name = f"programme-{today.isoformat()}.{kind}"
    disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
    if kind == "csv":
        return Response(export_csv(rows, months), media_type="text/csv; charset=utf-8",
                        headers=disposition)
    return Response(export_xlsx(rows, months, a.config.locality.name),
                    media_type="application/vnd.openxmlformats-officedocument."
                               "spreadsheetml.sheet", headers=disposition)


@router.get("/proposals/export.csv")
def board_csv(request: Request) -> Response:
    return _export(request, "csv")


@router.get("/proposals/export.xlsx")
def board_xlsx(request: Request) -> Response:
    return _export(request, "xlsx")


@router.get("/proposals/{proposal_id}", response_class=HTMLResponse)
def proposal(request: Request, proposal_id: int) -> HTMLResponse:
    a = _app(request)
    with a.session() as s:
        data = proposal_page(s, a.config, proposal_id, local_day(a.config, a.clock.now()),
                             parse_page(request.query_params.get("page")))
    return page(request, "proposal.html", title=f"P-{data.id}: {data.title}", p=data)
