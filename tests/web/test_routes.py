"""Every route as every role and as an anonymous visitor, against the table in docs/web.md
("Who may open what"): the table is the specification, this test reads it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from decisions.terms import LocalityConfig
from s75.web.app import create_app
from tests.web.client import TestClient
from tests.web.staff_helpers import BASE, SECRET, add_accounts, csrf_of, sign_in
from tests.web.web_helpers import build_record, web_app

DOC = Path(__file__).resolve().parents[2] / "docs" / "web.md"
COLUMNS = ("anonymous", "secretary", "other_secretary", "programme_director", "member")

def table() -> list[tuple[str, str, list[str]]]:
    text = DOC.read_text(encoding="utf-8")
    block = text.split("<!-- routes -->", 1)[1].split("<!-- /routes -->", 1)[0]
    rows = []
    for line in block.splitlines():
        m = re.match(r"\| `(GET|POST) ([^`]+)` \|(.*)\|$", line)
        if m:
            rows.append((m.group(1), m.group(2), [c.strip() for c in m.group(3).split("|")]))
    return rows


def _shape(path: str) -> str:
    """A path with its parameters, the table's placeholders ({m}, {i}), sample ids and the
    sample body (jcc) all as ``{}``, so a table row and a route compare."""
    path = re.sub(r"\{[^}]*\}", "{}", path.split("?", 1)[0].replace("/jcc", "/{}"))
    return re.sub(r"/\d+(?=/|\.|$)", "/{}", path)


def _routes(routes: Any) -> Iterator[Any]:
    """Every endpoint route, inside included routers too (FastAPI keeps an included router as
    one entry of ``app.routes``, holding the router it was made from)."""
    for r in routes:
        inner = getattr(r, "original_router", None)
        if inner is not None:
            yield from _routes(inner.routes)
        elif hasattr(r, "methods"):
            yield r


def test_the_table_covers_every_route() -> None:
    from s75.app import make_app
    from tests.web.web_helpers import CONFIG

    api = create_app(make_app(CONFIG, "sqlite://"), start_scheduler=False)
    documented = {(verb, _shape(path)) for verb, path, _ in table()}
    sampled = {("POST", "/staff/meetings/{}/{}"),  # one row per form
               ("POST", "/staff/items/{}/{}"),  # one row per item form
               ("GET", "/meetings/{}/{}.pdf"),  # the pack.pdf row
               ("GET", "/documents/{}.pdf"),  # public documents: test_pages
               ("GET", "/members/documents/{}.pdf")}  # test_members
    routes = {(verb, _shape(r.path)) for r in _routes(api.routes)
              for verb in r.methods or () if verb in ("GET", "POST")}
    assert len(routes) > 40, "the route walk found too few routes to be checking anything"
    missing = sorted(f"{v} {p}" for v, p in routes - documented - sampled)
    assert not missing, f"routes not in docs/web.md's table: {missing}"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_every_route_as_every_role(db_url: str, engine: Engine, config: LocalityConfig) -> None:
    record = build_record(engine, config)
    add_accounts(engine, config)
    app = web_app(db_url)
    seen: list[str] = []
    try:
        for i, role in enumerate(COLUMNS):
            with TestClient(create_app(app, start_scheduler=False, secret=SECRET),
                            base_url=BASE) as client:
                if role != "anonymous":
                    assert sign_in(client, role) == 303, role
                token = csrf_of(client.get("/login").text)
                for verb, path, expected in table():
                    url = path.replace("{m}", str(record.next_meeting_id)).replace(
                        "{i}", "1")  # item 1: the first standing item of the JCC's meeting
                    if verb == "GET":
                        r = client.get(url, follow_redirects=False)
                    else:
                        r = client.post(url, data={"csrf": token}, follow_redirects=False)
                    got = str(r.status_code)
                    if r.status_code == 303 and r.headers["location"].startswith("/login"):
                        got = "login"
                    if path == "/health" and got == "503":
                        got = "200"  # open to all; 503 here is the record's undelivered mail
                    want = expected[i]
                    if got != want:
                        seen.append(f"{verb} {path} as {role}: {got}, table says {want}")
                    assert "Traceback" not in r.text
    finally:
        app.close()
    assert not seen, "\n".join(seen)
