"""Editing an agenda item and setting the agenda's order.

An item is editable until it is published; after publication (published or considered) an
edit needs a reason, is recorded (:class:`ItemEdited`, with the fields changed and the
reason) and republishes the packs as a new version. A decided, deferred or withdrawn item is
part of the record and is not edited. The secretary sets the order of the business items:
the opening standing items stay first and any other business last; a deferred item keeps its
place in this meeting's record.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from decisions.agenda_rules import check_wording, validate_action
from decisions.checklist import check_answers
from decisions.errors import InvalidInput, RuleRefused
from decisions.report_text import check_report_text
from decisions.terms import LocalityConfig
from workflows.committee import common
from workflows.committee.common import CLOSING_POSITION
from workflows.committee.events import AgendaReordered, ItemEdited
from workflows.committee.items import TO_FOLLOW, check_cover
from workflows.committee.tables import COVER_FIELDS, AgendaItemRow
from workflows.events import UnitOfWork

EDITABLE = ("title", "body_text", "cover", "action", "action_text", "lead", "checklist",
            "author")
OPEN_STATES = ("draft", "submitted", "accepted")
PUBLISHED_STATES = ("published", "considered")


def check_author(cfg: LocalityConfig, author: str | None) -> None:
    """An item's author is a configured member holding the report_author role (or none)."""
    if not author:
        return
    known = {m.id: m for m in cfg.member}
    authors = sorted(m.id for m in cfg.member if "report_author" in m.roles)
    if author not in known or "report_author" not in known[author].roles:
        what = "is not a member" if author not in known else "is not a report author"
        listed = ", ".join(authors) or 'none (give a member roles = ["report_author"])'
        raise InvalidInput(f"author: {author!r} {what}; expected one of {listed}")


def check_changes(changes: Mapping[str, Any]) -> None:
    """The fields an edit may change, each checked as when the item was added."""
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise InvalidInput(f"fields: {unknown} cannot be edited; expected {', '.join(EDITABLE)}")
    if "title" in changes and not str(changes["title"]).strip():
        raise InvalidInput("title: missing; give the item a title as it will appear on the "
                           "agenda")
    if "body_text" in changes:
        check_report_text("text", str(changes["body_text"]))
    if "action" in changes:
        validate_action(str(changes["action"]))
    if "action_text" in changes:
        check_wording(str(changes["action_text"]))
    if "checklist" in changes:
        check_answers(dict(changes["checklist"]))
    bad = sorted(set(changes.get("cover") or {}) - set(COVER_FIELDS))
    if bad:
        raise InvalidInput(f"cover: {bad} are not cover-sheet fields; expected "
                           f"{', '.join(COVER_FIELDS)}")


def edit(uow: UnitOfWork, item_id: int, changes: Mapping[str, Any],
         reason: str = "") -> AgendaItemRow:
    item = common.item(uow.session, item_id)
    check_changes(changes)
    if item.state not in OPEN_STATES + PUBLISHED_STATES:
        raise RuleRefused("the record", f"{common.describe_item(item)} is {item.state}; it is "
                          "part of the meeting's record and is not edited")
    supplying = item.report == TO_FOLLOW and bool(str(changes.get("body_text", "")).strip())
    if supplying and not reason.strip():
        reason = "the report to follow is supplied"
    if item.state in PUBLISHED_STATES and not reason.strip():
        raise InvalidInput(f"reason: missing; {common.describe_item(item)} is published, so "
                           "an edit needs a reason (it is recorded, and the pack is "
                           "republished as a new version)")
    changed = []
    for key, value in changes.items():
        new = {**(item.cover or {}), **{k: str(v) for k, v in dict(value).items()}} \
            if key == "cover" else (dict(value) if key == "checklist" else value)
        if key == "checklist":
            new = check_answers(new)
        if key == "author":
            new = new or None
        if getattr(item, key) != new:
            setattr(item, key, new)
            changed.append(key)
    if supplying:  # the report listed "to follow" arrives: a written report from now on
        item.report = "Written Report"
        changed.append("report")
        check_cover(item)  # with its cover sheet, as any written report is submitted
        if item.state in PUBLISHED_STATES:
            item.report_followed_at = uow.now
    if not changed:
        return item
    common.bump(item)
    uow.session.add(item)
    uow.session.flush()
    assert item.id is not None
    uow.emit(ItemEdited(item_id=item.id, meeting_id=item.meeting_id, fields=changed,
                        reason=reason.strip(), version=item.version,
                        published=item.state in PUBLISHED_STATES))
    return item


def reorder(uow: UnitOfWork, item_id: int, position: int) -> list[AgendaItemRow]:
    """Put the business item at ``position`` (1 = first after the opening standing items)
    among the meeting's business items; returns them in their new order."""
    item = common.item(uow.session, item_id)
    if item.standing is not None:
        raise RuleRefused("standing business", f"{common.describe_item(item)} is standing "
                          "business: the opening items come first and any other business "
                          "last")
    m = common.meeting(uow.session, item.meeting_id)
    if m.status != "scheduled":
        raise RuleRefused("meeting lifecycle", f"{common.describe_meeting(uow.config, m)} is "
                          f"{m.status}; its agenda order is part of the record")
    business = [i for i in common.items_of(uow.session, item.meeting_id)
                if i.standing is None and i.id != item.id]
    if not 1 <= position <= len(business) + 1:
        raise InvalidInput(f"position: {position} is not valid; expected 1 to "
                           f"{len(business) + 1} (the meeting has {len(business) + 1} "
                           "business items)")
    business.insert(position - 1, item)
    opening = max([i.position for i in common.items_of(uow.session, item.meeting_id)
                   if i.standing is not None and i.position < CLOSING_POSITION], default=0)
    for n, i in enumerate(business, start=1):
        i.position = (opening // 10 + n) * 10
        uow.session.add(i)
    uow.session.flush()
    uow.emit(AgendaReordered(meeting_id=item.meeting_id, body_id=m.body_id,
                             starts_at=m.starts_at.isoformat(),
                             order=[i.id for i in business if i.id is not None]))
    return business
