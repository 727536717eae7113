"""The JSON API of actions (``/api/v1``) and its OpenAPI document, over a real record (a held
meeting with a Part 1 and a Part 2 item, tests/web/web_helpers.py) on a SQLite file, with
real tokens (s75/api_tokens.py). :func:`build_world` is shared with test_oparl.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate
from sqlalchemy import func
from sqlmodel import Session, select

from s75 import api_tokens
from s75.app import App
from s75.db import make_engine, upgrade
from s75.standing import sync_standing
from s75.web.app import create_app
from s75.web.staff.forms import FORMS
from tests.web.client import TestClient
from tests.web.staff_helpers import BASE, SECRET
from tests.web.web_helpers import CONFIG, NOW, Record, build_record, web_app
from workflows.committee.tables import AgendaItemRow

ROLES = {"secretary": "democratic_services", "other_secretary": "board_secretary",
         "member": "leader", "author": "commissioning_lead"}


@dataclass
class World:
    app: App
    record: Record
    tokens: dict[str, str]
    """role -> secret (scope api); "calendar" -> the leader's calendar token."""
    ids: dict[str, int]
    """role -> token id."""
    client: TestClient


def build_world(path: Path, url: str | None = None) -> Iterator[World]:
    """The record, a token per role and a client, on ``url`` (default: a SQLite file)."""
    from datetime import UTC, datetime

    from s75.config import load_config

    config = load_config(CONFIG)
    url = url or f"sqlite:///{path / 's75.db'}"
    eng = make_engine(url)
    upgrade(eng)
    with Session(eng) as s:
        sync_standing(s, config, datetime(2019, 3, 1, tzinfo=UTC))
        s.commit()
    record = build_record(eng, config)
    tokens, ids = {}, {}
    with Session(eng) as s:
        for role, member in ROLES.items():
            row, secret = api_tokens.issue_token(s, member, f"{role} tests", "api", cfg=config,
                                                 now=NOW)
            tokens[role], ids[role] = secret, row.id or 0
        row, secret = api_tokens.issue_token(s, "leader", "phone", "calendar", cfg=config,
                                             now=NOW)
        tokens["calendar"], ids["calendar"] = secret, row.id or 0
        s.commit()
    eng.dispose()
    app = web_app(url)
    try:
        with TestClient(create_app(app, start_scheduler=False, secret=SECRET),
                        base_url=BASE) as client:
            yield World(app, record, tokens, ids, client)
    finally:
        app.close()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    yield from build_world(tmp_path_factory.mktemp("api"))


def bearer(w: World, role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {w.tokens[role]}"}


def items_count(w: World) -> int:
    with w.app.session() as s:
        return s.exec(select(func.count()).select_from(AgendaItemRow)).one()


def first_item(w: World, part: int) -> AgendaItemRow:
    with w.app.session() as s:
        return s.exec(select(AgendaItemRow).where(
            AgendaItemRow.meeting_id == w.record.meeting_id, AgendaItemRow.part == part,
            AgendaItemRow.standing == None)).one()  # noqa: E711


# Tokens -------------------------------------------------------------------------------------
def test_no_wrong_or_revoked_token_is_401_and_writes_nothing(world: World) -> None:
    url = f"/api/v1/meetings/{world.record.next_meeting_id}/items"
    before = items_count(world)
    for headers, words in (({}, "no API token"),
                           ({"Authorization": "Bearer s75_not-a-token"}, "not valid"),
                           ({"Authorization": "Basic dXNlcjpwdw=="}, "no API token"),
                           (bearer(world, "calendar"), "calendar token")):
        r = world.client.post(url, json={"title": "Anything"}, headers=headers)
        assert r.status_code == 401, (headers, r.text)
        assert r.headers["www-authenticate"].startswith("Bearer")
        assert words in r.json()["message"]
    assert items_count(world) == before


def test_a_revoked_token_stops_working_at_once(world: World) -> None:
    with world.app.session() as s:
        row, secret = api_tokens.issue_token(s, "democratic_services", "short-lived", "api",
                                             cfg=world.app.config)
        s.commit()
        token_id = row.id or 0
    url = f"/api/v1/items/{first_item(world, 1).id}/accept"
    r = world.client.post(url, headers={"Authorization": f"Bearer {secret}"})
    assert r.status_code == 409, r.text  # authenticated: the workflow refuses (decided)
    with world.app.session() as s:
        api_tokens.revoke(s, token_id)
        s.commit()
        assert s.get(api_tokens.ApiTokenRow, token_id).last_used_at is not None  # type: ignore[union-attr]
    r = world.client.post(url, headers={"Authorization": f"Bearer {secret}"})
    assert r.status_code == 401
    assert "revoked" in r.json()["message"]


def test_token_functions(world: World) -> None:
    with world.app.session() as s:
        row, secret = api_tokens.issue_token(s, "leader", "  my   laptop ", "calendar",
                                             cfg=world.app.config)
        assert row.name == "my laptop" and secret.startswith(row.prefix)
        assert row.secret_hash != secret and secret not in repr(row.model_dump())
        assert api_tokens.principal_for(s, secret, "calendar") == "leader"
        assert api_tokens.principal_for(s, secret, "api") is None  # another scope
        assert api_tokens.principal_for(s, secret + "x", "calendar") is None
        api_tokens.revoke(s, row.id or 0)
        assert api_tokens.principal_for(s, secret, "calendar") is None
        with pytest.raises(Exception, match="already revoked"):
            api_tokens.revoke(s, row.id or 0)
        with pytest.raises(Exception, match="does not exist"):
            api_tokens.revoke(s, 999999)
        with pytest.raises(Exception, match="'nobody' is not a principal"):
            api_tokens.issue_token(s, "nobody", "x", "api", cfg=world.app.config)
        with pytest.raises(Exception, match="scope: 'admin' is not valid"):
            api_tokens.issue_token(s, "leader", "x", "admin")
        s.rollback()


def test_token_commands(cli: Any, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    assert cli("--db", db, "init").code == 0
    r = cli("--db", db, "token", "add", "leader", "--name", "finance system")
    assert r.code == 0, r.text
    secret = re.search(r"secret \(shown once, keep it safe\): (\S+)", r.out)
    assert secret and "Leader of the Council (leader)" in r.out
    listed = cli("--db", db, "token", "list", "--json")
    assert listed.code == 0 and secret.group(1) not in listed.out
    assert '"purpose": "finance system"' in listed.out and '"scope": "api"' in listed.out
    assert cli("--db", db, "token", "revoke", "1").code == 0
    again = cli("--db", db, "token", "revoke", "1")
    assert again.code == 2 and "already revoked" in again.text
    bad = cli("--db", db, "token", "add", "leader", "--name", "x", "--scope", "everything")
    assert bad.code == 2 and "scope: 'everything' is not valid" in bad.text
    cal = cli("--db", db, "token", "add", "leader", "--name", "phone", "--scope", "calendar")
    assert cal.code == 0 and "/calendar/personal/s75_" in cal.out


def test_personal_calendar_link(world: World) -> None:
    url = f"/calendar/personal/{world.tokens['calendar']}.ics"
    r = world.client.get(url)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VCALENDAR" in r.text and "Leader of the Council" in r.text
    assert "Joint Commissioning Committee" in r.text
    assert world.client.get(f"/calendar/personal/{world.tokens['secretary']}.ics"
                            ).status_code == 401  # an api token is not a calendar link
    assert world.client.get("/calendar/personal/s75_nothing.ics").status_code == 401
    with world.app.session() as s:
        row, secret = api_tokens.issue_token(s, "dass", "tablet", "calendar",
                                             cfg=world.app.config)
        s.commit()
    link = api_tokens.calendar_path(secret)
    assert world.client.get(link).status_code == 200
    with world.app.session() as s:
        api_tokens.revoke(s, row.id or 0)
        s.commit()
    r = world.client.get(link)
    assert r.status_code == 401 and "revoked" in r.json()["message"]


# Actions ------------------------------------------------------------------------------------
def test_permission_refused_is_403_naming_who_may(world: World) -> None:
    item = first_item(world, 1)
    r = world.client.post(f"/api/v1/items/{item.id}/withdraw", json={"reason": "No"},
                          headers=bearer(world, "member"))
    assert r.status_code == 403, r.text
    assert "may be done by the secretary of the Joint Commissioning Committee" in \
        r.json()["message"]
    r = world.client.post(f"/api/v1/meetings/{world.record.next_meeting_id}/hold",
                          headers=bearer(world, "other_secretary"))
    assert r.status_code == 403
    assert "CCG Board Secretary is secretary of the CCG Board" in r.json()["message"]


@pytest.mark.parametrize(("body", "field", "words"), [
    ({"title": "Beds", "colour": "red"}, "colour", "unknown field"),
    ({"title": "Beds", "part": "2"}, "part", "valid integer"),
    ({"title": "Beds", "action": "to_frown"}, "action", "expected one of to_note"),
    ({"title": "Beds", "cover": {"sponsr": "DASS"}}, "cover.sponsr", "unknown field"),
    ({"part": 1}, "title", "missing"),
    ({"title": "   "}, "title", "title: missing"),  # the pipeline's own InvalidInput
    ({"title": "Beds", "part": 2}, "exempt_paragraph", "exempt_paragraph"),
])
def test_bad_payload_is_422_naming_the_field_and_writes_nothing(
        world: World, body: dict[str, Any], field: str, words: str) -> None:
    before = items_count(world)
    r = world.client.post(f"/api/v1/meetings/{world.record.next_meeting_id}/items", json=body,
                          headers=bearer(world, "secretary"))
    assert r.status_code == 422, r.text
    problem = r.json()
    assert problem["field"] == field, problem
    assert words in problem["message"]
    assert "Traceback" not in r.text
    assert items_count(world) == before


def test_not_json_and_unknown_ids(world: World) -> None:
    h = bearer(world, "secretary")
    r = world.client.post(f"/api/v1/meetings/{world.record.next_meeting_id}/items",
                          content=b"{title", headers={**h, "content-type": "application/json"})
    assert r.status_code == 422 and "not valid JSON" in r.json()["message"]
    r = world.client.post("/api/v1/items/999999/accept", headers=h)
    assert r.status_code == 404 and "agenda item 999999 does not exist" in r.json()["message"]
    r = world.client.post("/api/v1/meetings/999999/publish", headers=h)
    assert r.status_code == 404 and r.headers["content-type"] == "application/json"
    r = world.client.post("/api/v1/items/1/accept", json={"extra": 1}, headers=h)
    assert r.status_code == 422 and r.json()["field"] == "extra"


def test_rule_refusals_are_409(world: World) -> None:
    h = bearer(world, "secretary")
    decided = first_item(world, 1)
    r = world.client.post(f"/api/v1/items/{decided.id}/accept", headers=h)
    assert r.status_code == 409, r.text
    assert "decided" in r.json()["message"]


def test_an_author_and_a_secretary_take_an_item_through(world: World) -> None:
    m2 = world.record.next_meeting_id
    cover = {"decisions_required": "Note the plan", "key_points": "Three wards",
             "impacts": "None", "sponsor": "DASS", "presenter": "Head of Commissioning"}
    r = world.client.post(f"/api/v1/meetings/{m2}/items", headers=bearer(world, "author"),
                          json={"title": "Falls prevention", "action": "to_note",
                                "lead": "DASS", "body_text": "# Plan\n\nThree wards.",
                                "cover": cover})
    assert r.status_code == 201, r.text
    done = r.json()
    assert done["action"] == "item add" and done["item"]["state"] == "draft"
    item = done["item"]["id"]
    r = world.client.post(f"/api/v1/items/{item}/submit", headers=bearer(world, "author"))
    assert r.status_code == 200, r.text
    assert r.json()["item"]["state"] == "submitted"
    r = world.client.post(f"/api/v1/items/{item}/accept", headers=bearer(world, "author"))
    assert r.status_code == 403  # a report author may not accept
    r = world.client.post(f"/api/v1/items/{item}/accept", json={},
                          headers=bearer(world, "secretary"))
    assert r.status_code == 200 and r.json()["item"]["state"] == "accepted"
    r = world.client.post(f"/api/v1/items/{item}/accept", headers=bearer(world, "secretary"))
    assert r.status_code == 409  # a double submit writes nothing twice
    r = world.client.post(f"/api/v1/meetings/{m2}/attendance", headers=bearer(world, "secretary"),
                          json={"people": ["leader"], "status": "apologies"})
    assert r.status_code == 200, r.text
    assert r.json()["meeting"]["id"] == m2


# The OpenAPI document -------------------------------------------------------------------------
ENDPOINT_OF_FORM = {
    "add-item": "/api/v1/meetings/{meeting_id}/items",
    "submit": "/api/v1/items/{item_id}/submit", "accept": "/api/v1/items/{item_id}/accept",
    "publish-item": "/api/v1/items/{item_id}/publish",
    "withdraw": "/api/v1/items/{item_id}/withdraw", "defer": "/api/v1/items/{item_id}/defer",
    "route": "/api/v1/items/{item_id}/route", "publish": "/api/v1/meetings/{meeting_id}/publish",
    "attendance": "/api/v1/meetings/{meeting_id}/attendance",
    "declare": "/api/v1/items/{item_id}/declarations",
    "hold": "/api/v1/meetings/{meeting_id}/hold",
    "decide": "/api/v1/items/{item_id}/decision",
    "minutes": "/api/v1/meetings/{meeting_id}/minutes-approval",
    "reorder": "/api/v1/items/{item_id}/position", "minute": "/api/v1/items/{item_id}/minute",
    "circulate": "/api/v1/meetings/{meeting_id}/circulation",
}


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref":
                yield v
            else:
                yield from _refs(v)
    elif isinstance(node, list):
        for v in node:
            yield from _refs(v)


def test_openapi_document_has_the_api_routes_only_and_is_valid(world: World) -> None:
    r = world.client.get("/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    validate(doc)  # the OpenAPI 3.1 specification's own schema (openapi-spec-validator)
    assert doc["openapi"].startswith("3.") and doc["info"]["title"] == "s75 API"
    paths: dict[str, dict[str, Any]] = doc["paths"]
    assert all(p.startswith(("/api/v1/", "/oparl/v1/")) for p in paths), sorted(paths)
    assert set(ENDPOINT_OF_FORM) == set(FORMS), "a staff form without an API endpoint"
    for form, path in ENDPOINT_OF_FORM.items():
        assert "post" in paths[path], form
    ids = []
    for path, ops in paths.items():
        names = set(re.findall(r"{(\w+)}", path))
        assert ":" not in path
        for verb, op in ops.items():
            assert verb in ("get", "post"), (path, verb)
            ids.append(op["operationId"])
            assert op["tags"] == (["actions"] if path.startswith("/api/") else ["oparl"])
            assert op["summary"] and op["responses"]
            declared = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
            assert declared == names, (path, declared)
            if path.startswith("/api/"):
                assert op["security"] == [{"HTTPBearer": []}], path
                assert {"401", "403", "404", "409", "422"} <= set(op["responses"]), path
            else:
                assert "security" not in op
    assert len(ids) == len(set(ids)), "operationIds must be unique"
    assert doc["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    schemas = doc["components"]["schemas"]
    for ref in set(_refs(doc)):
        assert ref.startswith("#/components/schemas/") and ref.rsplit("/", 1)[1] in schemas
    add = schemas["AddItemIn"]
    assert add["additionalProperties"] is False and add["required"] == ["title"]
    assert schemas["DecideIn"]["properties"]["outcome"]["enum"] == ["approved", "amended",
                                                                    "noted"]


def test_an_unexpected_error_is_a_json_500_without_traceback(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from s75.web.api import actions

    def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(actions, "_run", boom)
    r = world.client.post(f"/api/v1/items/{first_item(world, 1).id}/accept",
                          headers=bearer(world, "secretary"))
    assert r.status_code == 500 and r.headers["content-type"] == "application/json"
    assert "has been logged" in r.json()["message"]
    assert "disk on fire" not in r.text and "Traceback" not in r.text
