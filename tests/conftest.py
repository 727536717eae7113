"""Shared fixtures: real databases (a SQLite file always; PostgreSQL when
S75_TEST_DATABASE_URL is set), the default config, and an in-process CLI runner."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis.configuration import set_hypothesis_home_dir
from sqlalchemy import Engine, create_engine, text

from decisions.terms import LocalityConfig
from s75.app import App, make_app
from s75.cli.main import main
from s75.config import load_config
from s75.db import make_engine, upgrade
from s75.standing import sync_standing

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "config.toml"
# Hypothesis keeps its files in the checkout (as when run from it), not the working directory.
set_hypothesis_home_dir(ROOT / ".hypothesis")
PG_URL = os.environ.get("S75_TEST_DATABASE_URL")
PG_SKIP = "PostgreSQL tests need S75_TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)"


@pytest.fixture(autouse=True)
def _own_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test runs in its own empty directory, so none depends on where pytest was started
    (./config.toml, ./s75.db) and none writes into the checkout."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session")
def config() -> LocalityConfig:
    return load_config(CONFIG)


def _pg_schema_url(schema: str) -> str:
    assert PG_URL is not None
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL: a SQLite file, or a new schema on the PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 's75.db'}"
        return
    if not PG_URL:
        pytest.skip(PG_SKIP)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _pg_schema_url(schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def engine(db_url: str, config: LocalityConfig) -> Iterator[Engine]:
    """A migrated database holding the default standing arrangements."""
    from datetime import UTC, datetime

    from sqlmodel import Session

    eng = make_engine(db_url)
    upgrade(eng)
    with Session(eng) as session:
        sync_standing(session, config, datetime(2019, 3, 1, tzinfo=UTC))
        session.commit()
    yield eng
    eng.dispose()


@pytest.fixture
def app(db_url: str, engine: Engine) -> App:
    return make_app(CONFIG, db_url)


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Run ``s75 ARGS`` in process; returns exit code, stdout and stderr. The config is the
    repository's config.toml unless ``--config`` is given, whatever the working directory."""
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("S75_CONFIG", str(CONFIG))

    def run(*args: str) -> Result:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say in the log which databases the database tests ran on (shown even with -q)."""
    passed = terminalreporter.stats.get("passed", [])
    on_pg = sum(1 for r in passed if "[postgresql" in r.nodeid)
    if PG_URL:
        terminalreporter.write_line(f"s75: {on_pg} database tests passed on PostgreSQL ({PG_URL})")
    else:
        terminalreporter.write_line(f"s75: PostgreSQL tests skipped: {PG_SKIP}")
