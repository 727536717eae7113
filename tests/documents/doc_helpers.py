"""Reading PDFs back the way a reader (or an auditor) would."""

from __future__ import annotations

import re
from io import BytesIO

from pypdf import PdfReader


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(BytesIO(pdf))


def text(pdf: bytes) -> str:
    """All the text, whitespace collapsed, so phrases can be matched across line breaks."""
    raw = "\n".join(page.extract_text() or "" for page in reader(pdf).pages)
    return re.sub(r"\s+", " ", raw)


def is_tagged_ua(pdf: bytes) -> bool:
    root = reader(pdf).trailer["/Root"]
    meta = root["/Metadata"].get_object().get_data()
    return ("/StructTreeRoot" in root and bool(root["/MarkInfo"]["/Marked"])
            and str(root["/Lang"]).startswith("en")
            and re.search(rb'pdfuaid:part(>1<|="1")', meta) is not None)


def title(pdf: bytes) -> str:
    meta = reader(pdf).metadata
    return str(meta.title) if meta and meta.title else ""


def top_outline(pdf: bytes) -> list[str]:
    return [str(i.title) for i in reader(pdf).outline if not isinstance(i, list)]
