"""Who calls the JSON API: the member a bearer token of scope ``api`` acts as
(s75/api_tokens.py). A session cookie does not authenticate the API (no CSRF to forge)."""

from __future__ import annotations

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from decisions.errors import NotFound
from decisions.principals import Principal, find_principal
from s75 import api_tokens
from s75.app import App
from s75.web.api.errors import TokenRefused

bearer = HTTPBearer(auto_error=False, description="An API token from `s75 token add MEMBER "
                    "--name ...` (scope api)")


def app_of(request: Request) -> App:
    app: App = request.app.state.s75
    return app


def token_principal(request: Request,
                    creds: HTTPAuthorizationCredentials | None = Depends(bearer)) -> Principal:
    """The acting principal, or TokenRefused (401)."""
    if creds is None:
        raise TokenRefused("no API token: send 'Authorization: Bearer <token>' with a token "
                           "from 's75 token add MEMBER --name ...'")
    a = app_of(request)
    with a.session() as s:
        member = api_tokens.principal_for(s, creds.credentials.strip(), "api",
                                          now=a.clock.now())
        s.commit()
    if member is None:
        raise TokenRefused("the API token is not valid: it is unknown, revoked, or a "
                           "calendar token; ask an admin for a new one (s75 token add)")
    try:
        return find_principal(a.config, member, "token")
    except NotFound as exc:  # the member was removed from the configuration
        raise TokenRefused(f"the API token's member {member!r} is no longer in the "
                           "configuration") from exc
