"""Driving the proposal lifecycle through the services, with the time given per step."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from sqlalchemy import Engine

from decisions.terms import LocalityConfig
from s75.db import session_scope
from tests.principals import as_principal
from workflows.events import UnitOfWork
from workflows.proposal import gateways, signing
from workflows.proposal import lifecycle as proposals
from workflows.proposal.rules import REG7_CHECKLIST

T = TypeVar("T")
SOVEREIGN = {"council": "cabinet", "ccg": "ccg_board"}
SIGNATORY = {"council": "director_people", "ccg": "accountable_officer"}


def at(day: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), datetime.min.time(), UTC).replace(hour=12)


class Driver:
    def __init__(self, engine: Engine, config: LocalityConfig) -> None:
        self.engine = engine
        self.config = config
        self.today = "2018-09-03"

    @contextmanager
    def uow(self, actor: str = "secretary") -> Iterator[UnitOfWork]:
        with session_scope(self.engine) as s:
            yield UnitOfWork(s, self.config, at(self.today), as_principal(actor))

    def do(self, fn: Callable[..., T], *args: Any, **kw: Any) -> T:
        with self.uow() as uow:
            return fn(uow, *args, **kw)

    def state(self, pid: int) -> str:
        with session_scope(self.engine) as s:
            return proposals.get_proposal(s, pid).state

    def create(self, title: str = "Expand the pool") -> int:
        row = self.do(proposals.create_proposal, title)
        assert row.id is not None
        return row.id

    def fire(self, pid: int, trigger: str, **facts: Any) -> str:
        return self.do(proposals.fire_proposal, pid, trigger, facts).state

    def approve_all(self, pid: int, on: str | None = None) -> None:
        for partner, body in SOVEREIGN.items():
            self.do(proposals.record_approval, pid, partner_id=partner, body_id=body,
                    meeting_date=date.fromisoformat(on or self.today), minute_ref=f"{body}/1")

    def gateway(self, pid: int, day: str, **returns: str) -> None:
        self.today = day
        for partner, decision in returns.items():
            conds: tuple[gateways.ConditionSpec, ...] = ()
            if decision == "go_with_conditions":
                conds = (gateways.ConditionSpec("Agree the workforce plan",
                                                "director_transformation", date(2030, 1, 1)),)
            self.do(gateways.record_return, pid, partner_id=partner, decision=decision,
                    reasons="" if decision == "go" else "because", conditions=conds)

    def to_shadow(self, pid: int) -> None:
        self.fire(pid, "submit")
        self.approve_all(pid)
        self.fire(pid, "agree_in_principle")
        self.approve_all(pid)
        self.fire(pid, "agree_heads_of_terms")

    def to_signing(self, pid: int) -> None:
        self.today = "2018-10-05"
        self.to_shadow(pid)
        for day in ("2018-10-30", "2018-11-29", "2018-12-28"):
            self.gateway(pid, day, council="go", ccg="go")
        self.fire(pid, "start_drafting")
        self.do(signing.mark_checklist, pid, list(REG7_CHECKLIST))
        self.fire(pid, "submit_agreement")
        self.today = "2019-02-20"
        self.approve_all(pid)
        self.fire(pid, "approve_agreement")
