"""PDF appendices as their authors supply them (an equality impact assessment, a signed
letter): checked on the way in (a PDF, not encrypted, at most 20 MB) and stored once per
content in table ``item_appendix``, named by id from the item's ``appendices`` list. Packs
bind their pages in after the report (notifications/documents/pack.py, docs/documents.md)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from io import BytesIO
from typing import Any

from sqlmodel import select

from decisions.errors import InvalidInput
from workflows.committee.tables import ItemAppendixRow
from workflows.events import UnitOfWork

MAX_BYTES = 20 * 1024 * 1024
ACCEPTED = "a PDF file (.pdf) of at most 20 MB, not password-protected"


def pdf_pages(name: str, data: bytes) -> int:
    """The pages of an appendix PDF; InvalidInput naming the file when it is not one."""
    from pypdf import PdfReader  # not at import: the CLI starts without the PDF libraries
    from pypdf.errors import PdfReadError

    if len(data) > MAX_BYTES:
        raise InvalidInput(f"appendix: {name} is {len(data) / 1048576:.1f} MB; expected "
                           f"{ACCEPTED}")
    if not data.lstrip()[:5] == b"%PDF-":
        raise InvalidInput(f"appendix: {name} is not a PDF; expected {ACCEPTED} (save a Word "
                           "document as PDF first), or a UTF-8 Markdown text file")
    try:
        reader = PdfReader(BytesIO(data))
        if reader.is_encrypted:
            raise InvalidInput(f"appendix: {name} is password-protected; expected {ACCEPTED}")
        pages = len(reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise InvalidInput(f"appendix: {name} cannot be read as a PDF ({exc}); expected "
                           f"{ACCEPTED}") from None
    if pages == 0:
        raise InvalidInput(f"appendix: {name} has no pages; expected {ACCEPTED}")
    return pages


def check(appendices: tuple[Mapping[str, Any], ...]) -> None:
    for n, a in enumerate(appendices, start=1):
        if not str(a.get("title", "")).strip():
            raise InvalidInput(f"appendices[{n}]: missing a title")
        if a.get("pdf") is not None:
            pdf_pages(str(a.get("filename") or a["title"]), bytes(a["pdf"]))


def store(uow: UnitOfWork, item_id: int, n: int, a: Mapping[str, Any]) -> dict[str, Any]:
    """Keep one PDF appendix with its item; the item's ``appendices`` entry for it."""
    data = bytes(a["pdf"])
    name = str(a.get("filename") or f"appendix-{n}.pdf")
    pages = pdf_pages(name, data)
    digest = hashlib.sha256(data).hexdigest()
    row = uow.session.exec(select(ItemAppendixRow).where(
        ItemAppendixRow.item_id == item_id, ItemAppendixRow.sha256 == digest)).first()
    if row is None:
        row = ItemAppendixRow(item_id=item_id, title=str(a["title"]), filename=name,
                              sha256=digest, pages=pages, size=len(data), content=data,
                              created_at=uow.now)
        uow.session.add(row)
        uow.session.flush()
    return {"title": str(a["title"]), "text": "", "appendix_id": row.id,
            "filename": name, "pages": pages, "sha256": digest}
