"""The public pages. Each handler opens one read-only session, asks views.py for plain data
and renders a template of templates/web (autoescaped). Errors raised here (NotFound, ...)
become pages in app.py's handlers; :func:`page` renders one (app.py's error pages too)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse
from jinja2 import Environment
from markupsafe import Markup, escape

from decisions.errors import NotFound
from notifications.ical import body_feed
from s75.app import App
from s75.web import security, views  # noqa: F401  security: the {name:id} convertor
from s75.web.formats import short_day_time
from s75.web.paging import parse_page

router = APIRouter()


def page(request: Request, template: str, status_code: int = 200, **context: Any
         ) -> HTMLResponse:
    """``template`` of templates/web rendered (autoescaped) with the locality and the path."""
    env: Environment = request.app.state.templates
    s75: App = request.app.state.s75
    locality = s75.config.locality
    html = env.get_template(template).render(
        locality=locality.name, path=request.url.path,
        register_published=locality.publish_register_of_interests,  # the footer links it
        **context)
    return HTMLResponse(html, status_code=status_code)


def _app(request: Request) -> App:
    app: App = request.app.state.s75
    return app


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    a = _app(request)
    with a.read_session() as s:
        bodies = views.home(s, a.config, a.clock.now())
    return page(request, "home.html", title="Meetings and decisions", bodies=bodies)


@router.get("/bodies/{body_id}", response_class=HTMLResponse)
def body(request: Request, body_id: str, page_: str = Query("1", alias="page")
         ) -> HTMLResponse:
    a = _app(request)
    with a.read_session() as s:
        data = views.body_page(s, a.config, body_id, a.clock.now(), parse_page(page_))
    return page(request, "body.html", title=data.name, b=data)


@router.get("/meetings/{meeting_id:id}", response_class=HTMLResponse)
def meeting(request: Request, meeting_id: int) -> HTMLResponse:
    a = _app(request)
    with a.read_session() as s:
        data = views.meeting_page(s, a.config, meeting_id, a.clock.now())
    m = data.meeting
    return page(request, "meeting.html",
                title=f"{m.body_name}, {m.starts_at:%-d %B %Y}", p=data)


@router.get("/documents/{document_id:id}.pdf")
def document(request: Request, document_id: int) -> Response:
    a = _app(request)
    with a.read_session() as s:
        row = views.public_document(s, document_id)
        data = None
        if row is not None:
            data = row.content
            if data is None and row.path:
                data = Path(row.path).read_bytes()
    if row is None or data is None:
        # The same answer whether the document is missing or not public: a members' or
        # personal document's existence is not disclosed.
        raise NotFound(f"document {document_id} is not a published document; the meeting "
                       "pages link every public agenda, report pack and decision notice")
    name = f"s75-{row.kind}-{row.id}.pdf"
    return Response(data, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}"'})


@router.get("/meetings/{meeting_id:id}/{kind}.pdf")
def latest_public_pdf(request: Request, meeting_id: int, kind: str) -> Response:
    """The meeting's latest public pack or supplement at an address known before it is
    rendered (packs render after the commit), as the subscribers' e-mails link it."""
    if kind not in ("pack", "supplement"):
        raise NotFound(f"there is no {kind!r} document of a meeting; expected pack or "
                       "supplement")
    a = _app(request)
    with a.read_session() as s:
        row = views.latest_public(s, meeting_id, kind)
        data = None if row is None else (row.content if row.content is not None else (
            Path(row.path).read_bytes() if row.path else None))
    if row is None or data is None:
        raise NotFound(f"meeting {meeting_id} has no public {kind} yet; its page lists its "
                       "documents once they are published")
    return Response(data, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="s75-{kind}-meeting-{meeting_id}.pdf"'})


@router.get("/deadlines", response_class=HTMLResponse)
def deadlines(request: Request, page_: str = Query("1", alias="page")) -> HTMLResponse:
    a = _app(request)
    now = a.clock.now()
    with a.read_session() as s:
        rows, paged = views.deadlines(s, a.config, now, parse_page(page_))
    return page(request, "deadlines.html", title="Upcoming deadlines", deadlines=rows,
                paged=paged, rows_html=deadline_rows_html(rows))


@lru_cache(maxsize=256)
def _escaped(value: str) -> str:
    """A value of a small set (a deadline's kind, state, body name) escaped once."""
    return str(escape(value))


def deadline_rows_html(rows: list[views.DeadlineLine]) -> Markup:
    """The table's rows, each value escaped, as the template's loop printed them (a page is
    100 rows of five cells: built in one pass rather than a template call per cell)."""
    return Markup("".join(
        f"    <tr><td>{escape(short_day_time(d.due))}</td><td>{_escaped(d.kind)}</td>"
        f"<td>{escape(d.title)}</td><td>{_escaped(d.body_name)}</td>"
        f"<td>{_escaped(d.state)}</td></tr>\n" for d in rows))


@router.get("/calendar/{body_id}.ics")
def calendar(request: Request, body_id: str) -> Response:
    a = _app(request)
    with a.read_session() as s:
        data = body_feed(s, a.config, body_id, a.clock.now(),  # public: exempt text left out
                         base_url=str(request.base_url))
    return Response(data, media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": f'inline; filename="{body_id}.ics"'})
