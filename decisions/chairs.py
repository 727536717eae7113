"""Who chairs: a fixed chair with a vice-chair, or co-chairs rotating meeting by meeting
(file 003: "jointly chaired by the Leader of the Council and Chair of the CCG with chairing
responsibility rotated between meetings").

When the due chair sends apologies, the next co-chair in the rotation (or the vice-chair)
chairs. Whether the rotation then moves on is the body's ``rotation_advances_by``:

- ``meeting_held``: every meeting held moves the rotation on, whoever chaired;
- ``chair_served``: the rotation moves on only when the due chair served, so a chair who sent
  apologies is due again at the next meeting.

A chair with an interest in an item hands that item to the vice-chair or co-chair
(Localism Act 2011 s31(4); NHS England, Managing Conflicts of Interest in the NHS, 2017).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from decisions.errors import RuleRefused
from decisions.terms import Body


@dataclass(frozen=True)
class ChairRecord:
    """One past meeting that was held: who was due to chair and who actually chaired."""

    due: str
    chair: str


@dataclass(frozen=True)
class ChairChoice:
    due: str
    chair: str
    reason: str


def _subject(name: str) -> str:
    """A name before its verb: "Cllr Jane Smith, Leader of the Council," closes its comma."""
    return f"{name}," if "," in name else name


def due_chair(body: Body, history: Sequence[ChairRecord]) -> str:
    """Who is due to chair the next meeting, from the body's chair or rotation and the
    history of meetings held (oldest first)."""
    if not body.chair_rotation:
        if body.chair is None:
            raise RuleRefused(f"terms of reference of the {body.name}",
                              "the body has neither a chair nor a chair_rotation")
        return body.chair
    rotation = body.chair_rotation
    if not history:
        return rotation[0]
    last = history[-1]
    if last.due not in rotation:
        return rotation[0]
    if body.rotation_advances_by == "chair_served" and last.chair != last.due:
        return last.due
    return rotation[(rotation.index(last.due) + 1) % len(rotation)]


def _stand_ins(body: Body, due: str) -> list[str]:
    """Who takes the chair, in order, when ``due`` cannot: the other co-chairs in rotation
    order after ``due``, then the vice-chair."""
    order: list[str] = []
    rotation = body.chair_rotation
    if due in rotation:
        i = rotation.index(due)
        order.extend(rotation[i + 1:] + rotation[:i])
    else:
        order.extend(m for m in rotation if m != due)
    if body.vice_chair and body.vice_chair not in order and body.vice_chair != due:
        order.append(body.vice_chair)
    return order


def chair_for_meeting(body: Body, history: Sequence[ChairRecord],
                      apologies: Collection[str],
                      name: Callable[[str], str] = str) -> ChairChoice:
    """The chair of the next meeting. Raises RuleRefused when neither the due chair nor any
    co-chair or vice-chair is available. ``name`` puts a member id in words for the reason."""
    due = due_chair(body, history)
    if due not in apologies:
        how = "co-chair due in rotation" if body.chair_rotation else "the chair"
        return ChairChoice(due, due, f"{_subject(name(due))} chairs ({how})")
    for other in _stand_ins(body, due):
        if other not in apologies:
            role = "co-chair" if other in body.chair_rotation else "vice-chair"
            then = ""
            if body.chair_rotation:
                then = (
                    "; the rotation moves on as usual"
                    if body.rotation_advances_by == "meeting_held"
                    else f"; {name(due)} is due again at the next meeting"
                )
            return ChairChoice(due, other, f"{_subject(name(due))} sent apologies, so the "
                                           f"{role}, {name(other)}, chairs{then}")
    candidates = [name(c) for c in (due, *_stand_ins(body, due))]
    sep = "; " if any("," in c for c in candidates) else ", "
    raise RuleRefused(
        f"terms of reference of the {body.name} (chairing)",
        f"{sep.join(candidates)} all sent apologies, so no chair or vice-chair is available; "
        "the meeting cannot be held as planned: reschedule it, or amend the terms of "
        "reference to let the members present elect a chair",
    )


def next_record(body: Body, last: ChairRecord | None,
                apologies: Collection[str]) -> ChairRecord | None:
    """The record a meeting adds to the history when it is held as projected
    (:func:`chair_for_meeting`'s due chair and chair, without its reason), given only the
    last record (the rotation looks back one meeting); ``last`` unchanged when no chair is
    available (such a meeting adds nothing)."""
    try:
        due = due_chair(body, (last,) if last is not None else ())
    except RuleRefused:
        return last
    if due not in apologies:
        return ChairRecord(due, due)
    for other in _stand_ins(body, due):
        if other not in apologies:
            return ChairRecord(due, other)
    return last


def advance(body: Body, last: ChairRecord | None, meetings: int) -> ChairRecord | None:
    """:func:`next_record` applied ``meetings`` times with no apologies: once, then the
    rotation moved on by one a meeting (each due chair serving, whatever
    ``rotation_advances_by``); a fixed chair stays."""
    if meetings <= 0:
        return last
    first = next_record(body, last, ())
    if first is None or first is last or meetings == 1 or not body.chair_rotation:
        return first
    rotation = body.chair_rotation
    due = rotation[(rotation.index(first.due) + meetings - 1) % len(rotation)]
    return ChairRecord(due, due)


def chair_for_item(body: Body, meeting_chair: str, conflicted: Collection[str],
                   present: Collection[str], name: Callable[[str], str] = str) -> str:
    """Who chairs one item: the meeting's chair unless they declared an interest in it, then
    the next co-chair or the vice-chair who is present and has no interest."""
    if meeting_chair not in conflicted:
        return meeting_chair
    for other in _stand_ins(body, meeting_chair):
        if other in present and other not in conflicted:
            return other
    raise RuleRefused(
        "Localism Act 2011 s31(4) (chair with an interest)",
        f"the chair, {name(meeting_chair)}, declared an interest in this item and no co-chair or "
        "vice-chair without an interest is present; defer the item, or record a dispensation "
        "for the chair",
    )
