"""Minutes: opened as a draft when a meeting is held; approved at a later meeting of the same
body as a correct record (or as amended), then signed by the chair of that meeting."""

from __future__ import annotations

from sqlmodel import col, select

from decisions.errors import InvalidInput, NotFound, RuleRefused
from decisions.record_dates import check_approving_meeting
from workflows.committee import common
from workflows.committee.events import (
    MinuteCorrected,
    MinutesApproved,
    MinutesSigned,
    MinuteWritten,
)
from workflows.committee.records import MinutesRow, MinuteTextRow
from workflows.committee.tables import MeetingRow
from workflows.events import UnitOfWork


def _minutes(uow: UnitOfWork, meeting_id: int) -> MinutesRow:
    row = uow.session.exec(select(MinutesRow).where(MinutesRow.meeting_id == meeting_id)).first()
    if row is None:
        m = common.meeting(uow.session, meeting_id)
        raise NotFound(f"{common.describe_meeting(uow.config, m)} has no minutes: it is "
                       f"{m.status}; minutes are opened when a meeting is held")
    return row


def approve(uow: UnitOfWork, meeting_id: int, *, at_meeting_id: int | None = None,
            amendments: str = "", sign: bool = True, signed_by: str | None = None
            ) -> MinutesRow:
    """Approve the minutes of ``meeting_id`` at ``at_meeting_id`` (default: the body's next
    meeting after it that is not cancelled), as a correct record or with ``amendments``; then
    (with ``sign``) signed by the chair of the approving meeting."""
    m = common.meeting(uow.session, meeting_id)
    row = _minutes(uow, meeting_id)
    if row.state != "draft":
        raise RuleRefused("minutes", f"the minutes of {common.describe_meeting(uow.config, m)} "
                          f"are already {row.state}")
    if at_meeting_id is None:
        nxt = uow.session.exec(select(MeetingRow).where(
            MeetingRow.body_id == m.body_id, MeetingRow.status != "cancelled",
            col(MeetingRow.starts_at) > m.starts_at).order_by(col(MeetingRow.starts_at))).first()
        if nxt is None:
            raise RuleRefused("minutes", "minutes are approved at the body's next meeting; "
                              f"{uow.config.body_by_id(m.body_id).name} has none scheduled "
                              f"after {common.describe_meeting(uow.config, m)}")
        at = nxt
    else:
        at = common.meeting(uow.session, at_meeting_id)
    if at.body_id != m.body_id or at.starts_at <= m.starts_at or at.status == "cancelled":
        raise RuleRefused("minutes (approved by the body that took them, at a later meeting "
                          "that is not cancelled)",
                          f"the minutes of {common.describe_meeting(uow.config, m)} are approved "
                          f"at a later meeting of the {uow.config.body_by_id(m.body_id).name}; "
                          f"{common.describe_meeting(uow.config, at)} is not one")
    tz = uow.config.zone
    check_approving_meeting(common.describe_meeting(uow.config, at), at.starts_at.astimezone(tz),
                            uow.now.astimezone(tz))
    row.state = "approved"
    row.approved_at_meeting_id = at.id
    row.approved_on = at.local_date or common.local_day(uow.config, at.starts_at)
    row.amended, row.amendments = bool(amendments.strip()), amendments.strip()
    uow.session.add(row)
    uow.session.flush()
    assert row.id is not None and at.id is not None
    uow.emit(MinutesApproved(minutes_id=row.id, meeting_id=meeting_id, body_id=m.body_id,
                             approved_at_meeting_id=at.id,
                             approved_on=row.approved_on.isoformat(), amended=row.amended))
    if sign:
        sign_minutes(uow, meeting_id, signed_by=signed_by)
    return row


def sign_minutes(uow: UnitOfWork, meeting_id: int, *, signed_by: str | None = None
                 ) -> MinutesRow:
    row = _minutes(uow, meeting_id)
    if row.state != "approved" or row.approved_at_meeting_id is None:
        raise RuleRefused("minutes", f"the minutes of meeting {meeting_id} are {row.state}; "
                          "they are signed once approved")
    at = common.meeting(uow.session, row.approved_at_meeting_id)
    if at.status == "scheduled":
        from workflows.committee.meetings import refresh_chair

        refresh_chair(uow, at)
    chair = at.chair_id
    who = signed_by or chair
    if who is None:
        raise InvalidInput("signed_by: missing; the approving meeting has no chair recorded")
    if who != chair:
        names = {m.id: m.display for m in uow.config.member}
        raise RuleRefused("minutes", f"the minutes are signed by the chair of the meeting that "
                          f"approved them ({names.get(chair or '', chair)}), not "
                          f"{names.get(who, who)}")
    row.state, row.signed_by = "signed", who
    row.signed_on = row.approved_on
    uow.session.add(row)
    uow.session.flush()
    assert row.id is not None
    uow.emit(MinutesSigned(minutes_id=row.id, meeting_id=meeting_id, signed_by=who))
    return row


def get(uow: UnitOfWork, meeting_id: int) -> MinutesRow:
    return _minutes(uow, meeting_id)


def write_text(uow: UnitOfWork, meeting_id: int, item_id: int, text: str, *,
               correction: str = "") -> MinuteTextRow:
    """The secretary's minute of one item (a summary of the discussion), written after the
    meeting and before its minutes are approved; writing again replaces it."""
    cfg = uow.config
    m = common.meeting(uow.session, meeting_id)
    item = common.item(uow.session, item_id)
    if item.meeting_id != meeting_id:
        other = common.meeting(uow.session, item.meeting_id)
        raise RuleRefused("minutes (an item is minuted by the meeting that took it)",
                          f"{common.describe_item(item)} is on the agenda of "
                          f"{common.describe_meeting(cfg, other)}, not of "
                          f"{common.describe_meeting(cfg, m)}")
    row = _minutes(uow, meeting_id)
    if (row.state == "draft") == bool(correction):
        raise RuleRefused("minutes (text is written while they are a draft; approved minutes "
                          "are changed only by a correction with its reason)",
                          f"the minutes of {common.describe_meeting(cfg, m)} are {row.state}"
                          + ("; use 's75 minutes correct' with --reason" if not correction
                             else "; write the minute with 's75 minutes write'"))
    text_row = uow.session.exec(select(MinuteTextRow).where(
        MinuteTextRow.item_id == item_id)).first()
    previous = text_row.text if text_row is not None else ""
    if text_row is None:
        text_row = MinuteTextRow(item_id=item_id, meeting_id=meeting_id, text=text,
                                 written_by=uow.actor, written_at=uow.now)
    text_row.text, text_row.written_by, text_row.written_at = text.strip(), uow.actor, uow.now
    uow.session.add(text_row)
    uow.session.flush()
    if correction:
        uow.emit(MinuteCorrected(item_id=item_id, meeting_id=meeting_id, body_id=m.body_id,
                                 reason=correction, previous_text=previous))
    else:
        uow.emit(MinuteWritten(item_id=item_id, meeting_id=meeting_id, body_id=m.body_id,
                               chars=len(text_row.text)))
    return text_row
