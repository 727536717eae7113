"""List pages at 1x, 10x and 100x of their data, on SQLite, each against its raw queries in
the same run: the gateway board (``/proposals``, first page, a middle page and the at-risk
filter) at 100, 1,000 and 10,000 proposals; ``/deadlines`` (first and a middle page) at 1,000,
10,000 and 100,000 deadlines; a body's past meetings (``/bodies/jcc``, a middle page) and the
OParl meeting list (``/oparl/v1/body/meetings``, a middle page of 50) at 100, 1,000 and 10,000
meetings. Each request goes through the web app in process, called straight as ASGI in one
event loop (:mod:`bench.asgi`: routing, middleware, session, template or JSON; no HTTP client
in the measured path, as a real server's HTTP parsing is uvicorn's, not the app's). The raw
baseline is the page's own SQL: the statements
the request ran, with the parameters it bound (recorded from the engine on a warm-up request),
replayed through the DBAPI cursor on a pooled connection of the same database in the same run,
every row fetched (so it reads exactly the rows the page shows: the count, the page of rows,
the gateway returns of the page's proposals, the deadlines at risk, the exempt actions among
them). Each figure is the median over 3 rounds of 30 requests of the round's p50 and p95 (±
half the spread of the p95s); CPU is the process time per request and per replay (median),
which other load on the machine inflates least. Targets (issues
16 and 17): p95 under 100 ms and within 3x the raw queries at 10,000 proposals and at 100,000
deadlines."""

from __future__ import annotations

import os
import re
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, insert
from sqlmodel import Session
from starlette.responses import PlainTextResponse, Response

from bench.asgi import AsgiClient
from bench.board import p95, seed

HEADING = "## List pages: the board and the deadlines"
ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2020, 3, 18)
NOW = datetime(2020, 3, 18, 12, tzinfo=UTC)
ROUNDS = 3
BASES = {"board": 100, "deadlines": 1_000, "meetings": 100}
TOP = {"board": 10_000, "deadlines": 100_000}
"""The data size at which each target applies."""
PROSE = """What the figures and the profiles say (the prose is part of the benchmark module, so it
is rewritten with the table; the figures are the table's):

- **Queries.** Every page is a fixed number of statements whatever the data (the queries
  column): the board 5 (the count, the page of proposals with their risk flags, the page's
  gateway returns, the deadlines at risk and the exempt actions among them), ``/deadlines`` 3,
  a body's past meetings 3, the OParl meeting list a handful for a page of 50 (the count, the
  page, which agendas are public, their items, decisions, files and people present: fetched
  once for the page; it was three statements per meeting, 152 for a page of 50 held meetings,
  at 123-185 ms CPU). Asserted in ``tests/web/test_board.py``, ``test_list_pages.py``,
  ``test_list_filters.py`` and ``test_oparl_lists.py``.
- **The at-risk filter.** Its count tests every proposal in progress. It read three tables per
  proposal (correlated subqueries for the latest gateway, its returns and the open
  conditions: 27 ms CPU for the count alone at 10,000 proposals, the p95 109 ms); it now
  compares each proposal's row with its gateway summary (``proposal_gateway_summary``: the
  latest gateway month, whether that gateway was other than go, the first open condition's
  due date; kept in step by the gateway events, filled by migration 0004_lists): 4-5 ms CPU
  for the count at 10,000, with the same rows on every day tested against the old query.
  It is still a scan of the proposals (the risks depend on today's date, so no stored flag can
  be indexed without a daily job): the growth column shows what 100x the proposals costs.
- **The 3x target.** The raw baseline reads the same rows as the page (the page's own
  statements replayed through the DBAPI), in 0.1 to 3 ms of CPU; the page's CPU is that plus
  Python, not waiting. The requests are no longer made through Starlette's TestClient: the
  bench calls the app straight as ASGI (``bench/asgi.py``: the scope, ``receive`` and
  ``send`` built by the bench, ``await app(scope, receive, send)`` in one event loop, the
  lifespan entered once, the requests run in one long-lived task so AnyIO's worker thread for
  the plain ``def`` routes is started once, as under uvicorn; cookies as the TestClient's on
  ``http://testserver``, so the pages are anonymous as before; checked to give the same
  status, HTML and statements as the TestClient in ``tests/web/test_bench_asgi.py``). That is
  the fair measure of the app: a real server's HTTP parsing and its client are uvicorn's
  work, not s75's, and the TestClient's httpx objects and its hop to a portal thread and back
  were most of the old floor (the line above the table: a route answering one byte through
  the same middleware, called the same way; 2.2 ms CPU through the TestClient against 0.4-0.7
  ms called straight, in the same run at load 5). Earlier rounds (issue 17), with the same
  HTML byte for byte and the same statements: the board's rows, the deadlines at risk and the
  ``/deadlines`` rows are built in one pass in Python with every value escaped by markupsafe;
  a board cell's HTML (``_board_cell.html``) is a function of its value alone, so each
  distinct cell is rendered once and kept between requests (found by the cell's identity,
  as the day's cell maker hands out one object per value), as is the day's cell maker; the
  deadlines at risk and the exempt-action lookup are statements built once with bind
  parameters; dates are named from tables rather than by ``strftime``; the session cookie is
  set by a plain ASGI middleware (which now builds no Request or Response unless the request
  has a new or changed session); a board row's columns are unpacked once, a row's risks kept
  in words by its flags, a deadline's kind, body and state escaped once per value. This
  round (the board): its five reads (the count, the page, the gateway returns, the deadlines
  at risk and which of them are exempt actions, still asked by ``exempt_among``) run as
  their compiled SQL on the connection's DBAPI cursor (``s75/web/cursor_reads.py``, sent as
  the triggers' ``workflows/prepared.py`` sends theirs: each statement compiled once
  per dialect and expanded once per shape of its ``IN`` lists by SQLAlchemy's own
  ``construct_expanded_state``, so the same SQL and values as ``Connection.execute``, the
  values converted by their types' bind processors, the connection's statement events fired
  so the query counts and this replay still see every statement; tested against
  ``Connection.execute`` on SQLite and PostgreSQL in ``tests/web/test_cursor_reads.py``): no
  execution context, cache key and result object per statement (``/deadlines``' three
  reads go the same way since, with the same HTML). The gateway returns' rows
  are read as the driver gives them and a month converted to a date once per distinct value;
  the cells are found in the day's memo inline (``s75/web/board_cells.py``); the months
  shown are worked out once a day. On SQLite the board is made in the event loop's own
  thread (an ``async def`` route: its reads are of a local file, and in WAL mode a reader
  never waits for a writer; the longest, the at-risk filter at 10,000 proposals, holds the
  loop for about 5 ms of CPU, most of which a worker thread would spend holding the
  interpreter's lock anyway), which saves the hop to a worker thread and back (about 0.1 ms
  CPU on the floor route, more under load); on PostgreSQL, where each statement waits on the
  network, it is made in a worker thread as before. The floor above the table is still a
  plain ``def`` route's, as the other pages are. The HTML is the same byte for byte (the
  board's pages, filters, pages past the end, a bad filter and the CSV export compared
  before and after on the demo's year at four dates and at 10,000 proposals at two), and so
  are the statements. What is left of the board's CPU beyond its SQL, none of it more than a
  few tenths of a millisecond: the floor (FastAPI's routing and the middleware), the ORM
  session's transaction (its ``BEGIN`` and rollback through SQLAlchemy, about 0.05 ms), the
  page's rows and cells in Python (about 0.2 ms at 25 rows of 12 months) and their HTML
  (about 0.1 ms), the template (about 0.2 ms). The board's count and its gateway returns are
  most of its SQL (about 0.5 ms each at 10,000 proposals); making that SQL cheaper would make
  the page faster but its ratio no better, as the raw replay is the same SQL. Meeting 3x on
  the small-SQL pages (``/deadlines`` at 1,000, the meeting lists) would need the rendered
  page cached against the data's version, which these pages do not do (they are always
  exact).
- **Growth.** A page past the first costs its OFFSET (SQLite walks the skipped index entries)
  and the count walks the matching entries: flat per page, linear in the rows skipped or
  counted, so the deadlines at 100,000 and a middle page at 10,000 meetings cost a few ms of
  SQL more than at 1x.
- **Load.** The machine is shared: when the load average is above its 2 cores the wall
  times (and the p95s most) include waiting for a core, for the pages and the raw baseline
  alike (compare a page's p95 with its raw replay's in the same row); the CPU columns are the
  comparison that load inflates least, and a p50 far under its p95 is that waiting.

Before and after this round (the board), at 10,000 proposals, each figure the median of four
runs of the previous and this round's code taken in turn on one seeded database (each run 3
rounds of 30 requests beside the raw replay, called straight as ASGI), at a load average of
3.0-3.6 on the 2 cores (so the figures are inflated, the p95s most; the ratios to the raw
replay in the same run are the comparison): the first page 4.9 -> 3.7 ms CPU, 4.2x -> 3.0x
its raw queries' CPU (1.2 ms), the wall p95 13.6 -> 9.2 ms, 2.6x -> 1.6x; page 200 5.5 ->
4.0 ms CPU, 3.6x -> 2.5x, the p95 2.2x -> 1.6x; the at-risk filter 7.8 -> 6.2 ms CPU, 2.1x
-> 1.6x, the p95 1.8x -> 1.5x. The first page's CPU ratio is the closest to its target: at
this load it is at 3x (2.2x-3.1x over the four runs). A second sitting of the same, at a load
of 6.0-8.1: the first page 3.4x -> 2.3x of its raw CPU (wall p95 2.5x -> 1.8x), page 200
2.8x -> 2.3x (2.7x -> 2.1x), the at-risk filter 2.0x -> 1.6x. Whole runs of this benchmark
with this round's code: at a load of 4.5-4.7, the board 2.7x, 2.8x and 1.8x of the raw CPU
(1.5x, 2.1x, 1.5x the p95); at 6.3-7.1, 2.5x, 2.5x and 1.5x (1.7x, 2.0x, 1.1x).
"""

CONTROL = re.compile(r"\s*(BEGIN|COMMIT|ROLLBACK|PRAGMA|SAVEPOINT|RELEASE)", re.I)


@dataclass(frozen=True)
class Figure:
    page: str
    rows: int
    p50: float
    p95: float
    raw_p95: float
    cpu_ms: float
    spread: float = 0.0
    """Half the spread of the rounds' p95s."""
    queries: int = 0
    raw_cpu: float = 0.0
    """The raw queries' CPU milliseconds (median)."""

    @property
    def ratio(self) -> float:
        return self.p95 / self.raw_p95 if self.raw_p95 else 0.0


def _times(fn: Callable[[], object], repeat: int) -> tuple[list[float], float]:
    """Wall milliseconds of each call, and the median CPU milliseconds."""
    wall, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return wall, statistics.median(cpu)


def seed_deadlines(engine: Engine, n: int) -> None:
    """``n`` pending deadlines, from a year before today to a year after, in bulk."""
    from notifications.tables import DeadlineRow

    rows = []
    start = NOW - timedelta(days=365)
    for i in range(n):
        due = start + timedelta(minutes=(i * 730 * 24 * 60) // n)
        rows.append({"key": f"bench:{i}", "kind": ("item_deadline", "publication",
                                                  "minutes")[i % 3],
                     "subject_type": "meeting", "subject_id": str(i), "title": f"Meeting {i}",
                     "rule": "", "body_id": "jcc", "owner_email": "clerk@example.org",
                     "due_at": due, "next_at": due, "state": "pending", "reminder_at": [],
                     "created_at": start, "details": {}})
    with Session(engine) as s:
        for at in range(0, len(rows), 5000):
            s.execute(insert(DeadlineRow), rows[at: at + 5000])  # type: ignore[arg-type]
        s.commit()


def seed_meetings(engine: Engine, n: int, now: datetime = NOW) -> None:
    """``n`` meetings of the JCC a day apart, half before ``now`` and half after, in bulk."""
    from workflows.committee.tables import MeetingRow

    first = now - timedelta(days=n // 2)
    rows = [{"body_id": "jcc", "starts_at": first + timedelta(days=i, hours=2),
             "local_date": (first + timedelta(days=i)).date(), "venue": "Town Hall",
             "kind": "ordinary", "status": "held" if i < n // 2 else "scheduled",
             "reason": "", "move_reason": "", "chair_reason": "", "version": 1}
            for i in range(n)]
    with Session(engine) as s:
        for at in range(0, len(rows), 5000):
            s.execute(insert(MeetingRow), rows[at: at + 5000])  # type: ignore[arg-type]
        s.commit()


@contextmanager
def recording(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    """The statements (and their DBAPI parameters) run on ``engine`` meanwhile."""
    seen: list[tuple[str, Any]] = []

    def note(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        if not CONTROL.match(statement):
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def replay(engine: Engine, statements: list[tuple[str, Any]]) -> None:
    """The page's statements through the DBAPI on a pooled connection, every row fetched,
    in one transaction (rolled back, as a request's read-only session ends)."""
    conn = engine.raw_connection()
    try:
        cur = conn.cursor()
        for sql, params in statements:
            cur.execute(sql, params)
            cur.fetchall()
        cur.close()
        conn.rollback()
    finally:
        conn.close()


def _cases(kind: str, n: int) -> dict[str, str]:
    if kind == "board":
        middle = max(1, n // 50)
        return {"board, first page": "/proposals",
                f"board, page {middle}": f"/proposals?page={middle}",
                "board, at risk": "/proposals?at_risk=yes"}
    if kind == "deadlines":
        middle = max(1, n // 400)
        return {"deadlines, first page": "/deadlines",
                f"deadlines, page {middle}": f"/deadlines?page={middle}"}
    middle = max(1, n // 200)  # n / 2 past meetings, 50 to a page, latest first: the middle
    held = max(1, n // 100)  # earliest first: the last page of held meetings
    return {f"body meetings, page {middle}": f"/bodies/jcc?page={middle}",
            f"OParl meetings, page {held}": f"/oparl/v1/body/meetings?page={held}"}


CLIENT: Callable[[Any], Any] = AsgiClient
"""How the requests reach the app: straight into it as ASGI (:mod:`bench.asgi`)."""
FLOOR: list[float] = []
"""The CPU milliseconds (median of each round) of a route that answers one byte and reads
nothing, through the same app and client: what any page costs before its own work."""


def _floor_route() -> Response:
    return PlainTextResponse("x")


def _measure(kind: str, n: int, repeat: int) -> list[Figure]:
    from decisions.clock import SimulatedClock
    from s75.app import make_app
    from s75.db import make_engine, upgrade
    from s75.standing import sync_standing
    from s75.web.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'lists.db'}"
        first = make_engine(url)
        upgrade(first)
        first.dispose()
        app = make_app(ROOT / "config.toml", url, SimulatedClock(NOW))
        eng = app.engine
        with Session(eng) as s:
            sync_standing(s, app.config, datetime(2019, 3, 1, tzinfo=UTC))
            s.commit()
        if kind == "board":
            seed(eng, app.config, n, TODAY)
        elif kind == "deadlines":
            seed_deadlines(eng, n)
        else:
            seed_meetings(eng, n)
        out = []
        api = create_app(app, start_scheduler=False)
        api.add_api_route("/bench/floor", _floor_route)  # the bench's own: one byte, no data
        with CLIENT(api) as client:
            if kind == "board" and n == BASES["board"]:
                client.get("/bench/floor")
                FLOOR.extend(_times(lambda: client.get("/bench/floor"), repeat)[1]
                             for _ in range(ROUNDS))
            for label, path in _cases(kind, n).items():
                assert client.get(path).status_code == 200, path  # warm up
                with recording(eng) as statements:
                    assert client.get(path).status_code == 200, path
                p50s, p95s, raws, cpus, raw_cpus = [], [], [], [], []
                for _ in range(ROUNDS):
                    raw_ms, raw_cpu = _times(lambda st=statements: replay(eng, st), repeat)
                    ms, cpu = _times(lambda path=path: client.get(path), repeat)
                    p50s.append(statistics.median(ms))
                    p95s.append(p95(ms))
                    raws.append(p95(raw_ms))
                    cpus.append(cpu)
                    raw_cpus.append(raw_cpu)
                out.append(Figure(label, n, statistics.median(p50s), statistics.median(p95s),
                                  statistics.median(raws), statistics.median(cpus),
                                  (max(p95s) - min(p95s)) / 2, len(statements),
                                  statistics.median(raw_cpus)))
        app.close()
    return out


def run(repeat: int = 30, scales: tuple[int, ...] = (1, 10, 100)) -> list[Figure]:
    figures = []
    for kind, base in BASES.items():
        for scale in scales:
            for f in _measure(kind, base * scale, repeat):
                print(f"  {f.page} at {f.rows:,}: p50 {f.p50:.1f} ms, p95 {f.p95:.1f} ms "
                      f"± {f.spread:.1f} (raw {f.raw_p95:.2f} ms, {f.ratio:.1f}x), CPU "
                      f"{f.cpu_ms:.1f} ms, {f.queries} queries", flush=True)
                figures.append(f)
    return figures


def section(figures: list[Figure], load: tuple[float, float]) -> str:
    lines = [HEADING, "", (__doc__ or "").strip(), "",
             f"Load average (1 min) {load[0]:.2f} before, {load[1]:.2f} after, on "
             f"{os.cpu_count()} cores." + (
                 f" The request's floor in this run (a route of the bench's own answering one "
                 f"byte, through the same middleware, called the same way): "
                 f"{statistics.median(FLOOR):.1f} ms CPU." if FLOOR else ""), "",
             "| page | rows | queries | p50 | p95 (± half spread) | raw queries p95 | "
             "p95 / raw | CPU (median) | raw CPU | CPU / raw | growth vs 1x: p95, CPU | "
             "target |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    first: dict[str, float] = {}
    first_cpu: dict[str, float] = {}
    for f in figures:
        kind, what = f.page.split(", ", 1)
        key = f"{kind} middle" if what.startswith("page ") else f.page
        base = first.setdefault(key, f.p95)
        base_cpu = first_cpu.setdefault(key, f.cpu_ms)
        top = TOP.get(kind) == f.rows
        cpu_ratio = f.cpu_ms / f.raw_cpu if f.raw_cpu else 0.0
        verdict = ""
        if top:
            under = ("under 100 ms: met" if f.p95 < 100 else
                     f"under 100 ms: missed by {f.p95 - 100:.0f} ms")
            verdict = f"{under}; 3x raw: " + "; ".join(
                ("met" if r <= 3 else f"missed by {r / 3:.1f}x") + f" ({what})"
                for r, what in ((f.ratio, "wall"), (cpu_ratio, "CPU")))
        lines.append(f"| {f.page} | {f.rows:,} | {f.queries} | {f.p50:.1f} ms | "
                     f"{f.p95:.1f} ms ± {f.spread:.1f} | {f.raw_p95:.2f} ms | {f.ratio:.1f}x | "
                     f"{f.cpu_ms:.1f} ms | {f.raw_cpu:.2f} ms | {cpu_ratio:.1f}x | "
                     f"{f.p95 / base:.2f}x, {f.cpu_ms / base_cpu:.2f}x | {verdict} |")
    return "\n".join(lines) + "\n\n" + PROSE
