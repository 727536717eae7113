"""What process_due does by itself at a deadline, through the committees' services (so the
same rules, state changes and events apply as when a secretary does it):

* at the publication deadline, publish the agenda as the scheduler
  (decisions.principals.SYSTEM) through the same action a secretary performs by hand
  (workflows/committee/meeting_actions.PublishMeeting), which raises MeetingPublished: the
  packs are stored, the members' emails queued and the deadline met; before that, an item
  still awaiting its report (submitted, not accepted) without the chair's urgency consent is
  deferred to the body's next meeting (LGA 1972 s100B(3)-(4));
* the facts that show a deadline was met even when no event said so (an action closed, a
  condition closed, a gateway held, minutes drafted, a forward-plan notice published).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import col, select

from decisions.principals import SYSTEM
from notifications.deadlines import local_date
from notifications.due_rows import Deadline
from workflows.actions import perform
from workflows.committee import common
from workflows.committee import items as svc
from workflows.committee.meeting_actions import PublishMeeting
from workflows.committee.tables import AgendaItemRow, MeetingRow
from workflows.events import UnitOfWork
from workflows.prepared import Prepared, connection
from workflows.sqltypes import UTCDateTime

AWAITING_REPORT = ("submitted",)


@dataclass
class Publication:
    published: list[int] = field(default_factory=list)
    moved: list[tuple[int, int | None]] = field(default_factory=list)
    """(item id, new item id on the next meeting or None when no meeting is scheduled yet)."""


def publish_agenda(uow: UnitOfWork, m: MeetingRow) -> Publication:
    assert m.id is not None
    out = Publication()
    if not _awaiting(uow, m.id):
        return _publish(uow, m.id, out)
    for item in common.items_of(uow.session, m.id):
        if (item.standing is None and item.state in AWAITING_REPORT
                and not item.urgency_consent_by and item.id is not None):
            new = svc.defer_item(uow, item, "report not ready for publication at the "
                                 "clear-days deadline; no urgency consent from the chair")
            out.moved.append((item.id, new.id if new is not None else None))
    return _publish(uow, m.id, out)


def _publish(uow: UnitOfWork, meeting_id: int, out: Publication) -> Publication:
    day = local_date(uow.config, uow.now)
    done = perform(uow, PublishMeeting(meeting_id, published_on=day, automatic=True), SYSTEM)
    out.published = [i.id for i in done if i.id is not None]
    return out


def _read(uow: UnitOfWork, stmt: Prepared, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    """``stmt`` as one prepared statement, after the session's changes are flushed as a
    query through the session would flush them."""
    s = uow.session
    if s.new or s.dirty or s.deleted:
        s.flush()
    return stmt.rows(connection(s), params)


_AWAITING: list[Prepared] = []


def _awaiting(uow: UnitOfWork, meeting_id: int) -> bool:
    """Whether any item of the meeting (not standing business) is still awaiting its report:
    one indexed read, so the items are loaded only when one may have to be deferred."""
    if not _AWAITING:
        _AWAITING.append(Prepared(sa_select(col(AgendaItemRow.id)).where(
            col(AgendaItemRow.meeting_id) == bindparam("meeting_id"),
            col(AgendaItemRow.standing).is_(None),
            or_(*(col(AgendaItemRow.state) == state for state in AWAITING_REPORT)))
            .limit(1)))
    return bool(_read(uow, _AWAITING[0], {"meeting_id": meeting_id}))


def already_met(uow: UnitOfWork, row: Deadline) -> str | None:
    """Why the deadline counts as met from what is in the database, or None."""
    s = uow.session
    try:
        sid = int(row.subject_id)
    except ValueError:
        sid = -1
    if row.kind == "agenda_items" and row.meeting_id is not None:
        n = notified(uow, row.meeting_id, row.due_at)
        return f"{n} item(s) notified" if n else None
    if row.kind == "action":
        from workflows.committee.records import ActionRow
        a = s.get(ActionRow, sid)
        return "action closed" if a is not None and a.status == "done" else None
    if row.kind == "condition":
        from workflows.proposal.tables import ConditionRow
        c = s.get(ConditionRow, sid)
        return "condition closed" if c is not None and c.status == "closed" else None
    if row.kind == "draft_minutes" and row.meeting_id is not None:
        from workflows.committee.records import MinutesRow
        mins = s.exec(select(MinutesRow).where(MinutesRow.meeting_id == row.meeting_id)).first()
        return "minutes drafted" if mins is not None and mins.text.strip() else None
    if row.kind == "forward_plan":
        from workflows.committee.records import KeyDecisionRow
        k = s.exec(select(KeyDecisionRow).where(KeyDecisionRow.item_id == sid)).first()
        if k is not None and (k.forward_plan_published_on is not None or k.exception != "none"):
            return "forward plan notice or exception recorded"
        return None
    if row.kind == "gateway" and row.proposal_id is not None:
        from workflows.proposal.tables import GatewayRow
        month = str(row.details.get("month", ""))
        for g in s.exec(select(GatewayRow).where(GatewayRow.proposal_id == row.proposal_id)):
            if g.month.isoformat()[:7] == month:
                return f"gateway held {g.held_on:%d %b %Y}"
        return None
    return None


_NOTIFIED: list[Prepared] = []


def notified(uow: UnitOfWork, meeting_id: int, by: datetime) -> int:
    """How many of the meeting's items (not standing business) were submitted by ``by``:
    one count (the session's changes flushed first, as a query of the items would)."""
    if not _NOTIFIED:
        _NOTIFIED.append(Prepared(sa_select(func.count()).select_from(AgendaItemRow).where(
            col(AgendaItemRow.meeting_id) == bindparam("meeting_id"),
            col(AgendaItemRow.standing).is_(None),
            col(AgendaItemRow.submitted_at).is_not(None),
            col(AgendaItemRow.submitted_at) <= bindparam("by", type_=UTCDateTime))))
    return int(_read(uow, _NOTIFIED[0], {"meeting_id": meeting_id, "by": by})[0][0])


def publication_meeting(uow: UnitOfWork, row: Deadline) -> MeetingRow | None:
    """The meeting a publication deadline publishes (None for any other deadline, or when
    the meeting no longer exists), loaded once: the caller holds it from the check that the
    meeting is still there to its publication (the session's identity map holds a clean row
    only while something refers to it, so it would be read again)."""
    if row.kind != "publication" or row.meeting_id is None:
        return None
    return uow.session.get(MeetingRow, row.meeting_id)


def meeting_gone(uow: UnitOfWork, row: Deadline, meeting: MeetingRow | None = None
                 ) -> str | None:
    """Why the deadline's meeting no longer needs it (gone or cancelled), or None. For a
    publication deadline, ``meeting`` is its :func:`publication_meeting` when already loaded."""
    if row.meeting_id is None or row.kind not in ("agenda_items", "notice", "publication"):
        return None
    if row.kind == "publication":  # its meeting is loaded to be published: load it now
        m = meeting if meeting is not None else publication_meeting(uow, row)
        status = None if m is None else m.status
    else:
        status = meeting_status(uow, row.meeting_id)
    if status is None:
        return "meeting no longer exists"
    return f"meeting {status}" if status == "cancelled" else None


_STATUS: list[Prepared] = []


def meeting_status(uow: UnitOfWork, meeting_id: int) -> str | None:
    """The meeting's status (None if it does not exist): from the session's row when it holds
    it, else one column read (no ORM row loaded for a deadline that only needs to know)."""
    s = uow.session
    held = s.identity_map.get(s.identity_key(MeetingRow, meeting_id))
    if held is not None:
        return str(held.status)
    if not _STATUS:
        _STATUS.append(Prepared(sa_select(col(MeetingRow.status))
                                .where(col(MeetingRow.id) == bindparam("meeting_id"))))
    # Not in the session, so no change to it is waiting to be flushed: read without a flush.
    found = _STATUS[0].rows(connection(s), {"meeting_id": meeting_id})
    return str(found[0][0]) if found else None
