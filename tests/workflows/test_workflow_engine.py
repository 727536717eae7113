"""The generic engine: loader validation, fire, guards, version conflicts."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from decisions.errors import ConfigError, ConflictError, NotFound, RuleRefused
from decisions.principals import PROGRAMME_DIRECTOR, SECRETARY
from decisions.terms import LocalityConfig
from tests.principals import as_principal
from workflows.audit import verify_chain
from workflows.definition import load_definition, parse_definition
from workflows.engine import allowed_triggers, fire, transition_permission
from workflows.events import UnitOfWork
from workflows.guards import guard
from workflows.machine import machine_for, mermaid, next_state, transition, triggers_from
from workflows.tables import AuditEventRow, ProposalRow

NOW = datetime(2019, 1, 10, 12, tzinfo=UTC)

TOY = """
name = "toy"
subject = "toy"
event_prefix = "toy"
initial = "open"

[states.open]
actors = ["secretary"]
[states.checked]
renders = "toy_report"
[states.closed]
final = true

[[transitions]]
trigger = "check"
source = "open"
dest = "checked"
guards = ["toy_ready"]
[[transitions]]
trigger = "close"
source = ["open", "checked"]
dest = "closed"
actors = ["programme_director"]
"""


@guard("toy_ready")
def _toy_ready(subject: Any, facts: Mapping[str, Any], uow: UnitOfWork) -> str | None:
    return None if facts.get("ready") else "the toy must be ready (fact 'ready')"


def toy(tmp_path: Path, text: str = TOY) -> Path:
    path = tmp_path / "toy.toml"
    path.write_text(text)
    return path


def test_loader_names_every_bad_reference(tmp_path: Path) -> None:
    bad = TOY.replace('dest = "checked"', 'dest = "chekced"').replace(
        '["toy_ready"]', '["toy_ready", "no_such_guard"]') + """
[[transitions]]
trigger = "check"
source = "open"
dest = "closed"
[states.orphan]
final = true
"""
    with pytest.raises(ConfigError) as err:
        load_definition(toy(tmp_path, bad))
    text = str(err.value)
    assert str(tmp_path / "toy.toml") in text
    assert "transitions[0].dest: 'chekced' is not valid; expected one of the states" in text
    assert "transitions[0].guards[1]: 'no_such_guard' is not valid; expected a registered guard" \
        in text
    assert "transitions[2].trigger: 'check' is not valid; each trigger once per source state; " \
        "transitions[0] already fires 'check' from 'open'" in text
    assert "states.orphan: 'orphan' is not valid; unreachable from the initial state 'open'" \
        in text
    bad_final = TOY.replace("[states.checked]", "[states.checked]\nfinal = true")
    with pytest.raises(ConfigError, match=r"states\.checked\.final: True is not valid; a final "
                                          "state has no transitions out of it"):
        load_definition(toy(tmp_path, bad_final))


def test_loader_refuses_actors_that_are_not_roles(tmp_path: Path) -> None:
    bad = TOY.replace('actors = ["programme_director"]', 'actors = ["partner"]').replace(
        'actors = ["secretary"]', 'actors = ["secretary", "chair"]')
    with pytest.raises(ConfigError) as err:
        load_definition(toy(tmp_path, bad))
    text = str(err.value)
    assert "transitions[1].actors[0]: 'partner' is not valid; expected a role: one of admin, " \
        "programme_director, report_author, finance_officer, legal_officer, secretary, member" \
        in text
    assert "states.open.actors[1]: 'chair' is not valid; expected a role" in text


def test_the_machine_answers_every_question_about_the_table(tmp_path: Path) -> None:
    defn = load_definition(toy(tmp_path))
    assert triggers_from(defn, "open") == ["check", "close"]
    assert triggers_from(defn, "closed") == []
    close = transition(defn, "close", "checked")
    assert close is not None and close.dest == "closed"
    assert close.actors == ("programme_director",)
    assert transition(defn, "check", "checked") is None
    assert transition(defn, "jump", "open") is None
    check = transition(defn, "check", "open")
    assert check is not None and check.guards == ("toy_ready",)
    assert check.actors == ("secretary",)  # the source state's actors
    assert not hasattr(defn, "_index")
    assert transition_permission(defn, "check", "open", PROGRAMME_DIRECTOR) == SECRETARY
    assert transition_permission(defn, "close", "closed", SECRETARY) == PROGRAMME_DIRECTOR
    assert transition_permission(defn, "jump", "open", SECRETARY) == SECRETARY


def test_loader_shape_errors_and_unknown_names(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        parse_definition({"name": "x", "subject": "x", "event_prefix": "x", "initial": "a",
                          "states": {"a": {"colour": "red"}}, "transitions": []}, "x.toml")
    assert "states.a.colour: 'red' is not valid; unknown key" in str(err.value)
    assert "transitions: [] is not valid" in str(err.value)
    with pytest.raises(NotFound, match="workflow 'nope' is not defined"):
        load_definition("nope")


def test_machine_is_shared_and_has_no_auto_transitions(tmp_path: Path) -> None:
    defn = load_definition(toy(tmp_path))
    assert machine_for(defn) is machine_for(load_definition(toy(tmp_path)))
    assert sorted(machine_for(defn).events) == ["check", "close"]
    assert next_state(defn, "open", "check") == "checked"
    assert next_state(defn, "closed", "check") is None
    assert "open --> checked : check [toy_ready]" in mermaid(defn)


def _uow(session: Session, config: LocalityConfig) -> UnitOfWork:
    return UnitOfWork(session, config, NOW, as_principal("tester"))


def test_fire_checks_guards_writes_and_audits(tmp_path: Path, engine: Engine,
                                              config: LocalityConfig) -> None:
    path = toy(tmp_path)
    with Session(engine) as s:
        row = ProposalRow(title="Expand the pool", state="open", created_at=NOW)
        s.add(row)
        s.commit()
        uow = _uow(s, config)
        with pytest.raises(RuleRefused) as err:
            fire(uow, row, path, "check")
        assert str(err.value) == (
            f"Refused by the toy workflow: toy {row.id} 'Expand the pool' is 'open'; 'check' "
            "needs:\n  - the toy must be ready (fact 'ready')\n"
            "Triggers defined from 'open': check, close")
        assert allowed_triggers(row, path) == ["check", "close"]
        assert allowed_triggers(row, path, uow) == ["close"]
        assert fire(uow, row, path, "check", {"ready": True}) == "checked"
        s.commit()
        assert (row.state, row.version) == ("checked", 2)
        with pytest.raises(RuleRefused, match="is 'checked', where 'check' cannot be fired; "
                                              "triggers allowed now: close"):
            fire(uow, row, path, "check", {"ready": True})
        with pytest.raises(RuleRefused, match="'jump' is not a trigger of the toy workflow"):
            fire(uow, row, path, "jump")
        fire(uow, row, path, "close")
        s.commit()
        with pytest.raises(RuleRefused, match="none \\(it is a final state\\)"):
            fire(uow, row, path, "close")
        events = s.exec(select(AuditEventRow).order_by(AuditEventRow.id)).all()  # type: ignore[arg-type]
        assert [(e.action, e.from_state, e.to_state) for e in events] == [
            ("toy.check", "open", "checked"), ("toy.close", "checked", "closed")]
        assert events[0].payload["renders"] == "toy_report"
        assert events[0].payload["toy_id"] == row.id
        assert verify_chain(s) is None


def test_stale_row_raises_conflict(tmp_path: Path, engine: Engine,
                                   config: LocalityConfig) -> None:
    path = toy(tmp_path)
    with Session(engine, expire_on_commit=False) as s:
        row = ProposalRow(title="Expand the pool", state="open", created_at=NOW)
        s.add(row)
        s.commit()
        pid = row.id
    with Session(engine, expire_on_commit=False) as s1:
        stale = s1.get(ProposalRow, pid)
    with Session(engine, expire_on_commit=False) as s2:
        fresh = s2.get(ProposalRow, pid)
        assert fresh is not None
        fire(_uow(s2, config), fresh, path, "close")
        s2.commit()
    with Session(engine, expire_on_commit=False) as s3:
        with pytest.raises(ConflictError, match=r"was changed by someone else since you loaded "
                                                r"it .*reload it and try again"):
            fire(_uow(s3, config), stale, path, "check", {"ready": True})
        s3.rollback()
