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
from dataclasses import replace
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from bench import fonts, lists, publish, scheduler, startup, triggers
from bench.fonts import cpu_seconds as _cpu_all
from notifications.documents import kinds
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
    ap.add_argument("--runs", type=int, default=5,
                    help="start-up: fresh processes per command (the median is kept; 5, not "
                         "10: about a seventh of make bench's time went to the start-up runs)")
    ap.add_argument("--items", type=int, default=36, help="reports in the pack (36 ≈ 400 pages)")
    ap.add_argument("--repeat", type=int, default=3,
                    help="builds of the small sample pack per font variant (best is kept)")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = ap.parse_args()
    if args.section in ("all", "pack"):
        pack(args)
    if args.section in ("all", "triggers"):
        load = os.getloadavg()[0]
        print("lifecycle triggers against raw SQL ...")
        results = triggers.run(args.scale_runs)
        keep_section(args.out, triggers.section(results, (load, os.getloadavg()[0])))
    if args.section in ("all", "scheduler"):
        load = os.getloadavg()[0]
        print("process_due over a year ...")
        due = scheduler.run(args.scale_runs)
        keep_section(args.out, scheduler.section(due, (load, os.getloadavg()[0])))
    if args.section in ("all", "lists"):
        load = os.getloadavg()[0]
        print("list pages at 1x, 10x and 100x ...")
        figures = lists.run()
        keep_section(args.out, lists.section(figures, (load, os.getloadavg()[0])))
    if args.section in ("all", "publish"):
        load = os.getloadavg()[0]
        print("event to stored pack ...")
        runs = publish.run(args.scale_runs)
        keep_section(args.out, publish.section(runs, (load, os.getloadavg()[0])))
    if args.section in ("all", "startup"):
        startup.run(args.out, args.runs)


def keep_section(out: Path, section: str) -> None:
    """Write ``section`` (headed ``## ...``) into ``out``, replacing the last run's, before the
    machine and start-up sections."""
    heading = section.split("\n", 1)[0]
    old = out.read_text() if out.exists() else "# Benchmarks\n"
    if heading in old:
        start = old.index(heading)
        nxt = old.find("\n## ", start + len(heading))
        old = old[:start] + (old[nxt + 1:] if nxt != -1 else "")
    anchor = old.find("## Machine")
    text = (old[:anchor] + section + "\n" + old[anchor:]) if anchor != -1 else \
        old.rstrip("\n") + "\n\n" + section
    out.write_text(text)


def pack(args: argparse.Namespace) -> None:
    view = large_pack(args.items)
    workers = cores()

    print("one go: rendering the whole pack as one HTML document in one process ...")
    load_before = os.getloadavg()[0]
    t, c = time.perf_counter(), time.process_time()
    one = kinds.render(kinds.pack_html(view))
    t_one, c_one = time.perf_counter() - t, time.process_time() - c
    print(f"  {one.pages} pages in {t_one:.1f} s")

    with Renderer(MemoryCache(), workers=workers) as renderer:
        workers = min(workers, free_cores())  # what the renderer chooses from the free cores
        print(f"parts: {len(view.reports) + 1} parts on {workers} worker processes, linked ...")
        t, c = time.perf_counter(), _cpu_all()
        full = build_pack(view, renderer)
        t_full = time.perf_counter() - t
        print(f"  {full.pages} pages in {t_full:.1f} s")
        reports = list(view.reports)
        i = len(reports) // 2
        changed = replace(reports[i], recommendations=(
            *reports[i].recommendations, "Note the revised figures in paragraph 3."))
        reports[i] = changed
        before = renderer.rendered
        t = time.perf_counter()
        build_pack(replace(view, reports=tuple(reports)), renderer)
        t_again = time.perf_counter() - t
        parts_again = renderer.rendered - before
        print(f"  re-render after one report changed: {t_again:.2f} s "
              f"({parts_again} part(s) rendered)")
        unshared = fonts.relinked_unshared(view, renderer)
    c_full = _cpu_all() - c  # after the pool shut down, so its workers' CPU is counted
    load_after = os.getloadavg()[0]

    print("fonts: the pack with per-part font subsets ...")
    large = {"subset": fonts.run(view, workers, "subset"),
             "unshared": fonts.FontRun("unshared", *unshared, 0.0, 0.0, full.pages),
             "shared": fonts.FontRun("shared", len(full.pdf), fonts.font_files(full.pdf),
                                     t_full, 0.0, full.pages)}
    small = {v: fonts.run(sample_pack(), workers, v, args.repeat) for v in fonts.VARIANTS}
    for name, runs in (("sample", small), ("large", large)):
        for v, f in runs.items():
            print(f"  {name} {v}: {f.size} bytes, {f.files} font files, {f.wall:.2f} s")
    load_fonts = os.getloadavg()[0]

    how = ("Why it is faster: the parts render in parallel on the free cores; each worker loads "
           "the fonts\nand stylesheets once, and the agenda's final render runs beside the "
           "page-number footers." if workers > 1 else
           "The cores were busy (load average above the cores), so the renderer rendered the "
           "parts in this\nprocess, one after another, rather than lose to parallel work: the "
           "wall-clock ratio then shows\nthe load changing during the run more than the "
           "method; the CPU times below compare the work.")
    speedup = t_one / t_full
    ratio = t_again / t_full
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"speed-up {speedup:.2f}x (goal >= 1.6); re-render {ratio:.3f} of full (goal <= 0.1)")
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    text = f"""# Benchmarks

Produced by `make bench` (`python -m bench`); numbers from the last run.

## Decision pack: {full.pages} pages

The pack is the seed material (file 000's cover sheets and tables, file 004's budget
monitoring) scaled to {len(view.reports)} reports of about {full.pages // len(view.reports)}
pages. Both ways produce a tagged PDF/UA-1 document with the same content.

| run | time | ratio |
|---|---|---|
| WeasyPrint, the same HTML in one go, one process ({one.pages} pages) | {t_one:.1f} s | 1.00 |
| s75 pack: parts in {workers} process(es) (from the free cores), linked \
(tags, outline, "Page x of y" kept) \
| {t_full:.1f} s | **{speedup:.2f}x faster** (goal ≥ 1.6x) |
| re-render after one report changed ({parts_again} part rendered, the rest cached) \
| {t_again:.2f} s | **{ratio:.3f} of the full render** (goal ≤ 0.1) |

{how}
Splitting costs a little more CPU in total (each part loads its fonts and is made linkable;
see the CPU times below). Linking is string joining of pre-serialised objects (no PDF parsing
at assembly), so a re-render costs about one item plus the link.

CPU time (all processes): one go {c_one:.1f} s; parts, both renders, {c_full:.1f} s.
Load average {load_before:.1f} before and {load_after:.1f} after the run: on a shared
machine other work inflates the wall-clock times (and usually the parallel run most).

{fonts.section(small, large, args.repeat)}
Load average {load_fonts:.1f} after the font runs.

## Machine

- CPU: {_cpu()}; {os.cpu_count()} logical cores, {workers} usable
- memory: {mem:.1f} GiB; peak resident set of the benchmark's main process {peak:.0f} MiB
- Python {platform.python_version()}, WeasyPrint {version("weasyprint")}, pydyf
  {version("pydyf")}, pypdf {version("pypdf")}; {platform.system()} {platform.release()}
- run at {datetime.now(UTC):%Y-%m-%d %H:%M} UTC
"""
    old = args.out.read_text() if args.out.exists() else ""
    if startup.HEADING in old:  # keep the start-up figures of the last run
        text = startup.replace_section(text, old[old.index(startup.HEADING):])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    for heading in (triggers.HEADING, scheduler.HEADING):  # keep the other sections' figures
        if heading in old:
            start = old.index(heading)
            end = old.find("\n## ", start + len(heading))
            keep_section(args.out, old[start:end + 1 if end != -1 else None])
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
