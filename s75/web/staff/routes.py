"""The staff pages: sign in and out, the secretary's dashboard, a meeting's workspace, and
one POST route that performs the form's one action (forms.FORMS) as the signed-in principal.

A refusal is shown beside the field it names (422; a rule or a conflict: 409 with the message
at the top of the form); a permission refused is 403 with the pipeline's own words."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from decisions.errors import ConflictError, InvalidInput, NotFound, RuleRefused
from decisions.principals import SECRETARY, Principal, require
from s75 import accounts
from s75.app import App
from s75.web.pages import page
from s75.web.staff import sessions, views
from s75.web.staff.forms import FORMS, FRAGMENTS, field_of, text
from workflows.actions import body_scope
from workflows.committee import common
from workflows.committee.decide import OUTCOMES
from workflows.committee.records import ATTENDANCE_STATUSES, MANAGED

router = APIRouter()


class SignInNeeded(Exception):
    """A staff page asked for without a session (the handler redirects to /login)."""


def _app(request: Request) -> App:
    app: App = request.app.state.s75
    return app


def signed_in(request: Request) -> Principal:
    ws = sessions.current(request)
    if ws.signed_in is None:
        raise SignInNeeded(request.url.path)
    return ws.signed_in.principal


def staff_page(request: Request, template: str, status_code: int = 200, **context: Any
               ) -> HTMLResponse:
    ws = sessions.current(request)
    who = ws.signed_in.principal if ws.signed_in else None
    return page(request, template, status_code, csrf=ws.csrf, who=who, **context)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/staff") -> HTMLResponse:
    return staff_page(request, "login.html", title="Sign in", next=_safe(next), error=None,
                      username="")


def _safe(target: str) -> str:
    """Only a path of this site (no open redirect)."""
    return target if target.startswith("/") and not target.startswith("//") else "/staff"


@router.post("/login", response_model=None)
async def login(request: Request) -> Response:
    data = await sessions.form(request)
    a = _app(request)
    username, password = text(data, "username", 64), data.get("password", "")
    address = request.client.host if request.client else "unknown"
    nxt = _safe(text(data, "next", 300) or "/staff")
    with a.session() as s:
        try:
            signed = accounts.login(s, a.config, username, str(password)[:1024], address,
                                    a.clock.now())
        except accounts.LoginRefused as exc:
            s.commit()
            return staff_page(request, "login.html", 401, title="Sign in", next=nxt,
                              error=str(exc), username=username)
        s.commit()
        s.refresh(signed.account)
    sessions.rotate(request, signed)
    who = signed.principal
    if nxt == "/staff" and not who.roles and not who.secretary_of:
        nxt = "/members"  # a committee member with no staff role: their meetings and packs
    return RedirectResponse(nxt, status_code=303)


@router.post("/logout", response_model=None)
async def logout(request: Request) -> Response:
    await sessions.form(request)
    sessions.rotate(request, None)
    return RedirectResponse("/", status_code=303)


def check_version(version: int, posted: str | None) -> None:
    """A form that carries the item's ``version`` was made from the item as it then stood;
    when it has moved on since (someone else changed it, or this is a second submit of the
    same form), nothing is written: 409, reload."""
    if posted is not None and posted.strip() != str(version):
        raise ConflictError(
            f"Someone else changed this item since you opened the page (you had version "
            f"{posted.strip() or 'none'}; it is now version {version}). Reload the page to see "
            "the item as it stands, then make your change again; nothing was saved")


@router.get("/staff", response_class=HTMLResponse)
def dashboard(request: Request) -> HTMLResponse:
    who = signed_in(request)
    a = _app(request)
    with a.read_session() as s:
        bodies = views.dashboard(s, a.config, who, a.clock.now())
    return staff_page(request, "staff.html", title="Your committees", bodies=bodies)


def _meeting_allowed(a: App, who: Principal, meeting_id: int, action: str) -> str:
    with a.session() as s:
        m = common.meeting(s, meeting_id)
        body_id = m.body_id
    require(action, who, SECRETARY, body_scope(a.config, f"meeting {meeting_id}", body_id))
    return body_id


def _workspace(request: Request, meeting_id: int, status: int = 200, *,
               template: str = "workspace.html", **extra: Any) -> HTMLResponse:
    a = _app(request)
    with a.session() as s:
        w = views.workspace(s, a.config, meeting_id, a.clock.now())
    context: dict[str, Any] = {"errors": {}, "values": {}, "failed": None, "message": None,
                               "done": None, **extra}
    return staff_page(request, template, status, title=f"{w.meeting.body}, "
                      f"{w.meeting.when}", w=w, outcomes=OUTCOMES, statuses=ATTENDANCE_STATUSES,
                      managed=MANAGED, **context)


@router.get("/staff/meetings/{meeting_id:id}", response_class=HTMLResponse)
def meeting_workspace(request: Request, meeting_id: int, done: str = "") -> HTMLResponse:
    who = signed_in(request)
    _meeting_allowed(_app(request), who, meeting_id, "the meeting workspace")
    form = FORMS.get(done)
    return _workspace(request, meeting_id, done=form.done if form else None)


@router.get("/staff/meetings/{meeting_id:id}/items/{item_id:id}/rules",
            response_class=HTMLResponse)
def rule_check(request: Request, meeting_id: int, item_id: int) -> HTMLResponse:
    """The decide form's live rule check: quorum for the item, interests, the decision rule,
    as things stand, read only. With htmx (``HX-Request``) the fragment alone; without it a
    page of its own, linked from the form."""
    who = signed_in(request)
    a = _app(request)
    _meeting_allowed(a, who, meeting_id, "the rule check")
    with a.read_session() as s:
        item = common.item(s, item_id)
        if item.meeting_id != meeting_id:
            raise NotFound(f"item {item.id} is not on the agenda of meeting {meeting_id}")
        check = views.rule_check(s, a.config, item_id)
    if request.headers.get("HX-Request"):
        return page(request, "staff/_rules.html", check=check, meeting_id=meeting_id)
    return staff_page(request, "staff/rules.html", title=f"The rules now: {check.item.title}",
                      check=check, meeting_id=meeting_id)


@router.post("/staff/meetings/{meeting_id:id}/{form_name}", response_model=None)
async def perform_form(request: Request, meeting_id: int, form_name: str) -> Response:
    who = signed_in(request)
    data = await sessions.form(request)
    form = FORMS.get(form_name)
    if form is None:
        raise NotFound(f"there is no form {form_name!r}; expected one of "
                       f"{', '.join(FORMS)}")
    a = _app(request)
    _meeting_allowed(a, who, meeting_id, f"the {form_name} form")  # the page's gate first
    values = {k: v for k, v in data.items() if isinstance(v, str) and k != "csrf"}
    fragment = bool(request.headers.get("HX-Request")) and form_name in FRAGMENTS
    template = FRAGMENTS[form_name] if fragment else "workspace.html"
    try:
        action = form.build(meeting_id, data)
        if form.item:
            with a.session() as s:  # an item of another meeting (another body) is not here
                item = common.item(s, int(values.get("item_id", 0)))
                if item.meeting_id != meeting_id:
                    raise NotFound(f"item {item.id} is not on the agenda of meeting "
                                   f"{meeting_id}")
                check_version(item.version, values.get("version"))
        a.perform(action, principal=who)
    except (InvalidInput, RuleRefused, ConflictError) as exc:
        message = str(exc)
        field = field_of(message, form)
        status = 422 if isinstance(exc, InvalidInput) else 409
        return _workspace(request, meeting_id, status, failed=form_name, message=message,
                          errors={field: message} if field else {}, values=values,
                          template=template, fragment=fragment)
    except NotFound as exc:  # a value typed into a field (a member, a meeting) that is not there
        message = str(exc)
        named = [f for f in form.fields
                 if values.get(f) and re.search(rf"\b{re.escape(values[f])}\b", message)]
        if not named:
            raise
        return _workspace(request, meeting_id, 422, failed=form_name, message=message,
                          errors={named[0]: message}, values=values, template=template,
                          fragment=fragment)
    if fragment:  # htmx: the agenda alone, in its new order (no reload)
        return _workspace(request, meeting_id, template=template, fragment=True,
                          done=form.done)
    return RedirectResponse(f"/staff/meetings/{meeting_id}?done={quote(form_name)}",
                            status_code=303)
