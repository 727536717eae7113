"""``s75 pool report``: the pooled fund manager sends the quarter's report to the partners."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any


def test_the_fund_manager_sends_the_quarterly_report(s75: Callable[..., Any]) -> None:
    r = s75("--as", "s151", "pool", "report", "--quarter", "1", "--json")
    assert r.code == 0, r.text
    doc = json.loads(r.out)
    assert doc["title"] == "Adult Health and Social Care Pooled Budget: Q1 report"
    assert doc["audience"] == "public" and doc["pages"] >= 1
    listed = json.loads(s75("documents", "list", "--json").out)
    assert [d["title"] for d in listed] == [doc["title"]]
    history = s75("audit", "verify")
    assert history.code == 0, history.text


def test_a_member_may_not_and_a_fifth_quarter_is_refused(s75: Callable[..., Any]) -> None:
    r = s75("--as", "exec_adults", "pool", "report", "--quarter", "1")
    assert r.code == 2
    assert "permission refused: pool report on the Adult Health and Social Care Pooled Budget " \
           "quarter 1 report" in r.err
    assert "Director of Corporate Resources (Section 151 Officer)" in r.err
    r = s75("--as", "s151", "pool", "report", "--quarter", "5")
    assert r.code == 2 and "--quarter: 5 is not a quarter" in r.err
    assert json.loads(s75("documents", "list", "--json").out) == []
