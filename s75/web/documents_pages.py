"""The public documents as accessible HTML pages, beside their PDFs: a meeting's agenda and
minutes, decision notices, the forward plan and a body's terms of reference.

Each page is built from the same view objects as the PDF (notifications/documents/gather.py)
and passed through the same redaction (notifications/documents/redact.py) before a template
sees it, so a Part 2 item shows only its number, title and the ground of exemption. An agenda
is shown once open to inspection; minutes and decision notices once the meeting is held."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session, col, select

from decisions.access import REGIMES, is_exempt
from decisions.errors import NotFound
from notifications.documents import gather, redact
from notifications.documents.config_views import terms_view
from s75.app import App
from s75.web.pages import page
from s75.web.views import agenda_is_public, public_documents
from workflows.committee import common
from workflows.committee.tables import AgendaItemRow, DecisionRow, MeetingRow

router = APIRouter()


def exempt_basis(regime: str, paragraph: int | None) -> str:
    return REGIMES[regime].exempt_basis(paragraph)


def _app(request: Request) -> App:
    app: App = request.app.state.s75
    return app


def _doc(request: Request, template: str, title: str, **context: Any) -> HTMLResponse:
    return page(request, f"documents/{template}", title=title, exempt_basis=exempt_basis,
                **context)


def _pdfs(session: Session, meeting_id: int, *kinds: str) -> list[Any]:
    return [d for d in public_documents(session, meeting_id) if d.kind in kinds]


def held_meeting(session: Session, meeting_id: int) -> MeetingRow:
    m = common.meeting(session, meeting_id)  # NotFound
    if m.status != "held":
        raise NotFound(f"meeting {meeting_id} has not been held yet: its minutes and decisions "
                       f"are published after the meeting (see /meetings/{meeting_id})")
    return m


@router.get("/meetings/{meeting_id}/agenda", response_class=HTMLResponse)
def agenda(request: Request, meeting_id: int) -> HTMLResponse:
    a = _app(request)
    with a.read_session() as s:
        m = common.meeting(s, meeting_id)
        if not agenda_is_public(s, m):
            raise NotFound(f"the agenda of meeting {meeting_id} has not been published yet")
        view = redact.public_agenda(gather.agenda_view(s, a.config, meeting_id))
        pdfs = _pdfs(s, meeting_id, "agenda", "pack", "supplement")
    return _doc(request, "agenda.html", view.title, a=view, meeting_id=meeting_id, pdfs=pdfs,
                body_id=m.body_id)


@router.get("/meetings/{meeting_id}/minutes", response_class=HTMLResponse)
def minutes(request: Request, meeting_id: int) -> HTMLResponse:
    a = _app(request)
    with a.read_session() as s:
        held_meeting(s, meeting_id)
        view = redact.public_minutes(gather.minutes_view(s, a.config, meeting_id))
        pdfs = _pdfs(s, meeting_id, "minutes")
        notices = decision_ids(s, meeting_id)
    return _doc(request, "minutes.html", view.title, m=view, meeting_id=meeting_id, pdfs=pdfs,
                notices=notices)


@router.get("/decisions/{decision_id}", response_class=HTMLResponse)
def notice(request: Request, decision_id: int) -> HTMLResponse:
    a = _app(request)
    with a.read_session() as s:
        d = s.get(DecisionRow, decision_id)
        item = s.get(AgendaItemRow, d.item_id) if d is not None else None
        if d is None or item is None:
            raise NotFound(f"decision {decision_id} does not exist")
        held_meeting(s, item.meeting_id)
        view = redact.public_notice(gather.notice_view(s, a.config, decision_id, a.clock.now()))
        meeting_id = item.meeting_id
    return _doc(request, "notice.html", f"Decision notice {view.reference}: {view.title}",
                n=view, meeting_id=meeting_id)


@router.get("/forward-plan", response_class=HTMLResponse)
def forward_plan(request: Request) -> HTMLResponse:
    a = _app(request)
    with a.read_session() as s:
        view = gather.forward_plan_view(s, a.config, a.clock.now())
    return _doc(request, "forward_plan.html", view.title, f=view)


@router.get("/bodies/{body_id}/terms", response_class=HTMLResponse)
def terms(request: Request, body_id: str) -> HTMLResponse:
    a = _app(request)
    view = terms_view(a.config, a.config.body_by_id(body_id).id)  # NotFound names the bodies
    return _doc(request, "terms.html", view.title, t=view, body_id=body_id)


def decision_ids(session: Session, meeting_id: int) -> list[tuple[int, str, bool]]:
    """(decision id, item title, exempt) of a held meeting's decisions, in agenda order."""
    rows = session.exec(select(DecisionRow, AgendaItemRow).join(
        AgendaItemRow, col(AgendaItemRow.id) == col(DecisionRow.item_id))
        .where(AgendaItemRow.meeting_id == meeting_id)
        .order_by(col(AgendaItemRow.position), col(DecisionRow.id))).all()
    return [(d.id or 0, i.title, is_exempt(i)) for d, i in rows]


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: str = "", page_: str = Query("1", alias="page")
                ) -> HTMLResponse:
    from s75.web.paging import parse_page
    from s75.web.search import MAX_QUERY, search

    a = _app(request)
    with a.read_session() as s:
        hits, paged = search(s, q, a.db_url, parse_page(page_))
    return page(request, "search.html", title="Search published documents and decisions",
                q=q, hits=hits, paged=paged, max_query=MAX_QUERY)
