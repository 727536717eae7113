"""The programme director's pages: the gateway board (``/proposals``), its export as CSV and
XLSX, and a proposal's page (``/proposals/{id}``). Filters come from the query string and are
checked in board.parse_filters (a bad one is a 400 naming the field)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from jinja2 import Environment
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool

from s75.app import App
from s75.web import board as boards
from s75.web.board_cells import Cell
from s75.web.deadline_risk import DeadlineAtRisk, deadlines_at_risk
from s75.web.export import export_csv, export_xlsx
from s75.web.formats import short_day, short_day_time
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
async def board(request: Request) -> HTMLResponse:
    """The board. On SQLite it is made in the event loop's own thread: its reads are of a
    local file (in WAL mode a reader never waits for a writer) and the whole page is a few
    milliseconds of CPU at 100 times a locality's proposals (the at-risk filter, whose count
    tests every proposal in progress, the longest: about 5 ms at 10,000), time in which a
    worker thread would hold the interpreter's lock for most of it as well; the hop to a
    worker thread and back costs each request CPU and, on a busy machine, a wait for the
    thread to be scheduled. On PostgreSQL each statement waits on the network, so the page
    is made in a worker thread, as a plain ``def`` route's is, and the loop serves other
    requests meanwhile."""
    if _app(request).engine.dialect.name == "sqlite":
        return board_page(request)
    return await run_in_threadpool(board_page, request)


def board_page(request: Request) -> HTMLResponse:
    a = _app(request)
    f = _filters(request, a)
    now = a.clock.now()
    with a.read_session() as s:
        data = boards.board(s, a.config, local_day(a.config, now), f)
        deadlines = deadlines_at_risk(s, a.config, now)
    return page(request, "board.html", title="Gateway board", b=data, risks=boards.RISKS,
                deadlines=deadlines, rows_html=rows_html(request, data),
                at_risk_html=at_risk_html(deadlines))


CELLS_KEPT = 4096
"""Rendered cells kept between requests (a cell's HTML is a function of its value alone)."""


def rows_html(request: Request, data: boards.Board) -> Markup:
    """The board's rows, every value escaped, as the template's loop laid them out: a row's
    heading (its link, its risks), its stage and start, then its cells
    (templates/web/_board_cell.html each, on a line of its own). A cell's HTML depends on its
    value alone (month, rating, words), so each distinct value is rendered once and kept
    (most cells of a board repeat: every partner go in a month). The cells of a board are
    the day's cell maker's (board_cells.cell_maker), the same object for the same value, so the
    kept HTML is found by the cell's identity (no hash of its fields); each entry holds its
    cell, so an id is not reused while its entry is kept, and a cell made afresh (an equal
    value, another object) is found by its value."""
    env: Environment = request.app.state.templates
    kept: dict[Cell, str] | None = getattr(request.app.state, "board_cells", None)
    seen: dict[int, tuple[Cell, str]] | None = getattr(request.app.state, "board_cell_ids",
                                                       None)
    if kept is None or seen is None or len(kept) > CELLS_KEPT or len(seen) > CELLS_KEPT:
        kept = request.app.state.board_cells = {}
        seen = request.app.state.board_cell_ids = {}
    template = None
    out = []
    for r in data.rows:
        risks = (f'<p class="govuk-body-s"><strong class="s75-rag s75-rag--red">At risk</strong> '
                 f'{escape("; ".join(r.risks))}</p>' if r.risks else "")
        out.append(
            f'    <tr class="govuk-table__row">\n      <th scope="row" class="govuk-table__header">'
            f'<a class="govuk-link" href="/proposals/{r.id}">P-{r.id}: {escape(r.title)}</a>\n'
            f'{risks}</th>\n      <td class="govuk-table__cell">{escape(r.stage)}<br>'
            f'<span class="govuk-body-s">starts {short_day(r.start_date)}</span></td>\n')
        for c in r.cells:
            entry = seen.get(id(c))
            if entry is None or entry[0] is not c:
                html = kept.get(c)
                if html is None:
                    template = template or env.get_template("_board_cell.html")
                    html = kept[c] = f"      {template.render(c=c)}\n"
                entry = seen[id(c)] = (c, html)
            out.append(entry[1])
        out.append("    </tr>\n")
    return Markup("".join(out))


def at_risk_html(deadlines: list[DeadlineAtRisk]) -> Markup:
    """The deadlines at risk as table rows, every value escaped."""
    cell = '<td class="govuk-table__cell">'
    return Markup("".join(
        f'    <tr class="govuk-table__row">{cell}{escape(short_day_time(d.due))}</td>{cell}'
        f'<strong>{escape(d.position)}</strong></td>{cell}{escape(d.kind)}</td>{cell}'
        f'{escape(d.title)}</td>{cell}{escape(d.body)}</td></tr>\n' for d in deadlines))


def _export(request: Request, kind: str) -> Response:
    a = _app(request)
    f = _filters(request, a)
    today = local_day(a.config, a.clock.now())
    with a.read_session() as s:
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
    with a.read_session() as s:
        data = proposal_page(s, a.config, proposal_id, local_day(a.config, a.clock.now()),
                             parse_page(request.query_params.get("page")))
    return page(request, "proposal.html", title=f"P-{data.id}: {data.title}", p=data)
