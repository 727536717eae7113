"""Issues of the minutes: the draft when the meeting is held; the approved minutes when they
are signed at a later meeting (members' and public versions, Part 2 minutes kept exempt);
each issue stored, recorded in ``minutes_version`` and superseding the one before."""

from __future__ import annotations

import os

from sqlmodel import col, select

from notifications.documents import kinds, minutes_gather, store
from notifications.documents.events import DocumentRendered
from notifications.documents.tables import DocumentRow
from workflows.committee.corrections import (
    DecisionCorrected,
    DecisionRescinded,
    correction_of,
)
from workflows.committee.events import MinuteCorrected, MinutesSigned
from workflows.committee.records import MinutesRow, MinutesVersionRow
from workflows.committee.tables import MeetingRow
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


def reissue_notice(uow: UnitOfWork, superseded_id: int, decision_id: int,
                   meeting_id: int, event: str) -> tuple[int | None, int | None]:
    """The notice of ``decision_id`` rendered and stored as the next version of the notice of
    ``superseded_id`` (the earlier issue kept, named by ``supersedes_id``). Returns (old, new)
    document ids of the public issue (the members' one for a Part 2 item)."""
    view = minutes_gather.notice_view(uow.session, uow.config, decision_id, uow.now)
    old_id = new_id = None
    for public in ((False, True) if view.part == 2 else (True,)):
        prior = uow.session.exec(select(DocumentRow).where(
            DocumentRow.kind == "notice", DocumentRow.subject_type == "decision",
            col(DocumentRow.subject_id).in_((str(superseded_id), str(decision_id))),
            DocumentRow.audience == store.audience_of(public, None))
            .order_by(col(DocumentRow.version).desc(), col(DocumentRow.id).desc())).first()
        r = kinds.render(kinds.notice_html(view, public=public))
        row = store.save(uow.session, kind="notice", title=f"Record of decision: {view.title}",
                         pdf=r.pdf, pages=r.pages, subject_type="decision",
                         subject_id=decision_id, now=uow.now, public=public,
                         meeting_id=meeting_id, event=event)
        if prior is not None and prior.id != row.id:
            row.version, row.supersedes_id = prior.version + 1, prior.id
        row.published_at, row.published_by = uow.now, uow.actor
        uow.session.add(row)
        uow.session.flush()
        old_id, new_id = (prior.id if prior is not None else None), row.id
        uow.emit(DocumentRendered(document_id=row.id or 0, kind="notice",
                                  decision_id=decision_id, meeting_id=meeting_id))
    return old_id, new_id


def _after_correction(uow: UnitOfWork, superseded_id: int, decision_id: int, meeting_id: int,
                      item_id: int, what: str, event: str) -> None:
    if not enabled():
        return
    m = uow.session.get(MeetingRow, meeting_id)
    number = minutes_gather.numbers(uow.session, uow.config, m, minutes_gather.minuted_items(
        uow.session, meeting_id)).get(item_id, "") if m is not None else ""
    reason = f"minute {number}: {what}" if number else what
    old, new = reissue_notice(uow, superseded_id, decision_id, meeting_id, event)
    row = correction_of(uow.session, superseded_id)
    if row is not None:
        row.old_document_id, row.document_id = old, new
        uow.session.add(row)
    minutes = uow.session.exec(select(MinutesRow).where(
        MinutesRow.meeting_id == meeting_id)).first()
    if minutes is None:
        return  # not yet held: the draft minutes, when issued, carry the correction
    status = "draft" if minutes.state == "draft" else "corrected"
    issue(uow, meeting_id, status, reason=reason, event=event)


def on_decision_corrected(uow: UnitOfWork, event: DecisionCorrected) -> None:
    _after_correction(uow, event.corrects_id, event.decision_id, event.meeting_id,
                      event.item_id, f"the decision was corrected ({event.reason})", event.name)


def on_decision_rescinded(uow: UnitOfWork, event: DecisionRescinded) -> None:
    _after_correction(uow, event.decision_id, event.decision_id, event.meeting_id,
                      event.item_id, f"the decision was rescinded ({event.reason})", event.name)


def install(bus: EventBus) -> None:
    bus.subscribe(MinutesSigned, on_signed)
    bus.subscribe(MinuteCorrected, on_corrected)
    bus.subscribe(DecisionCorrected, on_decision_corrected)
    bus.subscribe(DecisionRescinded, on_decision_rescinded)
