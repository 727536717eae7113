"""List pages at 1x, 10x and 100x of their data, on SQLite, each against its raw query in the
same run: the gateway board (``/proposals``, first page, a middle page and the at-risk filter)
at 100, 1,000 and 10,000 proposals, and ``/deadlines`` (first and a middle page) at 1,000,
10,000 and 100,000 deadlines. Each figure is the p50 and p95 of the requests (through the web
app in process, session and template included); the raw query is the page's own rows by raw
SQL (``SELECT ... LIMIT``) on the same database. Targets (issues 16 and 17): p95 under 100 ms
and within 3x the raw query at 10,000 proposals and at 100,000 deadlines."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, insert, text
from sqlmodel import Session

from bench.board import p95, seed

HEADING = "## List pages: the board and the deadlines"
ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2020, 3, 18)
NOW = datetime(2020, 3, 18, 12, tzinfo=UTC)


@dataclass(frozen=True)
class Figure:
    page: str
    rows: int
    p50: float
    p95: float
    raw_p95: float
    cpu_ms: float

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


def _measure(kind: str, n: int, repeat: int) -> list[Figure]:
    from decisions.clock import SimulatedClock
    from s75.app import make_app
    from s75.db import make_engine, upgrade
    from s75.standing import sync_standing
    from s75.web.app import create_app
    from tests.web.client import TestClient

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
            raw_sql = text("SELECT id, title, state, start_date, shadow_start, shadow_end "
                           "FROM proposal ORDER BY id LIMIT 25 OFFSET :o")
            middle = max(1, n // 50)
            cases = {"board, first page": ("/proposals", 0),
                     f"board, page {middle}": (f"/proposals?page={middle}", (middle - 1) * 25),
                     "board, at risk": ("/proposals?at_risk=yes", 0)}
        else:
            seed_deadlines(eng, n)
            raw_sql = text("SELECT id, kind, title, due_at, state, body_id FROM deadline "
                           "WHERE due_at >= :t ORDER BY due_at, id LIMIT 100 OFFSET :o")
            middle = max(1, n // 400)
            cases = {"deadlines, first page": ("/deadlines", 0),
                     f"deadlines, page {middle}": (f"/deadlines?page={middle}",
                                                   (middle - 1) * 100)}
        out = []
        with TestClient(create_app(app, start_scheduler=False)) as client:
            for label, (path, offset) in cases.items():
                assert client.get(path).status_code == 200, path  # warm up

                def raw(offset: int = offset) -> None:
                    with eng.connect() as conn:  # a transaction of its own, as a request has
                        conn.execute(raw_sql, {"o": offset, "t": NOW - timedelta(hours=12)}
                                     ).all()

                raw_ms, _ = _times(raw, repeat)
                ms, cpu = _times(lambda path=path: client.get(path), repeat)
                out.append(Figure(label, n, statistics.median(ms), p95(ms), p95(raw_ms), cpu))
        app.close()
    return out


def run(repeat: int = 30, scales: tuple[int, ...] = (1, 10, 100)) -> list[Figure]:
    figures = []
    for kind, base in (("board", 100), ("deadlines", 1_000)):
        for scale in scales:
            for f in _measure(kind, base * scale, repeat):
                print(f"  {f.page} at {f.rows:,}: p50 {f.p50:.1f} ms, p95 {f.p95:.1f} ms "
                      f"(raw {f.raw_p95:.2f} ms, {f.ratio:.1f}x), CPU {f.cpu_ms:.1f} ms")
                figures.append(f)
    return figures


def section(figures: list[Figure], load: tuple[float, float]) -> str:
    lines = [HEADING, "", (__doc__ or "").strip(), "",
             f"Load average {load[0]:.2f} before, {load[1]:.2f} after, on "
             f"{os.cpu_count()} cores.", "",
             "| page | rows | p50 | p95 | CPU (median) | raw query p95 | p95 / raw | "
             "p95 growth vs 1x | target |", "|---|---|---|---|---|---|---|---|---|"]
    first: dict[str, float] = {}
    for f in figures:
        kind, what = f.page.split(", ", 1)
        key = f"{kind} middle" if what.startswith("page ") else f.page
        base = first.setdefault(key, f.p95)
        top = (kind == "board" and f.rows == 10_000) or (kind == "deadlines"
                                                         and f.rows == 100_000)
        verdict = ""
        if top:
            verdict = ("met" if f.p95 < 100 and f.ratio <= 3 else
                       f"missed: {f.p95:.0f} ms, {f.ratio:.1f}x raw")
        lines.append(f"| {f.page} | {f.rows:,} | {f.p50:.1f} ms | {f.p95:.1f} ms | "
                     f"{f.cpu_ms:.1f} ms | {f.raw_p95:.2f} ms | {f.ratio:.1f}x | "
                     f"{f.p95 / base:.2f}x | {verdict} |")
    return "\n".join(lines) + "\n"
