"""Concurrency on PostgreSQL (issue 18): 4 processes x 200 conflicting actions: each process
fires ``submit`` on the same 200 draft proposals in its own order, so every proposal is
raced by four. Exactly one wins each race; the losers get the conflict error (the version
moved under them) or the rule refusal (it is no longer a draft); the audit log holds one
``proposal.submit`` per proposal, verifies with ``--state``, and no outbox message was queued
twice."""

from __future__ import annotations

import json
import os
import random
from collections import Counter

from sqlalchemy import Engine, create_engine, func
from sqlmodel import Session, col, select

from decisions.errors import ConflictError, RuleRefused
from decisions.terms import LocalityConfig
from notifications.tables import OutboxRow
from tests.conftest import postgres_only
from tests.workflows.wf_helpers import Driver
from workflows.audit_verify import verify
from workflows.proposal import lifecycle as proposals
from workflows.tables import AuditEventRow

PROCESSES = 4
PROPOSALS = 200


def _race(url: str, config: LocalityConfig, ids: list[int], seed: int, out: int) -> None:
    engine = create_engine(url)
    driver = Driver(engine, config)
    order = list(ids)
    random.Random(seed).shuffle(order)
    result: Counter[str] = Counter()
    for pid in order:
        try:
            driver.do(proposals.fire_proposal, pid, "submit", {})
            result["won"] += 1
        except ConflictError:
            result["conflict"] += 1
        except RuleRefused:
            result["refused"] += 1
    engine.dispose()
    os.write(out, json.dumps(result).encode())


def test_four_processes_race_200_actions_one_winner_each(engine: Engine, db_url: str,
                                                          config: LocalityConfig) -> None:
    postgres_only(engine, "SQLite serialises every writer on its file lock")
    driver = Driver(engine, config)
    ids = [driver.create(f"Race {n}") for n in range(PROPOSALS)]
    url = engine.url.render_as_string(hide_password=False)
    engine.dispose()
    children: list[tuple[int, int]] = []
    for n in range(PROCESSES):
        read, write = os.pipe()
        child = os.fork()
        if child == 0:  # pragma: no cover - the child never returns
            os.close(read)
            code = 0
            try:
                _race(url, config, ids, n, write)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        os.close(write)
        children.append((child, read))
    totals: Counter[str] = Counter()
    for child, read in children:
        data = b""
        while chunk := os.read(read, 65536):
            data += chunk
        os.close(read)
        _pid, status = os.waitpid(child, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        totals.update(json.loads(data))
    assert totals["won"] == PROPOSALS, totals
    assert totals["conflict"] + totals["refused"] == PROPOSALS * (PROCESSES - 1), totals
    with Session(engine) as s:
        submits = Counter(s.exec(select(AuditEventRow.subject_id).where(
            AuditEventRow.action == "proposal.submit")).all())
        assert len(submits) == PROPOSALS and set(submits.values()) == {1}
        keys = s.exec(select(OutboxRow.key, func.count()).group_by(col(OutboxRow.key))
                      .having(func.count() > 1)).all()
        assert keys == []
        report = verify(s, state=True)
        assert report.intact, str(report.broken)
    print(f"\nrace: {PROCESSES} processes x {PROPOSALS} actions: {dict(totals)}")
