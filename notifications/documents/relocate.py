"""Turn a rendered part into *relocatable* form, once, in the worker that rendered it.

A careful merge with pypdf parses every object of every part again each time the pack is
assembled (about 10 s for 400 pages). Instead each tagged part is serialised here with its
references left as relocations, like an object file, so that :func:`link.link` can join the
parts by string joining. The page footers ("Page x of y", rendered untagged by WeasyPrint)
become a :class:`StampSet` of form XObjects the same way.

Relocation kinds: ``OBJ`` (an object of the part), ``KEY`` (a parent-tree key), ``FOLIO``
(the footer form of the n-th page of the part), and the linker's fixed objects ``PAGES``,
``DOC``, ``PUSH`` and ``TAIL``.

Each part also lists its *shareable* objects: the fonts (font dictionaries and everything
they refer to: descendant fonts, descriptors, the embedded font files, ``ToUnicode`` maps).
Parts rendered with whole fonts embed byte-identical copies of each face; the linker writes
each identical object once and points every part at it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Any, cast

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
APUSH, ATAIL = "apush", "atail"
INHERITED = ("/MediaBox", "/CropBox", "/Resources", "/Rotate")
"""An untagged part's pages (a PDF appendix as its author supplied it): its content wrapped
in ``/Artifact BMC ... EMC`` so the pack stays well-formed PDF/UA (see docs/documents.md)."""
OBJ, KEY, FOLIO = "o", "k", "f"


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
    shared: tuple[int, ...] = ()
    """Ids of the objects the linker may share with other parts when byte-identical."""


@dataclass(frozen=True)
class StampSet:
    """Footers for a run of pages: one form XObject per page, and the objects they use."""

    objects: tuple[tuple[int, tuple[Chunk, ...]], ...]
    forms: tuple[int, ...]
    shared: tuple[int, ...] = ()


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


FONT_TYPES = frozenset({"/Font", "/FontDescriptor"})


def _fonts(reader: PdfReader, ids: Sequence[int]) -> tuple[int, ...]:
    """The font objects among ``ids`` and every object they refer to (shareable)."""
    roots = [IndirectObject(i, 0, reader) for i in ids
             if isinstance(o := reader.get_object(i), DictionaryObject)
             and o.get("/Type") in FONT_TYPES]
    return tuple(_walk(reader, list(roots), set()))


def _flat(tree: DictionaryObject, key: str) -> list[tuple[Any, Any]]:
    out: list[tuple[Any, Any]] = []
    if key in tree:
        arr = cast(ArrayObject, tree.raw_get(key).get_object()
                   if isinstance(tree.raw_get(key), IndirectObject) else tree[key])
        out.extend((arr[i], arr[i + 1]) for i in range(0, len(arr), 2))
    for kid in cast(ArrayObject, tree.get("/Kids", ArrayObject())):
        out.extend(_flat(cast(DictionaryObject, kid.get_object()), key))
    return out


def relocatable(pdf: bytes, *, untagged: bool = False) -> Relocatable:
    """Turn a tagged part (as WeasyPrint writes it) into linkable form; with ``untagged``, any
    PDF (an appendix), its pages bound in as artifacts and its own tags, if any, dropped."""
    reader = PdfReader(BytesIO(pdf))
    root = cast(DictionaryObject, reader.trailer["/Root"])
    if untagged:
        return _untagged(reader)
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
    _scope_headers(reader, ids)
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
                       tuple(headings), _fonts(reader, ids))


def _scope_headers(reader: PdfReader, ids: Sequence[int]) -> None:
    """Give each table header cell (/TH) the /Scope its HTML ``scope`` meant, which
    WeasyPrint does not write (PDF/UA-1 7.5, the ``pdfua`` checker's UA-15-003): a header in
    the table head heads its column, one in the body its row."""
    for idnum in ids:
        elem = reader.get_object(idnum)
        if not isinstance(elem, DictionaryObject) or elem.get("/S") != "/TH":
            continue
        attrs = elem.get("/A")
        attrs = attrs.get_object() if attrs is not None else None
        if attrs is not None and (not isinstance(attrs, DictionaryObject)
                                  or attrs.get("/O") != "/Table" or "/Scope" in attrs):
            continue  # already scoped, or attributes of another owner: left as they are
        row = elem.get("/P")
        group = row.get_object().get("/P") if row is not None else None
        in_head = group is not None and group.get_object().get("/S") == "/THead"
        scoped = DictionaryObject({NameObject("/O"): NameObject("/Table")})
        scoped[NameObject("/Scope")] = NameObject("/Column" if in_head else "/Row")
        elem[NameObject("/A")] = scoped


def _untagged(reader: PdfReader) -> Relocatable:
    page_refs = [p.indirect_reference for p in reader.pages]
    page_ids = {r.idnum for r in page_refs if r is not None}
    stop: set[int] = set()
    for p in reader.pages:
        node: Any = p
        while "/Parent" in node:
            parent = node.raw_get("/Parent")
            if isinstance(parent, IndirectObject):
                stop.add(parent.idnum)
            node = parent.get_object()
            for key in INHERITED:  # the page keeps what it inherited from the page tree
                if key not in p and key in node:
                    p[NameObject(key)] = node.raw_get(key)
    ids = _walk(reader, list(page_refs), stop)
    w = _Writer()
    objects = []
    for idnum in ids:
        obj = reader.get_object(idnum)
        if idnum in page_ids:
            _page(w, cast(DictionaryObject, obj), _index(page_refs, idnum), artifact=True)
        else:
            w.value(obj)
        objects.append((idnum, w.take()))
    return Relocatable(tuple(objects), tuple(r.idnum for r in page_refs if r is not None),
                       (), (), 0, (), ())


def _index(refs: Sequence[Any], idnum: int) -> int:
    return next(i for i, r in enumerate(refs) if r is not None and r.idnum == idnum)


def _name_bytes(name: Any) -> bytes:
    buf = BytesIO()
    (name if hasattr(name, "write_to_stream") else TextStringObject(str(name))).write_to_stream(
        buf)
    return buf.getvalue()


def _page(w: _Writer, page: DictionaryObject, index: int, *, artifact: bool = False) -> None:
    skip = frozenset({"/Parent", "/StructParents", "/Contents", "/Resources", "/Annots",
                      "/Tabs"} if artifact else {"/Parent", "/StructParents", "/Contents",
                                                  "/Resources"})
    w.dict_(page, skip)
    w.raw(b"/Parent ")
    w.reloc(PAGES, 0)
    if "/StructParents" in page:
        w.raw(b"\n/StructParents ")
        w.reloc(KEY, int(cast(int, page["/StructParents"])))
    w.raw(b"\n/Contents [")
    w.reloc(APUSH if artifact else PUSH, 0)
    w.raw(b" ")
    contents = page.raw_get("/Contents") if "/Contents" in page else None
    if isinstance(contents, IndirectObject) and isinstance(contents.get_object(), ArrayObject):
        contents = contents.get_object()
    for c in (contents if isinstance(contents, ArrayObject) else [contents] if contents else []):
        w.value(c)
        w.raw(b" ")
    w.reloc(ATAIL if artifact else TAIL, 0)
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
    return StampSet(tuple(objects), tuple(forms), _fonts(reader, ids))
