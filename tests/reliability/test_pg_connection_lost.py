"""A PostgreSQL connection lost (its backend ended with ``pg_terminate_backend``, as a server
restart or an idle timeout ends it) without the pool's ping on every checkout: the next action
on the dead pooled connection is run again once on a new one and commits exactly once; one idle
longer than ``ping_idle_after`` is pinged and replaced before use; a connection lost later in
an action, or while committing, is a message saying what was (or may have been) saved."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, event, func, text
from sqlmodel import Session, col, select

from decisions.errors import ConnectionLost
from decisions.principals import PROGRAMME_DIRECTOR, Scope
from s75.app import App
from s75.db import make_engine
from tests.conftest import postgres_only
from workflows.actions import Action
from workflows.audit import verify_chain
from workflows.events import UnitOfWork
from workflows.proposal import lifecycle
from workflows.proposal.actions import CreateProposal
from workflows.tables import AuditEventRow, ProposalRow


@pytest.fixture
def pg_app(app: App, engine: Engine) -> Iterator[App]:
    postgres_only(engine, "a SQLite file has no connection to lose")
    yield app
    app.close()


def _backend(app: App) -> int:
    """The backend of the connection the pool hands out next (there is only one)."""
    with app.session() as s:
        return int(s.execute(text("SELECT pg_backend_pid()")).scalar_one())


def _terminate(app: App, pid: int) -> None:
    """End backend ``pid`` from another connection and wait until it is gone.

    ``pg_terminate_backend(pid, timeout)`` waits for the backend to exit. The check after it
    runs in autocommit: inside one transaction pg_stat_activity is a snapshot taken at its first
    read, so a poll in a transaction would go on seeing a backend that has already gone.
    """
    admin = create_engine(app.engine.url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            assert conn.execute(text("SELECT pg_terminate_backend(:p, 30000)"), {"p": pid}).scalar()
            for _ in range(1500):
                if not conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE pid = :p"),
                                    {"p": pid}).scalar():
                    return
                time.sleep(0.02)
        raise AssertionError(f"backend {pid} still there after 30 s")
    finally:
        admin.dispose()


def _created(app: App, title: str) -> tuple[int, int]:
    """(proposals titled ``title``, proposal.created events for them)."""
    with Session(app.engine) as s:
        ids = list(s.exec(select(ProposalRow.id).where(ProposalRow.title == title)))
        events = s.exec(select(func.count()).select_from(AuditEventRow)
                        .where(AuditEventRow.subject_type == "proposal",
                               col(AuditEventRow.subject_id).in_([str(i) for i in ids]),
                               AuditEventRow.action == "proposal.created")).one()
        assert verify_chain(s) is None
    return len(ids), int(events)


def _invalidations(engine: Engine) -> list[Any]:
    seen: list[Any] = []
    event.listen(engine.pool, "invalidate", lambda _c, _r, e: seen.append(e))
    return seen


def test_an_action_on_a_dead_pooled_connection_runs_again_and_commits_once(pg_app: App) -> None:
    pg_app.perform(CreateProposal("Before"))
    first = _backend(pg_app)
    lost = _invalidations(pg_app.engine)
    _terminate(pg_app, first)
    row = pg_app.perform(CreateProposal("After"))
    assert row.id is not None and row.title == "After"
    assert len(lost) == 1  # found dead on its first statement, not by a ping
    assert _created(pg_app, "After") == (1, 1)
    assert _backend(pg_app) != first


def test_an_idle_connection_is_pinged_and_replaced_before_use(pg_app: App) -> None:
    url = pg_app.engine.url.render_as_string(hide_password=False)
    pg_app.close()
    pg_app.__dict__["raw_engine"] = make_engine(url, ping_idle_after=0.0)
    pg_app.perform(CreateProposal("Before"))
    first = _backend(pg_app)
    _terminate(pg_app, first)
    sent: list[str] = []
    event.listen(pg_app.engine, "before_cursor_execute", lambda *a: sent.append(a[2]))
    with pg_app.session() as s:  # a read is never run again: the ping found it dead first
        assert s.execute(text("SELECT pg_backend_pid()")).scalar_one() != first
    assert len(sent) == 1


@dataclass(frozen=True)
class _CreateAndLose(Action[None]):
    """Creates a proposal, then loses its connection: before another statement, or as it
    commits."""

    permission = PROGRAMME_DIRECTOR
    kill: Callable[[int], None]
    at_commit: bool

    def scope(self, uow: UnitOfWork, loaded: Any) -> Scope:
        return Scope("a test")

    def write(self, uow: UnitOfWork, loaded: Any) -> None:
        lifecycle.create_proposal(uow, "Lost")
        uow.session.flush()
        pid = int(uow.session.execute(text("SELECT pg_backend_pid()")).scalar_one())
        if self.at_commit:
            event.listen(uow.session, "before_commit", lambda _s: self.kill(pid), once=True)
            return
        self.kill(pid)
        uow.session.execute(text("SELECT 1"))


def test_a_connection_lost_within_an_action_says_nothing_was_written(pg_app: App) -> None:
    lost = _invalidations(pg_app.engine)
    with pytest.raises(ConnectionLost, match="before anything was saved: nothing was written"):
        pg_app.perform(_CreateAndLose(lambda pid: _terminate(pg_app, pid), at_commit=False))
    assert len(lost) == 1  # not run again: statements had been answered
    assert _created(pg_app, "Lost") == (0, 0)


def test_a_connection_lost_while_committing_says_it_may_have_been_saved(pg_app: App) -> None:
    with pytest.raises(ConnectionLost, match="while saving: the change may or may not") as exc:
        pg_app.perform(_CreateAndLose(lambda pid: _terminate(pg_app, pid), at_commit=True))
    assert exc.value.at_commit and exc.value.exit_code == 75
    assert _created(pg_app, "Lost") == (0, 0)  # ended before its COMMIT arrived


def test_the_cli_shows_a_lost_connection_as_a_message(capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    from s75.cli.errors import run_command

    def command(**_: Any) -> None:
        raise ConnectionLost("server closed the connection unexpectedly")

    class Command:
        main = staticmethod(command)

    assert run_command(Command(), []) == 75
    err = capsys.readouterr().err
    assert "the connection to the database was lost before anything was saved" in err
    assert "Traceback" not in err
