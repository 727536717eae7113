"""The draft minutes circulated (workflows/committee/circulation.py): reissued as they now
stand (the minute of each item as written) and e-mailed to the body's members with the
members' version attached. Keys carry the issue's version, so circulating again after a
change sends the new draft once."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from notifications.documents.minutes_issue import enabled, issue
from notifications.documents.tables import DocumentRow
from notifications.messages import body_members, send_all, when
from notifications.outbox import register_attachment_resolver
from workflows.committee import common
from workflows.committee.circulation import MinutesCirculated
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
        if version.document_id is not None:
            attachments = [{"filename": f"{body.id}-{m.local_date or m.starts_at.date()}"
                                        "-draft-minutes.pdf",
                            "content_type": "application/pdf",
                            "ref": {"kind": "minutes_document",
                                    "document_id": version.document_id}}]
    send_all(uow.session, cfg, uow.now, key, body_members(cfg, body.id),
             f"Draft minutes: {body.name}, {when(cfg, m.starts_at)}",
             f"The draft minutes of the {body.name} on {when(cfg, m.starts_at)} are attached "
             "for your comments. They are not yet a correct record: the committee approves "
             "them at its next meeting. Please send corrections to the secretary.\n",
             kind="minutes_circulated", attachments=attachments)


def minutes_attachment(session: Session, att: dict[str, Any]) -> tuple[bytes, str] | None:
    ref = att.get("ref") or {}
    if ref.get("kind") != "minutes_document":
        return None
    row = session.get(DocumentRow, int(ref["document_id"]))
    if row is None or row.content is None:
        return None
    return row.content, "application/pdf"


def install(bus: EventBus) -> None:
    register_attachment_resolver(minutes_attachment)
    bus.subscribe(MinutesCirculated, on_circulated)
