"""The gateway board (``/proposals``) at programme scale: N proposals on SQLite, a page served
through the web app, against the raw query of the same page's proposals.

``python -m bench.board [N]`` seeds a database with N proposals (a mix of stages; those in
shadow operation with twelve months of gateway returns from every partner and some open
conditions), then times the first page, a middle page, the at-risk filter and the raw
``SELECT ... LIMIT 25`` of proposals, and prints p50/p95 and the ratio to the raw query.
``seed`` is shared with the board's tests.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, insert, text
from sqlmodel import Session

from decisions.terms import LocalityConfig
from workflows.proposal.rules import months_between
from workflows.tables import ProposalRow

STATES = ("shadow_operation", "shadow_operation", "paused", "heads_of_terms", "live",
          "stopped", "s75_drafting", "variation")
DECISIONS = ("go", "go", "go", "go", "go_with_conditions", "pause", "go", "go")


def seed(engine: Engine, config: LocalityConfig, n: int, today: date) -> None:
    """``n`` proposals with gateways and returns, written in bulk (a read benchmark)."""
    from s75.web.board_summary import refresh
    from workflows.proposal.tables import ConditionRow, GatewayReturnRow, GatewayRow

    partners = [p.id for p in config.partner]
    owner = config.member[0].id
    now = datetime(today.year, today.month, today.day, 9, tzinfo=UTC)
    first = date(today.year - 1, today.month, 1)
    months = months_between(first, today)[:-1]
    proposals, gateways, returns, conditions = [], [], [], []
    gid = 0
    for i in range(1, n + 1):
        state = STATES[i % len(STATES)]
        shadow = state not in ("heads_of_terms",)
        proposals.append({"id": i, "title": f"Programme proposal {i}", "state": state,
                          "created_at": now, "created_by": "seed", "facts": {},
                          "kind": "pool_expansion", "description": "", "variation": 0,
                          "start_date": date(today.year + 1, 4, 1), "start_moved": False,
                          "shadow_start": first if shadow else None, "shadow_end": None,
                          "version": 1})
        if not shadow:
            continue
        for k, m in enumerate(months):
            if (i + k) % 17 == 0:
                continue  # a missed month now and then
            gid += 1
            gateways.append({"id": gid, "proposal_id": i, "month": m, "held_on": m})
            for j, p in enumerate(partners):
                returns.append({"gateway_id": gid, "proposal_id": i, "partner_id": p,
                                "decision": DECISIONS[(i + k + j) % len(DECISIONS)],
                                "reasons": "", "recorded_at": now, "recorded_by": "seed"})
        if i % 5 == 0:
            conditions.append({"proposal_id": i, "gateway_id": gid, "partner_id": partners[0],
                               "text": "Workforce plan agreed", "owner_id": owner,
                               "due": today - timedelta(days=i % 40), "status": "open",
                               "closing_note": ""})
    with Session(engine) as s:
        for table, rows in ((ProposalRow, proposals), (GatewayRow, gateways),
                            (GatewayReturnRow, returns), (ConditionRow, conditions)):
            for at in range(0, len(rows), 5000):
                s.execute(insert(table), rows[at: at + 5000])  # type: ignore[arg-type]
        refresh(s)  # written around the gateway actions: their summary as the events keep it
        s.commit()


def _times(fn: object, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        out.append((time.perf_counter() - t) * 1000)
    return out


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def main(n: int = 10_000, repeat: int = 40) -> list[str]:
    from decisions.clock import SimulatedClock
    from s75.app import make_app
    from s75.db import make_engine, upgrade
    from s75.standing import sync_standing
    from s75.web.app import create_app
    from tests.web.client import TestClient

    root = Path(__file__).resolve().parents[1]
    today = date(2020, 3, 18)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'board.db'}"
        first = make_engine(url)
        upgrade(first)
        first.dispose()
        app = make_app(root / "config.toml", url,
                       SimulatedClock(datetime(2020, 3, 18, 12, tzinfo=UTC)))
        eng = app.engine
        with Session(eng) as s:
            sync_standing(s, app.config, datetime(2019, 3, 1, tzinfo=UTC))
            s.commit()
        seed(eng, app.config, n, today)
        lines = []
        raw_sql = text("SELECT id, title, state, start_date, shadow_start, shadow_end "
                       "FROM proposal ORDER BY id LIMIT 25 OFFSET :o")

        def raw_page() -> None:
            with eng.connect() as conn:  # a transaction of its own, as a request has
                conn.execute(raw_sql, {"o": 0}).all()

        raw = _times(raw_page, repeat)
        with TestClient(create_app(app, start_scheduler=False)) as client:
            cases = {"first page": "/proposals", "page 200": "/proposals?page=200",
                     "at risk, page 1": "/proposals?at_risk=yes",
                     "stage + partner": "/proposals?stage=shadow_operation&partner=council"}
            assert client.get("/proposals").status_code == 200  # warm up
            lines.append(f"board at {n:,} proposals on SQLite ({repeat} requests each; raw "
                         f"query p95 {p95(raw):.2f} ms)")
            for label, path in cases.items():
                ms = _times(lambda path=path: client.get(path), repeat)
                size = len(client.get(path).content)
                lines.append(f"  {label:18} p50 {statistics.median(ms):6.1f} ms  p95 "
                             f"{p95(ms):6.1f} ms  x{p95(ms) / p95(raw):,.0f} raw  "
                             f"{size / 1024:,.0f} KiB")
        app.close()
    return lines


if __name__ == "__main__":
    print("\n".join(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)))
