"""The members' pages (signed in, an account tied to a member of the configuration):
``/members`` (my meetings), a meeting with its packs and the declare-interest form, my packs,
a pack as PDF (only a version the member is entitled to: 404 otherwise, the same answer as a
document that does not exist), my actions, and the personal calendar link (a revocable token,
``calendar_tokens.py``). Declaring performs the pipeline's ``interest declare`` action as the
member; the refusal is shown beside the field it names (422), a rule's at the top (409)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from decisions.errors import ConflictError, InvalidInput, NotFound, RuleRefused
from decisions.principals import Principal
from s75.api_tokens import calendar_path
from s75.app import App
from s75.web.members import calendar_tokens, views
from s75.web.paging import parse_page
from s75.web.staff import sessions
from s75.web.staff.forms import choice, number, text
from s75.web.staff.routes import signed_in, staff_page
from s75.web.subscriptions import page_url
from workflows.committee.interest_actions import DeclareInterest
from workflows.committee.records import INTEREST_NATURES, MANAGED

router = APIRouter()
DECLARE_FIELDS = ("item_id", "nature", "description", "managed")


def _app(request: Request) -> App:
    app: App = request.app.state.s75
    return app


def _page(request: Request, template: str, who: Principal, status: int = 200,
          **context: Any) -> HTMLResponse:
    a = _app(request)
    return staff_page(request, f"members/{template}", status,
                      bodies=views.bodies(a.config, who), **context)


@router.get("/members", response_class=HTMLResponse)
def my_meetings(request: Request) -> HTMLResponse:
    who = signed_in(request)
    a = _app(request)
    with a.read_session() as s:
        upcoming, past = views.my_meetings(s, a.config, who, a.clock.now())
    return _page(request, "meetings.html", who, title="Your meetings", upcoming=upcoming,
                 past=past)


def _meeting(request: Request, who: Principal, meeting_id: int, status: int = 200,
             **extra: Any) -> HTMLResponse:
    a = _app(request)
    with a.session() as s:
        p = views.meeting_page(s, a.config, who, meeting_id)
    context: dict[str, Any] = {"errors": {}, "values": {}, "message": None, "done": None,
                               **extra}
    return _page(request, "meeting.html", who, status,
                 title=f"{p.meeting.body_name}, {p.meeting.starts_at:%-d %B %Y}", p=p,
                 natures=views.NATURES, managed=views.MANAGED_WORDS, **context)


@router.get("/members/meetings/{meeting_id:id}", response_class=HTMLResponse)
def member_meeting(request: Request, meeting_id: int, done: str = "") -> HTMLResponse:
    who = signed_in(request)
    return _meeting(request, who, meeting_id,
                    done="Your declaration is recorded. The secretary has been told, and it "
                         "will be in the minutes." if done == "declared" else None)


def declaration(data: Any, who: Principal) -> DeclareInterest:
    """The declare form as the pipeline's action, always for the signed-in member."""
    return DeclareInterest(item_id=number(data, "item_id") or 0, member_id=who.id,
                           nature=choice(data, "nature", INTEREST_NATURES),
                           description=text(data, "description", 2000),
                           managed=choice(data, "managed", MANAGED))


@router.post("/members/meetings/{meeting_id:id}/declare", response_model=None)
async def declare(request: Request, meeting_id: int) -> Response:
    who = signed_in(request)
    data = await sessions.form(request)
    a = _app(request)
    with a.session() as s:
        page = views.meeting_page(s, a.config, who, meeting_id)  # NotFound: not their body
    values = {k: v for k, v in data.items() if isinstance(v, str) and k != "csrf"}
    try:
        action = declaration(data, who)
        if action.item_id not in {i.id for i in page.items if i.declarable}:
            raise InvalidInput(f"item_id: {values.get('item_id', '')!r} is not an item of this "
                               "meeting open for declarations; choose one from the list")
        if not action.description:
            raise InvalidInput("description: missing; say what the interest is (for example "
                               "'I am a director of the provider')")
        a.perform(action, principal=who)
    except (InvalidInput, RuleRefused, ConflictError) as exc:
        message = str(exc)
        head = message.split(":", 1)[0].strip().replace("-", "_")
        field = {"item": "item_id", "member": None}.get(head, head)
        field = field if field in DECLARE_FIELDS else None
        status = 422 if isinstance(exc, InvalidInput) else 409
        return _meeting(request, who, meeting_id, status, message=message, values=values,
                        errors={field: message} if field else {})
    return RedirectResponse(f"/members/meetings/{meeting_id}?done=declared#declarations",
                            status_code=303)


@router.get("/members/packs", response_class=HTMLResponse)
def my_packs(request: Request) -> HTMLResponse:
    who = signed_in(request)
    a = _app(request)
    with a.read_session() as s:
        packs, paged = views.my_packs(s, a.config, who,
                                      parse_page(request.query_params.get("page")))
    return _page(request, "packs.html", who, title="Your packs", packs=packs, paged=paged)


@router.get("/members/documents/{document_id:id}.pdf")
def member_document(request: Request, document_id: int) -> Response:
    who = signed_in(request)
    a = _app(request)
    with a.read_session() as s:
        row = views.document(s, who, document_id)
        data = None
        if row is not None:
            data = row.content
            if data is None and row.path:
                data = Path(row.path).read_bytes()
    if row is None or data is None:
        raise NotFound(f"document {document_id} is not a pack you may read; your packs are "
                       "listed on the Your packs page")
    return Response(data, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="s75-{row.kind}-{row.id}.pdf"',
        "Cache-Control": "private, no-store"})


@router.get("/members/actions", response_class=HTMLResponse)
def my_actions(request: Request) -> HTMLResponse:
    who = signed_in(request)
    a = _app(request)
    with a.read_session() as s:
        rows, paged = views.my_actions(s, a.config, who, a.clock.now(),
                                       parse_page(request.query_params.get("page")))
    return _page(request, "actions.html", who, title="Your actions", actions=rows,
                 paged=paged)


def _calendar(request: Request, who: Principal, link: str | None = None,
              done: str | None = None) -> HTMLResponse:
    a = _app(request)
    with a.session() as s:
        row = calendar_tokens.current(s, who.id)
        since = row.created_at.astimezone(a.config.zone) if row is not None else None
    response = _page(request, "calendar.html", who, title="Your calendar link", link=link,
                     since=since, done=done)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/members/calendar", response_class=HTMLResponse)
def calendar_page(request: Request, done: str = "") -> HTMLResponse:
    who = signed_in(request)
    return _calendar(request, who, done="Your calendar link is stopped." if done == "revoked"
                     else None)


@router.post("/members/calendar/reset", response_class=HTMLResponse)
async def calendar_reset(request: Request) -> HTMLResponse:
    """A new link (the old one stops working), shown on this page once."""
    who = signed_in(request)
    await sessions.form(request)
    a = _app(request)
    with a.session() as s:
        token = calendar_tokens.issue(s, who.id, a.clock.now())
        s.commit()
    link = page_url(a.config, calendar_path(token), str(request.base_url))
    return _calendar(request, who, link=link, done="Your new calendar link is ready. Copy it "
                     "now: it is shown only once.")


@router.post("/members/calendar/revoke", response_model=None)
async def calendar_revoke(request: Request) -> Response:
    who = signed_in(request)
    await sessions.form(request)
    a = _app(request)
    with a.session() as s:
        calendar_tokens.revoke(s, who.id, a.clock.now())
        s.commit()
    return RedirectResponse("/members/calendar?done=revoked", status_code=303)
