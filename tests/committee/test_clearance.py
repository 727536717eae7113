"""Officer clearance (file 004): a body whose terms ask for finance and legal clearance has
its items cleared by the finance and legal officers before its secretary accepts them; a
refusal carries the officer's comment, an edit needs clearing again. Through the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from notifications.tables import OutboxRow
from tests.committee.clearance_config import clearance_config
from tests.principals import COVER_ARGS

Result = Any


@pytest.fixture
def run(cli: Callable[..., Result], db_url: str, engine: Any, tmp_path: Path
        ) -> Callable[..., Result]:
    config = clearance_config(tmp_path)

    def go(*args: object) -> Result:
        return cli("--db", db_url, "--config", str(config), *(str(a) for a in args))

    return go


@pytest.fixture
def ok(run: Callable[..., Result]) -> Callable[..., Any]:
    def go(*args: object) -> Any:
        r = run(*args, "--json")
        assert r.code == 0, r.text
        return json.loads(r.out)

    return go


@pytest.fixture
def submitted(ok: Callable[..., Any]) -> dict[str, Any]:
    [m, *_] = ok("meeting", "schedule", "jcc", "--from", "2019-04-01", "--to", "2019-04-30")
    item = ok("--as", "commissioning_lead", "item", "add", m["id"], "Winter beds",
              "--author", "commissioning_lead", *COVER_ARGS)
    assert item["author"] == "commissioning_lead"
    ok("--as", "commissioning_lead", "item", "submit", item["id"], "--on", "2019-03-20")
    return dict(item)


def test_accept_waits_for_both_clearances(submitted: dict[str, Any],
                                          run: Callable[..., Result],
                                          ok: Callable[..., Any]) -> None:
    i = submitted["id"]
    r = run("item", "accept", i)
    assert r.code == 2
    assert "cannot be accepted until its report is cleared" in r.err
    assert "finance clearance awaited" in r.err and "legal clearance awaited" in r.err
    assert f"s75 item clear {i} --kind finance" in r.err
    cleared = ok("--as", "s151", "item", "clear", i, "--kind", "finance")
    assert cleared["cleared"] is True and cleared["by"] == "s151"
    r = run("item", "accept", i)
    assert r.code == 2 and "legal clearance awaited" in r.err and "finance" not in \
        r.err.split("cleared:")[1].split(".")[0]
    ok("--as", "legal_services", "item", "clear", i, "--kind", "legal", "--comment", "JLF")
    rows = ok("item", "clearance", i)
    assert [(x["kind"], x["state"]) for x in rows] == [("finance", "cleared"),
                                                       ("legal", "cleared")]
    assert rows[1]["by"] == "Jane Lee-Fox, Head of Legal Services"
    assert ok("item", "accept", i)["state"] == "accepted"


def test_the_wrong_officer_is_refused_saying_who_may(submitted: dict[str, Any],
                                                     run: Callable[..., Result]) -> None:
    i = submitted["id"]
    r = run("--as", "legal_services", "item", "clear", i, "--kind", "finance")
    assert r.code == 2
    assert "permission refused: item clear on item" in r.err
    assert "may be done by a finance officer or an admin" in r.err
    assert "Jane Lee-Fox, Head of Legal Services, is legal officer" in r.err
    r = run("--as", "commissioning_lead", "item", "clear", i, "--kind", "legal")
    assert r.code == 2 and "may be done by a legal officer or an admin" in r.err


def test_a_refusal_needs_a_comment_and_an_edit_needs_clearing_again(
        submitted: dict[str, Any], run: Callable[..., Result], ok: Callable[..., Any],
        tmp_path: Path, engine: Engine) -> None:
    i = submitted["id"]
    r = run("--as", "s151", "item", "clear", i, "--kind", "finance", "--refuse")
    assert r.code == 2 and "comment: missing; say why the report is not cleared" in r.err
    ok("--as", "s151", "item", "clear", i, "--kind", "finance", "--refuse", "--comment",
       "The costs in section 3 omit VAT")
    ok("--as", "legal_services", "item", "clear", i, "--kind", "legal")
    r = run("item", "accept", i)
    assert r.code == 2
    assert "finance clearance refused by Paul Carroll" in r.err
    assert "The costs in section 3 omit VAT" in r.err
    report = tmp_path / "report.md"
    report.write_text("# Costs\n\nIncluding VAT.", encoding="utf-8")
    ok("--as", "commissioning_lead", "item", "edit", i, "--text-file", report)
    rows = ok("item", "clearance", i)
    assert [x["state"] for x in rows] == ["awaited", "awaited"]  # the new version
    with Session(engine) as s:
        told = s.exec(select(OutboxRow).where(OutboxRow.kind == "clearance_refused")).one()
    assert told.recipient == "commissioning.lead@example.org"
    assert "The costs in section 3 omit VAT" in told.body
    ok("--as", "s151", "item", "clear", i, "--kind", "finance")
    ok("--as", "legal_services", "item", "clear", i, "--kind", "legal")
    with Session(engine) as s:
        ready = s.exec(select(OutboxRow).where(OutboxRow.kind == "clearance_given")).all()
    assert [r.recipient for r in ready] == ["jcc.secretary@example.org"]
    assert "It can be accepted onto the agenda" in ready[0].body
    assert ok("item", "accept", i)["state"] == "accepted"


def test_clearance_is_given_while_submitted_and_only_where_asked(
        ok: Callable[..., Any], run: Callable[..., Result]) -> None:
    [m, *_] = ok("meeting", "schedule", "jcc", "--from", "2019-04-01", "--to", "2019-04-30")
    draft = ok("item", "add", m["id"], "Draft report", *COVER_ARGS)
    r = run("--as", "s151", "item", "clear", draft["id"], "--kind", "finance")
    assert r.code == 2 and "is draft; submit it first" in r.err
    r = run("--as", "s151", "item", "clear", draft["id"], "--kind", "audit")
    assert r.code == 2 and "kind: 'audit' is not valid; expected one of finance, legal" in r.err
    [board, *_] = ok("meeting", "schedule", "ccg_board", "--from", "2019-04-01", "--to",
                     "2019-04-30")
    other = ok("item", "add", board["id"], "Board report", *COVER_ARGS)
    ok("item", "submit", other["id"], "--on", "2019-03-20")
    r = run("--as", "s151", "item", "clear", other["id"], "--kind", "finance")
    assert r.code == 2 and "terms ask for no clearance" in r.err
    assert ok("item", "accept", other["id"])["state"] == "accepted"  # none needed there


def test_an_author_must_be_a_report_author(ok: Callable[..., Any],
                                           run: Callable[..., Result]) -> None:
    [m, *_] = ok("meeting", "schedule", "jcc", "--from", "2019-04-01", "--to", "2019-04-30")
    r = run("item", "add", m["id"], "X", "--author", "leader")
    assert r.code == 2
    assert "author: 'leader' is not a report author; expected one of commissioning_lead" \
        in r.err
    r = run("item", "add", m["id"], "X", "--author", "nobody")
    assert r.code == 2 and "author: 'nobody' is not a member" in r.err
