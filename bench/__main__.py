"""Benchmarks. The decision pack: a ~400-page pack rendered by parts in parallel and linked, against
WeasyPrint rendering the same HTML in one go in one process; then the re-render after one
report changes; then the fonts (whole faces shared by the linker against per-part subsets,
:mod:`bench.fonts`). Then the CLI start-up (:mod:`bench.startup`). Writes docs/benchmarks.md.
Run with ``make bench`` (or ``python -m bench``); ``python -m bench startup`` runs only the
start-up section (and ``python -m bench pack`` only the pack), keeping the other's figures.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

from bench import fonts, lists, notices, publish, scheduler, startup, triggers
from bench import pack as packbench
from bench.fonts import cpu_seconds as _cpu_all
from notifications.documents.pack import MemoryCache, Renderer, build_pack, cores, free_cores
from notifications.documents.samples import large_pack, sample_pack

ROOT = Path(__file__).resolve().parent.parent


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("section", nargs="?",
                    choices=("all", "pack", "startup", "triggers", "scheduler", "lists",
                             "publish"),
                    default="all",
                    help="which benchmark to run [default: all]")
    ap.add_argument("--scale-runs", type=int, default=3,
                    help="triggers and scheduler: runs per figure (median and spread)")
    ap.add_argument("--runs", type=int, default=3,
                    help="start-up: fresh processes per command (the median is kept; 3, not "
                         "5 or 10: the start-up runs were about a tenth of make bench's time, "
                         "which is to stay under 10 minutes)")
    ap.add_argument("--items", type=int, default=None,
                    help="reports in the 100x pack [default: 36, about 400 pages]")
    ap.add_argument("--repeat", type=int, default=3,
                    help="builds of the small sample pack per font variant (best is kept)")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = ap.parse_args()
    spent: list[tuple[str, float, float]] = []
    every = args.section == "all"
    for name, run in _SECTIONS:
        if every or args.section == name:
            t, c = time.perf_counter(), _cpu_all()
            run(args)
            spent.append((name, time.perf_counter() - t, _cpu_all() - c))
            print(f"  [{name}: {spent[-1][1]:.0f} s wall, {spent[-1][2]:.0f} s CPU]")
    if every:
        keep_section(args.out, run_time(spent))


def _measured(out: Path, title: str, run: Callable[[], Any],
              section: Callable[[Any, tuple[float, float]], str]) -> None:
    """Run one benchmark and write its section, with the load average before and after."""
    load = os.getloadavg()[0]
    print(title)
    figures = run()
    keep_section(out, section(figures, (load, os.getloadavg()[0])))


def _triggers(args: argparse.Namespace) -> None:
    _measured(args.out, "lifecycle triggers against raw SQL ...",
              lambda: triggers.run(args.scale_runs), triggers.section)


def _scheduler(args: argparse.Namespace) -> None:
    _measured(args.out, "process_due over a year ...",
              lambda: scheduler.run(args.scale_runs), scheduler.section)


def _lists(args: argparse.Namespace) -> None:
    _measured(args.out, "list pages at 1x, 10x and 100x ...", lists.run, lists.section)


def _publish(args: argparse.Namespace) -> None:
    _measured(args.out, "event to stored pack ...",
              lambda: publish.run(args.scale_runs), publish.section)
    _measured(args.out, "recording a decision, its notice after commit ...",
              lambda: notices.run(args.scale_runs), notices.section)


def _startup(args: argparse.Namespace) -> None:
    startup.run(args.out, args.runs)


RUN_TIME = "## How long make bench takes"
GOAL_MINUTES = 10


def run_time(spent: list[tuple[str, float, float]]) -> str:
    """The whole run's wall and CPU time, per section, against the 10-minute goal."""
    wall = sum(w for _, w, _ in spent)
    cpu = sum(c for _, _, c in spent)
    met = "met" if wall < GOAL_MINUTES * 60 else \
        f"missed by {(wall - GOAL_MINUTES * 60) / 60:.1f} min"
    rows = "\n".join(f"| {name} | {w / 60:.1f} min ({w:.0f} s) | {c:.0f} s |"
                      for name, w, c in spent)
    return f"""{RUN_TIME}

The last full run took **{wall / 60:.1f} min** of wall time ({cpu / 60:.1f} min of CPU in this
process and its workers) against the goal of under {GOAL_MINUTES} minutes: {met}. Per section:

| section | wall | CPU |
|---|---|---|
{rows}
"""


_SECTIONS: tuple[tuple[str, Callable[[argparse.Namespace], None]], ...] = (
    ("pack", lambda args: pack(args)),
    ("triggers", _triggers),
    ("scheduler", _scheduler),
    ("lists", _lists),
    ("publish", _publish),
    ("startup", _startup),
)


def keep_section(out: Path, section: str, name: str | None = None) -> None:
    """Write ``section`` into ``out``: in place of the last run's section whose heading line
    is the section's own (or starts with ``name``, for a heading that carries its figures),
    or else before the machine and start-up sections."""
    heading = section.split("\n", 1)[0]
    old = out.read_text() if out.exists() else "# Benchmarks\n"
    rows = old.split("\n")
    lines = [i for i, line in enumerate(rows)
             if line == heading or (name is not None and line.startswith(name))]
    if lines:
        start = sum(len(line) + 1 for line in rows[:lines[0]])
        nxt = old.find("\n## ", start + len(rows[lines[0]]))
        out.write_text(old[:start] + section.rstrip("\n") + "\n"
                       + ("\n" + old[nxt + 1:] if nxt != -1 else ""))
        return
    anchor = old.find("## Machine")
    text = (old[:anchor] + section + "\n" + old[anchor:]) if anchor != -1 else \
        old.rstrip("\n") + "\n\n" + section
    out.write_text(text)


def pack(args: argparse.Namespace) -> None:
    """The pack at 1x/10x/100x against one-go WeasyPrint; then the fonts, on the 10x pack."""
    load = os.getloadavg()[0]
    print("decision pack at 1x, 10x and 100x: one go against parts ...")
    sizes = packbench.run(args.scale_runs, args.items)
    keep_section(args.out, packbench.section(sizes, (load, os.getloadavg()[0])),
                 packbench.HEADING)

    print("fonts: whole faces shared, against per-part subsets ...")
    view = large_pack(*packbench.SIZES[1])
    workers = min(cores(), free_cores())
    with Renderer(MemoryCache(), workers=workers) as renderer:
        t, c = time.perf_counter(), _cpu_all()
        shared = build_pack(view, renderer)
        wall = time.perf_counter() - t
        unshared = fonts.relinked_unshared(view, renderer)
    large = {"subset": fonts.run(view, workers, "subset"),
             "unshared": fonts.FontRun("unshared", *unshared, 0.0, 0.0, shared.pages),
             "shared": fonts.FontRun("shared", len(shared.pdf), fonts.font_files(shared.pdf),
                                     wall, _cpu_all() - c, shared.pages)}
    small = {v: fonts.run(sample_pack(), workers, v, args.repeat) for v in fonts.VARIANTS}
    for name, runs in (("sample", small), ("large", large)):
        for v, f in runs.items():
            print(f"  {name} {v}: {f.size} bytes, {f.files} font files, {f.wall:.2f} s")
    keep_section(args.out, fonts.section(small, large, args.repeat)
                 + f"\nLoad average {os.getloadavg()[0]:.1f} after the font runs.\n")
    machine(args.out, workers)


def machine(out: Path, workers: int) -> None:
    """The "Machine" section (kept before the start-up figures)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    text = f"""## Machine

- CPU: {_cpu()}; {os.cpu_count()} logical cores, {workers} usable
- memory: {mem:.1f} GiB; peak resident set of the benchmark's main process {peak:.0f} MiB
- Python {platform.python_version()}, WeasyPrint {version("weasyprint")}, pydyf
  {version("pydyf")}, pypdf {version("pypdf")}; {platform.system()} {platform.release()}
- run at {datetime.now(UTC):%Y-%m-%d %H:%M} UTC
"""
    old = out.read_text()
    start = old.find("## Machine")
    if start == -1:
        keep_section(out, text)
        return
    end = old.find("\n## ", start + 3)
    out.write_text(old[:start] + text + ("\n" + old[end + 1:] if end != -1 else ""))


if __name__ == "__main__":
    main()
