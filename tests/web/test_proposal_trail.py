"""A proposal's audit trail comes a page at a time (``?page=``, 50 events a page, oldest
first), at a fixed number of queries whatever the number of events, read through the audit
log's subject index (issue 17, point 2); the rest of the page is the same on every page."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, text

from decisions.terms import LocalityConfig
from s75.web.proposal_view import TRAIL_PAGE_SIZE
from tests.web.client import TestClient
from tests.web.test_board import count_queries
from tests.web.web_helpers import visible
from tests.workflows.wf_helpers import Driver

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def _gateways(d: Driver, pid: int, months: range) -> None:
    for n in months:
        day = date(2018 + (9 + n) // 12, (9 + n) % 12 + 1, 28)
        d.gateway(pid, day.isoformat(), council="go", ccg="go")


def test_the_trail_pages_at_a_fixed_number_of_queries(engine: Engine, config: LocalityConfig,
                                                      client: TestClient) -> None:
    d = Driver(engine, config)
    d.today = "2018-10-05"
    pid = d.create("Falls prevention")
    d.to_shadow(pid)
    _gateways(d, pid, range(0, 2))
    url = f"/proposals/{pid}"
    few, r = count_queries(client, url)
    assert r.status_code == 200
    small = visible(r.text)
    assert "Pages of the audit trail" not in r.text and "Proposal created" in small
    _gateways(d, pid, range(2, 40))  # 76 more events: two pages
    many, r = count_queries(client, url)
    assert r.status_code == 200 and many == few, (few, many)
    first = visible(r.text)
    assert "Page 1 of 2" in first and f"(1 to {TRAIL_PAGE_SIZE} of" in first
    assert "Next page" in first and "Proposal created" in first
    assert first.count("gateway") - small.count("gateway") > 30
    n2, r = count_queries(client, f"{url}?page=2")
    assert r.status_code == 200 and n2 == few
    second = visible(r.text)
    assert "Page 2 of 2" in second and "Previous page" in second and "Next page" not in second
    assert "Proposal created" not in second.split("Audit trail", 1)[1]
    assert second.rstrip().endswith("at the 2022-01 gateway") or (
        "at the 2022-01 gateway" in second.split("Page 2 of 2")[0])  # the latest, last
    for words in ("Timeline of stages", "Shadow operation", "Signing readiness"):
        assert words in second, words  # the rest of the page is unaffected
    assert f'href="/proposals/{pid}?page=2" rel="next"' in client.get(url).text
    assert few <= 20, few  # the proposal, its trail (count, page, stages), approvals, ...
    assert client.get(f"{url}?page=3").status_code == 404
    assert client.get(f"{url}?page=x").status_code == 400


def test_the_trail_is_read_through_the_subject_index(engine: Engine,
                                                     client: TestClient) -> None:
    with engine.connect() as conn:
        for where in ("", " AND to_state IS NOT NULL"):
            plan = " ".join(str(r[-1]) for r in conn.execute(text(
                "EXPLAIN QUERY PLAN SELECT * FROM audit_event WHERE subject_type = 'proposal'"
                f" AND subject_id = '1'{where} ORDER BY id LIMIT 50 OFFSET 50")))
            assert "USING INDEX ix_audit_event_subject" in plan, plan
            assert "TEMP B-TREE" not in plan, plan
