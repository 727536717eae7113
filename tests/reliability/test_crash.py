"""Crash test (issue 18): a process firing proposal triggers and recording partners' approval
decisions is killed with SIGKILL at a random point, 50 times over; after each kill the audit
log verifies (chain, head and ``--state``: every proposal's state and version and every
decision's outcome agree with the events) and every event the process had committed is still
there. The process is a fork of the test process, so each restart costs no interpreter start.
"""

from __future__ import annotations

import os
import random
import signal
import sys
import threading
from datetime import date

import pytest
from sqlalchemy import Engine, create_engine
from sqlmodel import Session, select

from decisions.terms import LocalityConfig
from tests.workflows.wf_helpers import SOVEREIGN, Driver
from workflows.audit_verify import verify
from workflows.proposal import lifecycle as proposals
from workflows.tables import AuditEventRow, AuditHeadRow

KILLS = 50


def _worker(db_url: str, config: LocalityConfig, out: int, seed: int) -> None:
    """Runs in the child: lifecycle steps forever, one commit each, reporting each commit."""
    engine = create_engine(db_url)
    driver = Driver(engine, config)
    rng = random.Random(seed)

    def committed() -> None:
        with Session(engine) as s:
            head = s.get(AuditHeadRow, 1)
            line = f"{head.count} {head.last_hash}\n" if head else "0 -\n"
        os.write(out, line.encode())

    while True:
        pid = driver.create(f"Crash test proposal {rng.randrange(10**6)}")
        committed()
        driver.fire(pid, "submit")
        committed()
        for partner, body in SOVEREIGN.items():
            driver.do(proposals.record_approval, pid, partner_id=partner, body_id=body,
                      meeting_date=date.fromisoformat(driver.today), minute_ref=f"{body}/1")
            committed()
        driver.fire(pid, "agree_in_principle")
        committed()


def _lines(fd: int, wanted: int) -> list[str]:
    buf = b""
    while buf.count(b"\n") < wanted:
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        buf += chunk
    return buf.decode().splitlines()


@pytest.mark.skipif(sys.platform == "win32", reason="needs fork and SIGKILL")
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # PostgreSQL: test_pg_conflicts
def test_killed_fifty_times_loses_no_committed_event(engine: Engine, db_url: str,
                                                     config: LocalityConfig) -> None:
    rng = random.Random(18)
    pause = threading.Event()
    lost: list[str] = []
    killed_after: list[int] = []
    engine.dispose()  # nothing shared across fork
    url = engine.url.render_as_string(hide_password=False)
    for round_ in range(KILLS):
        read, write = os.pipe()
        child = os.fork()
        if child == 0:  # pragma: no cover - the child never returns
            os.close(read)
            try:
                _worker(url, config, write, round_)
            finally:
                os._exit(0)
        os.close(write)
        lines = _lines(read, rng.randint(1, 3))
        pause.wait(rng.uniform(0, 0.03))  # then at a random point, often mid-transaction
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
        os.close(read)
        killed_after.append(len(lines))
        check = create_engine(url)
        try:
            with Session(check) as s:
                report = verify(s, state=True)
                assert report.intact, f"round {round_}: {report.broken}"
                if lines:
                    count, last_hash = lines[-1].split()
                    assert report.events >= int(count)
                    found = s.exec(select(AuditEventRow.id).where(
                        AuditEventRow.hash == last_hash)).first()
                    if found is None:
                        lost.append(f"round {round_}: committed event {last_hash[:12]} lost")
        finally:
            check.dispose()
    assert lost == []
    assert sum(killed_after) > KILLS  # the process got work done between kills
    print(f"\ncrash: {KILLS} SIGKILLs, {sum(killed_after)} commits seen, {report.events} "
          "events at the end, chain and state verified after each")
