"""HTML to accessible PDF: Jinja2 (autoescaped) templates in templates/pdf, WeasyPrint with
PDF/UA-1, the pinned Arimo font, and a URL fetcher that serves only the project's templates/.

Accessibility (Public Sector Bodies Accessibility Regulations 2018): every PDF is tagged
(``pdf_variant="pdf/ua-1"``), has its title (the HTML ``<title>``) and language
(``<html lang="en-GB">``) set, real headings and table headers.

Safety: report content is autoescaped; anything it references is fetched through
:class:`TemplateOnlyFetcher`, which refuses every URL outside templates/ (``file:///etc/passwd``,
``http(s)://`` hosts). A refused fetch is skipped and the render completes.

Fonts: the fetcher serves the pinned ``.woff`` files already unpacked to TrueType, keeping the
font's own timestamps (WeasyPrint would unpack them itself, stamping each process's copy with
the time it loaded). So every part embeds byte-identical faces, whenever and wherever it was
rendered, and the pack linker can keep one copy of each.
"""

from __future__ import annotations

import logging
import mimetypes
import os
import re
import shutil
import struct
import tempfile
import warnings
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from multiprocessing.util import Finalize
from pathlib import Path
from typing import Any, cast
from urllib.parse import unquote, urlsplit

from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
)

with warnings.catch_warnings():
    # WeasyPrint 70 warns at import when the system lacks libharfbuzz-subset (it then
    # subsets fonts with fontTools); the output is the same.
    warnings.simplefilter("ignore", DeprecationWarning)
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher, URLFetcherResponse

from decisions.errors import ConfigError
from notifications.documents.templating import (
    EXEMPT_PARAGRAPHS,
    LANG,
    PDF_TEMPLATES,
    ROOT,
    TEMPLATES,
    Rendered,
    env,
    make_env,
    render_html,
)

__all__ = ["EXEMPT_PARAGRAPHS", "HTML", "LANG", "PDF_TEMPLATES", "ROOT", "TEMPLATES",
           "Rendered", "TemplateOnlyFetcher", "check_fonts", "env", "html_to_pdf", "make_env",
           "render_html", "sweep_stale_font_folders"]

FONT_DIR = TEMPLATES / "static" / "fonts"
FONT_FILES = tuple(f"arimo-latin-{w}-{s}.woff" for w in (400, 700) for s in ("normal", "italic"))
PDF_VARIANT = "pdf/ua-1"

def check_fonts(font_dir: Path = FONT_DIR) -> None:
    """The pinned font must be present: output may not depend on the machine's fonts."""
    missing = [name for name in FONT_FILES if not (font_dir / name).is_file()]
    if missing:
        raise ConfigError(f"documents: fonts missing from {font_dir}", [
            f"{name} is missing; run `make fonts` to install the pinned Arimo 5.3.0 from the "
            "npm registry" for name in missing])


class TemplateOnlyFetcher(URLFetcher):  # type: ignore[misc]
    """Serve files under templates/ (and inline ``data:`` URLs); refuse everything else.

    Refused URLs are kept in :attr:`refused` so callers can report them.
    """

    def __init__(self, root: Path = TEMPLATES) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.root = root.resolve()
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file" and parts.netloc in ("", "localhost"):
            path = Path(unquote(parts.path)).resolve()
            if path.is_relative_to(self.root) and path.is_file():
                if path.suffix == ".woff":
                    return URLFetcherResponse(url, _sfnt(path, path.stat().st_mtime_ns),
                                              {"Content-Type": "font/ttf"})
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})
        self.refused.append(url)
        raise ValueError(f"refused {url!r}: documents may only use files under {self.root}")


@lru_cache(maxsize=16)
def _sfnt(path: Path, _mtime: int) -> bytes:
    """A WOFF font unpacked to TrueType, the same bytes every time (no new timestamp)."""
    font = TTFont(BytesIO(path.read_bytes()), recalcTimestamp=False)
    font.flavor = None
    font.flavorData = None
    out = BytesIO()
    font.save(out)
    return out.getvalue()


@dataclass
class Styles:
    """Per process: one font configuration and the parsed stylesheets, reused by every
    render (loading the @font-face fonts costs about half a second each time)."""

    fonts: FontConfiguration
    print_css: CSS
    folio_css: CSS


_STYLES: Styles | None = None
FONT_FOLDER_PREFIX = "s75-fonts-"


def _font_folder() -> Path:
    """WeasyPrint copies each @font-face font into a temporary folder it removes only when
    its FontConfiguration is garbage-collected, which never happens to a process's shared
    configuration, nor in a worker process (ended by ``os._exit``): 192 folders were left
    after a few demo runs. So the folder is made here, named for this process, and removed
    when the process ends (a multiprocessing finaliser runs in pool workers and, through
    atexit, in the main process); :func:`sweep_stale_font_folders` removes those of processes
    that were killed."""
    folder = Path(tempfile.mkdtemp(prefix=f"{FONT_FOLDER_PREFIX}{os.getpid()}-"))
    Finalize(None, _remove_folder, args=(str(folder), os.getpid()), exitpriority=10)
    return folder


def _remove_folder(folder: str, owner: int) -> None:
    if os.getpid() == owner:  # never a parent's folder from a forked child
        shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_stale_font_folders(tmp: Path | None = None) -> list[Path]:
    """Remove the font folders of processes no longer running (killed before they could
    clean up); returns those removed."""
    removed = []
    for folder in Path(tmp or tempfile.gettempdir()).glob(f"{FONT_FOLDER_PREFIX}*"):
        pid = folder.name[len(FONT_FOLDER_PREFIX):].partition("-")[0]
        if pid.isdigit() and not _alive(int(pid)) and folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def shared_styles() -> Styles:
    global _STYLES
    if _STYLES is None:
        check_fonts()
        fonts = FontConfiguration()
        fonts._folder = _font_folder()
        css_dir = TEMPLATES / "static" / "css"
        fetcher = TemplateOnlyFetcher()
        _STYLES = Styles(
            fonts,
            CSS(filename=str(css_dir / "print.css"), font_config=fonts, url_fetcher=fetcher),
            CSS(filename=str(css_dir / "folio.css"), font_config=fonts, url_fetcher=fetcher))
    return _STYLES


def is_folio(html: str) -> bool:
    return re.search(r'<html[^>]*\sclass="folio"', html[:500]) is not None


def html_to_pdf(html: str, *, full_fonts: bool = True, scope_headers: bool = True) -> Rendered:
    """One HTML string to a tagged PDF/UA-1 document. Safe to call in a worker process.

    ``full_fonts`` embeds the (small, Latin-only) Arimo faces whole instead of subsetting
    them: about half the time for a short document, for some 25 KB more.

    ``scope_headers`` gives table header cells their /Scope (:func:`scope_table_headers`);
    a pack's parts leave it to :func:`relocate.relocatable`, which parses the part anyway,
    rather than parse every part twice.

    The print stylesheet (and, for ``<html class="folio">``, the page-number footer) is
    applied here, so the output depends only on the HTML and templates/static.
    """
    check_fonts()
    styles = shared_styles()
    fetcher = TemplateOnlyFetcher()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    sheets = [styles.print_css] + ([styles.folio_css] if is_folio(html) else [])
    doc = HTML(string=html, base_url=str(PDF_TEMPLATES) + "/", url_fetcher=fetcher).render(
        pdf_variant=PDF_VARIANT, font_config=styles.fonts, stylesheets=sheets)
    pdf = doc.write_pdf(pdf_variant=PDF_VARIANT, full_fonts=full_fonts)
    if scope_headers and "<th" in html:
        pdf = scope_table_headers(pdf)
    return Rendered(pdf=pdf, pages=len(doc.pages), refused=fetcher.refused)


def _struct_kids(node: DictionaryObject) -> list[tuple[int | None, DictionaryObject]]:
    """A structure element's child elements, each with its object number (None if direct)."""
    kids = node.get("/K")
    items = kids if isinstance(kids, ArrayObject) else [kids] if kids is not None else []
    found = []
    for kid in items:
        raw = kid
        obj = kid.get_object() if kid is not None else None
        if isinstance(obj, DictionaryObject) and "/S" in obj:
            found.append((raw.idnum if isinstance(raw, IndirectObject) else None, obj))
    return found


def scope_table_headers(pdf: bytes) -> bytes:
    """Give each table header cell (/TH) the /Scope its HTML ``scope`` meant, which
    WeasyPrint 70 does not write (PDF/UA-1 7.5; the ``pdfua`` checker's UA-15-003): a
    header in the table head heads its column, one in the body its row. Written as an
    incremental update (the changed cells, then a cross-reference stream naming the same
    root and info), so WeasyPrint's bytes, object streams and metadata stay as they are."""
    reader = PdfReader(BytesIO(pdf))
    root = cast(DictionaryObject, reader.trailer["/Root"].get_object())
    tree = root.get("/StructTreeRoot")
    if tree is None:
        return pdf
    changed: dict[int, DictionaryObject] = {}
    stack: list[tuple[int | None, DictionaryObject, str]] = [(None, tree.get_object(), "")]
    while stack:
        idnum, node, group = stack.pop()
        role = str(node.get("/S", ""))
        if role == "/TH" and idnum is not None:
            attrs = node.get("/A")
            attrs = attrs.get_object() if attrs is not None else None
            if attrs is None or (isinstance(attrs, DictionaryObject)
                                 and attrs.get("/O") == "/Table" and "/Scope" not in attrs):
                scoped = DictionaryObject(attrs or {})
                scoped[NameObject("/O")] = NameObject("/Table")
                scoped[NameObject("/Scope")] = NameObject(
                    "/Column" if group == "/THead" else "/Row")
                node[NameObject("/A")] = scoped
                changed[idnum] = node
        inner = role if role in ("/THead", "/TBody", "/TFoot") else group
        stack.extend((i, kid, inner) for i, kid in _struct_kids(node))
    if not changed:
        return pdf
    return _increment(pdf, reader, changed)


def _increment(pdf: bytes, reader: PdfReader, objects: dict[int, DictionaryObject]) -> bytes:
    """``pdf`` with ``objects`` rewritten in an incremental update (PDF 1.7 7.5.6) whose
    cross-reference stream lists them and itself and repeats the trailer's entries."""
    out = BytesIO()
    out.write(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    positions: dict[int, int] = {}
    for idnum in sorted(objects):
        positions[idnum] = out.tell()
        out.write(f"{idnum} 0 obj\n".encode())
        objects[idnum].write_to_stream(out)
        out.write(b"\nendobj\n")
    xref_id = int(cast(Any, reader.trailer["/Size"]))
    prev = int(re.findall(rb"startxref\s+(\d+)", pdf[-2048:])[-1])
    positions[xref_id] = out.tell()
    ids = sorted(positions)
    runs: list[list[int]] = []
    for i in ids:
        if runs and runs[-1][0] + runs[-1][1] == i:
            runs[-1][1] += 1
        else:
            runs.append([i, 1])
    xref = StreamObject()
    for key in ("/Root", "/Info", "/ID"):
        if key in reader.trailer:
            xref[NameObject(key)] = reader.trailer.raw_get(key)
    xref.update({NameObject("/Type"): NameObject("/XRef"),
                 NameObject("/Size"): NumberObject(xref_id + 1),
                 NameObject("/Prev"): NumberObject(prev),
                 NameObject("/W"): ArrayObject([NumberObject(n) for n in (1, 4, 1)]),
                 NameObject("/Index"): ArrayObject([NumberObject(n) for r in runs for n in r])})
    xref.set_data(b"".join(struct.pack(">BIB", 1, positions[i], 0) for i in ids))
    out.write(f"{xref_id} 0 obj\n".encode())
    xref.write_to_stream(out)
    out.write(f"\nendobj\nstartxref\n{positions[xref_id]}\n%%EOF\n".encode())
    return out.getvalue()

