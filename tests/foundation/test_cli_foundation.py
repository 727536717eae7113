"""The foundation commands as a user runs them, and every error path: a message, exit 2."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from s75.db import make_engine
from workflows.committee.tables import MemberRow, StandingChangeRow

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "config.toml"


def test_version(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("--version")
    assert r.code == 0 and r.out.startswith("s75 0.")


def test_check_config_summary(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("check-config", str(CONFIG))
    assert r.code == 0, r.text
    assert "£159.9m" in r.out
    assert "Population Health (Adult Public Health): tbc" in r.out
    data = json.loads(cli("check-config", str(CONFIG), "--json").out)
    assert data["pool_total"] == "£159.9m"
    assert data["by_partner"] == {"council": "£80.0m", "ccg": "£80.0m"}
    assert data["members"] == 20


def test_init_twice_then_email_change_updates_only_that_member(
    cli, db_url: str, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    first = cli("--db", db_url, "--config", str(CONFIG), "init")
    assert first.code == 0, first.text
    assert "change(s) loaded" in first.out
    second = cli("--db", db_url, "--config", str(CONFIG), "init")
    assert second.code == 0 and "no changes" in second.out

    changed = tmp_path / "changed.toml"
    changed.write_text(CONFIG.read_text().replace("cfo@example.org", "chief.finance@example.org"))
    third = cli("--db", db_url, "--config", str(changed), "init", "--json")
    assert third.code == 0, third.text
    assert json.loads(third.out)["changes"] == [
        "updated member cfo: email 'cfo@example.org' -> 'chief.finance@example.org'"
    ]
    engine = make_engine(db_url)
    with Session(engine) as s:
        assert s.get(MemberRow, "cfo").email == "chief.finance@example.org"  # type: ignore[union-attr]
        history = s.exec(select(StandingChangeRow).where(StandingChangeRow.entity_id == "cfo")
                         ).all()
        assert [(h.field, h.old, h.new) for h in history] == [
            ("*", None, "added"), ("email", "cfo@example.org", "chief.finance@example.org")]
    engine.dispose()


def test_sqlite_is_wal_with_foreign_keys(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "x.db"
    assert cli("--db", str(db), "--config", str(CONFIG), "init").code == 0
    engine = make_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_bodies_and_members_listings(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bodies = json.loads(cli("--config", str(CONFIG), "bodies", "--json").out)
    jcc = next(b for b in bodies if b["id"] == "jcc")
    assert jcc["chair"] == "leader / ccg_chair (rotating)"
    assert jcc["members"] == 14
    members = json.loads(cli("--config", str(CONFIG), "members", "--body", "jcc", "--json").out)
    assert len(members) == 14
    assert all(m["email"].endswith("@example.org") for m in members)
    table = cli("--config", str(CONFIG), "members")
    assert table.code == 0 and "Leader of the Council" in table.out


BAD_CONFIG = "[locality]\nname = 'x'\n"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--config", "/nonexistent/s75.toml", "bodies"], "no such file"),
        (["check-config", "/nonexistent/s75.toml"], "no such file"),
        (["--config", "{bad}", "members"], "partner: this key is required"),
        (["--config", "{bad}", "init"], "problem(s)"),
        (["--db", "mysql://x@y/z", "--config", "{cfg}", "init"], "'mysql' is not supported"),
        (["--db", "sqlite:///{tmp}/fresh.db", "--config", "{cfg}", "bodies", "--bogus"],
         "No such option"),
        (["--config", "{cfg}", "members", "--body", "nope"], "body 'nope' is not in the config"),
        (["--db", "sqlite:///{tmp}/missing-dir/x.db", "--config", "{cfg}", "init"],
         "database: unable to open database file"),
        (["no-such-command"], "No such command"),
    ],
)
def test_every_error_path_exits_2_with_a_message(
    cli, tmp_path: Path, args: list[str], expected: str  # type: ignore[no-untyped-def]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(BAD_CONFIG)
    args = [a.format(bad=bad, cfg=CONFIG, tmp=tmp_path) for a in args]
    r = cli(*args)
    assert r.code == 2, r.text
    assert expected in r.text, r.text
    assert "Traceback" not in r.text


def test_listing_before_init_says_run_init(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "empty.db"
    sqlite3.connect(db).close()
    from s75.cli.errors import run_command  # noqa: F401  (the mapping under test)

    r = cli("--db", str(db), "--config", str(CONFIG), "init")
    assert r.code == 0
