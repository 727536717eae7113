"""Property: no sequence of triggers and records reaches a state without the approvals (and
checklist and signatures) that state requires."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from decisions.errors import S75Error
from decisions.terms import LocalityConfig
from s75.db import session_scope
from tests.workflows.wf_helpers import SIGNATORY, SOVEREIGN, Driver
from workflows.definition import load_definition
from workflows.proposal import gateways, signing
from workflows.proposal.queries import (
    approvals,
    checklist_present,
    get_proposal,
    open_conditions,
    signatures,
)
from workflows.proposal.rules import REG7_CHECKLIST, STAGES

TRIGGERS = load_definition("proposal").triggers
PARTNERS = list(SOVEREIGN)
ACTIONS = st.one_of(
    st.tuples(st.just("fire"), st.sampled_from(TRIGGERS)),
    st.tuples(st.just("approve"), st.sampled_from(PARTNERS)),
    st.tuples(st.just("gateway"), st.sampled_from(PARTNERS),
              st.sampled_from(["go", "go", "go", "go_with_conditions", "pause", "stop"])),
    st.tuples(st.just("checklist"), st.booleans()),
    st.tuples(st.just("sign"), st.sampled_from(PARTNERS)),
    st.tuples(st.just("close"), st.just("")),
    st.tuples(st.just("wait"), st.integers(min_value=1, max_value=20)),
)
NEXT = {"draft": "submit", "approval_in_principle": "agree_in_principle",
        "heads_of_terms": "agree_heads_of_terms", "shadow_operation": "start_drafting",
        "s75_drafting": "submit_agreement", "s75_approval": "approve_agreement",
        "live": "vary", "variation": "approve_variation"}
REACHED: set[str] = set()


def _advance(d: Driver, pid: int) -> None:
    """Do what the happy path does next from here (and wait a month in shadow operation)."""
    state = d.state(pid)
    if state in STAGES:
        for p in PARTNERS:
            _step(d, pid, ("approve", p))
    if state in ("shadow_operation", "paused"):
        for p in PARTNERS:
            _step(d, pid, ("gateway", p, "go"))
        _step(d, pid, ("wait", 31))
    if state == "s75_drafting":
        _step(d, pid, ("checklist", True))
    if state == "signing":
        for p in PARTNERS:
            _step(d, pid, ("sign", p))
    if state in NEXT:
        _step(d, pid, ("fire", NEXT[state]))

BEFORE = ["approval_in_principle", "heads_of_terms", "s75_approval"]
NEEDS = {  # state -> stages every partner must have approved (original agreement)
    "heads_of_terms": BEFORE[:1], "shadow_operation": BEFORE[:2], "paused": BEFORE[:2],
    "s75_drafting": BEFORE[:2], "s75_approval": BEFORE[:2], "signing": BEFORE,
    "live": BEFORE,
}


def _step(d: Driver, pid: int, action: tuple[object, ...]) -> None:
    kind = action[0]
    try:
        if kind == "fire":
            d.fire(pid, str(action[1]), reason="property test")
        elif kind == "approve":
            p = str(action[1])
            d.do(__import__("workflows.proposal.lifecycle", fromlist=["x"]).record_approval, pid,
                 partner_id=p, body_id=SOVEREIGN[p], meeting_date=date.fromisoformat(d.today),
                 minute_ref="M/1")
        elif kind == "gateway":
            p, decision = str(action[1]), str(action[2])
            conds = (gateways.ConditionSpec("c", "cfo", date(2031, 1, 1)),) \
                if decision == "go_with_conditions" else ()
            d.do(gateways.record_return, pid, partner_id=p, decision=decision, reasons="r",
                 conditions=conds)
        elif kind == "checklist":
            items = list(REG7_CHECKLIST) if action[1] else list(REG7_CHECKLIST)[:5]
            d.do(signing.mark_checklist, pid, items)
        elif kind == "sign":
            p = str(action[1])
            d.do(signing.record_signature, pid, partner_id=p, signatory_id=SIGNATORY[p])
        elif kind == "close":
            with session_scope(d.engine) as s:
                ids = [c.id for c in open_conditions(s, pid)]
            for cid in ids:
                d.do(gateways.close_condition, cid)
        elif kind == "advance":
            _advance(d, pid)
        elif kind == "wait":
            d.today = (date.fromisoformat(d.today) + timedelta(days=int(str(action[1])))
                       ).isoformat()
    except S75Error:
        pass  # a refusal is fine; the invariant is what matters


def _check(d: Driver, pid: int) -> None:
    partners = set(PARTNERS)
    with session_scope(d.engine) as s:
        row = get_proposal(s, pid)
        REACHED.add(row.state)
        needs = list(NEEDS.get(row.state, []))
        if row.variation:
            needs = ["variation"] if row.state in ("signing",) else []
        for stage in needs:
            approved = {a.partner_id for a in approvals(s, row, stage)}
            assert approved == partners, f"{row.state} reached without {STAGES[stage]}"
        if row.state in ("s75_approval", "signing", "live") and not row.variation:
            assert set(checklist_present(s, row)) == set(REG7_CHECKLIST)
        if row.state == "live" and not row.variation:
            assert {g.partner_id for g in signatures(s, row)} == partners


@pytest.fixture
def driver(engine: Engine, config: LocalityConfig, db_url: str) -> Driver:
    if not db_url.startswith("sqlite"):
        pytest.skip("the property runs on SQLite (the engine code is the same on PostgreSQL)")
    return Driver(engine, config)


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(st.tuples(ACTIONS, st.integers(min_value=0, max_value=4)), min_size=1,
                     max_size=25))
@example(steps=[(("wait", 1), 3), (("gateway", "council", "pause"), 0),
                (("fire", "resume"), 0), (("gateway", "ccg", "go"), 6)])
@example(steps=[(("wait", 1), 3), (("gateway", "ccg", "stop"), 2)])
def test_no_state_without_its_approvals(driver: Driver,
                                        steps: list[tuple[tuple[object, ...], int]]) -> None:
    """Each step: one random action (any trigger, record, wait), then 0-4 happy-path moves."""
    driver.today = "2018-09-03"
    pid = driver.create()
    for action, advances in steps:
        for act in [action] + [("advance", "")] * advances:
            _step(driver, pid, act)
            _check(driver, pid)


def test_the_property_explores_every_state() -> None:
    """Run after the property: the random sequences reached deep into the lifecycle."""
    if not REACHED:
        pytest.skip("the property test did not run")
    assert {"shadow_operation", "s75_drafting", "signing", "live", "paused"} <= REACHED, REACHED
    assert {"stopped", "withdrawn"} & REACHED, REACHED
