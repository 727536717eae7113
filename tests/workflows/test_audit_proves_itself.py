"""The audit log proves itself (issue 18): an unreadable row is reported as the first broken
event, never a crash; published, signed anchors catch truncation and re-hashing that the chain
alone cannot; ``--state`` catches a proposal or decision row edited behind the log's back."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session, col, select

from decisions.terms import LocalityConfig
from workflows.audit import GENESIS, event_hash, hashed_fields
from workflows.tables import AuditEventRow, AuditHeadRow

KEY = "k" * 32
Cli = Callable[..., Any]


@pytest.fixture
def record(engine: Engine, config: LocalityConfig) -> None:
    from tests.web.web_helpers import build_record

    build_record(engine, config)


@pytest.fixture
def lifecycle(engine: Engine, config: LocalityConfig) -> None:
    """A lighter record for the row-level cases: one proposal taken to shadow operation."""
    from tests.workflows.wf_helpers import Driver

    driver = Driver(engine, config)
    driver.to_shadow(driver.create("Expand the pool"))


def _verify(cli: Cli, db_url: str, *args: str) -> Any:
    return cli("--db", db_url, "audit", "verify", *args)


def _middle(engine: Engine) -> int:
    with Session(engine) as s:
        ids = list(s.exec(select(AuditEventRow.id).order_by(col(AuditEventRow.id))))
    return int(ids[len(ids) // 2] or 0)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(("column", "value", "why"), [
    ("payload", "'{not json'", "its payload is not valid JSON (Expecting property name"),
    ("payload", "'[1, 2]'", "its payload is not a JSON object"),
    ("actor", "X'FFFE41'", "its actor is not UTF-8 text (byte 0)"),
    ("payload", "X'7B2261223A22FF227D'", "its payload is not UTF-8 text (byte 6)"),
    ("at", "'not a date'", "its timestamp 'not a date' is not a date and time"),
    ("at", "'2019-13-45 25:00:00'", "its timestamp '2019-13-45 25:00:00' is not a date"),
])
def test_an_unreadable_row_is_the_first_broken_event(lifecycle: None, engine: Engine, cli: Cli,
                                                     db_url: str, column: str, value: str,
                                                     why: str) -> None:
    bad = _middle(engine)
    with engine.begin() as conn:
        conn.execute(text(f"UPDATE audit_event SET {column} = {value} WHERE id = {bad}"))
    r = _verify(cli, db_url)
    assert r.code == 1, r.text
    assert f"audit log BROKEN at audit event {bad} cannot be read: {why}" in r.out
    assert "Traceback" not in r.text
    js = _verify(cli, db_url, "--json", "--state")
    assert js.code == 1 and json.loads(js.out)["broken_event"] == bad


def _rehash_all(engine: Engine, change_first: bool = True) -> None:
    """What an insider with database access could do: edit a row and recompute every hash
    and the head, so that the chain alone verifies."""
    with Session(engine) as s:
        rows = list(s.exec(select(AuditEventRow).order_by(col(AuditEventRow.id))))
        if change_first:
            rows[0].actor = "someone else"
        for row in rows:  # hashes are unique: clear them first
            row.hash = f"{row.id:064d}"
        s.flush()
        prev = GENESIS
        for row in rows:
            row.prev_hash = prev
            row.hash = event_hash(prev, hashed_fields(row))
            prev = row.hash
            s.add(row)
        head = s.get(AuditHeadRow, 1)
        assert head is not None
        head.last_hash, head.count, head.last_id = prev, len(rows), rows[-1].id or 0
        s.add(head)
        s.commit()


def _truncate(engine: Engine, keep: int) -> None:
    with Session(engine) as s:
        rows = list(s.exec(select(AuditEventRow).order_by(col(AuditEventRow.id))))
        for row in rows[keep:]:
            s.delete(row)
        head = s.get(AuditHeadRow, 1)
        assert head is not None
        last = rows[keep - 1] if keep else None
        head.count = keep
        head.last_id = last.id or 0 if last else 0
        head.last_hash = last.hash if last else GENESIS
        s.add(head)
        s.commit()


@pytest.mark.parametrize("tamper", ["delete_last", "delete_all", "rehash"])
def test_a_published_anchor_catches_what_the_chain_cannot(
        record: None, engine: Engine, cli: Cli, db_url: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, tamper: str) -> None:
    anchors = tmp_path / "anchors.jsonl"
    refused = cli("--db", db_url, "audit", "anchor")
    assert refused.code == 2 and "S75_AUDIT_KEY" in refused.text
    monkeypatch.setenv("S75_AUDIT_KEY", KEY)
    first = cli("--db", db_url, "audit", "anchor", "--to", str(anchors))
    assert first.code == 0, first.text
    head = json.loads(first.out)
    assert head["count"] > 10 and len(head["signature"]) == 64
    assert json.loads(anchors.read_text().splitlines()[0]) == head
    ok = _verify(cli, db_url, "--anchors", str(anchors), "--state")
    assert ok.code == 0 and "1 anchor(s) match" in ok.out, ok.text
    if tamper == "delete_last":
        _truncate(engine, head["count"] - 1)
    elif tamper == "delete_all":
        _truncate(engine, 0)
    else:
        _rehash_all(engine)
    assert _verify(cli, db_url).code == 0  # the chain alone is fooled...
    r = _verify(cli, db_url, "--anchors", str(anchors))  # ...the anchor is not
    assert r.code == 1, r.text
    expected = {"delete_last": "events were removed after the anchor",
                "delete_all": "but the log now holds only 0 event(s)",
                "rehash": "the log was rewritten (re-hashed) after the anchor"}[tamper]
    assert expected in r.out


def test_a_forged_anchor_or_wrong_key_is_refused(record: None, cli: Cli, db_url: str,
                                                tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("S75_AUDIT_KEY", KEY)
    head = json.loads(cli("--db", db_url, "audit", "anchor").out)
    forged = tmp_path / "forged.jsonl"
    forged.write_text(json.dumps({**head, "count": head["count"] - 1}) + "\n")
    r = _verify(cli, db_url, "--anchors", str(forged))
    assert r.code == 1 and "is not signed with this key" in r.out
    monkeypatch.delenv("S75_AUDIT_KEY")
    key_file = tmp_path / "key"
    key_file.write_text("short")
    monkeypatch.setenv("S75_AUDIT_KEY_FILE", str(key_file))
    r = _verify(cli, db_url, "--anchors", str(forged))
    assert r.code == 2 and "the audit key has 5 characters; give at least 16" in r.text
    garbage = tmp_path / "garbage.jsonl"
    garbage.write_text("\ufeffnot json\n")
    r = _verify(cli, db_url, "--anchors", str(garbage))
    assert r.code == 2 and f"--anchors {garbage} line 1: not an audit anchor" in r.text


@pytest.mark.parametrize(("edit", "expected"), [
    ("UPDATE proposal SET state = 'live'", "but the proposal row says 'live'"),
    ("UPDATE proposal SET version = version + 1", "but the row says version"),
    ("UPDATE decision SET outcome = 'rejected' WHERE id = 2",
     "recorded decision 2 as 'approved', but the decision row says 'rejected'"),
])
def test_state_edited_behind_the_logs_back(record: None, engine: Engine, cli: Cli,
                                           db_url: str, edit: str, expected: str) -> None:
    assert _verify(cli, db_url, "--state").code == 0
    with engine.begin() as conn:
        conn.execute(text(edit))
    assert _verify(cli, db_url).code == 0  # the chain is untouched
    r = _verify(cli, db_url, "--state")
    assert r.code == 1 and expected in r.out, r.text
