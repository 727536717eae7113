"""How many SQL statements a trigger costs (the figure does not depend on the machine), and the
audit chain kept exactly as strict by the append from the head row: a second writer, a rolled
back transaction and a stale head are all noticed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import Engine, event, text
from sqlmodel import Session

from decisions.terms import LocalityConfig
from s75.db import make_engine, session_scope
from s75.wiring import build_bus
from tests.principals import as_principal
from tests.workflows.wf_helpers import Driver, at
from workflows.actions import perform
from workflows.audit import (
    append_event,
    canonical,
    count_events,
    hashed_text,
    stored_payload,
    verify_chain,
)
from workflows.events import UnitOfWork
from workflows.proposal.actions import FireProposal


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements sent meanwhile (the transaction's BEGIN left out)."""
    sent: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.startswith("BEGIN"):
            sent.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", seen)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", seen)


def _fire(engine: Engine, config: LocalityConfig, day: str, pid: int, trigger: str,
          **facts: Any) -> None:
    with session_scope(engine) as s:
        uow = UnitOfWork(s, config, at(day), as_principal("secretary"), build_bus())
        perform(uow, FireProposal(pid, trigger, facts))


def test_a_trigger_with_its_guard_audit_and_deadlines_is_a_handful_of_statements(
        engine: Engine, config: LocalityConfig) -> None:
    d = Driver(engine, config)
    pid = d.create()
    d.to_shadow(pid)
    _fire(engine, config, d.today, pid, "pause", reason="a partner returned pause")
    _fire(engine, config, d.today, pid, "resume")  # the month's deadlines are planned by now
    pg = engine.dialect.name == "postgresql"
    with statements(engine) as sent:
        _fire(engine, config, d.today, pid, "pause", reason="a partner returned pause")
    # read the proposal, the versioned UPDATE, the audit INSERT and the head's compare and
    # swap (one statement on PostgreSQL), the month's gateway deadline looked up
    assert len(sent) == (4 if pg else 5), sent
    assert not any(s.startswith("SELECT") and "FROM audit_event" in s for s in sent), sent
    assert sum("audit_head" in s for s in sent) == 1, sent
    with statements(engine) as sent:
        _fire(engine, config, d.today, pid, "resume")
    # the same: the guard's gateway returns are read with the proposal, in one SELECT
    assert len(sent) == (4 if pg else 5), sent
    assert sum(s.startswith("SELECT") and "gateway_return" in s for s in sent) == 1, sent
    assert not any("signing" in s for s in sent)  # the signing deadline's inputs did not change
    assert d.state(pid) == "shadow_operation"
    with Session(engine) as s:
        assert verify_chain(s) is None


def test_a_second_writer_a_rollback_and_a_stale_head_keep_the_chain_whole(
        engine: Engine, db_url: str) -> None:
    other = make_engine(db_url)  # another process's connection pool
    try:
        def append(eng: Engine, n: int, *, commit: bool = True) -> None:
            with Session(eng) as s:
                append_event(s, at=at("2019-03-01"), actor="test", subject_type="proposal",
                             subject_id="1", action="proposal.note", payload={"n": n})
                if commit:
                    s.commit()
                else:
                    s.rollback()

        append(engine, 1)
        append(other, 2)  # the first pool's remembered head is now stale
        append(engine, 3)
        append(engine, 4, commit=False)  # rolled back: the remembered head is ahead of it
        append(engine, 5)
        append(other, 6)
        with Session(engine) as s:
            assert verify_chain(s) is None
            assert count_events(s) == 5
    finally:
        other.dispose()


PAYLOADS = [{}, {"reason": "a partner returned \"pause\" — ünïcode\n\t\\"},
            {"n": 1, "x": 1.5, "big": 10**20, "none": None, "flag": True, "list": [1, "a", {}]},
            {"nested": {"b": 1, "a": [{"d": 2, "c": 1}]}}, {"when": at("2019-03-01")},
            {2: "two", 10: "ten", 1: "one"}, {"inner": {3: [{"k": {True: 1}}]}},
            {"tuple": (1, 2), "small": 1e-300, "neg": -0.0}]


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_the_payload_is_encoded_once_and_hashed_as_it_reads_back(
        engine: Engine, payload: dict[Any, Any]) -> None:
    """The stored JSON text is the canonical JSON of the value read back (a number key becomes
    a string and sorts as one), and the fields' canonical text with it spliced in is exactly
    ``canonical`` of the fields: the chain verifies on every database."""
    read_back = json.loads(canonical(payload))
    assert stored_payload(payload) == canonical(read_back)
    fields = {"at": at("2019-03-01").isoformat(), "actor": "t", "subject_type": "proposal",
              "subject_id": "1", "action": "proposal.note", "from_state": None,
              "to_state": "paused", "payload": read_back}
    assert hashed_text(*(fields[k] for k in ("at", "actor", "subject_type", "subject_id",
                                             "action", "from_state", "to_state")),
                       stored_payload(payload)) == canonical(fields)
    with Session(engine) as s:
        append_event(s, at=at("2019-03-01"), actor="t", subject_type="proposal",
                     subject_id="1", action="proposal.note", payload=payload)
        s.commit()
    with Session(engine) as s:
        assert verify_chain(s) is None
        stored = s.execute(text("SELECT payload FROM audit_event ORDER BY id DESC LIMIT 1")
                           ).scalar_one()
        loaded = stored if isinstance(stored, dict) else json.loads(stored)
        assert canonical(loaded) == canonical(read_back)
