"""``GET /oparl/v1/...``: the read-only public API in the shape of OParl 1.1, no login.

One System, one Body (the locality) and its object lists, each paginated as OParl 1.1 asks
(``data``, ``pagination``, ``links``; ``?page=N``, ``?limit=N`` up to :data:`MAX_LIMIT`), and
every object at its own URL (its ``id``). Built by oparl_views.py from the published Part 1
record only."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from math import ceil
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from sqlmodel import Session, col, select

from decisions.errors import NotFound
from notifications.documents.tables import DocumentRow
from s75.app import App
from s75.web import security  # noqa: F401  registers the {name:id} convertor
from s75.web.api import oparl_views as ov
from s75.web.api.errors import JsonRoute
from s75.web.api.models import Problem
from workflows.committee.tables import AgendaItemRow, MeetingRow

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
router = APIRouter(prefix="/oparl/v1", tags=["oparl"], route_class=JsonRoute,
                   responses={404: {"model": Problem, "description": "No such public object"},
                              422: {"model": Problem, "description": "A bad page or limit"}})
Page = Query(1, ge=1, le=2**31 - 1, description="The page, from 1")
Limit = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Objects per page")


def _ctx(request: Request) -> tuple[App, ov.Links]:
    app: App = request.app.state.s75
    return app, ov.Links(str(request.base_url))


def oparl_json(data: Any) -> JSONResponse:
    """OParl 1.1 asks for CORS on the public API: any site's script may read it."""
    return JSONResponse(data, media_type="application/json",
                        headers={"Access-Control-Allow-Origin": "*"})


def object_list(request: Request, data: list[Any], total: int, page: int, limit: int
                ) -> JSONResponse:
    pages = max(1, ceil(total / limit))
    here = str(request.url).split("?", 1)[0]

    def link(n: int) -> str:
        return f"{here}?{urlencode({'page': n, 'limit': limit})}"

    links = {"first": link(1), "last": link(pages), "self": link(page)}
    if page > 1:
        links["prev"] = link(min(page - 1, pages))
    if page < pages:
        links["next"] = link(page + 1)
    return oparl_json({"data": data, "pagination": {
        "totalElements": total, "elementsPerPage": limit, "currentPage": page,
        "totalPages": pages}, "links": links})


def _db_list(request: Request, query: Any, page: int, limit: int,
             build: Callable[[Session, Sequence[Any]], list[Any]]) -> JSONResponse:
    """The count, the page of rows, and ``build``'s objects for the whole page (which fetches
    what the rows embed once for the page, never per row)."""
    a, _ = _ctx(request)
    with a.session() as s:
        total = ov.count(s, query)
        rows = s.exec(query.offset((page - 1) * limit).limit(limit)).all()
        data = build(s, rows)
    return object_list(request, data, total, page, limit)


@router.get("/system", summary="The OParl System")
def system(request: Request) -> JSONResponse:
    a, L = _ctx(request)
    return oparl_json(ov.system(a.config, L))


@router.get("/bodies", summary="The list of Bodies (the locality)")
def bodies(request: Request, page: int = Page, limit: int = Limit) -> JSONResponse:
    a, L = _ctx(request)
    return object_list(request, ov.page_of([ov.body(a.config, L)], page, limit), 1, page,
                       limit)


@router.get("/body", summary="The Body: the locality")
def body(request: Request) -> JSONResponse:
    a, L = _ctx(request)
    return oparl_json(ov.body(a.config, L))


@router.get("/body/organizations", summary="Organizations: the decision-making bodies")
def organizations(request: Request, page: int = Page, limit: int = Limit) -> JSONResponse:
    a, L = _ctx(request)
    with a.read_session() as s:
        ids = [b.id for b in a.config.body]
        shown = ov.page_of(ids, page, limit)
        held = ov.meetings_of(s, shown)
        data = [ov.organization(s, a.config, L, b, held) for b in shown]
    return object_list(request, data, len(ids), page, limit)


@router.get("/organization/{body_id}", summary="An Organization (a body)")
def organization(request: Request, body_id: str) -> JSONResponse:
    a, L = _ctx(request)
    with a.read_session() as s:
        return oparl_json(ov.organization(s, a.config, L, body_id))


@router.get("/body/people", summary="People: the members of the bodies")
def people(request: Request, page: int = Page, limit: int = Limit) -> JSONResponse:
    a, L = _ctx(request)
    ids = [m.id for m in ov.people(a.config)]
    return object_list(request, [ov.person(a.config, L, m) for m in ov.page_of(ids, page, limit)],
                       len(ids), page, limit)


@router.get("/person/{person_id}", summary="A Person")
def person(request: Request, person_id: str) -> JSONResponse:
    a, L = _ctx(request)
    return oparl_json(ov.person(a.config, L, person_id))


@router.get("/body/memberships", summary="Memberships of people in bodies")
def memberships(request: Request, page: int = Page, limit: int = Limit) -> JSONResponse:
    a, L = _ctx(request)
    pairs = ov.memberships(a.config)
    return object_list(request, [ov.membership(a.config, L, m, b)
                                 for m, b in ov.page_of(pairs, page, limit)],
                       len(pairs), page, limit)


@router.get("/membership/{person_id}/{body_id}", summary="A Membership")
def membership(request: Request, person_id: str, body_id: str) -> JSONResponse:
    a, L = _ctx(request)
    return oparl_json(ov.membership(a.config, L, person_id, body_id))


@router.get("/body/meetings", summary="Meetings, earliest first")
def meetings(request: Request, page: int = Page, limit: int = Limit) -> JSONResponse:
    a, L = _ctx(request)
    q = select(MeetingRow).order_by(col(MeetingRow.starts_at), col(MeetingRow.id))
    with a.read_session() as s:  # what the page's meetings embed: a few queries for them all
        total = ov.count(s, q)
        rows = s.exec(q.offset((page - 1) * limit).limit(limit)).all()
        pre = ov.MeetingContext(s, rows)
        data = [ov.meeting(s, a.config, L, m, pre) for m in rows]
    return object_list(request, data, total, page, limit)


@router.get("/meeting/{meeting_id:id}", summary="A Meeting, with its published agenda")
def meeting(request: Request, meeting_id: int) -> JSONResponse:
    a, L = _ctx(request)
    with a.read_session() as s:
        m = s.get(MeetingRow, meeting_id)
        if m is None:
            raise NotFound(f"meeting {meeting_id} does not exist; {L.api('body/meetings')} "
                           "lists them")
        return oparl_json(ov.meeting(s, a.config, L, m))


@router.get("/body/agenda-items", summary="Agenda items on published agendas (Part 1)")
def agenda_items(request: Request, page: int = Page, limit: int = Limit) -> JSONResponse:
    a, L = _ctx(request)
    q = ov.public_items_query().order_by(col(AgendaItemRow.id))

    def build(s: Session, rows: Sequence[AgendaItemRow]) -> list[Any]:
        ctx = ov.ItemContext(s).prefetch(rows)  # decisions and numbering: once for the page
        return [ov.agenda_item(s, a.config, L, i, ctx) for i in rows]

    return _db_list(request, q, page, limit, build)


@router.get("/agendaitem/{item_id:id}", summary="An AgendaItem (Part 1, published)")
def agenda_item(request: Request, item_id: int) -> JSONResponse:
    a, L = _ctx(request)
    with a.read_session() as s:
        return oparl_json(ov.public_item(s, a.config, L, item_id))


@router.get("/body/papers", summary="Papers: the published Part 1 reports")
def papers(request: Request, page: int = Page, limit: int = Limit) -> JSONResponse:
    a, L = _ctx(request)
    q = ov.papers_query().order_by(col(AgendaItemRow.id))
    def build(s: Session, rows: Sequence[AgendaItemRow]) -> list[Any]:
        pre = ov.PaperContext(s, rows)  # meetings and their files: once for the page
        return [ov.paper(s, a.config, L, i, pre) for i in rows]

    return _db_list(request, q, page, limit, build)


@router.get("/paper/{paper_id:id}", summary="A Paper")
def paper(request: Request, paper_id: int) -> JSONResponse:
    a, L = _ctx(request)
    with a.read_session() as s:
        return oparl_json(ov.public_paper(s, a.config, L, paper_id))


@router.get("/body/files", summary="Files: the public documents (PDF)")
def files(request: Request, page: int = Page, limit: int = Limit) -> JSONResponse:
    a, L = _ctx(request)
    q = ov.public_files_query().order_by(col(DocumentRow.id))
    return _db_list(request, q, page, limit,
                    lambda s, rows: [ov.file(a.config, L, d) for d in rows])


@router.get("/file/{file_id:id}", summary="A File")
def file(request: Request, file_id: int) -> JSONResponse:
    a, L = _ctx(request)
    with a.read_session() as s:
        return oparl_json(ov.public_file(s, a.config, L, file_id))
