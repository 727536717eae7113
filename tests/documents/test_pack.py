"""The assembled decision pack keeps what makes it accessible: tags, one outline entry per
item, continuous "Page x of y" — and re-rendering after one change renders one part."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from io import BytesIO
from typing import Any

from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from notifications.documents import samples as S
from notifications.documents.pack import PackResult, Renderer, build_pack, build_supplement
from notifications.documents.render import TEMPLATES, TemplateOnlyFetcher
from tests.documents.doc_helpers import is_tagged_ua, reader, text, title, top_outline


def test_pack_is_tagged_with_one_outline_entry_per_item(pack: PackResult) -> None:
    assert is_tagged_ua(pack.pdf)
    assert top_outline(pack.pdf) == [
        "Agenda", "5. Stockport Together funding update",
        "6. Integration of health and social care resources",
        "9. Care homes block contract: negotiation position (Part 2)"]
    assert title(pack.pdf) == "Joint Commissioning Committee: members' pack, 12 June 2019"


def test_pack_numbers_pages_continuously(pack: PackResult) -> None:
    pages = reader(pack.pdf).pages
    n = len(pages)
    assert n == pack.pages > 4
    for i, page in enumerate(pages, start=1):
        numbers = re.findall(r"Page (\d+) of (\d+)", page.extract_text())
        assert numbers == [(str(i), str(n))]


def test_pack_structure_tree_matches_the_pages(pack: PackResult) -> None:
    """Every page's marked content still maps to structure elements of this document."""
    r = reader(pack.pdf)
    root = r.trailer["/Root"]
    tree = root["/StructTreeRoot"]
    doc = tree["/K"][0].get_object()
    assert doc["/S"] == "/Document"
    assert [k.get_object()["/S"] for k in doc["/K"]].count("/Part") == 4
    nums = tree["/ParentTree"]["/Nums"]
    keys = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    page_ids = {p.indirect_reference.idnum for p in r.pages}
    seen_keys = set()
    for page in r.pages:
        key = int(page["/StructParents"])
        seen_keys.add(key)
        elems = keys[key]
        assert isinstance(elems, ArrayObject) and len(elems) > 0
        mcids = set(map(int, re.findall(rb"/MCID (\d+)", page.get_contents().get_data())))
        assert mcids == set(range(len(elems)))  # one entry per marked-content id
        for e in elems:
            elem = e.get_object()
            assert isinstance(elem, DictionaryObject) and elem["/Type"] == "/StructElem"
            if "/Pg" in elem:
                assert elem.raw_get("/Pg").idnum in page_ids
    assert len(seen_keys) == len(r.pages)
    assert int(tree["/ParentTreeNextKey"]) > max(keys)
    # The footer is an artifact, not content.
    assert b"/Artifact" in r.pages[0].get_contents().get_data()


def test_member_pack_marks_declared_interests(renderer: Renderer) -> None:
    result = build_pack(S.sample_pack(member="GP Board Director (1)"), renderer)
    t = text(result.pdf)
    assert "Personal pack for" in t and "GP Board Director (1)" in t
    assert "items on which you have declared an interest" in t
    assert "Interest declared" in t
    assert "Your declared interest: Non-pecuniary" in t


def test_rerender_after_one_report_changes_renders_one_part(renderer: Renderer,
                                                            pack: PackResult) -> None:
    view = S.sample_pack()
    reports = list(view.reports)
    reports[0] = replace(reports[0], recommendations=("Approve the revised plan.",))
    before = renderer.rendered
    again = build_pack(replace(view, reports=tuple(reports)), renderer)
    assert renderer.rendered - before == 1
    assert "Approve the revised plan." in text(again.pdf)
    assert again.pages == pack.pages
    # back to the first version: every part comes from the renderer's unpacked parts or its
    # cache, and the pack is the first one byte for byte
    before = renderer.rendered
    assert build_pack(view, renderer).pdf == pack.pdf
    assert renderer.rendered == before


def test_supplement_follows_on_from_the_main_pack(renderer: Renderer, pack: PackResult) -> None:
    sup = build_supplement(S.sample_supplement(first_page=pack.pages + 1), renderer)
    t = text(sup.pdf)
    first, last = pack.pages + 1, pack.pages + sup.pages
    assert f"Supplement 1 · page {first} (pages {first}–{last})" in t
    assert f"Supplement 1 · page {last} (pages {first}–{last})" in t
    assert "chair, Leader of the Council, has agreed" in t
    assert "10.1 Providers gave notice" in t  # the next item number: paragraphs follow on
    assert is_tagged_ua(sup.pdf)
    assert top_outline(sup.pdf) == ["Agenda", "10. Winter pressures: additional home care "
                                              "capacity"]


def _font_files(r: PdfReader) -> dict[int, tuple[str, str]]:
    """Every embedded font file reachable from the catalog: object id -> (face, hash)."""
    found: dict[int, tuple[str, str]] = {}
    seen: set[int] = set()
    todo: list[Any] = [r.trailer.raw_get("/Root")]
    while todo:
        obj = todo.pop()
        if isinstance(obj, IndirectObject):
            if obj.idnum not in seen:
                seen.add(obj.idnum)
                todo.append(obj.get_object())
        elif isinstance(obj, DictionaryObject):
            if obj.get("/Type") == "/FontDescriptor":
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    if key in obj:
                        stream = obj[key].get_object()
                        assert isinstance(stream, StreamObject)
                        face = str(obj["/FontName"]).split("+")[-1]
                        found[obj.raw_get(key).idnum] = (
                            face, hashlib.sha256(stream.get_data()).hexdigest())
            todo.extend(obj.raw_get(k) for k in obj)
        elif isinstance(obj, ArrayObject):
            todo.extend(obj)
    return found


def test_pack_embeds_each_font_face_once(pack: PackResult) -> None:
    """Every part (and the page-number footers) embeds the whole faces; the pack holds one
    copy of each, shared by all parts, and is still tagged."""
    r = reader(pack.pdf)
    files = _font_files(r)
    faces = {face for face, _ in files.values()}
    assert {"S75-Arimo", "S75-Arimo-Bold"} <= faces
    assert len(files) == len(faces)  # one font file stream per face
    assert len({h for _, h in files.values()}) == len(files)
    assert is_tagged_ua(pack.pdf)
    assert len(pack.parts) == 4 and "Page 1 of" in text(pack.pdf)


def test_fonts_are_embedded_the_same_whenever_rendered() -> None:
    """The served fonts keep the font's own timestamp (not the time they were loaded), so a
    part rendered today and one cached yesterday embed identical bytes and still share."""
    woff = TEMPLATES / "static" / "fonts" / "arimo-latin-400-normal.woff"
    served = TemplateOnlyFetcher().fetch(woff.as_uri()).read()
    assert served[:4] == b"\x00\x01\x00\x00"  # TrueType, unpacked
    original = TTFont(BytesIO(woff.read_bytes()))
    assert TTFont(BytesIO(served))["head"].modified == original["head"].modified
