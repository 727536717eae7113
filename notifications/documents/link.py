"""Join tagged PDF parts into ONE accessible PDF, fast: a small linker.

A naive merge (pypdf ``append``) drops the structure tree, the outline and continuous page
numbers (DESIGN.md §6), and a careful merge with pypdf parses every object of every part
again each time the pack is assembled (about 10 s for 400 pages). Instead each part is turned
once, in the worker that rendered it, into a *relocatable* form: its objects serialised with
their references left as relocations, like an object file. Linking is then string joining:

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
- the catalog carries ``/MarkInfo``, ``/Lang``, ``/ViewerPreferences /DisplayDocTitle`` and
  PDF/UA XMP metadata with the title.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Any, cast
from xml.sax.saxutils import escape

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
    TextStringObject,
)

Reloc = tuple[str, int]
Chunk = bytes | Reloc
Chunks = list[Chunk]

PAGES, DOC, PUSH, TAIL = "pages", "doc", "push", "tail"
OBJ, KEY, FOLIO = "o", "k", "f"
ARTIFACT = b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n/S75Folio Do\nEMC\n"
LANG = "en-GB"


@dataclass(frozen=True)
class Relocatable:
    """One rendered part, ready to link."""

    objects: tuple[tuple[int, tuple[Chunk, ...]], ...]
    pages: tuple[int, ...]
    tops: tuple[int, ...]
    nums: tuple[tuple[int, tuple[Chunk, ...]], ...]
    next_key: int
    dests: tuple[tuple[bytes, tuple[Chunk, ...]], ...]
    headings: tuple[tuple[str, int, float], ...]
    """(title, page index in the part, top) for the part's section headings."""


@dataclass(frozen=True)
class StampSet:
    """Footers for a run of pages: one form XObject per page, and the objects they use."""

    objects: tuple[tuple[int, tuple[Chunk, ...]], ...]
    forms: tuple[int, ...]


class _Writer:
    def __init__(self) -> None:
        self.out: Chunks = []
        self._buf = BytesIO()

    def raw(self, data: bytes) -> None:
        self._buf.write(data)

    def reloc(self, kind: str, value: int) -> None:
        self.flush()
        self.out.append((kind, value))

    def flush(self) -> None:
        if self._buf.tell():
            self.out.append(self._buf.getvalue())
            self._buf = BytesIO()

    def value(self, obj: Any, skip: frozenset[str] = frozenset()) -> None:
        if isinstance(obj, IndirectObject):
            self.reloc(OBJ, obj.idnum)
        elif isinstance(obj, StreamObject):
            self.dict_(obj, skip | {"/Length"})
            data = obj._data
            self.raw(b"/Length %d>>\nstream\n" % len(data))
            self.raw(data)
            self.raw(b"\nendstream")
        elif isinstance(obj, DictionaryObject):
            self.dict_(obj, skip)
            self.raw(b">>")
        elif isinstance(obj, ArrayObject):
            self.raw(b"[")
            for item in obj:
                self.value(item)
                self.raw(b" ")
            self.raw(b"]")
        else:
            obj.write_to_stream(self._buf)

    def dict_(self, obj: DictionaryObject, skip: frozenset[str]) -> None:
        """``<<`` and the entries, left open for the caller to add to and close."""
        self.raw(b"<<")
        self.entries(obj, skip)

    def entries(self, obj: DictionaryObject, skip: frozenset[str] = frozenset()) -> None:
        for key in obj:
            if key in skip:
                continue
            NameObject(key).write_to_stream(self._buf)
            self.raw(b" ")
            self.value(obj.raw_get(key))
            self.raw(b"\n")

    def take(self) -> tuple[Chunk, ...]:
        self.flush()
        out, self.out = self.out, []
        return tuple(out)


def _walk(reader: PdfReader, starts: list[Any], stop: set[int]) -> list[int]:
    """Ids of every object reachable from ``starts`` without passing through ``stop``."""
    seen: set[int] = set()
    order: list[int] = []
    todo = list(starts)
    while todo:
        obj = todo.pop()
        if isinstance(obj, IndirectObject):
            if obj.idnum in seen or obj.idnum in stop:
                continue
            seen.add(obj.idnum)
            order.append(obj.idnum)
            todo.append(obj.get_object())
        elif isinstance(obj, DictionaryObject):
            todo.extend(obj.raw_get(k) for k in obj)
        elif isinstance(obj, ArrayObject):
            todo.extend(obj)
    return sorted(order)


def _flat(tree: DictionaryObject, key: str) -> list[tuple[Any, Any]]:
    out: list[tuple[Any, Any]] = []
    if key in tree:
        arr = cast(ArrayObject, tree.raw_get(key).get_object()
                   if isinstance(tree.raw_get(key), IndirectObject) else tree[key])
        out.extend((arr[i], arr[i + 1]) for i in range(0, len(arr), 2))
    for kid in cast(ArrayObject, tree.get("/Kids", ArrayObject())):
        out.extend(_flat(cast(DictionaryObject, kid.get_object()), key))
    return out


def relocatable(pdf: bytes) -> Relocatable:
    """Turn a tagged part (as WeasyPrint writes it) into linkable form."""
    reader = PdfReader(BytesIO(pdf))
    root = cast(DictionaryObject, reader.trailer["/Root"])
    if "/StructTreeRoot" not in root:
        raise ValueError("a part must be a tagged PDF (render with pdf_variant='pdf/ua-1')")
    st_ref = root.raw_get("/StructTreeRoot")
    st = cast(DictionaryObject, st_ref.get_object())
    page_refs = [p.indirect_reference for p in reader.pages]
    page_ids = {r.idnum for r in page_refs if r is not None}
    pages_nodes = set()
    for p in reader.pages:
        parent = p.raw_get("/Parent") if "/Parent" in p else None
        while isinstance(parent, IndirectObject) and parent.idnum not in pages_nodes:
            pages_nodes.add(parent.idnum)
            parent = cast(DictionaryObject, parent.get_object()).raw_get("/Parent") \
                if "/Parent" in cast(DictionaryObject, parent.get_object()) else None
    top = st.raw_get("/K")
    top = top.get_object() if isinstance(top, IndirectObject) and isinstance(
        top.get_object(), ArrayObject) else top
    tops = [t for t in (top if isinstance(top, ArrayObject) else [top])
            if isinstance(t, IndirectObject)]
    nums = _flat(cast(DictionaryObject, st["/ParentTree"].get_object()), "/Nums")
    dests: list[tuple[Any, Any]] = []
    if "/Names" in root and "/Dests" in cast(DictionaryObject, root["/Names"]):
        dests = _flat(cast(DictionaryObject, cast(DictionaryObject, root["/Names"])["/Dests"]),
                      "/Names")
    stop = set(pages_nodes)
    if isinstance(st_ref, IndirectObject):
        stop.add(st_ref.idnum)
    starts: list[Any] = [*page_refs, *tops, *(v for _, v in nums), *(d for _, d in dests)]
    ids = _walk(reader, starts, stop)
    w = _Writer()
    objects = []
    top_ids = {t.idnum for t in tops}
    for idnum in ids:
        obj = reader.get_object(idnum)
        if idnum in page_ids:
            _page(w, cast(DictionaryObject, obj), _index(page_refs, idnum))
        elif idnum in top_ids:
            elem = cast(DictionaryObject, obj)
            w.dict_(elem, frozenset({"/P", "/S"}))
            w.raw(b"/S " + (b"/Part" if elem.get("/S") == "/Document" else
                            str(elem.get("/S", "/Sect")).encode("latin-1")) + b"\n/P ")
            w.reloc(DOC, 0)
            w.raw(b">>")
        elif isinstance(obj, DictionaryObject) and "/StructParent" in obj \
                and not isinstance(obj, StreamObject):
            w.dict_(obj, frozenset({"/StructParent"}))
            w.raw(b"/StructParent ")
            w.reloc(KEY, int(cast(int, obj["/StructParent"])))
            w.raw(b">>")
        else:
            w.value(obj)
        objects.append((idnum, w.take()))
    num_chunks = []
    for key, value in nums:
        w.value(value)
        num_chunks.append((int(key), w.take()))
    next_key = max([int(st.get("/ParentTreeNextKey", 0))] + [k + 1 for k, _ in num_chunks])
    dest_chunks = []
    for name, dest in dests:
        w.value(dest)
        dest_chunks.append((_name_bytes(name), w.take()))
    headings: list[tuple[str, int, float]] = []
    for entry in reader.outline:
        if not isinstance(entry, list):
            continue
        for item in entry:
            if isinstance(item, list):
                continue
            n = reader.get_destination_page_number(item)
            if n is not None and n >= 0:
                top_y = item.get("/Top")
                headings.append((str(item.title), n, float(top_y) if top_y is not None else 0.0))
    return Relocatable(tuple(objects), tuple(r.idnum for r in page_refs if r is not None),
                       tuple(top_ids), tuple(num_chunks), next_key, tuple(dest_chunks),
                       tuple(headings))


def _index(refs: Sequence[Any], idnum: int) -> int:
    return next(i for i, r in enumerate(refs) if r is not None and r.idnum == idnum)


def _name_bytes(name: Any) -> bytes:
    buf = BytesIO()
    (name if hasattr(name, "write_to_stream") else TextStringObject(str(name))).write_to_stream(
        buf)
    return buf.getvalue()


def _page(w: _Writer, page: DictionaryObject, index: int) -> None:
    skip = frozenset({"/Parent", "/StructParents", "/Contents", "/Resources"})
    w.dict_(page, skip)
    w.raw(b"/Parent ")
    w.reloc(PAGES, 0)
    if "/StructParents" in page:
        w.raw(b"\n/StructParents ")
        w.reloc(KEY, int(cast(int, page["/StructParents"])))
    w.raw(b"\n/Contents [")
    w.reloc(PUSH, 0)
    w.raw(b" ")
    contents = page.raw_get("/Contents") if "/Contents" in page else None
    if isinstance(contents, IndirectObject) and isinstance(contents.get_object(), ArrayObject):
        contents = contents.get_object()
    for c in (contents if isinstance(contents, ArrayObject) else [contents] if contents else []):
        w.value(c)
        w.raw(b" ")
    w.reloc(TAIL, 0)
    w.raw(b"]\n/Resources ")
    resources = cast(DictionaryObject, page["/Resources"]) if "/Resources" in page \
        else DictionaryObject()
    w.dict_(resources, frozenset({"/XObject"}))
    w.raw(b"/XObject <<")
    if "/XObject" in resources:
        w.entries(cast(DictionaryObject, resources["/XObject"]))
    w.raw(b"/S75Folio ")
    w.reloc(FOLIO, index)
    w.raw(b">>>>>>")


def stamp_set(pdf: bytes) -> StampSet:
    """Footers rendered one per page (untagged) to form XObjects."""
    reader = PdfReader(BytesIO(pdf))
    w = _Writer()
    ids = _walk(reader, [p.raw_get("/Resources") for p in reader.pages], set())
    objects = []
    for idnum in ids:
        w.value(reader.get_object(idnum))
        objects.append((idnum, w.take()))
    base = max([0, *ids, *(p.indirect_reference.idnum for p in reader.pages
                           if p.indirect_reference is not None)]) + 1
    forms = []
    for i, page in enumerate(reader.pages):
        data = page.get_contents().get_data()  # type: ignore[union-attr]
        box = " ".join(f"{float(v):.4f}" for v in page.mediabox).encode()
        w.raw(b"<</Type /XObject /Subtype /Form /BBox [" + box + b"] /Resources ")
        w.value(page.raw_get("/Resources"))
        w.raw(b"\n/Length %d>>\nstream\n" % len(data) + data + b"\nendstream")
        objects.append((base + i, w.take()))
        forms.append(base + i)
    return StampSet(tuple(objects), tuple(forms))


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


class _Out:
    def __init__(self) -> None:
        self.parts: list[bytes] = [b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"]
        self.size = len(self.parts[0])
        self.offsets: dict[int, int] = {}

    def obj(self, idnum: int, body: bytes) -> None:
        self.offsets[idnum] = self.size
        data = b"%d 0 obj\n" % idnum + body + b"\nendobj\n"
        self.parts.append(data)
        self.size += len(data)


def link(parts: Sequence[tuple[str, Relocatable]], stamps: Sequence[StampSet],
         title: str) -> bytes:
    """One PDF from ``(outline title, part)`` pairs, numbered by ``stamps`` (one form per
    page, in order, across the stamp sets)."""
    out = _Out()
    next_id = 1
    folio_forms: list[int] = []
    for s in stamps:
        offset = next_id - 1

        def shift(_kind: str, value: int, offset: int = offset) -> bytes:
            return b"%d 0 R" % (value + offset)

        for idnum, chunks in s.objects:
            out.obj(idnum + offset, _resolve(chunks, shift))
        folio_forms.extend(f + offset for f in s.forms)
        next_id = max([next_id, *(i + offset + 1 for i, _ in s.objects)])
    total_pages = sum(len(p.pages) for _, p in parts)
    if folio_forms and len(folio_forms) != total_pages:
        raise ValueError(f"{len(folio_forms)} page footers for {total_pages} pages")
    catalog, pages_id, st_id, doc_id, tree_id, meta_id, push_id, tail_id, info_id = range(
        next_id, next_id + 9)
    next_id += 9
    fixed = {PAGES: pages_id, DOC: doc_id, PUSH: push_id, TAIL: tail_id}
    page_ids: list[int] = []
    kids: list[int] = []
    nums: list[bytes] = []
    dests: dict[bytes, bytes] = {}
    outline: list[tuple[str, int, list[tuple[str, int, float]]]] = []
    key_base = 0
    for name, part in parts:
        offset = next_id - 1
        first_page = len(page_ids)

        def resolve(kind: str, value: int, offset: int = offset, key_base: int = key_base,
                    first_page: int = first_page) -> bytes:
            if kind == OBJ:
                return b"%d 0 R" % (value + offset)
            if kind == KEY:
                return b"%d" % (value + key_base)
            if kind == FOLIO:
                return b"%d 0 R" % folio_forms[first_page + value] if folio_forms else b"null"
            return b"%d 0 R" % fixed[kind]

        for idnum, chunks in part.objects:
            out.obj(idnum + offset, _resolve(chunks, resolve))
        page_ids.extend(p + offset for p in part.pages)
        kids.extend(t + offset for t in part.tops)
        for key, chunks in part.nums:
            nums.append(b"%d " % (key + key_base) + _resolve(chunks, resolve))
        for dname, chunks in part.dests:
            dests.setdefault(dname, _resolve(chunks, resolve))
        outline.append((name, first_page, [(t, first_page + n, y) for t, n, y in part.headings]))
        key_base += part.next_key
        next_id = max([next_id, *(i + offset + 1 for i, _ in part.objects)])
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
    xref_at = out.size
    size = max(out.offsets) + 1
    lines = [b"xref\n0 %d\n" % size, b"0000000000 65535 f \n"]
    for i in range(1, size):
        at = out.offsets.get(i)
        lines.append(b"%010d 00000 n \n" % at if at is not None else b"0000000000 65535 f \n")
    out.parts.extend(lines)
    out.parts.append(b"trailer\n<</Size %d /Root %d 0 R /Info %d 0 R>>\nstartxref\n%d\n%%%%EOF\n"
                     % (size, catalog, info_id, xref_at))
    return b"".join(out.parts)


def _resolve(chunks: Sequence[Chunk], resolve: Callable[[str, int], bytes]) -> bytes:
    return b"".join(c if isinstance(c, bytes) else resolve(c[0], c[1]) for c in chunks)


def _outline(out: _Out, root_id: int, entries: list[tuple[str, int, list[tuple[str, int,
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
