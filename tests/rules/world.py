"""A module-scoped database for the rules tests, driven through the CLI (``s75 ...`` in
process, stdout and stderr captured): set up once per module, read by each test."""

from __future__ import annotations

import contextlib
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from s75.cli.main import main
from tests.conftest import CONFIG
from tests.principals import COVER_ARGS

COUNCIL = ("leader", "exec_adults", "exec_children", "dass", "dph", "s151")
CCG = ("ccg_chair", "accountable_officer", "cfo", "gp_director_1")
CABINET = ("leader", "exec_adults", "exec_children")
CABINET_VOTES = ("--vote", "leader=for", "--vote", "exec_adults=for", "--vote",
                 "exec_children=for", "--reasons", "Best value for money",
                 "--alternatives", "Do nothing (rejected: needs unmet)")


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err

    def json(self) -> Any:
        assert self.code == 0, self.text
        return json.loads(self.out)


@dataclass(frozen=True)
class World:
    db: str
    tmp: Path

    def run(self, *args: object, now: str | None = None) -> Ran:
        """``s75 [--now NOW] ARGS`` against this world's database."""
        out, err = io.StringIO(), io.StringIO()
        base = ["--config", str(CONFIG), "--db", self.db] + (["--now", now] if now else [])
        wide = os.environ.get("COLUMNS")
        os.environ["COLUMNS"] = "200"  # tables unwrapped, as a wide terminal shows them
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(base + [str(a) for a in args])
        finally:
            if wide is None:
                del os.environ["COLUMNS"]
            else:
                os.environ["COLUMNS"] = wide
        return Ran(code, out.getvalue(), err.getvalue())

    def json(self, *args: object, now: str | None = None) -> Any:
        return self.run(*args, "--json", now=now).json()

    def pdf_text(self, *args: object, now: str | None = None) -> str:
        """Render ``s75 render ARGS --out FILE`` and read the text back with pypdf."""
        path = self.tmp / f"doc{len(list(self.tmp.glob('doc*.pdf')))}.pdf"
        r = self.run("render", *args, "--out", path, now=now)
        assert r.code == 0, r.text
        return " ".join(" ".join((p.extract_text() or "").split())
                        for p in PdfReader(path).pages)

    def meeting(self, body: str, day: str) -> int:
        rows = self.json("meeting", "list", "--body", body)
        return int(next(m for m in rows if m["date"] == day)["id"])

    def ready_item(self, meeting: int, title: str, *extra: object,
                   submitted: str = "2019-03-20", published: str = "2019-04-01") -> int:
        """An item added, submitted, accepted and published on ``meeting``."""
        item = self.json("item", "add", meeting, title, *COVER_ARGS, *extra, now=submitted)
        self.json("--as", "commissioning_lead", "item", "submit", item["id"], "--on",
                  submitted, now=submitted)
        self.json("item", "accept", item["id"], now=submitted)
        self.json("item", "publish", item["id"], "--on", published, now=published)
        return int(item["id"])


def make_world(tmp: Path, cabinet_from: str = "2019-04-01") -> World:
    """A fresh database with the JCC's and the CCG Board's meetings for April to July 2019,
    and Cabinet's from ``cabinet_from``."""
    w = World(f"sqlite:///{tmp / 's75.db'}", tmp)
    assert w.run("init").code == 0
    for body in ("jcc", "ccg_board", "cabinet"):
        w.json("meeting", "schedule", body, "--from",
               cabinet_from if body == "cabinet" else "2019-04-01", "--to", "2019-07-31",
               now="2019-03-01")
    return w
