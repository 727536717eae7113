"""The application object: configuration, engine and clock, built on demand by a factory."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from functools import cached_property
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from decisions.clock import Clock, SimulatedClock, SystemClock
from decisions.errors import InvalidInput
from decisions.terms import LocalityConfig
from s75.config import config_path, load_config
from s75.db import DEFAULT_URL, check_schema, make_engine, normalise_url, session_scope
from workflows.events import EventBus, UnitOfWork


@dataclass
class App:
    config_file: Path
    db_url: str
    clock: Clock = field(default_factory=SystemClock)

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

    def close(self) -> None:
        """Release the connection pool, if one was opened."""
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
    def unit_of_work(self, actor: str) -> Iterator[UnitOfWork]:
        """One action: a transaction with the time, the actor, config and the event bus."""
        with self.session() as session:
            yield UnitOfWork(session, self.config, self.clock.now(), actor, self.bus)


def clock_at(value: str) -> SimulatedClock:
    """``--now`` / ``S75_NOW``: a clock fixed at an ISO date (noon UTC) or date-time."""
    try:
        when = datetime.fromisoformat(value) if "T" in value or " " in value else \
            datetime.combine(date.fromisoformat(value), time(12))
    except ValueError:
        raise InvalidInput(f"--now / S75_NOW: {value!r} is not a date or time; expected "
                           "YYYY-MM-DD or YYYY-MM-DDTHH:MM") from None
    return SimulatedClock(when if when.tzinfo else when.replace(tzinfo=UTC))


def make_app(config: str | os.PathLike[str] | None = None, db: str | None = None,
             clock: Clock | None = None) -> App:
    """``--config`` / ``S75_CONFIG`` / ./config.toml and ``--db`` / ``S75_DATABASE_URL`` /
    sqlite:///s75.db."""
    url = normalise_url(db or os.environ.get("S75_DATABASE_URL") or DEFAULT_URL)
    return App(config_path(config), url, clock or SystemClock())
