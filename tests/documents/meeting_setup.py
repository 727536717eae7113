"""Taking a scheduled meeting with a Part 1 and a Part 2 item through the services: the items
submitted and accepted, an interest declared in the exempt one, the agenda published on
2 April 2019 (which produces the packs) and the members present on 10 April 2019."""

from __future__ import annotations

from datetime import UTC, date, datetime

from workflows.committee import attendance, interests, items
from workflows.events import UnitOfWork

PRESENT = ("exec_adults", "exec_children", "dass", "leader", "ccg_chair", "cfo",
           "gp_director_1", "accountable_officer", "gp_director_2")


def publish_and_attend(uow: UnitOfWork, meeting_id: int, public_id: int, exempt_id: int) -> None:
    for item_id in (public_id, exempt_id):
        items.submit(uow, item_id, submitted_by="dass", submitted_on=date(2019, 3, 20))
        items.accept(uow, item_id)
    interests.declare(uow, exempt_id, "gp_director_1", "non_pecuniary",
                      "Relative works for a bidder", managed="left_room")
    uow.now = datetime(2019, 4, 2, 9, tzinfo=UTC)
    items.publish_meeting(uow, meeting_id, published_on=date(2019, 4, 2))  # MeetingPublished
    uow.now = datetime(2019, 4, 10, 15, tzinfo=UTC)
    for who in PRESENT:
        attendance.record(uow, meeting_id, who)
