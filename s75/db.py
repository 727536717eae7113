"""Database engine and sessions, built by factories (nothing at import time).

SQLite by default (``./s75.db``) with WAL, synchronous=NORMAL, foreign keys on and a busy
timeout; PostgreSQL (psycopg 3) when the URL says so. The schema is owned by Alembic.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    DisconnectionError,
    OperationalError,
    ProgrammingError,
)
from sqlmodel import Session, SQLModel

from decisions.errors import ConnectionLost, InvalidInput

DEFAULT_URL = "sqlite:///s75.db"
MIGRATIONS = Path(__file__).parent / "migrations"


def all_tables() -> type[SQLModel]:
    """Import every layer's tables so ``SQLModel.metadata`` is complete."""
    import notifications.documents.tables
    import notifications.tables  # noqa: F401
    import s75.accounts
    import s75.api_tokens
    import s75.web.board_summary
    import s75.web.members.calendar_tokens
    import s75.web.subscriptions  # noqa: F401
    import workflows.committee.records
    import workflows.committee.tables
    import workflows.proposal.tables
    import workflows.tables  # noqa: F401

    return SQLModel


def normalise_url(url: str) -> str:
    """Accept ``postgresql://`` and a bare file path; reject what SQLAlchemy cannot parse."""
    if "://" not in url:
        url = f"sqlite:///{url}"
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise InvalidInput(
            f"--db / S75_DATABASE_URL: {url!r} is not a database URL; expected "
            "'sqlite:///path/to/s75.db' or 'postgresql+psycopg://user@host:5432/name'"
        ) from exc
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise InvalidInput(
            f"--db / S75_DATABASE_URL: {parsed.get_backend_name()!r} is not supported; "
            "use sqlite or postgresql"
        )
    return parsed.render_as_string(hide_password=False)


PING_IDLE_AFTER = 10.0
"""PostgreSQL: seconds a pooled connection may lie idle before its next checkout pings it."""


def make_engine(url: str = DEFAULT_URL, *, ping_idle_after: float = PING_IDLE_AFTER,
                **kwargs: Any) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        return _sqlite_engine(url, **kwargs)
    engine = create_engine(url, **kwargs)
    _ping_when_idle(engine, ping_idle_after)
    _count_statements(engine)
    return engine


def _sqlite_engine(url: str, **kwargs: Any) -> Engine:
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                           **kwargs)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy issue BEGIN itself so transactions are whole (pysqlite quirk).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        _sqlite_begin(conn)

    return engine


_IDLE_SINCE = "s75.idle_since"
"""A pooled connection's info: when it was last checked in (``time.monotonic``)."""


def _ping_when_idle(engine: Engine, after: float) -> None:
    """Ping (an empty statement, as ``pool_pre_ping`` sends) only a connection that has lain in
    the pool longer than ``after`` seconds, instead of one round trip on every checkout; one
    that fails is replaced by a new connection before it is used. A connection lost sooner is
    caught where it is used (:func:`session_scope`, and ``App.perform``'s one retry)."""
    dialect = engine.dialect

    @event.listens_for(engine, "checkin")
    def _checked_in(dbapi_conn: Any, record: Any) -> None:
        if dbapi_conn is not None:
            record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop(_IDLE_SINCE, None)
        if since is None or time.monotonic() - since < after:
            return  # a new connection, or one used a moment ago
        try:
            dialect.do_ping(dbapi_conn)
        except dialect.loaded_dbapi.Error as e:  # the pool reconnects (and retries) on this
            raise DisconnectionError(f"an idle pooled connection was lost: {e}") from e


_SENT = threading.local()


def statements_sent() -> int:
    """How many statements this thread has had answered on PostgreSQL (0 on SQLite, where a
    connection is not lost): ``App.perform`` retries an action only if none was."""
    return getattr(_SENT, "n", 0)


def _count_statements(engine: Engine) -> None:
    @event.listens_for(engine, "after_cursor_execute")
    def _answered(*_args: Any) -> None:
        _SENT.n = getattr(_SENT, "n", 0) + 1


def _lost(exc: DBAPIError, *, at_commit: bool = False) -> ConnectionLost:
    detail = str(exc.orig).strip().splitlines()[0] if exc.orig and str(exc.orig).strip() \
        else type(exc.orig or exc).__name__
    return ConnectionLost(detail, at_commit=at_commit)


READ_ONLY = "s75_read_only"
"""The execution option that marks a connection's transactions read-only
(:func:`read_only_engine`). On SQLite a read-only transaction begins deferred (``BEGIN``: it
takes no lock until it reads, and a reader never waits for, or holds up, a writer in WAL mode)
with ``PRAGMA query_only`` on, so a write in it fails rather than taking the write lock part way
through; every other transaction begins ``BEGIN IMMEDIATE`` (the write lock taken at the start,
so an action waits its turn at BEGIN rather than failing on its first write). On PostgreSQL the
option changes nothing (its readers take no write lock)."""

_QUERY_ONLY = "s75_query_only"
"""The connection's ``PRAGMA query_only`` as last set (its ``info``: a new connection's is
off), so the pragma is sent only when a transaction of the other kind follows."""


def _sqlite_begin(conn: Any) -> None:
    from workflows.prepared import send

    read_only = bool(conn.get_execution_options().get(READ_ONLY))
    info = conn.connection.info
    if info.get(_QUERY_ONLY, False) is not read_only:
        conn.connection.driver_connection.execute(f"PRAGMA query_only={int(read_only)}")
        info[_QUERY_ONLY] = read_only
    send(conn, "BEGIN" if read_only else "BEGIN IMMEDIATE")


def read_only_engine(engine: Engine) -> Engine:
    """``engine`` (the same pool) with its transactions read-only (:data:`READ_ONLY`)."""
    return engine.execution_options(**{READ_ONLY: True})


@contextmanager
def _undone_on_error(rollback: Callable[[], None], at_commit: bool = False) -> Iterator[None]:
    """Roll back on any error; a connection lost on the way is :class:`ConnectionLost` (if lost
    while committing, the change may or may not have been saved: ``at_commit``)."""
    try:
        yield
    except DBAPIError as exc:
        rollback()
        if exc.connection_invalidated:
            raise _lost(exc, at_commit=at_commit) from exc
        raise
    except BaseException:
        rollback()
        raise


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work: commits whole on success, rolls back whole on any error. A connection
    lost on the way is :class:`ConnectionLost` (before the commit: nothing written)."""
    with Session(engine, expire_on_commit=False) as session:
        with _undone_on_error(session.rollback):
            yield session
            session.flush()
        with _undone_on_error(session.rollback, at_commit=True):
            session.commit()


class Transaction:
    """A unit of work's transaction on one connection: checked out and begun at its first use;
    its ORM session made only when asked for, bound to that connection (it joins the
    connection's transaction and controls it: its commit and rollback are the
    transaction's)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.conn: Connection | None = None
        self.orm: Session | None = None

    def connection(self) -> Connection:
        conn = self.conn
        if conn is None:
            conn = self.conn = self.engine.connect()
        if not conn.in_transaction():
            conn.begin()
        return conn

    def session(self) -> Session:
        if self.orm is None:
            self.orm = Session(bind=self.connection(), expire_on_commit=False,
                               join_transaction_mode="control_fully")
        return self.orm

    def rollback(self) -> None:
        if self.orm is not None:
            self.orm.rollback()
        if self.conn is not None and self.conn.in_transaction():
            self.conn.rollback()

    def commit(self) -> None:
        if self.orm is not None:
            self.orm.commit()
        if self.conn is not None and self.conn.in_transaction():
            self.conn.commit()

    def close(self) -> None:
        if self.orm is not None:
            self.orm.close()
        if self.conn is not None:
            self.conn.close()


@contextmanager
def transaction_scope(engine: Engine) -> Iterator[Transaction]:
    """:func:`session_scope` for a unit of work opened on a connection (its session made only
    if asked for): commits whole on success, rolls back whole on any error; a connection lost
    on the way is :class:`ConnectionLost`."""
    tx = Transaction(engine)
    try:
        with _undone_on_error(tx.rollback):
            yield tx
            if tx.orm is not None:
                tx.orm.flush()
        with _undone_on_error(tx.rollback, at_commit=True):
            tx.commit()
    finally:
        tx.close()


def alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration (what ``s75 init`` does first)."""
    from alembic import command

    command.upgrade(alembic_config(engine), "head")


def current_revision(engine: Engine) -> str | None:
    """The revision in ``alembic_version``, or None when the table is not there. Plain SQL:
    Alembic's MigrationContext costs every command about 0.1 s of imports."""
    with engine.connect() as conn:
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except (OperationalError, ProgrammingError):
            return None


_REVISION = re.compile(r"^(down_revision|revision)\s*(?::[^=]*)?=\s*['\"]?([^'\"\s]*)['\"]?",
                       re.MULTILINE)


@lru_cache(maxsize=1)
def head_revision() -> str:
    """The newest migration: the one revision no other names as its ``down_revision``, read
    from the migration files' headers (importing Alembic to ask would cost every command
    about 0.1 s; tests/foundation checks this against Alembic's own answer)."""
    revisions: set[str] = set()
    downs: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        for key, value in _REVISION.findall(path.read_text(encoding="utf-8")):
            (revisions if key == "revision" else downs).add(value)
    heads = revisions - downs
    if len(heads) != 1:
        raise RuntimeError(f"{MIGRATIONS / 'versions'}: the migrations have {len(heads)} heads "
                          f"({', '.join(sorted(heads)) or 'none'}); there must be one")
    return heads.pop()


def check_schema(engine: Engine) -> None:
    """Refuse, with what to do, a database that ``s75 init`` has not created or brought up to
    this version's schema; a missing SQLite file is not created as a side effect."""
    url = engine.url
    file = url.database if url.get_backend_name() == "sqlite" else None
    if file and file != ":memory:":
        path = Path(file)
        if not path.parent.is_dir():
            raise InvalidInput(f"--db / S75_DATABASE_URL: the folder {str(path.parent)!r} for "
                               "the database file does not exist; create it, or give another "
                               "--db")
        if not path.exists():
            raise InvalidInput(f"--db / S75_DATABASE_URL: the database file {file!r} does not "
                               "exist; run 's75 init' (with the same --db) to create it")
    shown = url.render_as_string(hide_password=True)
    current, head = current_revision(engine), head_revision()
    if current is None:
        raise InvalidInput(f"--db / S75_DATABASE_URL: {shown} has no s75 schema yet; run "
                           "'s75 init' (with the same --db) to create it")
    if current != head:
        raise InvalidInput(f"--db / S75_DATABASE_URL: {shown} has schema revision {current!r}; "
                           f"this version of s75 needs {head!r}; run 's75 init' (with the same "
                           "--db) to upgrade it")
