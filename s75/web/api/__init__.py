"""The machine-readable web: the JSON API of actions (``/api/v1``, token-authenticated,
actions.py), the public OParl 1.1 API (``/oparl/v1``, oparl.py), a member's personal calendar
link (calendar.py) and the OpenAPI document of the first two (``/openapi.json``).

``s75/web/app.py`` includes :data:`router`; errors are JSON (errors.py), never the HTML pages."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse

from s75.web.api import actions, calendar, oparl

TITLE = "s75 API"
DESCRIPTION = """The actions of the staff web as JSON (tag `actions`: `Authorization: Bearer
<token>` from `s75 token add MEMBER --name ...`), and the published Part 1 record in the shape
of OParl 1.1 (tag `oparl`, no login). See docs/api.md."""

router = APIRouter()
router.include_router(actions.router)
router.include_router(oparl.router)
router.include_router(calendar.router)


def openapi_document(version: str) -> dict[str, Any]:
    """The OpenAPI document of the API routes only (no HTML page is in it)."""
    routes = [*actions.router.routes, *oparl.router.routes]
    return get_openapi(title=TITLE, version=version, description=DESCRIPTION, routes=routes,
                       tags=[{"name": "actions", "description": "The staff web's actions; "
                              "one action of the pipeline each (token)"},
                             {"name": "oparl", "description": "OParl 1.1, read-only, public"}])


@router.get("/openapi.json", include_in_schema=False)
def openapi(request: Request) -> JSONResponse:
    doc: dict[str, Any] | None = getattr(request.app.state, "openapi_document", None)
    if doc is None:
        from importlib.metadata import version

        doc = openapi_document(version("s75"))
        request.app.state.openapi_document = doc
    return JSONResponse(doc)
