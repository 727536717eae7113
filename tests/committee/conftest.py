"""Fixtures for the committee tests: the CLI bound to a fresh, initialised database."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "config.toml"
Result = Any  # tests/conftest.py's Result: .code .out .err .text


@pytest.fixture
def s75(cli: Callable[..., Result], db_url: str, engine: Engine) -> Callable[..., Result]:
    """``s75 ARGS`` against this test's database (migrated, standing arrangements loaded)."""

    def run(*args: object) -> Result:
        return cli("--db", db_url, "--config", str(CONFIG), *(str(a) for a in args))

    return run


@pytest.fixture
def s75json(s75: Callable[..., Result]) -> Callable[..., Any]:
    """Run a command with --json, assert it succeeded, return the parsed output."""

    def run(*args: object) -> Any:
        r = s75(*args, "--json")
        assert r.code == 0, r.text
        return json.loads(r.out)

    return run


@pytest.fixture
def jcc(s75json: Callable[..., Any]) -> list[dict[str, Any]]:
    """The JCC's, the CCG Board's and Cabinet's meetings for April to June 2019 (the JCC's
    first three; ``s75 meeting schedule jcc`` adds the rest of the year)."""
    quarter = ("--from", "2019-04-01", "--to", "2019-06-30")
    first = s75json("meeting", "schedule", "jcc", *quarter)
    s75json("meeting", "schedule", "ccg_board", *quarter)
    s75json("meeting", "schedule", "cabinet", *quarter)
    return list(first)
