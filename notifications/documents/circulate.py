"""The draft minutes circulated (workflows/committee/circulation.py): reissued as they now
stand (the minute of each item as written) and e-mailed to the body's members with the
members' version attached (the mail waits until the draft, rendered after the commit, is
stored). Keys carry the issue's version, so circulating again after a
change sends the new draft once."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from notifications import render_jobs
from notifications.documents import document_jobs
from notifications.documents.minutes_issue import enabled, issue
from notifications.documents.tables import DocumentRow
from notifications.messages import body_members, send_all, when
from notifications.outbox import AttachmentPending, register_attachment_resolver
from workflows.committee import common
from workflows.committee.circulation import MinutesCirculated
from workflows.committee.records import MinutesVersionRow
from workflows.events import EventBus, UnitOfWork


def on_circulated(uow: UnitOfWork, event: MinutesCirculated) -> None:
    cfg = uow.config
    m = common.meeting(uow.session, event.meeting_id)
    body = cfg.body_by_id(event.body_id)
    attachments: list[dict[str, Any]] = []
    key = f"minutes.circulated:{event.meeting_id}"
    if enabled():
        version = issue(uow, event.meeting_id, "draft", reason="circulated to members",
                        event=event.name)
        key += f":{version.version}"
        # The draft is rendered after the commit: the mail waits for it (minutes_attachment).
        attachments = [{"filename": f"{body.id}-{m.local_date or m.starts_at.date()}"
                                    "-draft-minutes.pdf",
                        "content_type": "application/pdf",
                        "ref": {"kind": "minutes_document", "minutes_version": version.id}}]
    send_all(uow.session, cfg, uow.now, key, body_members(cfg, body.id),
             f"Draft minutes: {body.name}, {when(cfg, m.starts_at)}",
             f"The draft minutes of the {body.name} on {when(cfg, m.starts_at)} are attached "
             "for your comments. They are not yet a correct record: the committee approves "
             "them at its next meeting. Please send corrections to the secretary.\n",
             kind="minutes_circulated", attachments=attachments)


def minutes_attachment(session: Session, att: dict[str, Any]) -> tuple[bytes, str] | None:
    """``{"ref": {"kind": "minutes_document", "minutes_version": N}}``: the members'
    document of that issue of the minutes once stored. While a minutes job of the meeting is
    open the message is held back (``AttachmentPending``), so the mail never goes before the
    draft it announces. (``"document_id"``: a stored document, as earlier messages name it.)"""
    ref = att.get("ref") or {}
    if ref.get("kind") != "minutes_document":
        return None
    if "document_id" in ref:
        row = session.get(DocumentRow, int(ref["document_id"]))
    else:
        version = session.get(MinutesVersionRow, int(ref["minutes_version"]))
        if version is None:
            return None
        row = document_jobs.stored_for_version(session, version.id or 0)
        if row is None and render_jobs.is_open(session, version.meeting_id, "minutes"):
            raise AttachmentPending(f"the minutes of meeting {version.meeting_id} are being "
                                    "rendered")
    if row is None or row.content is None:
        return None
    return row.content, "application/pdf"


def install(bus: EventBus) -> None:
    register_attachment_resolver(minutes_attachment)
    bus.subscribe(MinutesCirculated, on_circulated)
