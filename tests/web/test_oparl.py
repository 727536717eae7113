"""The public OParl 1.1 API: every object reachable from ``/oparl/v1/system`` meets the OParl
1.1 JSON schemas' required fields and types (tests/web/oparl_schema/, vendored from
OParl/spec: docs/api.md says which versions), lists are paginated OParl-style, and an
anonymous client finds no exempt (Part 2) content through any API route or search."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7
from sqlalchemy import create_engine, text

from tests.conftest import PG_SKIP, PG_URL, _pg_schema_url
from tests.web.test_api import World, bearer, build_world
from tests.web.web_helpers import PART2_TITLE, SECRETS, visible

SCHEMAS = Path(__file__).parent / "oparl_schema"
TYPES = ("System", "Body", "Organization", "Person", "Membership", "Meeting", "AgendaItem",
         "Paper", "File")
OPARL = "https://schema.oparl.org/1.1/"
DISTINCTIVE = "Quillwort"
"""A word in a new Part 2 item's title, report, cover sheet and reasons."""


def _registry() -> tuple[Registry, dict[str, Any]]:
    schemas = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in SCHEMAS.glob("*.json")}
    registry: Registry = Registry().with_resources(  # relative refs, and those under an $id
        (uri, Resource.from_contents(s, default_specification=DRAFT7))
        for name, s in schemas.items() for uri in (name, f"{OPARL}{name}"))
    return registry, schemas


REGISTRY, SCHEMA_FILES = _registry()


def check(obj: dict[str, Any]) -> str:
    """Validate ``obj`` against the schema its ``type`` names; the type's short name."""
    kind = str(obj.get("type", "")).removeprefix(OPARL)
    assert kind in TYPES, f"unexpected type {obj.get('type')!r} in {obj.get('id')}"
    validator = Draft7Validator(SCHEMA_FILES[f"{kind}.json"], registry=REGISTRY)
    problems = [f"{'/'.join(map(str, e.absolute_path)) or '(object)'}: {e.message}"
                for e in validator.iter_errors(obj)]
    assert not problems, f"{obj['id']} does not meet {kind}.json: {problems}"
    for key in ("agendaItem", "invitation", "resultsProtocol", "auxiliaryFile", "mainFile",
                "membership"):
        value = obj.get(key)
        for inner in value if isinstance(value, list) else [value]:
            if isinstance(inner, dict) and "type" in inner:
                check(inner)
    return kind


@pytest.fixture(scope="module",
                params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[World]:
    """The record on a SQLite file, and on PostgreSQL when S75_TEST_DATABASE_URL is set."""
    if request.param == "sqlite":
        for w in build_world(tmp_path_factory.mktemp("oparl")):
            _publish_an_exempt_item(w)
            yield w
        return
    if not PG_URL:
        pytest.skip(PG_SKIP)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        for w in build_world(tmp_path_factory.mktemp("oparl"), _pg_schema_url(schema)):
            _publish_an_exempt_item(w)
            yield w
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _publish_an_exempt_item(w: World) -> None:
    """A Part 2 item with the distinctive word everywhere, through the API: added, submitted,
    accepted and published on the next meeting's agenda."""
    m2 = w.record.next_meeting_id
    h = bearer(w, "secretary")
    cover = {k: f"{DISTINCTIVE} {k}" for k in ("decisions_required", "key_points", "impacts",
                                                "sponsor", "presenter")}
    r = w.client.post(f"/api/v1/meetings/{m2}/items", headers=h, json={
        "title": "Estates disposal", "part": 2, "exempt_paragraph": 3,
        "public_interest_reason": f"The {DISTINCTIVE} site price is commercially sensitive",
        "lead": f"{DISTINCTIVE} Estates", "body_text": f"# Price\n\n{DISTINCTIVE} offer.",
        "cover": cover})
    assert r.status_code == 201, r.text
    item = r.json()["item"]["id"]
    for step in ("submit", "accept", "publish"):
        r = w.client.post(f"/api/v1/items/{item}/{step}", headers=h)
        assert r.status_code == 200, (step, r.text)
    assert r.json()["item"]["state"] == "published"


def crawl(w: World) -> dict[str, Any]:
    """Every OParl URL reachable from the System object, fetched once (lists page by page)."""
    base = f"{w.client.base_url}"
    seen: dict[str, Any] = {}
    todo = [f"{base}/oparl/v1/system"]
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        parts = urlsplit(url)
        r = w.client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
        assert r.status_code == 200, (url, r.text)
        assert r.headers["content-type"] == "application/json"
        assert r.headers["access-control-allow-origin"] == "*"
        seen[url] = r.json()
        todo += [u for u in _urls(seen[url]) if "/oparl/v1/" in u and u not in seen]
    return seen


def _urls(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for v in node.values():
            yield from _urls(v)
    elif isinstance(node, list):
        for v in node:
            yield from _urls(v)
    elif isinstance(node, str) and node.startswith("https://testserver/"):
        yield node


@pytest.fixture(scope="module")
def responses(world: World) -> dict[str, Any]:
    return crawl(world)


def test_every_oparl_response_meets_the_oparl_1_1_schemas(responses: dict[str, Any]) -> None:
    found: set[str] = set()
    for url, body in responses.items():
        if "data" in body:  # an object list
            assert set(body) == {"data", "pagination", "links"}, url
            p = body["pagination"]
            assert {"totalElements", "elementsPerPage", "currentPage", "totalPages"} <= set(p)
            assert {"first", "last", "self"} <= set(body["links"])
            assert len(body["data"]) <= p["elementsPerPage"]
            found |= {check(o) for o in body["data"]}
        else:
            found.add(check(body))
            assert body["id"] == url.split("?")[0], "an object's id is its own URL"
    assert found == set(TYPES), f"types never reached: {set(TYPES) - found}"


def test_the_record_is_mapped(world: World, responses: dict[str, Any]) -> None:
    base = f"{world.client.base_url}/oparl/v1"
    m1 = responses[f"{base}/meeting/{world.record.meeting_id}"]
    assert m1["meetingState"] == "held" and m1["cancelled"] is False
    names = [i["name"] for i in m1["agendaItem"]]
    assert "Intermediate care beds" in names and PART2_TITLE not in names
    beds = next(i for i in m1["agendaItem"] if i["name"] == "Intermediate care beds")
    assert beds["public"] is True and beds["result"] == "Approved"
    assert beds["resolutionText"] == "That 20 beds be commissioned."
    assert m1["invitation"]["accessUrl"].endswith(".pdf")
    assert f"{base}/person/leader" in responses and m1["organization"] == [
        f"{base}/organization/jcc"]
    people = responses[f"{base}/body/people"]["data"]
    assert all("email" not in p for p in people)
    m2 = responses[f"{base}/meeting/{world.record.next_meeting_id}"]
    assert "agendaItem" not in m2 or all(i["public"] for i in m2["agendaItem"])


def test_an_unpublished_agenda_is_not_shown(world: World) -> None:
    from datetime import UTC, date, datetime

    from s75.wiring import build_bus
    from tests.principals import as_principal
    from workflows.committee import items, meetings
    from workflows.events import UnitOfWork

    with world.app.session() as s:
        uow = UnitOfWork(s, world.app.config, datetime(2019, 4, 11, tzinfo=UTC),
                         as_principal("secretary"), build_bus())
        [m] = meetings.schedule(uow, "cabinet", date(2019, 7, 1), date(2019, 7, 31))
        items.add(uow, m.id or 0, "Draft budget plans", lead="S151", body_text="Not yet.")
        s.commit()
        mid = m.id
    r = world.client.get(f"/oparl/v1/meeting/{mid}")
    assert r.status_code == 200
    assert "agendaItem" not in r.json() and "Draft budget plans" not in r.text
    items_list = world.client.get("/oparl/v1/body/agenda-items?limit=200").text
    assert "Draft budget plans" not in items_list


def test_pagination(world: World) -> None:
    r = world.client.get("/oparl/v1/body/people?limit=2")
    body = r.json()
    total = body["pagination"]["totalElements"]
    assert total > 2 and len(body["data"]) == 2
    assert body["pagination"]["totalPages"] == -(-total // 2)
    assert body["links"]["next"].endswith("page=2&limit=2") and "prev" not in body["links"]
    last = world.client.get(urlsplit(body["links"]["last"]).path + "?" +
                            urlsplit(body["links"]["last"]).query).json()
    assert "next" not in last["links"] and last["links"]["prev"]
    beyond = world.client.get("/oparl/v1/body/meetings?page=999").json()
    assert beyond["data"] == [] and beyond["pagination"]["currentPage"] == 999
    for bad, field in (("page=0", "page"), ("limit=1000", "limit"), ("page=x", "page")):
        r = world.client.get(f"/oparl/v1/body/meetings?{bad}")
        assert r.status_code == 422 and r.json()["field"] == field, r.text


def test_unknown_and_exempt_objects_are_404(world: World) -> None:
    from sqlmodel import select

    from workflows.committee.tables import AgendaItemRow

    with world.app.session() as s:
        exempt = [i.id for i in s.exec(select(AgendaItemRow).where(AgendaItemRow.part == 2))]
    assert len(exempt) == 2
    for i in exempt:
        for kind in ("agendaitem", "paper"):
            r = world.client.get(f"/oparl/v1/{kind}/{i}")
            assert r.status_code == 404 and "published" in r.json()["message"]
    for url in ("/oparl/v1/person/nobody", "/oparl/v1/organization/nobody",
                "/oparl/v1/membership/leader/ccg_board", "/oparl/v1/meeting/999999",
                "/oparl/v1/file/999999"):
        r = world.client.get(url)
        assert r.status_code == 404 and r.headers["content-type"] == "application/json", url


def _secrets() -> tuple[str, ...]:
    return (*SECRETS, DISTINCTIVE)


def test_no_exempt_content_through_any_api_route_or_search(
        world: World, responses: dict[str, Any]) -> None:
    """Anonymous: every OParl response (crawled), every object by id, the OpenAPI document,
    every JSON action route, the public search, and the public pages and feeds."""
    leaked = [(url, s) for url, body in responses.items() for s in (*_secrets(), PART2_TITLE,
                                                                     "Estates disposal")
              if s in json.dumps(body)]
    assert not leaked, leaked
    texts = {"/openapi.json": world.client.get("/openapi.json").text}
    from s75.web.api import actions

    for route in actions.router.routes:
        path = getattr(route, "path", "")
        url = path.replace("{meeting_id:id}", str(world.record.next_meeting_id)).replace(
            "{item_id:id}", "1")
        r = world.client.post(url, json={})
        assert r.status_code == 401, url  # anonymous: nothing but the refusal
        texts[url] = r.text
    for word in ("sealed", "bidder", "mandate", DISTINCTIVE, "Bid letter", "estates"):
        r = world.client.get("/search", params={"q": word})
        assert r.status_code == 200
        assert "No results for" in visible(r.text), word  # the page echoes the query only
    for url in ("/", f"/meetings/{world.record.meeting_id}",
                f"/meetings/{world.record.next_meeting_id}", "/deadlines", "/calendar/jcc.ics",
                f"/meetings/{world.record.meeting_id}/agenda",
                f"/meetings/{world.record.meeting_id}/minutes", "/forward-plan"):
        texts[url] = world.client.get(url).text
    leaked = [(url, s) for url, text in texts.items() for s in _secrets() if s in text]
    assert not leaked, leaked
