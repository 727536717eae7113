"""The decision pack at 1x, 10x and 100x (``python -m bench pack``).

Each size is rendered three ways a run: WeasyPrint on the whole pack's HTML in one go in one
process (the raw baseline); the s75 pack as the renderer chooses (parts on as many workers as
:func:`~notifications.documents.pack.parallel_workers` gives for the work and the free cores,
or in this process, linked); and the s75 pack with every part rendered in this process, one
after another (what the renderer falls back to; at 100x in the first run only, it takes as
long as one go; a run in which the renderer chose it is its measurement). Each run starts
with an empty cache, so nothing is reused between runs. At
the largest size each run then re-renders the pack after one report changed (the rest cached;
its CPU is not counted in the pack's).
CPU time is counted in every process (the workers' CPU too), beside the wall time, and the
renderer's choice is recorded with its reason.
"""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass, field, replace

from bench.fonts import cpu_seconds
from notifications.documents import kinds
from notifications.documents.pack import (
    MemoryCache,
    Renderer,
    build_pack,
    cores,
    free_cores,
)
from notifications.documents.samples import large_pack
from notifications.documents.views import PackView
from notifications.documents.workers import PARALLEL_MIN_WORK

HEADING = "## Decision pack"
# (reports, sections per report): about 4, 40 and 400 pages.
SIZES = ((1, 1), (6, 3), (36, 6))


@dataclass
class Size:
    """The runs of one pack size."""

    scale: int
    reports: int
    pages: int = 0
    workers: list[int] = field(default_factory=list)
    """Workers the renderer chose for the items (1: this process)."""
    why: list[str] = field(default_factory=list)
    loads: list[float] = field(default_factory=list)
    serial_wall: list[float] = field(default_factory=list)
    serial_cpu: list[float] = field(default_factory=list)
    one_wall: list[float] = field(default_factory=list)
    one_cpu: list[float] = field(default_factory=list)
    parts_wall: list[float] = field(default_factory=list)
    parts_cpu: list[float] = field(default_factory=list)
    again_wall: list[float] = field(default_factory=list)
    again_parts: int = 0

    def speedup(self) -> float:
        return statistics.median(self.one_wall) / statistics.median(self.parts_wall)

    def cpu_ratio(self) -> float:
        return statistics.median(self.parts_cpu) / statistics.median(self.one_cpu)

    def serial_ratio(self) -> float:
        return statistics.median(self.serial_cpu) / statistics.median(self.one_cpu)

    def verdict(self) -> str:
        """Per size: did parallel win, or why did the renderer render in one process."""
        chosen = statistics.median(self.workers)
        if chosen < 2:
            reasons = sorted(set(self.why))
            return (f"in this process ({'; '.join(reasons)}): "
                    f"{self.speedup():.2f}x the wall, {self.cpu_ratio():.2f} the CPU of one go")
        won = "won" if self.speedup() > 1.0 else "lost"
        return (f"parallel {won} on {chosen:.0f} workers: {self.speedup():.2f}x the wall "
                f"for {self.cpu_ratio():.2f} the CPU of one go")


def _changed(view: PackView) -> PackView:
    reports = list(view.reports)
    i = len(reports) // 2
    reports[i] = replace(reports[i], recommendations=(
        *reports[i].recommendations, "Note the revised figures in paragraph 3."))
    return replace(view, reports=tuple(reports))


def _once(view: PackView, size: Size, again: bool, serial: bool) -> None:
    t, c = time.perf_counter(), time.process_time()
    one = kinds.render(kinds.pack_html(view))
    size.one_wall.append(time.perf_counter() - t)
    size.one_cpu.append(time.process_time() - c)
    size.pages = one.pages
    free = min(cores(), free_cores())
    size.loads.append(os.getloadavg()[0])
    with Renderer(MemoryCache(), workers=cores()) as renderer:
        t, c = time.perf_counter(), cpu_seconds()
        build_pack(view, renderer)
        size.parts_wall.append(time.perf_counter() - t)
        size.workers.append(renderer.decisions[0][1])
        if size.workers[-1] < 2:
            size.why.append("no second core free" if free < 2
                            else f"under {PARALLEL_MIN_WORK:,} characters of HTML to split")
        again_cpu = 0.0
        if again:
            before = renderer.rendered
            t, c_again = time.perf_counter(), time.process_time()
            build_pack(_changed(view), renderer)
            size.again_wall.append(time.perf_counter() - t)
            again_cpu = time.process_time() - c_again  # one part: rendered in this process
            size.again_parts = renderer.rendered - before
    # after the pool shut down, so its workers are counted; the re-render's CPU is not the pack's
    size.parts_cpu.append(cpu_seconds() - c - again_cpu)
    if size.workers[-1] < 2:  # the renderer chose the fallback: this run measured it
        size.serial_wall.append(size.parts_wall[-1])
        size.serial_cpu.append(size.parts_cpu[-1])
    elif serial:
        with Renderer(MemoryCache(), workers=1) as renderer:
            t, c = time.perf_counter(), cpu_seconds()
            build_pack(view, renderer)
            size.serial_wall.append(time.perf_counter() - t)
            size.serial_cpu.append(cpu_seconds() - c)


def run(runs: int = 3, items: int | None = None) -> list[Size]:
    """Every size, ``runs`` times each (sizes interleaved, so a change of load touches all)."""
    sizes = list(SIZES) if items is None else [*SIZES[:2], (items, 6)]
    out = [Size(10 ** i, r) for i, (r, _) in enumerate(sizes)]
    for k in range(runs):
        for (reports, sections), size in zip(sizes, out, strict=True):
            _once(large_pack(reports, sections), size, again=size is out[-1],
                  serial=size is not out[-1] or k == 0)
            print(f"  run {k + 1}: {size.pages} pages: one go {size.one_wall[-1]:.1f} s "
                  f"(CPU {size.one_cpu[-1]:.1f}), pack {size.parts_wall[-1]:.1f} s "
                  f"(CPU {size.parts_cpu[-1]:.1f}) on {size.workers[-1]} worker(s), "
                  f"load {size.loads[-1]:.2f}")
    return out


def _fig(values: list[float], unit: str = " s") -> str:
    spread = (max(values) - min(values)) / 2
    return f"{statistics.median(values):.2f}{unit} ± {spread:.2f}"


def _runs(n: int) -> str:
    return "1 run" if n == 1 else f"{n} runs"


def _workers(s: Size) -> str:
    chosen = statistics.median(s.workers)
    return f"on {chosen:.0f} workers" if chosen >= 2 else "in this process"


def section(sizes: list[Size], loads: tuple[float, float]) -> str:
    big = sizes[-1]
    base_per_page = statistics.median(sizes[0].parts_cpu) / sizes[0].pages
    rows, serial, verdicts = [], [], []
    for s in sizes:
        growth = statistics.median(s.parts_cpu) / s.pages / base_per_page
        rows.append(
            f"| {s.scale}x ({s.pages} pages, {s.reports} reports) | {_fig(s.one_wall)} "
            f"(CPU {_fig(s.one_cpu)}) | {_fig(s.parts_wall)} (CPU {_fig(s.parts_cpu)}) "
            f"{_workers(s)} | **{s.speedup():.2f}x** | {s.cpu_ratio():.2f} | {growth:.2f}x |")
        runs = len(s.serial_cpu)
        serial.append(f"| {s.pages} pages | {_fig(s.serial_wall)} (CPU {_fig(s.serial_cpu)})"
                      f"{'' if runs >= len(s.one_wall) else f' ({_runs(runs)})'} | "
                      f"{s.serial_ratio():.2f} |")
        verdicts.append(f"- {s.pages} pages: {s.verdict()} (load "
                        f"{min(s.loads):.1f}-{max(s.loads):.1f}).")
    again = statistics.median(big.again_wall) / statistics.median(big.parts_wall)
    busy = loads[0] >= (os.cpu_count() or 1)
    return f"""{HEADING}: {sizes[0].pages}, {sizes[1].pages} and {big.pages} pages

The pack is the seed material (file 000's cover sheets and tables, file 004's budget
monitoring) scaled to 1x, 10x and 100x pages. Both ways produce a tagged PDF/UA-1 document
with the same content. Each figure is the median of {len(big.one_wall)} runs ± half the
spread; every run starts with an empty cache. CPU is counted in all processes (the workers'
too). The renderer chooses per round of rendering (`parallel_workers`): worker processes
only when at least two cores are free (the load average against the cores), there are at
least {PARALLEL_MIN_WORK:,} characters of HTML to render (about 10 pages) and no one part
holds most of it; otherwise every part is rendered in this process, one after another
(no pool started, the per-part cache still filled). The pool's workers are forked after this
process has configured the fonts and parsed the stylesheets, so none loads its own, and with
this process's objects out of the garbage collector's reach while they are forked
(`gc.freeze`), so a worker's collections do not walk the parent's heap and copy its pages
(by hand, interleaved, 399 pages on 2 idle workers: 31.6 -> 28.1 s of CPU).

| size | WeasyPrint in one go, one process (raw) \
| s75 pack: parts, linked (tags, outline, "Page x of y" kept), as the renderer chose \
| speed-up (wall; goal ≥ 1.6x at 100x) | CPU, pack / one go | CPU per page vs 1x |
|---|---|---|---|---|---|
{chr(10).join(rows)}

What the renderer did, per size:

{chr(10).join(verdicts)}

Every part in this process, one after another (the fallback, measured at every size: in a
run where the renderer chose it, that run is the measurement; otherwise it is rendered once
more, in every run at 1x and 10x and in the first at 100x, where it takes about as long as
one go):

| size | s75 pack, one process | CPU / one go |
|---|---|---|
{chr(10).join(serial)}

The CPU above one go's is the price of the split, in one process too: the agenda is laid out
twice (once to count its pages, then with its page column), the "Page x of y" footers are a
render of their own, and each part is parsed again with pypdf to be made linkable (the one go
parses its whole PDF once, to scope its table headers). At a few pages that fixed cost is
most of the work; a true one-go render of the pack is not the same document (no page column,
no bound appendices, no per-part cache for a re-render), so the renderer keeps the parts and
saves only what the pool would cost.

Re-render after one report changed ({big.again_parts} part rendered, the rest cached):
{_fig(big.again_wall)}, **{again:.3f} of the full render** (goal ≤ 0.1). Linking is string
joining of pre-serialised objects (no PDF parsing at assembly), so a re-render costs about one
item plus the link. The renderer keeps the parts it last linked unpacked (up to 12 MB of their
blobs; unpacking a 400-page pack's parts took 0.17 s), and the linker works out object
references inline (about 160,000 at 400 pages; a call each before): the re-render's fixed part
went from about 0.8 s to 0.5-0.6 s of CPU (the link itself 0.4-0.5 s, the reports' HTML to
hash 0.2 s), measured by hand on 2026-12-02 with other work on the machine (load 1.1-1.4).
The renderer also keeps what its last link did (`LinkMemo`): each part's objects as resolved at
their place, and each object stream compressed, by its content's digest; a part at the same
place is not resolved again, an unchanged object stream not compressed again (same bytes):
the link of a re-render 0.22 -> 0.11 s, the re-render 0.63 -> 0.52-0.54 s of CPU at 399
pages (measured by hand on 2026-12-03, load 0.6-2.8). What remains is the one report's
WeasyPrint render (about 0.33 s at idle) and making it linkable with pypdf (0.05 s).
Load average (1 min) {loads[0]:.2f} before and {loads[1]:.2f} after, on {os.cpu_count()}
logical cores{" (busy: compare the CPU columns)" if busy else ""}.
"""
