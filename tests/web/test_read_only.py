"""Read-only work takes no write lock (issue 17): on SQLite a GET page's transaction begins
deferred (plain ``BEGIN``) with writes refused, so a page is served while another connection
holds the write lock; an action's transaction still begins ``BEGIN IMMEDIATE``."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.exc import OperationalError

from decisions.clock import SimulatedClock
from s75.app import App, make_app
from s75.web.app import create_app
from tests.web.client import TestClient
from tests.web.staff_helpers import BASE, SECRET, csrf_of
from tests.web.test_members_public import published_config
from tests.web.web_helpers import NOW

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

PAGES = ("/", "/proposals", "/deadlines", "/bodies/jcc", "/forward-plan",
         "/oparl/v1/body/meetings")


@pytest.fixture
def app(db_url: str, engine: Engine, tmp_path: Path) -> Iterator[App]:
    a = make_app(published_config(tmp_path), db_url, SimulatedClock(NOW))
    yield a
    a.close()


@pytest.fixture
def client(app: App) -> Iterator[TestClient]:
    with TestClient(create_app(app, start_scheduler=False, secret=SECRET), base_url=BASE) as c:
        yield c


def begins(app: App) -> Any:
    """The BEGIN statements sent on ``app``'s engine meanwhile (a list filled as they go)."""
    seen: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if re.match(r"\s*BEGIN", statement, re.I):
            seen.append(statement.strip().upper())

    event.listen(app.engine, "before_cursor_execute", note)
    return seen, lambda: event.remove(app.engine, "before_cursor_execute", note)


def test_pages_are_served_while_another_connection_holds_the_write_lock(
        app: App, client: TestClient, db_url: str) -> None:
    for url in PAGES:  # warm: the pool's connection open, the schema checked
        assert client.get(url).status_code == 200, url
    writer = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None,
                             timeout=0.1)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE meeting SET venue = venue")
        for url in PAGES:
            r = client.get(url)
            assert r.status_code == 200, (url, r.text[:500])
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_reads_begin_deferred_and_actions_immediate(app: App, client: TestClient) -> None:
    seen, stop = begins(app)
    try:
        for url in PAGES:
            assert client.get(url).status_code == 200, url
        assert seen and set(seen) == {"BEGIN"}, seen
        seen.clear()
        form = client.get("/bodies/jcc/subscribe")
        assert "BEGIN IMMEDIATE" not in seen
        seen.clear()
        r = client.post("/bodies/jcc/subscribe",
                        data={"csrf": csrf_of(form.text), "email": "resident@example.org"})
        assert r.status_code == 200 and "Check your e-mail" in r.text
        assert seen and set(seen) == {"BEGIN IMMEDIATE"}, seen
        seen.clear()
        with app.reading() as uow:  # the CLI's reports
            uow.session.execute(text("SELECT 1"))
        with app.unit_of_work() as uow:
            uow.session.execute(text("SELECT 1"))
        assert seen == ["BEGIN", "BEGIN IMMEDIATE"]
    finally:
        stop()


def test_a_read_session_refuses_writes_and_leaves_the_connection_writable(app: App) -> None:
    with app.read_session() as s, pytest.raises(OperationalError, match="readonly"):
        s.execute(text("UPDATE meeting SET venue = 'x'"))
    with app.session() as s:  # the same pooled connection: query_only is off again
        s.execute(text("CREATE TABLE scratch (n INTEGER)"))
        s.execute(text("INSERT INTO scratch VALUES (1)"))
    with app.read_session() as s:
        assert s.execute(text("SELECT n FROM scratch")).scalar_one() == 1
