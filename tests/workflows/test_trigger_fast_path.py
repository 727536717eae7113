"""The trigger's fast path (the proposal read by one Core SELECT into the identity map, the
resume guard's returns read with it, prepared statements) kept exactly as strict: the row is
the one the ORM would load, a stale version is refused, a guard still refuses with returns
recorded in the same transaction, the audit chain still proves itself, and a trigger stays
within five statements (counted by a SQLAlchemy event listener, machine-independent): four on
SQLite and three on PostgreSQL on a connection, where the month's gateway deadline is read with
the proposal."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm.attributes import instance_state
from sqlmodel import Session

from decisions.errors import ConflictError, RuleRefused
from decisions.principals import VIEWER, PermissionRefused
from decisions.terms import LocalityConfig
from s75.db import session_scope, transaction_scope
from s75.wiring import build_bus
from tests.principals import as_principal
from tests.workflows.test_statement_counts import statements
from tests.workflows.wf_helpers import Driver, at
from workflows.actions import perform
from workflows.audit import verify_chain
from workflows.engine import fire
from workflows.events import UnitOfWork
from workflows.proposal.actions import FireProposal, RecordGatewayReturn
from workflows.proposal.queries import gateway_returns, get_proposal
from workflows.tables import ProposalRow

COLUMNS = ("id", "title", "kind", "description", "state", "created_at", "created_by", "facts",
           "variation", "start_date", "start_moved", "shadow_start", "shadow_end", "version")


def _paused(engine: Engine, config: LocalityConfig) -> tuple[Driver, int]:
    """A proposal in shadow operation, paused by the council's return."""
    d = Driver(engine, config)
    pid = d.create()
    d.to_shadow(pid)
    d.gateway(pid, "2018-09-20", council="pause")
    assert d.state(pid) == "paused"
    return d, pid


def _uow(s: Session, config: LocalityConfig, day: str, who: str = "secretary") -> UnitOfWork:
    return UnitOfWork(s, config, at(day), as_principal(who), build_bus())


def test_the_row_read_by_the_fast_path_is_the_one_the_orm_loads(
        engine: Engine, config: LocalityConfig) -> None:
    _, pid = _paused(engine, config)
    with Session(engine) as s:
        fast = get_proposal(s, pid, with_returns=True)
        assert instance_state(fast).persistent and not s.dirty and not s.new
        assert s.get(ProposalRow, pid) is fast  # in the identity map: no second read
        mine = {c: getattr(fast, c) for c in COLUMNS}
    with Session(engine) as s:
        orm = s.get(ProposalRow, pid)
        assert orm is not None
        theirs = {c: getattr(orm, c) for c in COLUMNS}
    assert mine == theirs
    assert {c: type(v) for c, v in mine.items()} == {c: type(v) for c, v in theirs.items()}
    assert mine["created_at"].utcoffset() is not None and mine["state"] == "paused"


def test_a_stale_version_is_refused_and_nothing_is_written(
        engine: Engine, config: LocalityConfig) -> None:
    d, pid = _paused(engine, config)
    with session_scope(engine) as s:
        stale = get_proposal(s, pid)  # version n, kept past its transaction
    d.gateway(pid, "2018-10-05", council="go")  # resumes: version n + 1
    assert d.state(pid) == "shadow_operation"
    with pytest.raises(ConflictError, match="changed by someone else"), \
            session_scope(engine) as s:
        fire(_uow(s, config, "2018-10-05"), stale, "proposal", "resume")
    with pytest.raises(ConflictError, match="you saw version"), session_scope(engine) as s:
        perform(_uow(s, config, "2018-10-05"),
                FireProposal(pid, "pause", {"reason": "r"}, expected_version=stale.version))
    assert d.state(pid) == "shadow_operation"
    with Session(engine) as s:
        assert verify_chain(s) is None


def test_the_resume_guard_refuses_and_sees_returns_recorded_in_the_same_transaction(
        engine: Engine, config: LocalityConfig) -> None:
    d, pid = _paused(engine, config)
    with session_scope(engine) as s:
        uow = _uow(s, config, "2018-10-05")
        with pytest.raises(RuleRefused, match="paused until council returns go"):
            perform(uow, FireProposal(pid, "resume"))
        with pytest.raises(PermissionRefused):  # loaded (with its returns), then refused
            perform(uow, FireProposal(pid, "resume"), VIEWER)
        perform(uow, RecordGatewayReturn(pid, "council", "go"))
        assert gateway_returns(s, pid)[max(gateway_returns(s, pid))]["council"] == "go"
        assert get_proposal(s, pid).state == "shadow_operation"  # the go resumed it
    assert d.state(pid) == "shadow_operation"
    with Session(engine) as s:
        assert verify_chain(s) is None


def test_a_broken_chain_after_fast_triggers_is_detected(
        engine: Engine, config: LocalityConfig) -> None:
    _, pid = _paused(engine, config)
    with session_scope(engine) as s:
        perform(_uow(s, config, "2018-10-05"), RecordGatewayReturn(pid, "council", "go"))
        perform(_uow(s, config, "2018-10-05"), FireProposal(pid, "pause", {"reason": "r"}))
    with Session(engine) as s:
        assert verify_chain(s) is None
        last = s.execute(text("SELECT max(id) FROM audit_event")).scalar_one()
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET actor = 'someone else' WHERE id = :i"),
                     {"i": last})
    with Session(engine) as s:
        broken = verify_chain(s)
    assert broken is not None and broken.event_id == last and "hash" in broken.reason


def _count(engine: Engine, config: LocalityConfig, pid: int, trigger: str,
           **facts: Any) -> list[str]:
    with statements(engine) as sent, session_scope(engine) as s:
        perform(_uow(s, config, "2018-10-05"), FireProposal(pid, trigger, facts))
    return sent


def test_a_trigger_is_at_most_five_statements(engine: Engine, config: LocalityConfig) -> None:
    d, pid = _paused(engine, config)
    d.gateway(pid, "2018-10-05", council="go")  # resumed
    _count(engine, config, pid, "pause", reason="by hand")  # the month's deadline replanned
    _count(engine, config, pid, "resume")
    for trigger, facts in (("pause", {"reason": "by hand"}), ("resume", {})) * 2:
        sent = _count(engine, config, pid, trigger, **facts)
        assert len(sent) <= 5, (trigger, sent)
        assert sum("audit_event" in s for s in sent) == 1, sent  # appended, never re-read


def test_a_prepared_statement_raises_driver_errors_as_sqlalchemy_does(
        engine: Engine, config: LocalityConfig) -> None:
    """The fast path's statements run on the DBAPI cursor: a driver error still comes as the
    SQLAlchemy exception wrapping it (callers catch IntegrityError, OperationalError), and the
    transaction is rolled back whole."""
    from sqlalchemy import bindparam, insert
    from sqlalchemy.exc import IntegrityError

    from workflows.prepared import Prepared, connection

    _, pid = _paused(engine, config)
    table: Any = ProposalRow.__table__  # type: ignore[attr-defined]
    dup = Prepared(insert(table).values(id=bindparam("pid"), title="x", kind="other",
                                        description="", state="draft", created_at=at("2018-10-05"),
                                        created_by="t", facts={}, variation=0,
                                        start_moved=False, version=1))
    with pytest.raises(IntegrityError), session_scope(engine) as s:
        dup.execute(connection(s), {"pid": pid})
    with Session(engine) as s:
        conn = connection(s)
        assert connection(s) is conn  # remembered in the transaction
        s.commit()
        assert connection(s) is not conn  # a new transaction, a new connection


def _on_connection(engine: Engine, config: LocalityConfig, pid: int, trigger: str,
                   **facts: Any) -> list[str]:
    """A trigger in a unit of work opened on a connection, as ``App.unit_of_work`` opens it
    (its ORM session made only if asked for)."""
    with statements(engine) as sent, transaction_scope(engine) as tx:
        perform(UnitOfWork(None, config, at("2018-10-05"), as_principal("secretary"),
                           build_bus(), source=tx), FireProposal(pid, trigger, facts))
    return sent


def _deadline(engine: Engine, key: str) -> tuple[str, str] | None:
    with engine.connect() as conn:
        found = conn.execute(text("SELECT state, title FROM deadline WHERE key = :k"),
                             {"k": key}).first()
    return (found[0], found[1]) if found else None


def test_on_a_connection_the_months_gateway_deadline_is_read_with_the_proposal(
        engine: Engine, config: LocalityConfig) -> None:
    """The planner's check of the month's gateway deadline is read in the proposal's SELECT
    (four statements on SQLite, three on PostgreSQL), and still sees a deadline edited,
    removed or closed since: rewritten, planned again, left closed."""
    d, pid = _paused(engine, config)
    d.gateway(pid, "2018-10-05", council="go")  # resumed
    key = f"gateway:proposal:{pid}:2018-10"
    _on_connection(engine, config, pid, "pause", reason="by hand")  # the month's planned
    _on_connection(engine, config, pid, "resume")
    planned = _deadline(engine, key)
    assert planned is not None and planned[0] == "pending"
    pg = engine.dialect.name == "postgresql"
    for trigger, facts in (("pause", {"reason": "by hand"}), ("resume", {})):
        sent = _on_connection(engine, config, pid, trigger, **facts)
        assert len(sent) == (3 if pg else 4), (trigger, sent)
        reads = [s for s in sent if "deadline" in s]
        assert len(reads) == 1 and reads[0].startswith("SELECT") and "FROM proposal" in reads[0]
    with engine.begin() as conn:
        conn.execute(text("UPDATE deadline SET title = 'edited' WHERE key = :k"), {"k": key})
    sent = _on_connection(engine, config, pid, "pause", reason="by hand")
    assert _deadline(engine, key) == planned and any(s.startswith("UPDATE deadline")
                                                     for s in sent), sent
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM deadline WHERE key = :k"), {"k": key})
    _on_connection(engine, config, pid, "resume")
    assert _deadline(engine, key) == planned
    with engine.begin() as conn:
        conn.execute(text("UPDATE deadline SET state = 'met' WHERE key = :k"), {"k": key})
    sent = _on_connection(engine, config, pid, "pause", reason="by hand")
    assert _deadline(engine, key) == ("met", planned[1])
    assert not any("deadline" in s for s in sent if not s.startswith("SELECT")), sent
    with Session(engine) as s:
        assert verify_chain(s) is None
