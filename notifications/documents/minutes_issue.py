"""Issues of the minutes: the draft when the meeting is held; the approved minutes when they
are signed at a later meeting (members' and public versions, Part 2 minutes kept exempt);
each issue stored, recorded in ``minutes_version`` and superseding the one before."""

from __future__ import annotations

import os

from sqlmodel import col, select

from notifications.documents import kinds, minutes_gather, store
from notifications.documents.events import DocumentRendered
from workflows.committee.events import MinuteCorrected, MinutesSigned
from workflows.committee.records import MinutesVersionRow
from workflows.events import EventBus, UnitOfWork


def enabled() -> bool:
    """Documents are rendered on events unless ``S75_DOCUMENTS_ON_EVENTS=0``."""
    return os.environ.get("S75_DOCUMENTS_ON_EVENTS", "1") not in ("0", "false", "no")


def issue(uow: UnitOfWork, meeting_id: int, status: str, reason: str = "",
          event: str = "render") -> MinutesVersionRow:
    """Render and store the minutes as they now stand (members' version, and a public one
    unless this is the draft), supersede the earlier issue, record the new one."""
    earlier = uow.session.exec(select(MinutesVersionRow).where(
        MinutesVersionRow.meeting_id == meeting_id).order_by(
        col(MinutesVersionRow.version).desc())).all()
    for old in earlier:
        if old.superseded_at is None:
            old.superseded_at = uow.now
            uow.session.add(old)
    version = MinutesVersionRow(meeting_id=meeting_id,
                                version=(earlier[0].version + 1) if earlier else 1,
                                status=status, reason=reason, created_at=uow.now)
    uow.session.add(version)
    uow.session.flush()
    view = minutes_gather.minutes_view(uow.session, uow.config, meeting_id)
    for public in ((False,) if status == "draft" else (False, True)):
        r = kinds.render(kinds.minutes_html(view, public=public))
        row = store.save(uow.session, kind="minutes", title=view.title, pdf=r.pdf,
                         pages=r.pages, subject_type="meeting", subject_id=meeting_id,
                         now=uow.now, public=public, meeting_id=meeting_id, event=event)
        if public:
            version.public_document_id = row.id
        else:
            version.document_id = row.id
        uow.emit(DocumentRendered(document_id=row.id or 0, kind="minutes",
                                  meeting_id=meeting_id))
    uow.session.add(version)
    uow.session.flush()
    return version


def on_signed(uow: UnitOfWork, event: MinutesSigned) -> None:
    if not enabled():
        return
    row = minutes_gather.minutes_row(uow.session, event.meeting_id)
    issue(uow, event.meeting_id, "approved",
          reason=row.amendments if row is not None and row.amended else "", event=event.name)


def on_corrected(uow: UnitOfWork, event: MinuteCorrected) -> None:
    if enabled():
        issue(uow, event.meeting_id, "corrected", reason=event.reason, event=event.name)


def install(bus: EventBus) -> None:
    bus.subscribe(MinutesSigned, on_signed)
    bus.subscribe(MinuteCorrected, on_corrected)
