"""Fonts in a pack: whole faces shared by the linker, against per-part subsets.

Parts are rendered with whole fonts (``Renderer.full_fonts``): WeasyPrint skips subsetting,
which was about half of a part's render time, and every part embeds the same face files,
which the linker writes once per pack (``Renderer.share_fonts``). Used by ``python -m bench``.
"""

from __future__ import annotations

import io
import resource
import time
from dataclasses import dataclass

from pypdf import PdfReader

from notifications.documents.pack import MemoryCache, Renderer, build_pack
from notifications.documents.views import PackView

VARIANTS = {
    "subset": "a subset of each face in every part (WeasyPrint's default, before)",
    "unshared": "whole faces, one copy per part (`full_fonts` alone)",
    "shared": "whole faces, written once by the linker (now)",
}


def cpu_seconds() -> float:
    """CPU seconds of this process and its finished children."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def font_files(pdf: bytes) -> int:
    """Distinct embedded font file streams, read with pypdf (the objects may sit in object
    streams, so the file's bytes cannot be searched)."""
    reader = PdfReader(io.BytesIO(pdf))
    seen: set[int] = set()
    for page in reader.pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            for desc in [font.get("/FontDescriptor"),
                         *[d.get_object().get("/FontDescriptor")
                           for d in font.get("/DescendantFonts") or []]]:
                if desc is None:
                    continue
                desc = desc.get_object()
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    if key in desc:
                        seen.add(desc.raw_get(key).idnum)
    return len(seen)


@dataclass(frozen=True)
class FontRun:
    variant: str
    size: int
    files: int
    wall: float
    cpu: float
    pages: int


def run(view: PackView, workers: int, variant: str, repeat: int = 1) -> FontRun:
    """Build ``view`` from scratch ``repeat`` times; the best wall time and its CPU time."""
    best: FontRun | None = None
    for _ in range(repeat):
        t, c = time.perf_counter(), cpu_seconds()
        with Renderer(MemoryCache(), workers=workers, full_fonts=variant != "subset",
                      share_fonts=variant == "shared") as r:
            pack = build_pack(view, r)
            wall = time.perf_counter() - t
        this = FontRun(variant, len(pack.pdf), font_files(pack.pdf), wall, cpu_seconds() - c,
                       pack.pages)
        if best is None or this.wall < best.wall:
            best = this
    assert best is not None
    return best


def relinked_unshared(view: PackView, renderer: Renderer) -> tuple[int, int]:
    """Bytes and font files of ``view`` linked again without sharing, from ``renderer``'s
    cached parts (no rendering)."""
    renderer.share_fonts = False
    try:
        pdf = build_pack(view, renderer).pdf
    finally:
        renderer.share_fonts = True
    return len(pdf), font_files(pdf)


def section(small: dict[str, FontRun], large: dict[str, FontRun], repeat: int) -> str:
    """The "Fonts" section of docs/benchmarks.md."""
    pages = next(iter(large.values())).pages
    spages = next(iter(small.values())).pages
    rows = []
    for v, what in VARIANTS.items():
        s, b = small[v], large[v]
        big_time = f"{b.wall:.1f} s" if b.wall else "(same render as below)"
        rows.append(f"| {what} | {s.size / 1024:.0f} KB, {s.files} | {s.wall:.2f} s "
                    f"(CPU {s.cpu:.1f} s) | {b.size / 1024:.0f} KB, {b.files} | {big_time} |")
    sub, now = large["subset"], large["shared"]
    return f"""## Fonts: whole faces shared by the linker

Parts are rendered with whole font faces (`full_fonts`): WeasyPrint no longer subsets the
fonts of each part with fontTools. Each part then embeds byte-identical face files (the pinned
Arimo fonts are served unpacked with their own timestamps, so parts rendered at different
times or cached on disk match too), and the linker writes each identical font object once per
pack. Sizes are the whole PDF and the number of embedded font files; the sample pack's time is
the best of {repeat} builds from scratch.

| fonts | sample pack ({spages} pages): size, font files | build | \
{pages}-page pack: size, font files | build |
|---|---|---|---|---|
{chr(10).join(rows)}

The {pages}-page pack: {sub.size / now.size:.2f}x the bytes and {sub.wall / now.wall:.2f}x \
the build time with subsets.
"""
