"""The application object: configuration, engine and clock, built on demand by a factory."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, tzinfo
from functools import cached_property
from pathlib import Path
from typing import TypeVar, overload

from sqlalchemy import Engine
from sqlmodel import Session

from decisions.clock import Clock, SimulatedClock, SystemClock
from decisions.errors import ConnectionLost, InvalidInput
from decisions.principals import VIEWER, Principal, find_principal, operator
from decisions.terms import LocalityConfig
from s75.config import config_path, load_config
from s75.db import (
    DEFAULT_URL,
    check_schema,
    make_engine,
    normalise_url,
    read_only_engine,
    session_scope,
    statements_sent,
    transaction_scope,
)
from workflows.actions import Action, perform
from workflows.events import EventBus, UnitOfWork

R = TypeVar("R")
T = TypeVar("T")


@dataclass
class App:
    config_file: Path
    db_url: str
    clock: Clock = field(default_factory=SystemClock)
    principal_id: str | None = None
    """``--as`` / ``S75_AS``; None: the locality's operator."""
    back_entry: bool = False
    """Acting as of ``--now`` / ``S75_NOW``: each audit event also records the real time it
    was entered."""

    @cached_property
    def config(self) -> LocalityConfig:
        return load_config(self.config_file)

    @cached_property
    def engine(self) -> Engine:
        """The database, checked to hold this version's schema (see :meth:`raw_engine`)."""
        engine = self.raw_engine
        check_schema(engine)
        return engine

    @cached_property
    def raw_engine(self) -> Engine:
        """The database as it is: for ``s75 init``, which creates or upgrades the schema."""
        return make_engine(self.db_url)

    @cached_property
    def read_engine(self) -> Engine:
        """:attr:`engine` (the same pool) for work that only reads (:data:`s75.db.READ_ONLY`:
        on SQLite a deferred BEGIN, no write lock, writes refused)."""
        return read_only_engine(self.engine)

    def close(self) -> None:
        """Release the connection pool, if one was opened."""
        self.__dict__.pop("read_engine", None)
        self.__dict__.pop("engine", None)
        engine = self.__dict__.pop("raw_engine", None)
        if engine is not None:
            engine.dispose()

    @cached_property
    def bus(self) -> EventBus:
        from s75.wiring import build_bus

        return build_bus()

    @contextmanager
    def session(self) -> Iterator[Session]:
        with session_scope(self.engine) as session:
            yield session

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A session that only reads (the web's GET pages, the CLI's reports): it commits
        nothing (it ends rolled back) and, on SQLite, takes no write lock and refuses writes,
        so a page is served while an action holds the write lock."""
        with Session(self.read_engine, expire_on_commit=False) as session:
            yield session

    @cached_property
    def principal(self) -> Principal:
        """Who acts: the principal named by ``--as`` / ``S75_AS``, else the operator."""
        if self.principal_id is not None:
            return find_principal(self.config, self.principal_id, "--as / S75_AS")
        return operator(self.config)

    @contextmanager
    def unit_of_work(self, principal: Principal | None = None) -> Iterator[UnitOfWork]:
        """A transaction with the time, the acting principal, config and the event bus, on one
        connection begun at its first statement; its ORM session made only if asked for
        (s75/db.py: :class:`~s75.db.Transaction`)."""
        who = principal or self.principal
        with transaction_scope(self.engine) as tx:
            yield UnitOfWork(None, self.config, self.clock.now(), who, self.bus,
                             entered_at=datetime.now(UTC) if self.back_entry else None,
                             source=tx)

    @contextmanager
    def reading(self) -> Iterator[UnitOfWork]:
        """A unit of work that only reads (as nobody in particular); always rolled back (a
        :meth:`read_session`)."""
        with self.read_session() as session:
            try:
                yield UnitOfWork(session, self.config, self.clock.now(), VIEWER, self.bus)
            finally:
                session.rollback()

    @overload
    def perform(self, action: Action[R], present: None = None,
                principal: Principal | None = None) -> R: ...

    @overload
    def perform(self, action: Action[R], present: Callable[[UnitOfWork, R], T],
                principal: Principal | None = None) -> T: ...

    def perform(self, action: Action[R], present: Callable[[UnitOfWork, R], T] | None = None,
                principal: Principal | None = None) -> R | T:
        """Run one action as the acting principal in its own transaction (whole or nothing);
        ``present`` turns the result into what the caller shows, inside the transaction.

        A connection the server closed while it lay in the pool (a restart, an idle timeout)
        fails on its first statement: then nothing was sent, and the action is run once more
        on a new connection. A connection lost later raises :class:`ConnectionLost`."""
        _ = self.engine  # the schema checked first: its statements are not the action's
        sent = statements_sent()
        try:
            return self._perform_once(action, present, principal)
        except ConnectionLost as exc:
            if exc.at_commit or statements_sent() != sent:
                raise
        return self._perform_once(action, present, principal)

    def _perform_once(self, action: Action[R], present: Callable[[UnitOfWork, R], T] | None,
                      principal: Principal | None) -> R | T:
        with self.unit_of_work(principal) as uow:
            result = perform(uow, action)
            return present(uow, result) if present is not None else result


def parse_moment(value: str, option: str, zone: tzinfo) -> datetime:
    """An ISO date (noon local time) or date-time for ``option``; a date-time without an
    offset is local time in ``zone`` (the locality's). InvalidInput names the option, the value
    and the valid forms."""
    try:
        when = datetime.fromisoformat(value) if "T" in value or " " in value else \
            datetime.combine(date.fromisoformat(value), time(12))
    except ValueError:
        raise InvalidInput(f"{option}: {value!r} is not a date or time; expected YYYY-MM-DD "
                           "(noon local time), YYYY-MM-DDTHH:MM (local time) or "
                           "YYYY-MM-DDTHH:MM+HH:MM (with an offset)") from None
    return when if when.tzinfo else when.replace(tzinfo=zone)


def clock_at(value: str, zone: tzinfo) -> SimulatedClock:
    """``--now`` / ``S75_NOW``: a clock fixed at an ISO date (noon) or date-time, read in the
    locality's time zone ``zone`` unless it carries an offset."""
    # Held in UTC, as the system clock is: stored times and the audit hashes are UTC.
    return SimulatedClock(parse_moment(value, "--now / S75_NOW", zone).astimezone(UTC))


def make_app(config: str | os.PathLike[str] | None = None, db: str | None = None,
             clock: Clock | None = None, principal: str | None = None, *,
             now: str | None = None) -> App:
    """``--config`` / ``S75_CONFIG`` / ./config.toml, ``--db`` / ``S75_DATABASE_URL`` /
    sqlite:///s75.db and ``--as`` / ``S75_AS`` (default: the locality's operator). ``now``
    (``--now`` / ``S75_NOW``) fixes the clock in the locality's time zone; giving it loads the
    config at once (to learn the zone), otherwise nothing is read until a command needs it."""
    url = normalise_url(db or os.environ.get("S75_DATABASE_URL") or DEFAULT_URL)
    who = principal if principal is not None else os.environ.get("S75_AS") or None
    app = App(config_path(config), url, clock or SystemClock(), who)
    if now is not None and clock is None:
        app.clock = clock_at(now, app.config.zone)
        app.back_entry = True
    return app
