"""Decision packs and supplements, built from per-item renders.

Each part (the agenda, each item's report) is rendered to its own tagged PDF and turned into
linkable form (:mod:`link`) in a worker process, in parallel on the machine's cores, and cached
by the hash of its HTML and the stylesheets. :func:`link.link` joins the parts keeping the
structure tree, one outline entry per item and a continuous "Page x of y" (footers rendered
in chunks, cached by their text). After one report changes only that report is rendered again
(and the agenda, if the report's length moved the page column).

Parts and footers embed whole fonts by default (``Renderer.full_fonts``): no subsetting, about
half the render time; the linker writes each identical face once per pack.
"""

from __future__ import annotations

import gc
import hashlib
import marshal
import multiprocessing
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from decisions.access import is_exempt
from notifications.documents.kinds import agenda_html, report_html
from notifications.documents.link import (
    LinkMemo,
    Relocatable,
    StampSet,
    link,
    relocatable,
    stamp_set,
)
from notifications.documents.part_cache import (
    CACHE_MB_DEFAULT,
    DirCache,
    MemoryCache,
    PartCache,
    bounded_cache,
    default_cache,
)
from notifications.documents.render import (
    HTML,
    PDF_TEMPLATES,
    TEMPLATES,
    TemplateOnlyFetcher,
    check_fonts,
    html_to_pdf,
    shared_styles,
)
from notifications.documents.views import AgendaView, PackView, ReportView, SupplementView
from notifications.documents.workers import cores, free_cores, parallel_workers

Progress = Callable[[int, int, str], None]
"""Called as ``progress(done, total, what)`` while parts render."""
STAMP_CHUNK = 100
__all__ = ["CACHE_MB_DEFAULT", "DirCache", "MemoryCache", "PackResult", "Part", "PartCache",
           "Renderer", "bounded_cache", "build_pack", "build_supplement", "cores",
           "default_cache", "free_cores", "parallel_workers"]


def _style_hash() -> str:
    h = hashlib.sha256(b"s75-documents-2")
    for path in sorted((TEMPLATES / "static" / "css").glob("*.css")):
        h.update(path.read_bytes())
    return h.hexdigest()


LOADED_BYTES = 12 * 1024 * 1024
"""A renderer keeps the parts it last linked unpacked, up to this many bytes of their blobs
(a 400-page pack's parts are about 9 MB of blobs, about 31 MB unpacked)."""

STAMP_WORK = 200
"""A footer label weighs as about 200 characters of a part's HTML (measured render time)."""


# Work done in worker processes (module-level so it pickles) --------------------------------
def _render_part(job: tuple[str, bool]) -> bytes:
    """Render ``(html, full_fonts)`` and make it linkable; the result is what the cache keeps
    (plain data only)."""
    html, full_fonts = job
    rel = relocatable(html_to_pdf(html, full_fonts=full_fonts, scope_headers=False).pdf)
    return marshal.dumps(tuple(getattr(rel, f) for f in Relocatable.__dataclass_fields__))


L = TypeVar("L")


def _load_part(blob: bytes) -> Relocatable:
    return Relocatable(*marshal.loads(blob))


def _load_stamps(blob: bytes) -> StampSet:
    return StampSet(*marshal.loads(blob))


def _render_stamp_set(job: tuple[tuple[str, ...], bool]) -> bytes:
    labels, full_fonts = job
    s = stamp_set(_render_stamps(labels, full_fonts))
    return marshal.dumps((s.objects, s.forms, s.shared))


def _render_stamps(labels: tuple[str, ...], full_fonts: bool = True) -> bytes:
    """One page per label, the label in the footer; untagged (it becomes an artifact)."""
    styles = shared_styles()
    pages = "".join(f'<div class="p"><span>{label}</span></div>' for label in labels)
    html = ('<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><style>'
            '@page { size: A4; margin: 0 } html, body { margin: 0 }'
            '.p { height: 297mm; position: relative; break-before: page; overflow: hidden }'
            '.p:first-child { break-before: auto }'
            '.p span { position: absolute; right: 18mm; bottom: 9mm; font: 9pt "S75 Arimo";'
            ' line-height: 1 }'
            f"</style></head><body>{pages}</body></html>")
    doc = HTML(string=html, base_url=str(PDF_TEMPLATES) + "/",
               url_fetcher=TemplateOnlyFetcher()).render(
        font_config=styles.fonts, stylesheets=[styles.print_css])
    return bytes(doc.write_pdf(full_fonts=full_fonts))


@dataclass(frozen=True)
class Part:
    title: str
    html: str
    kind: str = "item"

    def digest(self, style: str) -> str:
        return hashlib.sha256(f"{style}\0{self.kind}\0{self.html}".encode()).hexdigest()


@contextmanager
def frozen_for_fork(forking: bool) -> Iterator[None]:
    """While the pool's workers are forked (its first submit forks them all), this process's
    objects are moved out of the garbage collector's reach (``gc.freeze``), so a worker's
    collections do not walk the parent's heap and copy its pages on write; they are handed
    back to the collector once the workers exist. Measured by hand on 2026-12-04 (2 idle
    cores, interleaved): the 399-page pack on 2 workers 31.6 -> 28.1 s of CPU, 16.6 -> 14.6 s
    of wall time (the median of two pairs; 36.6 -> 32.7 s of CPU after a one-go render had
    grown the heap, as in the benchmark)."""
    if not forking:
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@dataclass
class Renderer:
    """Renders parts through a cache, in parallel when more than one is missing."""

    cache: PartCache = field(default_factory=MemoryCache)
    workers: int = field(default_factory=cores)
    progress: Progress | None = None
    full_fonts: bool = True
    """Embed whole font faces (shared by the linker) rather than per-part subsets."""
    share_fonts: bool = True
    """Link identical font objects once per pack (off only to measure what it saves)."""
    adaptive: bool = True
    """Use only the free cores (:func:`free_cores`, at most ``workers``), and render in this
    process when fewer than two are free or the work is too small to split
    (:func:`parallel_workers`): parallel would lose."""
    rendered: int = 0
    reused: int = 0
    decisions: deque[tuple[int, int]] = field(default_factory=lambda: deque(maxlen=64))
    """For each recent round that rendered anything: (jobs rendered, workers used; 1 is this
    process)."""
    _pool: ProcessPoolExecutor | None = None
    _pool_size: int = 0
    _loaded: OrderedDict[str, tuple[Any, int]] = field(default_factory=OrderedDict)
    """The last parts linked, unpacked, with their blob's size (unpacking a 400-page pack's
    cached parts took 0.17 s: a fifth of re-rendering it after one report changed)."""
    _loaded_bytes: int = 0
    _link_memo: LinkMemo = field(default_factory=LinkMemo)
    """What the last link resolved and compressed, for the next (a re-render relinks the same
    parts, most at the same place)."""
    _style: str = field(default_factory=_style_hash)

    def __post_init__(self) -> None:
        if not self.full_fonts:
            self._style += "-subset"

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def pool(self, size: int | None = None) -> ProcessPoolExecutor:
        if self._pool is None:
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            if method == "fork":
                # Loaded before the fork, so every worker starts with the fonts configured,
                # the stylesheets parsed and the faces unpacked (none loads its own).
                shared_styles()
            self._pool_size = size or self._workers_now()
            self._pool = ProcessPoolExecutor(max_workers=self._pool_size,
                                             mp_context=multiprocessing.get_context(method))
        return self._pool

    def _workers_now(self) -> int:
        return min(self.workers, free_cores()) if self.adaptive else self.workers

    def _plan(self, sizes: Sequence[int]) -> int:
        if len(sizes) < 2 or self.workers < 2:
            return 1
        if not self.adaptive:
            return min(self.workers, len(sizes))
        free = self._workers_now()
        if self._pool is not None:
            free = min(free, self._pool_size)
        return parallel_workers(sizes, self.workers, free)

    def _run(self, jobs: Sequence[tuple[str, Callable[[Any], bytes], Any, str, int]],
             count: bool = True) -> dict[str, bytes]:
        """Jobs are (cache key, function, argument, title, size); the missing ones run in the
        pool (biggest first) when there are several, else in this process."""
        check_fonts()
        found: dict[str, bytes] = {}
        todo: dict[str, tuple[Callable[[Any], bytes], Any, str, int]] = {}
        for key, fn, arg, title, size in jobs:
            if key in found or key in todo:
                continue
            cached = self.cache.get(key)
            if cached is not None:
                found[key] = cached
                self.reused += count
            else:
                todo[key] = (fn, arg, title, size)
        total, done = len(todo), 0
        if self.progress and total:
            self.progress(0, total, "rendering")
        use = self._plan([todo[k][3] for k in todo]) if todo else 1
        if todo:
            self.decisions.append((total, use))
        if use > 1:
            order = sorted(todo, key=lambda k: -todo[k][3])
            with frozen_for_fork(self._pool is None):
                futures: dict[Future[bytes], str] = {
                    self.pool(use).submit(todo[k][0], todo[k][1]): k for k in order}
            for fut in as_completed(futures):
                k = futures[fut]
                found[k] = fut.result()
                self.cache.put(k, found[k])
                done += 1
                if self.progress:
                    self.progress(done, total, todo[k][2])
        else:
            for k, (fn, arg, title, _size) in todo.items():
                found[k] = fn(arg)
                self.cache.put(k, found[k])
                done += 1
                if self.progress:
                    self.progress(done, total, title)
        if count:
            self.rendered += sum(1 for k in todo if not k.startswith("stamp"))
        return found

    def _part_jobs(self, parts: Sequence[Part]) -> list[tuple[str, Callable[[Any], bytes], Any,
                                                                str, int]]:
        return [(p.digest(self._style), _render_part, (p.html, self.full_fonts), p.title,
                 len(p.html)) for p in parts]

    def _stamp_jobs(self, labels: Sequence[str]) -> list[tuple[str, Callable[[Any], bytes],
                                                                Any, str, int]]:
        chunks = [tuple(labels[i:i + STAMP_CHUNK]) for i in range(0, len(labels), STAMP_CHUNK)]
        return [("stamp" + hashlib.sha256(("\0" + self._style + "\0".join(c)).encode())
                 .hexdigest(), _render_stamp_set, (c, self.full_fonts), "page numbers",
                 STAMP_WORK * len(c))
                for c in chunks]

    def render(self, parts: Sequence[Part], extra: Sequence[Part] = ()
               ) -> list[Relocatable]:
        """Render ``parts`` (and, alongside, ``extra`` parts whose results are only cached)."""
        jobs = self._part_jobs(parts)
        found = self._run(jobs + self._part_jobs(extra))
        return [self._load(k, found[k], _load_part) for k, *_ in jobs]

    def _load(self, key: str, blob: bytes, unpack: Callable[[bytes], L]) -> L:
        # Keyed by the content hash, so what is kept unpacked is always the blob's.
        kept = self._loaded.pop(key, None)
        part: L = kept[0] if kept is not None else unpack(blob)
        self._loaded[key] = (part, len(blob))
        self._loaded_bytes += len(blob) - (kept[1] if kept is not None else 0)
        while self._loaded_bytes > LOADED_BYTES and len(self._loaded) > 1:
            self._loaded_bytes -= self._loaded.popitem(last=False)[1][1]
        return part

    def render_with_stamps(self, part: Part, labels: Sequence[str]
                           ) -> tuple[Relocatable, list[StampSet]]:
        """One part and the page-number footers, rendered together."""
        pjobs, sjobs = self._part_jobs([part]), self._stamp_jobs(labels)
        found = self._run(pjobs + sjobs)
        return (self._load(pjobs[0][0], found[pjobs[0][0]], _load_part),
                [self._load(k, found[k], _load_stamps) for k, *_ in sjobs])


@dataclass(frozen=True)
class PartInfo:
    title: str
    first_page: int
    pages: int


@dataclass(frozen=True)
class PackResult:
    pdf: bytes
    pages: int
    first_page: int
    parts: tuple[PartInfo, ...]
    rendered: int
    reused: int


def _item_parts(agenda: AgendaView, reports: Sequence[ReportView], public: bool) -> list[Part]:
    return [Part(f"{r.number}. {r.title}" + (" (Part 2)" if is_exempt(r) else ""),
                 report_html(r, agenda, public=public, folio=False)) for r in reports]


def _bound_appendices(reports: Sequence[ReportView], public: bool
                      ) -> list[list[tuple[str, Relocatable]]]:
    """Each report's PDF appendices as untagged parts bound in after it (none for a Part 2
    report in a public pack)."""
    return [[] if public and is_exempt(r) else
            [(f"Appendix {r.number}.{a.letter}: {a.title}", relocatable(a.pdf, untagged=True))
             for a in r.appendices if a.pdf] for r in reports]


def _build(title: str, front: Callable[[dict[str, int]], str], items: list[Part],
           numbers: list[str], renderer: Renderer, first_page: int, label: str,
           bound: Sequence[list[tuple[str, Relocatable]]] = ()) -> PackResult:
    # Round 1: the items, and beside them a provisional agenda (no page column yet) to learn
    # how many pages the agenda takes.
    provisional = Part(title, front({}), "front")
    bodies = renderer.render(items, extra=[provisional])
    front_pages = len(renderer.render([provisional])[0].pages)
    bound = list(bound) or [[] for _ in items]
    counts = [len(b.pages) + sum(len(x.pages) for _, x in extra)
              for b, extra in zip(bodies, bound, strict=True)]
    for _ in range(4):
        # Round 2: the agenda with its page column, and the "Page x of y" footers, together.
        pages, at = {}, first_page + front_pages
        for number, n in zip(numbers, counts, strict=True):
            pages[number] = at
            at += n
        total = front_pages + sum(counts)
        last = first_page + total - 1
        labels = [label.format(page=first_page + i, last=last) for i in range(total)]
        front_part, stamps = renderer.render_with_stamps(Part(title, front(pages), "front"),
                                                         labels)
        if len(front_part.pages) == front_pages:
            break
        front_pages = len(front_part.pages)  # the page column changed its length: again
    parts = [("Agenda", front_part)]
    for p, b, extra in zip(items, bodies, bound, strict=True):
        parts += [(p.title, b), *extra]
    pdf = link(parts, stamps, title, share_fonts=renderer.share_fonts,
               memo=renderer._link_memo)
    infos, at = [PartInfo("Agenda", first_page, front_pages)], first_page + front_pages
    for p, n in zip(items, counts, strict=True):
        infos.append(PartInfo(p.title, at, n))
        at += n
    return PackResult(pdf, total, first_page, tuple(infos), renderer.rendered, renderer.reused)


def build_pack(view: PackView, renderer: Renderer | None = None) -> PackResult:
    """The decision pack: agenda (with a page column), then each item's report.

    Public packs show Part 2 items as title and exempt paragraph only.
    """
    own = renderer is None
    r = renderer or Renderer()
    try:
        agenda = view.agenda
        items = _item_parts(agenda, view.reports, view.public)
        numbers = [rep.number for rep in view.reports]
        return _build(view.title, lambda pages: agenda_html(agenda, public=view.public,
                                                            pages=pages, folio=False),
                      items, numbers, r, 1, "Page {page} of {last}",
                      _bound_appendices(view.reports, view.public))
    finally:
        if own:
            r.__exit__(None, None, None)


def build_supplement(view: SupplementView, renderer: Renderer | None = None) -> PackResult:
    """A numbered supplement whose page numbers follow on from the main pack's and whose
    items take the next agenda numbers (so paragraph numbers follow on too)."""
    own = renderer is None
    r = renderer or Renderer()
    try:
        items = _item_parts(view.agenda, view.reports, view.public)
        numbers = [rep.number for rep in view.reports]
        label = f"Supplement {view.number} · page {{page}} (pages {view.first_page}–{{last}})"
        return _build(view.title, lambda pages: agenda_html(
            view.agenda, public=view.public, pages=pages, supplement=view, folio=False),
            items, numbers, r, view.first_page, label,
            _bound_appendices(view.reports, view.public))
    finally:
        if own:
            r.__exit__(None, None, None)
