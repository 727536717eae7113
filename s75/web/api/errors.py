"""The one place the API's errors become JSON: every route of the API routers uses
:class:`JsonRoute`, which turns an exception raised while answering (the request body's
validation included) into a :class:`~s75.web.api.models.Problem` with its status; the app's
HTML error pages (s75/web/app.py) never see an API error.

| raised | status |
|---|---|
| :class:`TokenRefused` (no, wrong or revoked token; another scope's) | 401, with a challenge |
| ``PermissionRefused`` (the pipeline's words: which role may) | 403 |
| ``NotFound`` (an unknown meeting, item, person...); an id beyond any table | 404 |
| ``RuleRefused``, ``ConflictError`` (the rules; a changed or double-submitted row) | 409 |
| the body's validation, ``InvalidInput`` | 422, naming the field |
| any other ``S75Error`` | 400 |
| anything else (logged) | 500, no traceback |"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from decisions.errors import ConflictError, InvalidInput, NotFound, RuleRefused, S75Error
from decisions.principals import PermissionRefused

log = logging.getLogger("s75.web.api")


class TokenRefused(Exception):
    """No bearer token, or one that is unknown, revoked or of another scope (401)."""


def problem(status: int, message: str, field: str | None = None,
            errors: list[dict[str, str]] | None = None,
            headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"status": status, "message": message, "field": field,
                            "errors": errors or []}
    return JSONResponse(body, status_code=status, headers=headers)


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    return ".".join(parts) or "body"


def validation_problem(exc: RequestValidationError) -> JSONResponse:
    errors = []
    for e in exc.errors():
        field, kind = _field(tuple(e.get("loc", ()))), e.get("type", "")
        if kind == "extra_forbidden":
            text = f"{field}: unknown field; it is not one of this action's fields"
        elif kind == "missing":
            text = f"{field}: missing"
        elif kind == "json_invalid":
            text = f"body: not valid JSON ({e.get('msg')})"
        else:
            msg = str(e.get("msg", "")).removeprefix("Value error, ")
            text = f"{field}: {msg}" if "is not valid" in msg else \
                f"{field}: {e.get('input')!r} is not valid; {msg[:1].lower()}{msg[1:]}"
        errors.append({"field": field, "type": kind, "message": text})
    first = errors[0] if errors else {"field": "body", "message": "body: not valid"}
    return problem(422, "; ".join(x["message"] for x in errors), first["field"], errors)


def invalid_input(exc: InvalidInput) -> JSONResponse:
    message = str(exc)
    head = message.split(":", 1)[0].strip().lstrip("-").replace("-", "_")
    field = head if head and " " not in head else None
    return problem(422, message, field,
                   [{"field": field or "", "type": "invalid", "message": message}])


def to_problem(exc: Exception) -> JSONResponse:
    if isinstance(exc, TokenRefused):
        return problem(401, str(exc), headers={"WWW-Authenticate": 'Bearer realm="s75"'})
    if isinstance(exc, RequestValidationError):
        return validation_problem(exc)
    if isinstance(exc, PermissionRefused):
        return problem(403, str(exc))
    if isinstance(exc, NotFound):
        return problem(404, str(exc))
    if isinstance(exc, (OverflowError, DataError)):
        return problem(404, "no such record: the id is beyond any that exists")
    if isinstance(exc, (RuleRefused, ConflictError)):
        return problem(409, str(exc))
    if isinstance(exc, InvalidInput):
        return invalid_input(exc)
    if isinstance(exc, S75Error):
        return problem(400, str(exc))
    if isinstance(exc, StarletteHTTPException):
        return problem(exc.status_code, str(exc.detail))
    log.exception("error answering an API request", exc_info=exc)
    return problem(500, "the request could not be answered; the error has been logged; "
                   "please tell the committee secretary")


class JsonRoute(APIRoute):
    """An API route: its errors are answered as JSON problems (see the module's table)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def answer(request: Request) -> Response:
            try:
                return await handler(request)
            except Exception as exc:  # every error answered as JSON, never a traceback
                return to_problem(exc)

        return answer
