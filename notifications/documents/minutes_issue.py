"""Issues of the minutes: the draft when the meeting is held; the approved minutes when they
are signed at a later meeting (members' and public versions, Part 2 minutes kept exempt);
each issue recorded in ``minutes_version``, superseding the one before, in the event's
transaction, and its documents rendered and stored after the commit (document_jobs.py)."""

from __future__ import annotations

import os

from sqlmodel import col, select

from notifications.documents import document_jobs, kinds, minutes_gather
from workflows.committee.corrections import DecisionCorrected, DecisionRescinded
from workflows.committee.events import MinuteCorrected, MinutesSigned
from workflows.committee.records import MinutesRow, MinutesVersionRow
from workflows.committee.tables import MeetingRow
from workflows.events import EventBus, UnitOfWork


def enabled() -> bool:
    """Documents are rendered on events unless ``S75_DOCUMENTS_ON_EVENTS=0``."""
    return os.environ.get("S75_DOCUMENTS_ON_EVENTS", "1") not in ("0", "false", "no")


def issue(uow: UnitOfWork, meeting_id: int, status: str, reason: str = "",
          event: str = "render") -> MinutesVersionRow:
    """Issue the minutes as they now stand: supersede the earlier issue, record the new one,
    and queue its documents (members' version, and a public one unless this is the draft),
    their HTML fixed now, rendered and stored after the commit and linked to the issue."""
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
    assert version.id is not None
    view = minutes_gather.minutes_view(uow.session, uow.config, meeting_id)
    for public in ((False,) if status == "draft" else (False, True)):
        # Rendered and stored after the commit; the worker links the document to ``version``.
        document_jobs.queue(uow, kind="minutes", html=kinds.minutes_html(view, public=public),
                            title=view.title, subject_type="meeting", subject_id=meeting_id,
                            public=public, meeting_id=meeting_id, event=event,
                            unique=f"v{version.version}",
                            link={"minutes_version": version.id})
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
                   meeting_id: int, event: str) -> list[str]:
    """Queue the notice of ``decision_id`` as the decision now stands, stored after the
    commit as the next version of the notice of ``superseded_id`` (the earlier issue kept,
    named by ``supersedes_id``; the correction row then names both documents of the public
    issue). Returns the keys queued."""
    view = minutes_gather.notice_view(uow.session, uow.config, decision_id, uow.now)
    keys = []
    for public in ((False, True) if view.part == 2 else (True,)):
        key = document_jobs.queue_notice(
            uow, decision_id, meeting_id, kinds.notice_html(view, public=public),
            f"Record of decision: {view.title}", public, event, supersedes=superseded_id)
        keys += [key] if key else []
    return keys


def _after_correction(uow: UnitOfWork, superseded_id: int, decision_id: int, meeting_id: int,
                      item_id: int, what: str, event: str) -> None:
    if not enabled():
        return
    m = uow.session.get(MeetingRow, meeting_id)
    number = minutes_gather.numbers(uow.session, uow.config, m, minutes_gather.minuted_items(
        uow.session, meeting_id)).get(item_id, "") if m is not None else ""
    reason = f"minute {number}: {what}" if number else what
    reissue_notice(uow, superseded_id, decision_id, meeting_id, event)
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
