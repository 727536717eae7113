"""Start-up: commands that do not render never import the renderer (WeasyPrint, fontTools,
pypdf), and commands that serve nothing never import the web server or the scheduler.

Each case runs in a fresh interpreter, as a user's ``s75 ...`` does, and lists which of those
libraries ended up in ``sys.modules``. Timings are measured by ``make bench`` (bench/startup.py),
never asserted here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "config.toml"

RENDER_ONLY = ("weasyprint", "fontTools", "pypdf")
SERVE_ONLY = ("fastapi", "uvicorn", "apscheduler", "aiosmtpd", "starlette")

PROBE = """
import contextlib, io, json, sys
from s75.cli.main import main
args = json.loads(sys.argv[1])
with contextlib.redirect_stdout(io.StringIO()):
    code = main(args)
watched = set(json.loads(sys.argv[2]))
print(json.dumps({"code": code,
                  "loaded": sorted({m.split('.')[0] for m in sys.modules} & watched)}))
"""


def loaded_by(*args: str, watched: tuple[str, ...] = RENDER_ONLY + SERVE_ONLY
              ) -> tuple[int, list[str]]:
    """Run ``s75 ARGS`` in a fresh interpreter: its exit code and the watched libraries it
    imported."""
    env = {**os.environ, "S75_CONFIG": str(CONFIG), "COLUMNS": "120"}
    env.pop("S75_NOW", None)
    env.pop("S75_AS", None)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(list(args)),
         json.dumps(list(watched))],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return int(result["code"]), list(result["loaded"])


@pytest.mark.parametrize("args", [("--version",), ("--help",), ("bodies", "--json"),
                                  ("members",), ("check-config",), ("render", "--help"),
                                  ("proposal", "--help")])
def test_commands_that_do_not_render_or_serve_leave_those_libraries_unloaded(
        args: tuple[str, ...]) -> None:
    code, loaded = loaded_by(*args)
    assert code == 0
    assert loaded == [], f"s75 {' '.join(args)} imported {loaded}"


def test_a_render_command_does_load_the_renderer(tmp_path: Path) -> None:
    """The probe can fail: rendering a sample imports WeasyPrint."""
    code, loaded = loaded_by("render", "pool", "--sample", "--out", str(tmp_path / "pool.pdf"))
    assert code == 0
    assert "weasyprint" in loaded
    assert not set(loaded) & set(SERVE_ONLY)


def test_a_database_command_checks_the_schema_without_importing_alembic(tmp_path: Path) -> None:
    """Every command that opens the database checks its schema revision; that check reads
    ``alembic_version`` with plain SQL and the head from the migration files, not Alembic.
    Its event handlers are wired, but the renderer is imported only when a job renders."""
    db = str(tmp_path / "s75.db")
    code, loaded = loaded_by("--db", db, "init", watched=("alembic",))
    assert code == 0 and loaded == ["alembic"]  # the probe can fail: init migrates
    for args in (("proposal", "list"), ("deadlines", "list"), ("meeting", "list")):
        code, loaded = loaded_by("--db", db, *args,
                                 watched=("alembic", *RENDER_ONLY, *SERVE_ONLY))
        assert code == 0, args
        assert loaded == [], f"s75 {' '.join(args)} imported {loaded}"


def test_the_head_revision_read_from_the_files_is_alembics() -> None:
    from alembic.script import ScriptDirectory

    from s75.db import MIGRATIONS, head_revision

    assert head_revision() == ScriptDirectory(str(MIGRATIONS)).get_current_head()
