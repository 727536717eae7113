"""The web application factory: ``create_app(app)`` builds the FastAPI app (nothing happens at
import time). Its lifespan runs the notifications scheduler in the background; errors are
mapped to HTTP pages in one place (:func:`install_error_pages`), never a traceback."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import text
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from decisions.errors import (
    ConflictError,
    ConnectionLost,
    InvalidInput,
    NotFound,
    RuleRefused,
    S75Error,
)
from decisions.principals import PermissionRefused
from notifications.outbox_health import OutboxHealth, outbox_health
from s75.app import App
from s75.web import formats
from s75.web.api import router as api_router
from s75.web.authors.routes import router as author_pages
from s75.web.background import BackgroundScheduler
from s75.web.board_pages import router as board_router
from s75.web.documents_pages import router as documents_router
from s75.web.members.routes import router as members_pages
from s75.web.pages import page
from s75.web.pages import router as public_pages
from s75.web.public_register import router as register_pages
from s75.web.security import Hardening
from s75.web.staff import sessions
from s75.web.staff.routes import SignInNeeded
from s75.web.staff.routes import router as staff_pages
from s75.web.subscription_pages import router as subscription_pages

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "web"
STATIC = TEMPLATES.parent / "static"
log = logging.getLogger("s75.web")


def make_env() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    formats.install(env)
    return env


def error_page(request: Request, status: int, title: str, message: str) -> HTMLResponse:
    return page(request, "error.html", status_code=status, title=title, message=message,
                status=status)


def install_error_pages(api: FastAPI) -> None:
    """The one place errors become HTTP responses: a page with the message, no traceback."""

    async def not_found(request: Request, exc: Exception) -> HTMLResponse:
        return error_page(request, 404, "Not found", str(exc))

    async def refused(request: Request, exc: Exception) -> HTMLResponse:
        return error_page(request, 409, "Not allowed", str(exc))

    async def conflict(request: Request, exc: Exception) -> HTMLResponse:
        return error_page(request, 409, "Someone else changed this",
                          f"{exc}. Reload the page to see the latest version and try again.")

    async def unavailable(request: Request, exc: Exception) -> HTMLResponse:
        return error_page(request, 503, "The database could not be reached", f"{exc}.")

    async def forbidden(request: Request, exc: Exception) -> HTMLResponse:
        return error_page(request, 403, "You cannot do this", str(exc))

    async def sign_in(request: Request, exc: Exception) -> Response:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    async def bad_input(request: Request, exc: Exception) -> HTMLResponse:
        return error_page(request, 400, "Bad request", str(exc))

    async def http_error(request: Request, exc: Exception) -> HTMLResponse:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 404:
            return error_page(request, 404, "Not found",
                              f"There is no page at {request.url.path}; start from the home "
                              "page.")
        return error_page(request, exc.status_code, "Error", str(exc.detail))

    async def invalid_path(request: Request, exc: Exception) -> HTMLResponse:
        assert isinstance(exc, RequestValidationError)
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ())[1:])}: {e.get('input')!r} is not "
            "valid; expected a whole number" if e.get("type") == "int_parsing" else
            f"{'.'.join(str(p) for p in e.get('loc', ())[1:])}: {e.get('msg')}"
            for e in exc.errors())
        return error_page(request, 400, "Bad request", problems)

    async def out_of_range(request: Request, exc: Exception) -> HTMLResponse:
        # an id beyond any table's (SQLite: 2^63, PostgreSQL: 2^31): no such record
        return error_page(request, 404, "Not found",
                          f"There is no page at {request.url.path}; start from the home page.")

    async def server_error(request: Request, exc: Exception) -> HTMLResponse:
        log.exception("error serving %s", request.url.path, exc_info=exc)
        return error_page(request, 500, "Something went wrong",
                          "The page could not be shown. The error has been logged; please "
                          "tell the committee secretary.")

    api.add_exception_handler(NotFound, not_found)
    api.add_exception_handler(RuleRefused, refused)
    api.add_exception_handler(ConflictError, conflict)
    api.add_exception_handler(PermissionRefused, forbidden)
    api.add_exception_handler(sessions.CsrfRefused, forbidden)
    api.add_exception_handler(SignInNeeded, sign_in)
    api.add_exception_handler(InvalidInput, bad_input)
    api.add_exception_handler(ConnectionLost, unavailable)
    api.add_exception_handler(S75Error, bad_input)
    api.add_exception_handler(StarletteHTTPException, http_error)
    api.add_exception_handler(RequestValidationError, invalid_path)
    api.add_exception_handler(OverflowError, out_of_range)
    api.add_exception_handler(DataError, out_of_range)
    api.add_exception_handler(Exception, server_error)


class SessionCookie:
    """ASGI middleware: the session cookie set on the answer when the request's session is new
    or changed (:func:`sessions.save`, as the answer starts). A plain ASGI wrapper rather than
    ``@app.middleware("http")`` (Starlette's BaseHTTPMiddleware runs the route in a task of
    its own and streams the body through a queue: about 1 ms of every request)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope.setdefault("state", {})  # the request's state, shared with the route's Request

        async def send_with_cookie(message: Message) -> None:
            session = scope["state"].get("web_session")  # Request.state's own dict
            if message["type"] == "http.response.start" and session is not None \
                    and session.changed:  # sessions.save's own test, without its objects
                carrier = Response()  # set_cookie's header, exactly as on the route's answer
                sessions.save(Request(scope), carrier)
                cookies = [h for h in carrier.raw_headers if h[0] == b"set-cookie"]
                if cookies:
                    message = dict(message, headers=[*message.get("headers", []), *cookies])
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def database_ok(app: App) -> bool:
    try:
        with app.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:
        return False
    return True


def mail_health(app: App) -> OutboxHealth | None:
    try:
        with app.session() as s:
            return outbox_health(s, app.clock.now(),
                                 timedelta(minutes=app.config.smtp.unhealthy_after_minutes))
    except Exception:
        return None


def create_app(app: App, *, start_scheduler: bool = True, secret: str | None = None
               ) -> FastAPI:
    """The public, read-only web app over ``app``'s database. With ``start_scheduler`` the
    notifications scheduler runs in the background for the life of the server (one leader
    per database: a second server waits to take over). ``secret`` signs the session cookies
    (default: ``S75_SECRET_KEY``, else a random key: sessions end when the server stops).

    Routers are included below, one line each; a new group of pages adds its own."""

    @asynccontextmanager
    async def lifespan(api: FastAPI) -> AsyncIterator[None]:
        runner = BackgroundScheduler(app) if start_scheduler else None
        api.state.scheduler = runner
        if runner is not None:
            runner.start()
        try:
            yield
        finally:
            if runner is not None:
                runner.stop()

    api = FastAPI(title="s75", lifespan=lifespan,  # no config read: building does no I/O
                  docs_url=None, redoc_url=None, openapi_url=None)
    api.state.s75 = app
    api.state.templates = make_env()
    api.state.scheduler = None

    api.state.signer = sessions.make_signer(secret)
    install_error_pages(api)

    api.add_middleware(SessionCookie)
    api.add_middleware(Hardening)
    api.mount("/static", StaticFiles(directory=STATIC), name="static")
    api.include_router(public_pages)
    api.include_router(board_router)
    api.include_router(documents_router)
    api.include_router(staff_pages)
    api.include_router(members_pages)
    api.include_router(register_pages)
    api.include_router(subscription_pages)
    api.include_router(api_router)  # /api/v1, /oparl/v1, /openapi.json (issue 16)
    api.include_router(author_pages)

    @api.get("/health")
    def health(request: Request) -> JSONResponse:
        runner: BackgroundScheduler | None = request.app.state.scheduler
        db = database_ok(app)
        body: dict[str, Any] = {"database": "reachable" if db else "unreachable",
                "scheduler": "off" if runner is None else runner.state,
                "scheduler_running": bool(runner and runner.running)}
        if runner is not None and runner.error:
            body["scheduler_error"] = runner.error
        mail = mail_health(app) if db else None  # pending / failing / dead (issue 18)
        if mail is not None:
            body["outbox"] = mail.as_dict()
        return JSONResponse(body, status_code=200 if db and mail and mail.healthy else 503)

    return api
