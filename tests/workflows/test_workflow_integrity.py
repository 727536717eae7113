"""Concurrency (two sessions fire at once: exactly one wins) and tamper detection."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine, text

from decisions.errors import ConflictError, RuleRefused
from decisions.terms import LocalityConfig
from s75.db import session_scope
from tests.principals import as_principal
from tests.workflows.wf_helpers import Driver, at
from workflows.audit import event_hash, hashed_fields, verify_chain
from workflows.engine import fire
from workflows.events import UnitOfWork
from workflows.proposal import lifecycle as proposals
from workflows.tables import AuditEventRow, ProposalRow


def test_two_sessions_fire_at_once_exactly_one_wins(engine: Engine,
                                                    config: LocalityConfig) -> None:
    d = Driver(engine, config)
    pid = d.create()
    d.fire(pid, "submit")
    d.approve_all(pid, "2018-09-03")
    # Both load the proposal (version 2) before either fires.
    loaded = []
    for _ in range(2):
        with session_scope(engine) as s:
            row = s.get(ProposalRow, pid)
            assert row is not None
            loaded.append(row)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(row: ProposalRow, trigger: str) -> None:
        barrier.wait()
        try:
            with session_scope(engine) as s:
                uow = UnitOfWork(s, config, at("2018-09-03"), as_principal(f"user-{trigger}"))
                fire(uow, row, "proposal", trigger, {"reason": "r"})
            result = f"won:{trigger}"
        except (ConflictError, RuleRefused) as exc:
            result = f"lost:{type(exc).__name__}"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(loaded[0], "agree_in_principle")),
               threading.Thread(target=attempt, args=(loaded[1], "withdraw"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    won = [o for o in outcomes if o.startswith("won")]
    assert len(won) == 1, outcomes
    assert "lost:ConflictError" in outcomes
    with session_scope(engine) as s:
        row = s.get(ProposalRow, pid)
        assert row is not None and row.version == 3
        assert row.state == {"won:agree_in_principle": "heads_of_terms",
                             "won:withdraw": "withdrawn"}[won[0]]
        events = [e.action for e in proposals.history(s, pid)]
        assert events.count("proposal.agree_in_principle") + events.count("proposal.withdraw") \
            == 1
        assert verify_chain(s) is None


def test_expected_version_conflict_asks_to_reload(engine: Engine,
                                                  config: LocalityConfig) -> None:
    d = Driver(engine, config)
    pid = d.create()
    d.fire(pid, "submit")
    with pytest.raises(ConflictError, match="you saw version 1; it is now version 2, "
                                            "'approval_in_principle'\\); reload it and try"):
        d.do(proposals.fire_proposal, pid, "withdraw", {"reason": "x"}, expected_version=1)


def _chain(engine: Engine, config: LocalityConfig) -> int:
    d = Driver(engine, config)
    pid = d.create()
    d.fire(pid, "submit")
    d.approve_all(pid, "2018-09-03")
    d.fire(pid, "agree_in_principle")
    return pid


@pytest.mark.parametrize("tamper", ["edit", "edit_and_rehash", "insert", "delete_middle",
                                    "delete_last"])
def test_tampering_is_detected(engine: Engine, config: LocalityConfig, tamper: str) -> None:
    _chain(engine, config)
    with session_scope(engine) as s:
        assert verify_chain(s) is None
    new_hash = ""
    if tamper == "edit_and_rehash":
        with session_scope(engine) as s:
            row = s.get(AuditEventRow, 3)
            assert row is not None
            row.to_state = "live"
            new_hash = event_hash(row.prev_hash, hashed_fields(row))
            s.rollback()
    with engine.begin() as conn:
        if tamper == "edit":
            conn.execute(text("UPDATE audit_event SET actor = 'mallory' WHERE id = 3"))
        elif tamper == "edit_and_rehash":
            conn.execute(text("UPDATE audit_event SET to_state = 'live', hash = :h WHERE id = 3"),
                         {"h": new_hash})
        elif tamper == "insert":
            conn.execute(text(
                "INSERT INTO audit_event (id, at, actor, subject_type, subject_id, action, "
                "payload, prev_hash, hash) SELECT 1000, at, actor, subject_type, subject_id, "
                "action, payload, hash, 'f' || substr(hash, 2) FROM audit_event WHERE id = 5"))
        elif tamper == "delete_middle":
            conn.execute(text("DELETE FROM audit_event WHERE id = 2"))
        else:
            conn.execute(text("DELETE FROM audit_event WHERE id = "
                              "(SELECT max(id) FROM audit_event)"))
    with session_scope(engine) as s:
        broken = verify_chain(s)
    assert broken is not None
    expected = {"edit": 3, "edit_and_rehash": 4, "insert": 1000, "delete_middle": 3,
                "delete_last": 5}[tamper]
    assert broken.event_id == expected, str(broken)


def test_audit_verify_cli(cli, app, engine: Engine, config: LocalityConfig) -> None:  # type: ignore[no-untyped-def]
    _chain(engine, config)
    db = ["--db", app.db_url]
    ok = cli(*db, "audit", "verify")
    assert ok.code == 0 and "audit log intact: 5 event(s)" in ok.out
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET payload = '{}' WHERE id = 4"))
    bad = cli(*db, "audit", "verify")
    assert bad.code == 1
    assert "audit log BROKEN at audit event 4 (approval.recorded on proposal 1" in bad.out
    assert "does not match its hash: the row was edited after it was written" in bad.out
    js = cli(*db, "audit", "verify", "--json")
    assert js.code == 1 and '"broken_event": 4' in js.out
