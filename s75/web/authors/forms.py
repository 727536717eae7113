"""The forms of an item's page, each building exactly one action of the pipeline as the CLI
does: the draft (``item edit``), an appendix (``item attach``: a PDF upload), submission
(``item submit``) and clearance (``item clear``). ``preview`` builds none: it renders the
posted report text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import FormData, UploadFile

from decisions.errors import InvalidInput
from s75.web.staff.forms import choice, number, text
from workflows.actions import Action
from workflows.committee.appendices import ACCEPTED, MAX_BYTES
from workflows.committee.appendix_actions import AttachAppendix
from workflows.committee.clearance import KINDS, ClearItem
from workflows.committee.item_actions import EditItem, SubmitItem
from workflows.committee.tables import COVER_FIELDS

Builder = Callable[[int, FormData, frozenset[str], bytes | None], Action[Any]]


def _draft(item_id: int, d: FormData, roles: frozenset[str], _: bytes | None) -> Action[Any]:
    changes: dict[str, Any] = {"title": text(d, "title", 300), "lead": text(d, "lead", 200),
                               "body_text": text(d, "body_text", 200000),
                               "cover": {k: text(d, k, 5000) for k in COVER_FIELDS}}
    if "secretary" in roles and "author" in d:
        changes["author"] = text(d, "author", 64) or None
    return EditItem(item_id=item_id, changes=changes, reason=text(d, "reason", 2000))


def upload_name(d: FormData) -> str:
    f = d.get("file")
    return (f.filename or "the file") if isinstance(f, UploadFile) else ""


def _attach(item_id: int, d: FormData, roles: frozenset[str], data: bytes | None
            ) -> Action[Any]:
    if data is None:
        raise InvalidInput(f"file: missing; choose the appendix to upload ({ACCEPTED})")
    if len(data) > MAX_BYTES:
        raise InvalidInput(f"file: {upload_name(d)} is larger than 20 MB; expected {ACCEPTED}")
    return AttachAppendix(item_id=item_id, title=text(d, "title", 300),
                          filename=upload_name(d), pdf=data, reason=text(d, "reason", 2000))


def _submit(item_id: int, d: FormData, roles: frozenset[str], _: bytes | None) -> Action[Any]:
    return SubmitItem(item_id=item_id,
                      urgency_reason=text(d, "urgency_reason", 2000) or None,
                      chair_consent_by=text(d, "chair_consent_by", 64) or None)


def _clear(item_id: int, d: FormData, roles: frozenset[str], _: bytes | None) -> Action[Any]:
    decision = choice(d, "decision", ("clear", "refuse"))
    return ClearItem(item_id=item_id, kind=choice(d, "kind", KINDS),
                     refuse=decision == "refuse", comment=text(d, "comment", 5000),
                     version=number(d, "version", optional=True))


@dataclass(frozen=True)
class ItemForm:
    build: Builder
    fields: tuple[str, ...]
    done: str


ITEM_FORMS: dict[str, ItemForm] = {
    "draft": ItemForm(_draft, ("title", "lead", "author", "body_text", "reason", *COVER_FIELDS),
                      "Report saved."),
    "attach": ItemForm(_attach, ("title", "file", "reason"), "Appendix attached."),
    "submit": ItemForm(_submit, ("urgency_reason", "chair_consent_by"),
                       "Report submitted to the secretary."),
    "clear": ItemForm(_clear, ("decision", "kind", "comment"), "Clearance recorded."),
}


async def read_upload(d: FormData) -> bytes | None:
    """The uploaded file's bytes (at most 20 MB and one byte, so a larger file is refused by
    its size without being read whole); None when no file was chosen."""
    f = d.get("file")
    if not isinstance(f, UploadFile) or not f.filename:
        return None
    data = await f.read(MAX_BYTES + 1)
    return data


def field_of(message: str, form: ItemForm) -> str | None:
    head = message.split(":", 1)[0].strip().lstrip("-").replace("-", "_")
    head = {"appendix": "file", "text": "body_text", "cover": "decisions_required"
            }.get(head, head)
    return head if head in form.fields else None
