"""The report authors' and clearing officers' pages: ``/staff/my-items`` (the items assigned to
the signed-in author), ``/staff/clearance`` (reports awaiting the signed-in officer's
clearance), each a page at a time (``?page=``), ``/staff/items/{id}`` (one item: its
report rendered, appendices, clearance, and the forms the viewer may use) and one POST route
per form (forms.ITEM_FORMS), each one action as the signed-in principal. ``preview`` renders
the posted report without writing; with htmx (``HX-Request``) it answers the preview fragment
only.

Every form on an item's page carries the item's ``version``: a post made from a page the
item has since moved on from is refused with 409 ("someone else changed this item: reload"),
so a double submit writes once."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session
from starlette.datastructures import FormData

from decisions.errors import ConflictError, InvalidInput, NotFound, RuleRefused
from decisions.principals import Principal
from s75.app import App
from s75.web.authors import views
from s75.web.authors.forms import ITEM_FORMS, field_of, read_upload
from s75.web.pages import page
from s75.web.paging import parse_page
from s75.web.staff import sessions
from s75.web.staff.forms import text
from s75.web.staff.routes import check_version, signed_in, staff_page
from workflows.committee import common

router = APIRouter()


def _app(request: Request) -> App:
    app: App = request.app.state.s75
    return app


@router.get("/staff/my-items", response_class=HTMLResponse)
def my_items(request: Request, page_: str = Query("1", alias="page")) -> HTMLResponse:
    who = signed_in(request)
    a = _app(request)
    with a.read_session() as s:
        rows, paged = views.my_items(s, a.config, who, parse_page(page_))
    return staff_page(request, "authors/my_items.html", title="Your reports", rows=rows,
                      paged=paged)


@router.get("/staff/clearance", response_class=HTMLResponse)
def clearance_queue(request: Request, page_: str = Query("1", alias="page")) -> HTMLResponse:
    who = signed_in(request)
    a = _app(request)
    kinds = views.officer_kinds(who)
    with a.read_session() as s:
        rows, paged = views.awaiting(s, a.config, who, parse_page(page_))
    return staff_page(request, "authors/clearance.html", title="Reports awaiting clearance",
                      rows=rows, kinds=kinds, paged=paged)


def _item_page(request: Request, item_id: int, status: int = 200, text_: str | None = None,
               **extra: Any) -> HTMLResponse:
    who = signed_in(request)
    a = _app(request)
    with a.session() as s:
        p = views.item_page(s, a.config, who, item_id, text_)
        chairs = _chairs(a, s, p.meeting_id)
    context: dict[str, Any] = {"errors": {}, "values": {}, "failed": None, "message": None,
                               "done": None, "previewing": text_ is not None, **extra}
    return staff_page(request, "authors/item.html", status, title=p.item.title, p=p,
                      current=views.values_of(p), chairs=chairs, **context)


def _chairs(a: App, s: Session, meeting_id: int) -> list[tuple[str, str]]:
    m = common.meeting(s, meeting_id)
    b = a.config.body_by_id(m.body_id)
    ids = dict.fromkeys(c for c in (*b.chair_rotation, b.chair, b.vice_chair) if c)
    return [(c, a.config.member_by_id(c).display) for c in ids]


@router.get("/staff/items/{item_id:id}", response_class=HTMLResponse)
def item_page(request: Request, item_id: int, done: str = "") -> HTMLResponse:
    form = ITEM_FORMS.get(done)
    return _item_page(request, item_id, done=form.done if form else None)


@router.post("/staff/items/{item_id:id}/preview", response_model=None)
async def preview(request: Request, item_id: int) -> Response:
    who = signed_in(request)
    data = await sessions.form(request)
    body = text(data, "body_text", 200000)
    a = _app(request)
    with a.session() as s:
        i = common.item(s, item_id)
        views.refuse_unless_allowed(a.config, s, who, i)
    if request.headers.get("HX-Request"):
        return page(request, "authors/_preview.html", preview=views.rendered(body),
                    previewing=True)
    values = {k: v for k, v in data.items() if isinstance(v, str) and k != "csrf"}
    return _item_page(request, item_id, text_=body, failed="draft", values=values)


@router.post("/staff/items/{item_id:id}/{form_name}", response_model=None)
async def perform_item_form(request: Request, item_id: int, form_name: str) -> Response:
    who = signed_in(request)
    data = await sessions.form(request)
    try:
        return await _perform(request, item_id, form_name, who, data)
    finally:
        await data.close()  # an uploaded file's temporary copy


async def _perform(request: Request, item_id: int, form_name: str, who: Principal,
                   data: FormData) -> Response:
    form = ITEM_FORMS.get(form_name)
    if form is None:
        raise NotFound(f"there is no form {form_name!r} on an item's page; expected one of "
                       f"preview, {', '.join(ITEM_FORMS)}")
    a = _app(request)
    with a.session() as s:  # the page's gate first: 403 in words, 404 for an unknown item
        i = common.item(s, item_id)
        roles = views.refuse_unless_allowed(a.config, s, who, i)
        version = i.version
    values = {k: v for k, v in data.items() if isinstance(v, str) and k != "csrf"}
    try:
        check_version(version, text(data, "version", 12))
        upload = await read_upload(data) if form_name == "attach" else None
        a.perform(form.build(item_id, data, roles, upload), principal=who)
    except (InvalidInput, RuleRefused, ConflictError) as exc:
        message = str(exc)
        field = field_of(message, form) if isinstance(exc, InvalidInput) else None
        status = 422 if isinstance(exc, InvalidInput) else 409
        return _item_page(request, item_id, status, failed=form_name, message=message,
                          errors={field: message} if field else {}, values=values)
    return RedirectResponse(f"/staff/items/{item_id}?done={quote(form_name)}",
                            status_code=303)
