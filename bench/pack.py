"""The decision pack at 1x, 10x and 100x (``python -m bench pack``).

Each size is rendered twice a run: WeasyPrint on the whole pack's HTML in one go in one process
(the raw baseline), and the s75 pack (parts on the workers the renderer chooses from the free
cores, linked). Each run starts with an empty cache, so nothing is reused between runs. At the
largest size each run then re-renders the pack after one report changed (the rest cached).
CPU time is counted in every process (the workers' CPU too), beside the wall time.
"""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass, field, replace

from bench.fonts import cpu_seconds
from notifications.documents import kinds
from notifications.documents.pack import MemoryCache, Renderer, build_pack, cores, free_cores
from notifications.documents.samples import large_pack
from notifications.documents.views import PackView

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


def _changed(view: PackView) -> PackView:
    reports = list(view.reports)
    i = len(reports) // 2
    reports[i] = replace(reports[i], recommendations=(
        *reports[i].recommendations, "Note the revised figures in paragraph 3."))
    return replace(view, reports=tuple(reports))


def _once(view: PackView, size: Size, again: bool) -> None:
    t, c = time.perf_counter(), time.process_time()
    one = kinds.render(kinds.pack_html(view))
    size.one_wall.append(time.perf_counter() - t)
    size.one_cpu.append(time.process_time() - c)
    size.pages = one.pages
    with Renderer(MemoryCache(), workers=cores()) as renderer:
        size.workers.append(min(cores(), free_cores()))
        t, c = time.perf_counter(), cpu_seconds()
        build_pack(view, renderer)
        size.parts_wall.append(time.perf_counter() - t)
        if again:
            before = renderer.rendered
            t = time.perf_counter()
            build_pack(_changed(view), renderer)
            size.again_wall.append(time.perf_counter() - t)
            size.again_parts = renderer.rendered - before
    size.parts_cpu.append(cpu_seconds() - c)  # after the pool shut down: its workers counted


def run(runs: int = 3, items: int | None = None) -> list[Size]:
    """Every size, ``runs`` times each (sizes interleaved, so a change of load touches all)."""
    sizes = list(SIZES) if items is None else [*SIZES[:2], (items, 6)]
    out = [Size(10 ** i, r) for i, (r, _) in enumerate(sizes)]
    for k in range(runs):
        for (reports, sections), size in zip(sizes, out, strict=True):
            _once(large_pack(reports, sections), size, again=size is out[-1])
            print(f"  run {k + 1}: {size.pages} pages: one go {size.one_wall[-1]:.1f} s, "
                  f"parts {size.parts_wall[-1]:.1f} s on {size.workers[-1]} worker(s)")
    return out


def _fig(values: list[float], unit: str = " s") -> str:
    spread = (max(values) - min(values)) / 2
    return f"{statistics.median(values):.2f}{unit} ± {spread:.2f}"


def section(sizes: list[Size], loads: tuple[float, float]) -> str:
    big = sizes[-1]
    base_per_page = statistics.median(sizes[0].parts_cpu) / sizes[0].pages
    rows = []
    for s in sizes:
        growth = statistics.median(s.parts_cpu) / s.pages / base_per_page
        rows.append(
            f"| {s.scale}x ({s.pages} pages, {s.reports} reports) | {_fig(s.one_wall)} "
            f"(CPU {_fig(s.one_cpu)}) | {_fig(s.parts_wall)} (CPU {_fig(s.parts_cpu)}) "
            f"on {statistics.median(s.workers):.0f} worker(s) | **{s.speedup():.2f}x** "
            f"| {s.cpu_ratio():.2f} | {growth:.2f}x |")
    again = statistics.median(big.again_wall) / statistics.median(big.parts_wall)
    cpu_note = ("the parts spend less CPU than one go at every size"
                if all(s.cpu_ratio() <= 1.0 for s in sizes) else
                "where the CPU ratio is above 1, splitting costs more CPU than one go")
    busy = loads[0] >= (os.cpu_count() or 1)
    return f"""{HEADING}: {sizes[0].pages}, {sizes[1].pages} and {big.pages} pages

The pack is the seed material (file 000's cover sheets and tables, file 004's budget
monitoring) scaled to 1x, 10x and 100x pages. Both ways produce a tagged PDF/UA-1 document
with the same content. Each figure is the median of {len(big.one_wall)} runs ± half the
spread; every run starts with an empty cache. CPU is counted in all processes.

| size | WeasyPrint in one go, one process (raw) \
| s75 pack: parts, linked (tags, outline, "Page x of y" kept) \
| speed-up (wall; goal ≥ 1.6x at 100x) | CPU, parts / one go | CPU per page vs 1x |
|---|---|---|---|---|---|
{chr(10).join(rows)}

Re-render after one report changed ({big.again_parts} part rendered, the rest cached):
{_fig(big.again_wall)}, **{again:.3f} of the full render** (goal ≤ 0.1).

The renderer chooses its workers from the free cores (the load average against the cores) and
renders in this process, one part after another, when none is free, rather than lose to
parallel work; {cpu_note}. Linking is string joining of pre-serialised objects (no PDF parsing
at assembly), so a re-render costs about one item plus the link.
Load average (1 min) {loads[0]:.2f} before and {loads[1]:.2f} after, on {os.cpu_count()}
logical cores{" (busy: compare the CPU columns)" if busy else ""}.
"""
