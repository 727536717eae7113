"""Sessions and CSRF, without a server-side store.

The session is one cookie (``s75_session``) signed with itsdangerous (``URLSafeTimedSerializer``,
HMAC-SHA1 over the payload, key from ``S75_SECRET_KEY``): ``{"a": account id or None,
"e": the account's session epoch, "c": the CSRF token, "n": a nonce}``. It is ``Secure``,
``HttpOnly`` and ``SameSite=Lax``; it expires after :data:`MAX_AGE`. Signing in issues a new
cookie (new nonce and CSRF token), so a cookie fixed before login is useless after it; signing
out, disabling the account or resetting its password end it (the epoch no longer matches).

Every form carries the cookie's CSRF token in a hidden field ``csrf``; :func:`form` refuses a
POST whose token is missing or differs (403) before any action runs."""

from __future__ import annotations

import hmac
import os
import secrets
from dataclasses import dataclass
from typing import Any

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.datastructures import FormData

from s75 import accounts
from s75.app import App

COOKIE = "s75_session"
MAX_AGE = 8 * 3600
"""A working day: after it the cookie is refused and the user signs in again."""


class CsrfRefused(Exception):
    """A POST without the session's CSRF token (forged, missing, or the session expired)."""


@dataclass
class WebSession:
    csrf: str
    account_id: int | None = None
    epoch: int = 0
    signed_in: accounts.SignedIn | None = None
    changed: bool = False


def serializer(request: Request) -> URLSafeTimedSerializer:
    s: URLSafeTimedSerializer = request.app.state.signer
    return s


def make_signer(secret: str | None) -> URLSafeTimedSerializer:
    key = secret or os.environ.get("S75_SECRET_KEY") or secrets.token_urlsafe(32)
    return URLSafeTimedSerializer(key, salt="s75-session")


def current(request: Request) -> WebSession:
    """This request's session: from a valid cookie, else a new anonymous one."""
    cached: WebSession | None = getattr(request.state, "web_session", None)
    if cached is not None:
        return cached
    data: dict[str, Any] | None = None
    raw = request.cookies.get(COOKIE)
    if raw:
        try:
            data = serializer(request).loads(raw, max_age=MAX_AGE)
        except BadSignature:
            data = None
    ws = WebSession(csrf=secrets.token_urlsafe(24), changed=True)
    if isinstance(data, dict) and isinstance(data.get("c"), str):
        ws = WebSession(csrf=data["c"])
        account = data.get("a")
        if isinstance(account, int):
            app: App = request.app.state.s75
            with app.session() as s:
                signed = accounts.resume(s, app.config, account, int(data.get("e", 0)))
            if signed is not None:
                ws.account_id, ws.epoch, ws.signed_in = account, signed.account.session_epoch, \
                    signed
            else:  # ended (signed out elsewhere, disabled, reset): anonymous from now on
                ws.changed = True
    request.state.web_session = ws
    return ws


def rotate(request: Request, signed: accounts.SignedIn | None) -> WebSession:
    """A fresh session (new CSRF token) for ``signed`` (None: signed out)."""
    ws = WebSession(csrf=secrets.token_urlsafe(24), changed=True, signed_in=signed)
    if signed is not None:
        ws.account_id, ws.epoch = signed.account.id, signed.account.session_epoch
    request.state.web_session = ws
    return ws


def save(request: Request, response: Response) -> None:
    """Set the cookie if the session is new or changed."""
    ws: WebSession | None = getattr(request.state, "web_session", None)
    if ws is None or not ws.changed:
        return
    value = serializer(request).dumps({"a": ws.account_id, "e": ws.epoch, "c": ws.csrf,
                                       "n": secrets.token_urlsafe(8)})
    response.set_cookie(COOKIE, value, max_age=MAX_AGE, secure=True, httponly=True,
                        samesite="lax", path="/")


async def form(request: Request) -> FormData:
    """The POSTed form, after checking its CSRF token against the session's."""
    data = await request.form()
    token = data.get("csrf")
    ws = current(request)
    if not isinstance(token, str) or not hmac.compare_digest(token, ws.csrf):
        await data.close()  # an uploaded file's temporary copy goes at once
        raise CsrfRefused("The form has expired or did not come from this site. Go back, "
                          "reload the page and try again.")
    return data
