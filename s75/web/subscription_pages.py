"""Subscribing to a body by e-mail (double opt-in) and unsubscribing: public, no sign-in.
Every POST carries the anonymous session's CSRF token. The links in the e-mails open a page
with a button (a GET changes nothing: mail scanners follow links)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from decisions.errors import InvalidInput, NotFound
from s75.app import App
from s75.web import subscriptions
from s75.web.staff import sessions
from s75.web.staff.forms import text
from s75.web.staff.routes import staff_page

router = APIRouter()
BAD_LINK = ("this link is not valid: it was mistyped, already used, or more than 7 days old. "
            "Subscribe again from the body's page")


def _app(request: Request) -> App:
    app: App = request.app.state.s75
    return app


def _form(request: Request, body_id: str, status: int = 200, error: str | None = None,
          email: str = "", sent: bool = False) -> HTMLResponse:
    body = _app(request).config.body_by_id(body_id)  # NotFound naming the bodies
    return staff_page(request, "subscribe.html", status,
                      title=("Check your e-mail" if sent else f"Get e-mails about {body.name}"),
                      body=body, error=error, email=email, sent=sent,
                      errors={"email": error} if error else {})


@router.get("/bodies/{body_id}/subscribe", response_class=HTMLResponse)
def subscribe_form(request: Request, body_id: str) -> HTMLResponse:
    return _form(request, body_id)


@router.post("/bodies/{body_id}/subscribe", response_class=HTMLResponse)
async def subscribe(request: Request, body_id: str) -> HTMLResponse:
    data = await sessions.form(request)
    a = _app(request)
    a.config.body_by_id(body_id)
    email = text(data, "email", 300)
    with a.session() as s:
        try:
            subscriptions.request(s, a.config, body_id, email, a.clock.now(),
                                  base_url=str(request.base_url))
        except InvalidInput as exc:
            return _form(request, body_id, 422, error=str(exc), email=email)
        s.commit()
    return _form(request, body_id, sent=True, email=email)


def _token_page(request: Request, template: str, title: str, status: int = 200,
                **context: object) -> HTMLResponse:
    return staff_page(request, template, status, title=title, **context)


@router.get("/subscriptions/confirm", response_class=HTMLResponse)
def confirm_page(request: Request, token: str = "") -> HTMLResponse:
    a = _app(request)
    with a.read_session() as s:
        row = subscriptions.pending(s, token, a.clock.now())
        if row is None:
            raise NotFound(BAD_LINK)
        body = a.config.body_by_id(row.body_id)
    return _token_page(request, "subscription.html", f"Confirm e-mails about {body.name}",
                       action="/subscriptions/confirm", token=token, button="Confirm",
                       words=f"Press Confirm to be e-mailed when the {body.name} publishes a "
                             "meeting's agenda.")


@router.post("/subscriptions/confirm", response_class=HTMLResponse)
async def confirm(request: Request) -> Response:
    data = await sessions.form(request)
    a = _app(request)
    with a.session() as s:
        row = subscriptions.confirm(s, text(data, "token", 200), a.clock.now())
        if row is None:
            raise NotFound(BAD_LINK)
        s.commit()
        body = a.config.body_by_id(row.body_id)
    return _token_page(request, "subscription.html", "Subscription confirmed", done=(
        f"You will be e-mailed when the {body.name} publishes a meeting's agenda. Each "
        "message has a link to stop them."))


@router.get("/subscriptions/unsubscribe", response_class=HTMLResponse)
def unsubscribe_page(request: Request, token: str = "") -> HTMLResponse:
    a = _app(request)
    with a.read_session() as s:
        row = subscriptions.by_unsubscribe_token(s, token)
        if row is None:
            raise NotFound("this unsubscribe link is not valid; copy the whole link from the "
                           "message")
        body = a.config.body_by_id(row.body_id)
    return _token_page(request, "subscription.html", f"Stop e-mails about {body.name}",
                       action="/subscriptions/unsubscribe", token=token, button="Unsubscribe",
                       words=f"Press Unsubscribe to stop e-mails about the {body.name}.")


@router.post("/subscriptions/unsubscribe", response_class=HTMLResponse)
async def unsubscribe(request: Request) -> Response:
    data = await sessions.form(request)
    a = _app(request)
    with a.session() as s:
        row = subscriptions.unsubscribe(s, text(data, "token", 200), a.clock.now())
        if row is None:
            raise NotFound("this unsubscribe link is not valid; copy the whole link from the "
                           "message")
        s.commit()
        body = a.config.body_by_id(row.body_id)
    return _token_page(request, "subscription.html", "Unsubscribed",
                       done=f"You will not be e-mailed about the {body.name} any more.")
