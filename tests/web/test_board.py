"""The programme director's gateway board (/proposals), its export and the proposal page, as
a programme director sees them: rows and cells in words, filters, pages at a fixed number of
queries, CSV and XLSX read back, and bad query strings refused with the field named."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, event, update
from sqlmodel import Session

from bench.board import seed
from decisions.terms import LocalityConfig
from s75.web.app import create_app
from tests.web.client import TestClient
from tests.web.web_helpers import Record, build_record, visible
from workflows.tables import ProposalRow

TODAY = date(2019, 4, 11)  # web_helpers.NOW
QUERIES_PER_PAGE = 5
"""The board's three (count, page, returns) and the deadlines at risk (deadlines, exempt
actions)."""



def count_queries(client: TestClient, url: str) -> tuple[int, Any]:
    """The SQL statements one request runs (transaction control left out)."""
    seen: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not re.match(r"\s*(BEGIN|COMMIT|ROLLBACK|PRAGMA|SAVEPOINT|RELEASE)", statement, re.I):
            seen.append(statement)

    engine = client.app.state.s75.engine  # type: ignore[attr-defined]
    event.listen(engine, "before_cursor_execute", note)
    try:
        r = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return len(seen), r


def test_a_page_costs_the_same_queries_at_any_size(engine: Engine, config: LocalityConfig,
                                                  client: TestClient) -> None:
    seed(engine, config, 12, TODAY)
    small = {url: count_queries(client, url)[0] for url in
             ("/proposals", "/proposals?at_risk=yes", "/proposals?stage=paused&partner=ccg")}
    seed_more(engine, config)
    for url, n in small.items():
        big, r = count_queries(client, url)
        assert r.status_code == 200, r.text
        assert big == n == QUERIES_PER_PAGE, url
    n, r = count_queries(client, "/proposals?page=3")
    assert n == QUERIES_PER_PAGE and "page 3 of 3" in visible(r.text)
    assert "P-51:" in visible(r.text) and "P-50:" not in visible(r.text)  # 25 a page


def seed_more(engine: Engine, config: LocalityConfig) -> None:
    """Proposals 13-60 (seed() writes ids from 1: these are added beside the first 12)."""
    from sqlalchemy import delete

    from s75.web.board_summary import GatewaySummaryRow
    from workflows.proposal.tables import ConditionRow, GatewayReturnRow, GatewayRow

    with Session(engine) as s:
        for table in (GatewaySummaryRow, ConditionRow, GatewayReturnRow, GatewayRow, ProposalRow):
            s.execute(delete(table))
        s.commit()
    seed(engine, config, 60, TODAY)


def test_the_board_shows_each_partners_return_in_words(record: Record,
                                                       client: TestClient) -> None:
    r = client.get("/proposals")
    assert r.status_code == 200
    text = visible(r.text)
    assert "P-1: Add population health to the pool" in text
    # October go from both; November a stop from the CCG: the words, not only the colour.
    assert "Oct 2018" in text and "Nov 2018" in text
    assert "Stop or missed Bolton Council: go NHS Bolton CCG: stop" in text
    assert "Go Bolton Council: go NHS Bolton CCG: go" in text
    assert 's75-rag--red' in r.text and 's75-rag--green' in r.text
    ccg = visible(client.get("/proposals?partner=ccg").text)
    assert "NHS Bolton CCG: stop" in ccg and "Bolton Council: go" not in ccg
    assert "No proposal matches" in visible(client.get("/proposals?stage=live").text)


@pytest.fixture
def record(engine: Engine, config: LocalityConfig) -> Record:
    return build_record(engine, config)


@pytest.mark.parametrize(("query", "words"), [
    ("stage=nonsense", "stage: 'nonsense' is not a stage; expected one of draft"),
    ("partner=nhs_england", "partner: 'nhs_england' is not a partner; expected one of council"),
    ("at_risk=maybe", "at_risk: 'maybe' is not valid; expected yes or no"),
    ("page=0", "page: '0' is not valid; expected a whole number from 1"),
    ("page=two", "page: 'two' is not valid"),
    ("stage=%3Cscript%3E", "stage: '&lt;script&gt;' is not a stage"),
])
def test_bad_filters_are_refused_naming_the_field(client: TestClient, query: str,
                                                  words: str) -> None:
    r = client.get(f"/proposals?{query}")
    assert r.status_code == 400 and words in r.text.replace("&#39;", "'")
    assert "<script>" not in r.text


def test_a_page_past_the_end_is_not_found(client: TestClient, engine: Engine,
                                          config: LocalityConfig) -> None:
    seed(engine, config, 3, TODAY)
    r = client.get("/proposals?page=2")
    assert r.status_code == 404 and "past the last page (1)" in r.text


def test_at_risk_filter_and_reasons(engine: Engine, config: LocalityConfig,
                                    client: TestClient) -> None:
    seed(engine, config, 16, TODAY)
    everything = visible(client.get("/proposals").text)
    risky = visible(client.get("/proposals?at_risk=yes").text)
    shown = set(re.findall(r"P-(\d+):", risky))
    assert shown and shown < set(re.findall(r"P-(\d+):", everything))
    assert "a gateway condition is past its due date" in risky
    # Live and stopped proposals (seed: ids 4 and 5 mod 8) are never at risk.
    assert not shown & {"4", "5", "12", "13"}


def test_export_csv_and_xlsx_read_back(engine: Engine, config: LocalityConfig,
                                       client: TestClient) -> None:
    seed(engine, config, 30, TODAY)
    with Session(engine) as s:
        s.execute(update(ProposalRow).where(ProposalRow.id == 1)  # type: ignore[arg-type]
                  .values(title='=HYPERLINK("http://evil.example","x")'))
        s.commit()
    r = client.get("/proposals/export.csv?stage=shadow_operation")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:6] == ["Proposal", "Title", "Stage", "Start date", "At risk", "Why at risk"]
    assert rows[0][-1] == "April 2019"
    body = rows[1:]
    assert body and all(row[2] == "Shadow operation" for row in body)
    assert any("Bolton Council: go" in cell for row in body for cell in row[6:])
    everything = list(csv.reader(io.StringIO(
        client.get("/proposals/export.csv").content.decode("utf-8-sig"))))
    assert len(everything) == 31  # every proposal, not one page
    assert everything[1][1].startswith("'=HYPERLINK")  # not run as a formula

    x = client.get("/proposals/export.xlsx?stage=shadow_operation")
    assert x.status_code == 200 and x.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(x.content), read_only=True)["Programme"]
    cells = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert cells[0][0] == "Proposal" and len(cells) == len(rows)
    assert [row[0] for row in cells[1:]] == [row[0] for row in body]


def test_proposal_page_shows_timeline_returns_and_trail(record: Record,
                                                        client: TestClient) -> None:
    r = client.get(f"/proposals/{record.proposal_id}")
    assert r.status_code == 200
    text = visible(r.text)
    for words in ("Timeline of stages", "Shadow operation", "Stopped",
                  "Approvals by each partner", "Heads of terms", "Signing readiness",
                  "The proposal was stopped; it will not be signed.",
                  "NHS Bolton CCG returned stop at the 2018-11 gateway",
                  "Awaiting the signature for Bolton Council (Director of People)"):
        assert words in text, words
    missing = client.get("/proposals/999")
    assert missing.status_code == 404 and "proposal 999 does not exist" in missing.text


def test_deadlines_at_risk_across_bodies(record: Record, db_url: str) -> None:
    """Three days before the record's action arising from Part 2 business falls due: listed
    by what it is, never by its exempt text."""
    from datetime import UTC, datetime

    from decisions.clock import SimulatedClock
    from s75.app import make_app
    from tests.web.web_helpers import CONFIG, SECRETS

    app = make_app(CONFIG, db_url, SimulatedClock(datetime(2019, 4, 28, 9, tzinfo=UTC)))
    try:
        with TestClient(create_app(app, start_scheduler=False)) as c:
            text = visible(c.get("/proposals").text)
    finally:
        app.close()
    section = text[text.index("Deadlines at risk across all bodies"):]
    assert "due in 3 days action Action arising from exempt (Part 2) business" in section
    assert not [s for s in SECRETS if s in section]
