"""Shared fixtures: real databases (a SQLite file always; PostgreSQL when
S75_TEST_DATABASE_URL is set), the default config, and an in-process CLI runner.

Speed without sharing state: ``engine`` gives each test its own database, but instead of running
Alembic and loading the standing arrangements for every test it copies a database that was
migrated and loaded once per test process (a SQLite file copied; on PostgreSQL a new database
made with ``CREATE DATABASE ... TEMPLATE``). Under pytest-xdist (``make test`` runs ``-n``)
every worker has its own temporary folder, templates and databases; see docs/testing.md."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis.configuration import set_hypothesis_home_dir
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

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


def _pg_admin() -> Engine:
    assert PG_URL is not None
    return create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))


def _pg_database_url(name: str) -> str:
    assert PG_URL is not None
    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


def _migrate(url: str, config: LocalityConfig) -> None:
    """What ``engine`` gives a test: the newest schema and the default standing arrangements."""
    from datetime import UTC, datetime

    from sqlmodel import Session

    eng = make_engine(url)
    try:
        upgrade(eng)
        with Session(eng) as session:
            sync_standing(session, config, datetime(2019, 3, 1, tzinfo=UTC))
            session.commit()
    finally:
        eng.dispose()


@dataclass
class _Templates:
    """Databases migrated once per test process (per xdist worker), copied for each test."""

    config: LocalityConfig
    folder: Path
    sqlite: Path | None = None
    pg: str | None = None  # the template database's name
    pg_refused: str | None = None  # why PostgreSQL templates are not used (then: migrate each)
    prepared: set[str] = field(default_factory=set)  # URLs made from a template

    def sqlite_file(self) -> Path:
        if self.sqlite is None:
            file = self.folder / "template.db"
            _migrate(f"sqlite:///{file}", self.config)
            for extra in (Path(f"{file}-wal"), Path(f"{file}-shm")):
                assert not extra.exists(), f"{extra} left after the template's engine closed"
            self.sqlite = file
        return self.sqlite

    def pg_template(self) -> str | None:
        if self.pg is None and self.pg_refused is None:
            name = f"s75tpl_{uuid.uuid4().hex[:12]}"
            admin = _pg_admin().execution_options(isolation_level="AUTOCOMMIT")
            try:
                with admin.connect() as conn:
                    conn.execute(text(f'CREATE DATABASE "{name}"'))
            except Exception as exc:  # no CREATEDB right: a schema per test, migrated each time
                self.pg_refused = f"CREATE DATABASE refused: {exc}"
                return None
            finally:
                admin.dispose()
            self.pg = name
            _migrate(_pg_database_url(name), self.config)
        return self.pg

    def close(self) -> None:
        if self.pg is not None:
            admin = _pg_admin().execution_options(isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{self.pg}" WITH (FORCE)'))
            admin.dispose()


@pytest.fixture(scope="session")
def _db_templates(config: LocalityConfig, tmp_path_factory: pytest.TempPathFactory
                  ) -> Iterator[_Templates]:
    templates = _Templates(config, tmp_path_factory.mktemp("db-template"))
    try:
        yield templates
    finally:
        templates.close()


def postgres_only(engine: Engine, why: str) -> None:
    """Skip the SQLite run of a test that only means something on PostgreSQL, saying why and,
    when the PostgreSQL run is on, that it is that run which covers the test."""
    if engine.dialect.name == "postgresql":
        return
    if PG_URL:
        pytest.skip(f"PostgreSQL only ({why}): this is the SQLite run; the [postgresql] run "
                    "of the same test covers it")
    pytest.skip(f"PostgreSQL only ({why}); set S75_TEST_DATABASE_URL to run it")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL: a SQLite file, or a new schema on the PostgreSQL server.
    (When the test also uses ``engine``, the PostgreSQL database is instead a copy of the
    migrated template, which ``engine`` then does not migrate again.)"""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 's75.db'}"
        return
    if not PG_URL:
        pytest.skip(PG_SKIP)
    if "engine" in request.fixturenames:
        templates: _Templates = request.getfixturevalue("_db_templates")
        if templates.config is request.getfixturevalue("config"):
            template = templates.pg_template()
            if template is not None:
                yield from _pg_copy(templates, template)
                return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin()
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _pg_schema_url(schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _pg_copy(templates: _Templates, template: str) -> Iterator[str]:
    name = f"s75t_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin().execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    url = _pg_database_url(name)
    templates.prepared.add(url)
    try:
        yield url
    finally:
        templates.prepared.discard(url)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def _sqlite_copy(templates: _Templates, db_url: str) -> bool:
    """Copy the migrated template to the test's SQLite file if nothing has created it yet."""
    url = make_url(db_url)
    file = url.database
    if url.get_backend_name() != "sqlite" or not file or file == ":memory:":
        return False
    path = Path(file)
    if any(Path(f"{path}{end}").exists() for end in ("", "-wal", "-shm", "-journal")):
        return False
    shutil.copyfile(templates.sqlite_file(), path)
    return True


@pytest.fixture
def engine(db_url: str, config: LocalityConfig, request: pytest.FixtureRequest
           ) -> Iterator[Engine]:
    """A migrated database holding the default standing arrangements."""
    templates: _Templates = request.getfixturevalue("_db_templates")
    copied = db_url in templates.prepared or (
        templates.config is config and _sqlite_copy(templates, db_url))
    if not copied:  # another config, or a database something else created first
        _migrate(db_url, config)
    eng = make_engine(db_url)
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


_EXIT_STATUS: list[int] = []


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _EXIT_STATUS.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """Leave without the interpreter's final garbage collection, as ``s75.cli.main.entry``
    does: after WeasyPrint rendered in this process, cffi may free Pango/GObject handles after
    GLib was torn down, which segfaults (exit 139) after every test passed. The summary has
    been written by now; the exit status is pytest's own. (xdist workers exit through their
    gateway, after their results reached the controller: left as they are.)"""
    if hasattr(config, "workerinput") or not _EXIT_STATUS:
        return
    import os
    import sys

    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(_EXIT_STATUS[-1])
