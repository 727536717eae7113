"""The server runs the notifications scheduler in the background: one leader per database; a
second server serves pages and waits; shutting down stops the scheduler."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine
from sqlmodel import Session, select

from notifications.tables import SchedulerRunRow
from s75.app import make_app
from s75.web.app import create_app
from tests.web.client import TestClient
from tests.web.web_helpers import CONFIG


def until(check: Callable[[], bool], what: str) -> None:
    pause = threading.Event()
    for _ in range(400):  # a bound against hanging, not a timing assertion
        if check():
            return
        pause.wait(0.05)
    raise AssertionError(f"never happened: {what}")


def ran(engine: Engine) -> bool:
    with Session(engine) as s:
        return s.exec(select(SchedulerRunRow)).first() is not None


# SQLite only: on PostgreSQL the leader's advisory lock is server-wide, so a scheduler test
# run elsewhere against the same server at the same time would change who leads.
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_one_scheduler_runs_inside_serve(db_url: str, engine: Engine) -> None:
    # The real clock: APScheduler wakes on real time, so a simulated clock in the past would
    # plan every wake-up in the past and keep it busy.
    first, second = make_app(CONFIG, db_url), make_app(CONFIG, db_url)
    api1: FastAPI = create_app(first)
    with TestClient(api1) as c1:
        until(lambda: c1.get("/health").json()["scheduler"] == "running", "leader elected")
        # The catch-up run at start-up is recorded by the scheduler.
        until(lambda: ran(engine), "first scheduler run")
        with TestClient(create_app(second)) as c2:
            health = c2.get("/health")
            assert health.status_code == 200
            assert {k: v for k, v in health.json().items() if k != "outbox"} == {
                                     "database": "reachable",
                                     "scheduler": "waiting for leadership",
                                     "scheduler_running": False}
            assert c2.get("/").status_code == 200
        runner = api1.state.scheduler
    assert not runner.running and runner.state == "stopped"
    first.close()
    second.close()
