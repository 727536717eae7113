"""Join tagged PDF parts into ONE accessible PDF, fast: a small linker.

A naive merge (pypdf ``append``) drops the structure tree, the outline and continuous page
numbers (DESIGN.md §6). Each part is first turned into relocatable form
(:mod:`notifications.documents.relocate`, in the worker that rendered it); linking is then
string joining:

- every part's objects are renumbered by an offset;
- its top structure elements go under one ``/Document`` element (the part's own
  ``/Document`` becomes a ``/Part``), its parent tree entries and the pages' ``/StructParents``
  and annotations' ``/StructParent`` keys are shifted, so the tags and their marked content
  still match;
- named destinations are merged, and one outline gets an entry per part with the part's
  section headings beneath;
- each page gets a "Page x of y" footer drawn from a form XObject inside
  ``/Artifact BDC ... EMC`` (page numbers are pagination artifacts in PDF/UA); the forms come
  from a small untagged WeasyPrint render with the embedded Arimo subset it uses;
- identical fonts are written once: the parts' (and footers') shareable objects (font
  dictionaries, descriptors, embedded font files, ``ToUnicode`` maps) are keyed by their
  content and the objects they refer to, and a part whose font is already in the output
  refers to that copy (:class:`_Shared`). Parts render with whole fonts (no subsetting, about
  half the render time), so every part embeds the same face files and a pack holds each
  face once;
- the catalog carries ``/MarkInfo``, ``/Lang``, ``/ViewerPreferences /DisplayDocTitle`` and
  PDF/UA XMP metadata with the title.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from functools import partial
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from pypdf.generic import TextStringObject

from notifications.documents.pdfout import LinkMemo, Out, Resolved
from notifications.documents.relocate import (
    APUSH,
    ATAIL,
    DOC,
    FOLIO,
    KEY,
    OBJ,
    PAGES,
    PUSH,
    TAIL,
    Chunk,
    Relocatable,
    StampSet,
    relocatable,
    stamp_set,
)

__all__ = ["LinkMemo", "Relocatable", "StampSet", "link", "relocatable", "stamp_set"]

ARTIFACT = b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n/S75Folio Do\nEMC\n"
LANG = "en-GB"


def _xmp(title: str) -> bytes:
    t = escape(title)
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">'
        "<pdfuaid:part>1</pdfuaid:part></rdf:Description>"
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{t}</rdf:li></rdf:Alt></dc:title>'
        f"<dc:language><rdf:Bag><rdf:li>{LANG}</rdf:li></rdf:Bag></dc:language>"
        "</rdf:Description>"
        '<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">'
        "<pdf:Producer>s75 (WeasyPrint)</pdf:Producer></rdf:Description>"
        "</rdf:RDF></x:xmpmeta>\n<?xpacket end=\"r\"?>").encode()


def _text(value: str) -> bytes:
    buf = BytesIO()
    TextStringObject(value).write_to_stream(buf)
    return buf.getvalue()


class _Shared:
    """The shareable objects already written: output id by content key."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.written: dict[bytes, int] = {}

    def place(self, objects: Sequence[tuple[int, Sequence[Chunk]]], shared: Sequence[int],
              offset: int) -> dict[int, int]:
        """For one part (or stamp set) about to be written at ``offset``: its shareable
        objects already in the output, as ``{id in the part: id in the output}``; the others
        are recorded as written at ``id + offset``."""
        if not shared or not self.enabled:
            return {}
        chunks = {i: c for i, c in objects}
        can = set(shared) & chunks.keys()
        keys: dict[int, bytes | None] = {}

        def key(i: int, open_: frozenset[int]) -> bytes | None:
            """The content key of object ``i``: its bytes, with each reference replaced by the
            key of the object it refers to; None unless every reference is shareable too."""
            if i in keys:
                return keys[i]
            if i not in can or i in open_:
                return None
            h = hashlib.sha256()
            result: bytes | None = None
            for c in chunks[i]:
                if isinstance(c, bytes):
                    h.update(b"%d:" % len(c))
                    h.update(c)
                    continue
                ref = key(c[1], open_ | {i}) if c[0] == OBJ else None
                if ref is None:
                    break
                h.update(b"@" + ref)
            else:
                result = h.digest()
            keys[i] = result
            return result

        here: dict[int, int] = {}
        for i in sorted(can):
            k = key(i, frozenset())
            if k is None:
                continue
            if k in self.written:
                here[i] = self.written[k]
            else:
                self.written[k] = i + offset
        return here


def link(parts: Sequence[tuple[str, Relocatable]], stamps: Sequence[StampSet],
         title: str, *, share_fonts: bool = True, memo: LinkMemo | None = None) -> bytes:
    """One PDF from ``(outline title, part)`` pairs, numbered by ``stamps`` (one form per
    page, in order, across the stamp sets). ``share_fonts`` writes identical font objects
    once. With ``memo`` (kept from the last link), a part linked at the same place as last
    time is not resolved again, nor an unchanged object stream compressed again."""
    out = Out()
    shared = _Shared(share_fonts)
    placed = _Placed(memo)
    next_id = 1
    folio_forms: list[int] = []
    for s in stamps:
        offset = next_id - 1
        here = shared.place(s.objects, s.shared, offset)

        def shift(_kind: str, value: int, offset: int = offset,
                  here: dict[int, int] = here) -> bytes:
            return b"%d 0 R" % here.get(value, value + offset)

        _done, top = placed.write(out, s, (offset, here), partial(
            _resolve_part, s.objects, (), (), offset, here, shift, 0))
        folio_forms.extend(f + offset for f in s.forms)
        next_id = max(next_id, top + offset + 1)
    total_pages = sum(len(p.pages) for _, p in parts)
    if folio_forms and len(folio_forms) != total_pages:
        raise ValueError(f"{len(folio_forms)} page footers for {total_pages} pages")
    catalog, pages_id, st_id, doc_id, tree_id, meta_id, push_id, tail_id, info_id = range(
        next_id, next_id + 9)
    apush_id, atail_id = next_id + 9, next_id + 10
    next_id += 11
    fixed = {PAGES: pages_id, DOC: doc_id, PUSH: push_id, TAIL: tail_id, APUSH: apush_id,
             ATAIL: atail_id}
    page_ids: list[int] = []
    kids: list[int] = []
    nums: list[bytes] = []
    dests: dict[bytes, bytes] = {}
    outline: list[tuple[str, int, list[tuple[str, int, float]]]] = []
    key_base = 0
    for name, part in parts:
        offset = next_id - 1
        first_page = len(page_ids)
        here = shared.place(part.objects, part.shared, offset)

        def resolve(kind: str, value: int, offset: int = offset, key_base: int = key_base,
                    first_page: int = first_page, here: dict[int, int] = here) -> bytes:
            if kind == OBJ:
                return b"%d 0 R" % here.get(value, value + offset)
            if kind == KEY:
                return b"%d" % (value + key_base)
            if kind == FOLIO:
                return b"%d 0 R" % folio_forms[first_page + value] if folio_forms else b"null"
            return b"%d 0 R" % fixed[kind]

        folios = folio_forms[first_page:first_page + len(part.pages)]
        (_s, _p, part_nums, part_dests), top = placed.write(
            out, part, (offset, key_base, first_page, here, folios, fixed),
            partial(_resolve_part, part.objects, part.nums, part.dests, offset, here, resolve,
                    key_base))
        page_ids.extend(p + offset for p in part.pages)
        kids.extend(t + offset for t in part.tops)
        nums.extend(part_nums)
        for dname, dest in part_dests:
            dests.setdefault(dname, dest)
        outline.append((name, first_page, [(t, first_page + n, y) for t, n, y in part.headings]))
        key_base += part.next_key
        next_id = max(next_id, top + offset + 1)
    placed.done()
    refs = b" ".join(b"%d 0 R" % i for i in page_ids)
    out.obj(pages_id, b"<</Type /Pages /Count %d /Kids [%s]>>" % (len(page_ids), refs))
    out.obj(doc_id, b"<</Type /StructElem /S /Document /P %d 0 R /K [%s]>>" % (
        st_id, b" ".join(b"%d 0 R" % k for k in kids)))
    out.obj(tree_id, b"<</Nums [" + b"\n".join(nums) + b"]>>")
    out.obj(st_id, b"<</Type /StructTreeRoot /K [%d 0 R] /ParentTree %d 0 R "
                   b"/ParentTreeNextKey %d>>" % (doc_id, tree_id, key_base))
    meta = _xmp(title)
    out.obj(meta_id, b"<</Type /Metadata /Subtype /XML /Length %d>>\nstream\n" % len(meta)
            + meta + b"\nendstream")
    out.obj(push_id, b"<</Length 2>>\nstream\nq\n\nendstream")
    tail = b"\nQ\n" + ARTIFACT
    out.obj(tail_id, b"<</Length %d>>\nstream\n" % len(tail) + tail + b"\nendstream")
    apush = b"q\n/Artifact BMC\n"
    out.obj(apush_id, b"<</Length %d>>\nstream\n" % len(apush) + apush + b"\nendstream")
    atail = b"\nEMC\nQ\n" + ARTIFACT
    out.obj(atail_id, b"<</Length %d>>\nstream\n" % len(atail) + atail + b"\nendstream")
    out.obj(info_id, b"<</Title " + _text(title) + b" /Producer (s75 \\(WeasyPrint\\))>>")
    outlines_id = next_id
    next_id = _outline(out, outlines_id, outline, page_ids)
    names = b""
    if dests:
        flat = b" ".join(k + b" " + dests[k] for k in sorted(dests))
        names = b"/Names <</Dests <</Names [" + flat + b"]>>>>"
    out.obj(catalog, b"<</Type /Catalog /Pages %d 0 R /StructTreeRoot %d 0 R "
                     b"/MarkInfo <</Marked true>> /Lang %s /Metadata %d 0 R "
                     b"/ViewerPreferences <</DisplayDocTitle true>> /Outlines %d 0 R "
                     b"/PageMode /UseOutlines %s>>" % (
                         pages_id, st_id, _text(LANG), meta_id, outlines_id, names))
    return out.finish(catalog, info_id, memo)


class _Placed:
    """Each part's objects as resolved at its place, from ``memo`` when the last link put the
    same part at the same place; what this link placed is kept for the next (:meth:`done`)."""

    def __init__(self, memo: LinkMemo | None) -> None:
        self.memo = memo
        self.kept: dict[int, tuple[Any, tuple[Any, ...], Resolved, int]] = {}

    def write(self, out: Out, part: Relocatable | StampSet, place: tuple[Any, ...],
              make: Callable[[], Resolved]) -> tuple[Resolved, int]:
        """Write ``part`` at ``place``; its resolved form and its highest object id."""
        old = self.memo.parts.get(id(part)) if self.memo is not None else None
        same = old is not None and old[0] is part
        done = old[2] if same and old[1] == place else make()  # type: ignore[index]
        top = old[3] if same else max((i for i, _ in part.objects), default=0)  # type: ignore[index]
        if self.memo is not None:
            self.kept[id(part)] = (part, place, done, top)
        for idnum, body in done[0]:
            out.write(idnum, body)
        out.packed.extend(done[1])
        return done, top

    def done(self) -> None:
        if self.memo is not None:
            self.memo.parts = self.kept


def _resolve_part(objects: Sequence[tuple[int, Sequence[Chunk]]],
                  nums: Sequence[tuple[int, Sequence[Chunk]]],
                  dests: Sequence[tuple[bytes, Sequence[Chunk]]], offset: int,
                  here: dict[int, int], resolve: Callable[[str, int], bytes],
                  key_base: int) -> Resolved:
    """One part's objects, parent-tree entries and destinations as written at ``offset``."""
    streams: list[tuple[int, bytes]] = []
    packed: list[tuple[int, bytes]] = []
    for idnum, chunks in objects:
        if idnum not in here:
            body = _resolve(chunks, offset, here, resolve)
            (streams if body.rstrip().endswith(b"endstream") else packed).append(
                (idnum + offset, body))
    return (streams, packed,
            [b"%d " % (key + key_base) + _resolve(chunks, offset, here, resolve)
             for key, chunks in nums],
            [(dname, _resolve(chunks, offset, here, resolve)) for dname, chunks in dests])


def _resolve(chunks: Sequence[Chunk], offset: int, here: dict[int, int],
             resolve: Callable[[str, int], bytes]) -> bytes:
    """An object's bytes with its references filled in: an object reference (by far the most
    common: about 160,000 in a 400-page pack) is worked out inline, as ``resolve`` would (the
    shared object's id if ``here`` has it, else the id moved by ``offset``); the rarer kinds
    go to ``resolve``. A list comprehension, not a call per reference: the linker's time at
    400 pages was mostly these calls."""
    if here:
        return b"".join([c if c.__class__ is bytes else
                         b"%d 0 R" % here.get(c[1], c[1] + offset) if c[0] == OBJ else
                         resolve(*c) for c in chunks])
    return b"".join([c if c.__class__ is bytes else
                     b"%d 0 R" % (c[1] + offset) if c[0] == OBJ else resolve(*c)
                     for c in chunks])


def _outline(out: Out, root_id: int, entries: list[tuple[str, int, list[tuple[str, int,
             float]]]], page_ids: list[int]) -> int:
    """Write the outline: one entry per part, its headings beneath. Returns the next free id."""
    next_id = root_id + 1
    tops = list(range(next_id, next_id + len(entries)))
    next_id += len(entries)
    for i, (title, first, children) in enumerate(entries):
        me = tops[i]
        kid_ids = list(range(next_id, next_id + len(children)))
        next_id += len(children)
        for j, (ctitle, cpage, y) in enumerate(children):
            links = (b" /Prev %d 0 R" % kid_ids[j - 1] if j else b"") + (
                b" /Next %d 0 R" % kid_ids[j + 1] if j + 1 < len(kid_ids) else b"")
            out.obj(kid_ids[j], b"<</Title " + _text(ctitle) + b" /Parent %d 0 R"
                    b" /Dest [%d 0 R /XYZ null %.2f null]%s>>" % (me, page_ids[cpage], y, links))
        links = (b" /Prev %d 0 R" % tops[i - 1] if i else b"") + (
            b" /Next %d 0 R" % tops[i + 1] if i + 1 < len(tops) else b"")
        kids = (b" /First %d 0 R /Last %d 0 R /Count %d" % (kid_ids[0], kid_ids[-1],
                                                            -len(kid_ids))) if kid_ids else b""
        out.obj(me, b"<</Title " + _text(title) + b" /Parent %d 0 R /Dest [%d 0 R /Fit]%s%s>>"
                % (root_id, page_ids[first], links, kids))
    if tops:
        out.obj(root_id, b"<</Type /Outlines /First %d 0 R /Last %d 0 R /Count %d>>" % (
            tops[0], tops[-1], len(tops)))
    else:
        out.obj(root_id, b"<</Type /Outlines /Count 0>>")
    return next_id
