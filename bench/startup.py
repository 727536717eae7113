"""CLI start-up benchmark: ``s75 --version``, ``s75 --help`` and ``s75 bodies --json``, each run
N times as fresh subprocesses, against ``python -c "import typer, sqlmodel"`` measured in the
same run; then ``s75 proposal show`` against a SQLite database of 100, 1,000 and 10,000
proposals (1x, 10x, 100x; 10 audit events each), so a start-up that grew with the record would
show. Median wall time and median CPU time (user + system of the child, from
``resource.getrusage(RUSAGE_CHILDREN)`` deltas) with half their spread, as ratios to the
baseline.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADING = "## CLI start-up"

BASELINE = ("baseline", [sys.executable, "-c", "import typer, sqlmodel"], None)
COMMANDS: tuple[tuple[str, list[str], float | None], ...] = (
    ("s75 --version", [sys.executable, "-m", "s75", "--version"], 3.0),
    ("s75 --help", [sys.executable, "-m", "s75", "--help"], 3.0),
    ("s75 bodies --json", [sys.executable, "-m", "s75", "bodies", "--json"], 4.0),
)


DATA = (100, 1_000, 10_000)
"""Proposals in the database of ``s75 proposal show`` at 1x, 10x and 100x."""


@dataclass(frozen=True)
class Timing:
    label: str
    wall: float
    """Median wall-clock seconds."""
    cpu: float
    """Median CPU seconds (user + system) of the child process."""
    goal: float | None
    wall_spread: float = 0.0
    """Half the spread (max - min) of the wall-clock seconds."""
    cpu_spread: float = 0.0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _half_spread(values: list[float]) -> float:
    return (max(values) - min(values)) / 2


def time_command(label: str, argv: list[str], goal: float | None, repeat: int) -> Timing:
    env = {**os.environ, "S75_CONFIG": str(ROOT / "config.toml"), "COLUMNS": "100"}
    for name in ("S75_NOW", "S75_AS"):
        env.pop(name, None)
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(repeat):
        c, t = _children_cpu(), time.perf_counter()
        subprocess.run(argv, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
        walls.append(time.perf_counter() - t)
        cpus.append(_children_cpu() - c)
    return Timing(label, statistics.median(walls), statistics.median(cpus), goal,
                  _half_spread(walls), _half_spread(cpus))


def time_show(proposals: int, repeat: int) -> Timing:
    """``s75 proposal show`` of a middle proposal in a database of ``proposals``."""
    from bench.triggers import NOW, database, populate
    from decisions.clock import SimulatedClock
    from s75.app import make_app

    with database("sqlite") as url:
        app = make_app(ROOT / "config.toml", url, SimulatedClock(NOW))
        try:
            populate(app, proposals, plan=False)
        finally:
            app.close()
        argv = [sys.executable, "-m", "s75", "--db", url, "proposal", "show",
                str(proposals // 2)]
        return time_command(f"s75 proposal show ({proposals:,} proposals)", argv, 4.0, repeat)


def measure(repeat: int = 10) -> tuple[Timing, list[Timing], float, float]:
    """The baseline, each command, and the 1-minute load average before and after."""
    load_before = os.getloadavg()[0]
    # Interleave: the baseline first and last would each see a different machine.
    base_first = time_command(*BASELINE, repeat=max(1, repeat // 2))
    runs = [time_command(label, argv, goal, repeat) for label, argv, goal in COMMANDS]
    runs += [time_show(n, repeat) for n in DATA]
    base_last = time_command(*BASELINE, repeat=max(1, repeat - repeat // 2))
    walls = [base_first.wall, base_last.wall]
    cpus = [base_first.cpu, base_last.cpu]
    base = Timing("baseline", statistics.median(walls), statistics.median(cpus), None,
                  max(base_first.wall_spread, base_last.wall_spread, _half_spread(walls)),
                  max(base_first.cpu_spread, base_last.cpu_spread, _half_spread(cpus)))
    return base, runs, load_before, os.getloadavg()[0]


def section(base: Timing, runs: list[Timing], load_before: float, load_after: float,
            repeat: int) -> str:
    rows = [f"| `python -c \"import typer, sqlmodel\"` (baseline) "
            f"| {_fig(base.wall, base.wall_spread)} | 1.00 "
            f"| {_fig(base.cpu, base.cpu_spread)} | 1.00 | | |"]
    first_show = next(r for r in runs if r.label.startswith("s75 proposal show"))
    for r in runs:
        ok = "met" if r.goal is not None and r.wall / base.wall <= r.goal else "not met"
        growth = (f"{r.cpu / first_show.cpu:.2f}x" if r.label.startswith("s75 proposal show")
                  else "")
        command, _, data = r.label.partition(" (")
        shown = f"`{command}`" + (f" ({data}" if data else "")
        rows.append(f"| {shown} | {_fig(r.wall, r.wall_spread)} | {r.wall / base.wall:.2f} "
                    f"| {_fig(r.cpu, r.cpu_spread)} | {r.cpu / base.cpu:.2f} "
                    f"| ≤ {r.goal:.0f}x: {ok} | {growth} |")
    table = "\n".join(rows)
    return f"""{HEADING}

Each command run {repeat} times as a fresh process (`python -m bench startup`); medians ±
half the spread. CPU is user + system time of the child process (`getrusage(RUSAGE_CHILDREN)`),
which other work on the machine inflates less than the wall-clock time. `s75 proposal show`
reads a middle proposal of a SQLite database holding 100, 1,000 and 10,000 proposals in shadow
operation with 10 audit events each (1x, 10x, 100x), its gateways, conditions and what each
trigger still needs; the last column is its CPU against 1x, so a start-up or a lookup that
grew with the record would show.

| command | wall | wall ratio | CPU | CPU ratio | goal (wall) | growth (CPU vs 1x) |
|---|---|---|---|---|---|---|
{table}

Load average (1 min) {load_before:.2f} before and {load_after:.2f} after, on
{os.cpu_count()} logical cores. {_shared(load_before)}

The commands that do not render or serve import neither the renderer (WeasyPrint, fontTools,
pypdf) nor the web server and scheduler (FastAPI, uvicorn, APScheduler, aiosmtpd):
tests/foundation/test_startup.py checks it in a fresh interpreter for each command.
"""


def _fig(value: float, spread: float) -> str:
    return f"{value:.2f} s ± {spread:.2f}"


def _shared(load: float) -> str:
    """How busy the machine was, judged by the load average before the run."""
    cores = os.cpu_count() or 1
    if load < 0.5 * cores:
        return ("Nothing else of note was running: the load average before the run was below "
                "half the cores (the benchmark's own processes then keep one core busy).")
    return ("The load average before the run was at or above half the cores (other work on "
            "this shared machine, or the benchmark's own earlier sections, still counted in "
            "it), so the wall-clock times may be inflated, the baseline's as much as the "
            "commands'; the CPU times are inflated much less, and the CPU ratios are the "
            "steadier comparison.")


def replace_section(text: str, new: str) -> str:
    """``text`` with its CLI start-up section replaced by ``new`` (or ``new`` appended)."""
    start = text.find(HEADING)
    if start < 0:
        return text.rstrip("\n") + "\n\n" + new
    end = text.find("\n## ", start + len(HEADING))
    tail = text[end + 1:] if end >= 0 else ""
    return text[:start] + new + ("\n" + tail if tail else "")


def run(out: Path, repeat: int) -> None:
    print(f"CLI start-up: {len(COMMANDS)} commands and the baseline, {repeat} runs each ...")
    base, runs, before, after = measure(repeat)
    print(f"  baseline: {base.wall:.2f} s wall, {base.cpu:.2f} s CPU")
    for r in runs:
        print(f"  {r.label}: {r.wall:.2f} s ({r.wall / base.wall:.2f}x), CPU {r.cpu:.2f} s "
              f"({r.cpu / base.cpu:.2f}x)")
    old = out.read_text() if out.exists() else "# Benchmarks\n"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(replace_section(old, section(base, runs, before, after, repeat)))
    print(f"wrote the start-up section of {out}")
