"""Plain data for the members' pages. A member sees the meetings of the bodies they sit on
(``member_of``); the documents of a meeting they may read are the public ones, the members'
versions (Part 2 included) of their own bodies' meetings, and their own personal packs.
Nothing is read for a body the member does not sit on: its Part 2 material is never loaded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, and_, col, or_, select

from decisions.errors import NotFound
from decisions.principals import Principal
from decisions.terms import LocalityConfig
from notifications.documents import gather
from notifications.documents.tables import DocumentRow
from s75.web.paging import Paging, paging
from s75.web.views import MeetingLine, agenda_is_public, meeting_line
from workflows.committee import common
from workflows.committee.records import ActionRow, DeclarationRow
from workflows.committee.tables import AgendaItemRow, MeetingRow

OPEN_FOR_DECLARATIONS = ("published", "considered")
"""An item on a published agenda, not yet decided: a member may declare an interest on it."""
PAST_LIMIT = 20
UPCOMING_LIMIT = 50
PACKS_PAGE_SIZE = 20
"""Meetings to a page of Your packs (each lists up to four documents)."""
NATURES = (("pecuniary", "Disclosable pecuniary"), ("non_pecuniary", "Other registrable"),
           ("indirect", "Indirect (a close associate's)"))
MANAGED_WORDS = (("left_room", "I will leave the room for this item"),
                 ("no_vote", "I will stay but not vote"),
                 ("took_part", "I will take part (I have a dispensation)"))
AUDIENCE_WORDS = {"public": "Public pack", "members": "Members' pack (includes Part 2)"}


@dataclass(frozen=True)
class DocLine:
    id: int
    title: str
    kind: str
    audience: str
    """In words: "Public pack", "Members' pack (includes Part 2)", "Your personal pack"."""
    version: int
    pages: int


@dataclass(frozen=True)
class ItemLine:
    id: int
    number: str
    title: str
    part: int
    state: str
    declarable: bool


@dataclass(frozen=True)
class DeclarationLine:
    item: str
    nature: str
    description: str
    managed: str


@dataclass(frozen=True)
class MemberMeeting:
    meeting: MeetingLine
    published: bool
    items: tuple[ItemLine, ...]
    documents: tuple[DocLine, ...]
    declarations: tuple[DeclarationLine, ...]


@dataclass(frozen=True)
class ActionLine:
    description: str
    body: str
    meeting: MeetingLine
    due: str
    status: str
    overdue: bool


def bodies(cfg: LocalityConfig, who: Principal) -> list[tuple[str, str]]:
    """The bodies ``who`` sits on, as (id, name), in the configuration's order."""
    return [(b.id, b.name) for b in cfg.body if b.id in who.member_of]


def my_meetings(session: Session, cfg: LocalityConfig, who: Principal, now: datetime
                ) -> tuple[list[MeetingLine], list[MeetingLine]]:
    """Upcoming (soonest first, at most 50) and past (latest first, at most 20) meetings of
    the member's bodies."""
    ids = [b for b, _ in bodies(cfg, who)]
    if not ids:
        return [], []
    upcoming = session.exec(select(MeetingRow).where(
        col(MeetingRow.body_id).in_(ids), col(MeetingRow.starts_at) >= now)
        .order_by(col(MeetingRow.starts_at)).limit(UPCOMING_LIMIT)).all()
    past = session.exec(select(MeetingRow).where(
        col(MeetingRow.body_id).in_(ids), col(MeetingRow.starts_at) < now)
        .order_by(col(MeetingRow.starts_at).desc()).limit(PAST_LIMIT)).all()
    return [meeting_line(cfg, m) for m in upcoming], [meeting_line(cfg, m) for m in past]


def own_meeting(session: Session, cfg: LocalityConfig, who: Principal,
                meeting_id: int) -> MeetingRow:
    """The meeting, if it is of a body ``who`` sits on; else NotFound (as for no meeting)."""
    m = session.get(MeetingRow, meeting_id)
    if m is None or m.body_id not in who.member_of:
        raise NotFound(f"meeting {meeting_id} is not a meeting of a body you sit on; your "
                       "meetings are listed on the Your meetings page, and every meeting's "
                       f"public page is at /meetings/{meeting_id}")
    return m


def entitled(row: DocumentRow, who: Principal, body_of_meeting: str | None) -> bool:
    """May ``who`` read this stored document? Public ones; members' versions of a meeting of
    a body they sit on; their own personal versions."""
    if row.public and row.audience == "public":
        return True
    if row.audience == "members":
        return body_of_meeting is not None and body_of_meeting in who.member_of
    return row.audience == f"member:{who.id}" and body_of_meeting in who.member_of


def _doc_line(row: DocumentRow, who: Principal) -> DocLine:
    words = AUDIENCE_WORDS.get(row.audience, "Your personal pack (your declarations marked)")
    if row.kind != "pack":
        words = words.replace("pack", row.kind)
    return DocLine(row.id or 0, row.title, row.kind, words, row.version, row.pages)


def documents_of(session: Session, who: Principal, meeting_ids: list[int]
                 ) -> dict[int, list[DocLine]]:
    """Per meeting (all of the member's bodies), the latest version of each document the
    member may read: packs and supplements, public, members' and their personal ones."""
    if not meeting_ids:
        return {}
    rows = session.exec(select(DocumentRow).where(
        col(DocumentRow.meeting_id).in_(meeting_ids),
        col(DocumentRow.kind).in_(("pack", "supplement")),
        or_(col(DocumentRow.audience) == "public", col(DocumentRow.audience) == "members",
            col(DocumentRow.audience) == f"member:{who.id}"))
        .order_by(col(DocumentRow.meeting_id), col(DocumentRow.kind),
                  col(DocumentRow.audience), col(DocumentRow.version).desc(),
                  col(DocumentRow.id).desc())).all()
    chosen: dict[int, list[DocumentRow]] = {}
    seen: set[tuple[int, str, str]] = set()
    for r in rows:
        key = (r.meeting_id or 0, r.kind, r.audience)
        if key in seen or (r.audience == "public" and not r.public):
            continue
        seen.add(key)
        chosen.setdefault(r.meeting_id or 0, []).append(r)
    rank = {"public": 2, "members": 1}  # the member's own version first, then members', public
    return {m: [_doc_line(r, who) for r in sorted(docs, key=lambda r: (
        r.kind != "pack", rank.get(r.audience, 0)))] for m, docs in chosen.items()}


def meeting_page(session: Session, cfg: LocalityConfig, who: Principal, meeting_id: int
                 ) -> MemberMeeting:
    m = own_meeting(session, cfg, who, meeting_id)
    published = agenda_is_public(session, m)
    lines: tuple[ItemLine, ...] = ()
    names: dict[int, str] = {}
    if published:
        rows = [i for i in common.items_of(session, meeting_id)
                if i.state not in gather.SKIP_STATES and i.deferred_to_item_id is None]
        numbers = gather.numbering(rows)
        lines = tuple(ItemLine(i.id or 0, numbers.get(i.id or 0, ""), i.title, i.part,
                               i.state, i.state in OPEN_FOR_DECLARATIONS and not i.standing)
                      for i in rows)
        names = {x.id: f"{x.number} {x.title}".strip() for x in lines}
    decl = session.exec(select(DeclarationRow).where(
        DeclarationRow.meeting_id == meeting_id, DeclarationRow.member_id == who.id)
        .order_by(col(DeclarationRow.id))).all()
    natures, managed = dict(NATURES), dict(MANAGED_WORDS)
    declarations = tuple(DeclarationLine(
        names.get(d.item_id, f"item {d.item_id}"), natures.get(d.nature, d.nature),
        d.description, managed.get(d.managed, d.managed).replace("I will ", "").capitalize())
        for d in decl)
    docs = documents_of(session, who, [meeting_id]).get(meeting_id, [])
    return MemberMeeting(meeting_line(cfg, m), published, lines, tuple(docs), declarations)


def _may_read(who: Principal) -> Any:
    """The SQL of the documents :func:`documents_of` lists for ``who`` (of a meeting of a body
    they sit on): packs and supplements, public, members' or their personal ones."""
    return and_(col(DocumentRow.kind).in_(("pack", "supplement")), or_(
        and_(col(DocumentRow.audience) == "public", col(DocumentRow.public).is_(True)),
        col(DocumentRow.audience) == "members",
        col(DocumentRow.audience) == f"member:{who.id}"))


def my_packs(session: Session, cfg: LocalityConfig, who: Principal, page: int = 1
             ) -> tuple[list[tuple[MeetingLine, list[DocLine]]], Paging]:
    """Page ``page`` of the meetings of the member's bodies with a published pack, latest
    first: the count, the page and its documents (three queries; NotFound past the last)."""
    ids = [b for b, _ in bodies(cfg, who)]
    with_pack = select(DocumentRow.id).where(
        DocumentRow.meeting_id == MeetingRow.id, _may_read(who)).exists()
    mine = (col(MeetingRow.body_id).in_(ids), with_pack)
    total = session.exec(select(func.count()).select_from(MeetingRow).where(*mine)).one() \
        if ids else 0
    paged = paging(total, page, "your packs", PACKS_PAGE_SIZE)
    meetings = session.exec(select(MeetingRow).where(*mine).order_by(
        col(MeetingRow.starts_at).desc(), col(MeetingRow.id).desc())
        .offset(paged.offset).limit(paged.size)).all() if total else []
    docs = documents_of(session, who, [m.id for m in meetings if m.id is not None])
    return [(meeting_line(cfg, m), docs[m.id]) for m in meetings if m.id in docs], paged


def document(session: Session, who: Principal, document_id: int) -> DocumentRow | None:
    """The stored document if ``who`` may read it (else None: the caller answers 404)."""
    row = session.get(DocumentRow, document_id)
    if row is None:
        return None
    body = None
    if row.meeting_id is not None:
        m = session.get(MeetingRow, row.meeting_id)
        body = m.body_id if m is not None else None
    return row if entitled(row, who, body) else None


def my_actions(session: Session, cfg: LocalityConfig, who: Principal, now: datetime,
               page: int = 1) -> tuple[list[ActionLine], Paging]:
    """Page ``page`` of the actions arising owned by the member (by id or e-mail address:
    ix_action_owner, ix_action_owner_email), open ones first: the count, the page, and the
    page's meetings and items in one query each (NotFound past the last page)."""
    email = next((m.email for m in cfg.member if m.id == who.id), None)
    owned = col(ActionRow.owner) == who.id
    if email:
        owned = or_(owned, col(ActionRow.owner_email) == email)
    total = session.exec(select(func.count()).select_from(ActionRow).where(owned)).one()
    paged = paging(total, page, "your actions")
    rows = session.exec(select(ActionRow).where(owned).order_by(
        col(ActionRow.status) != "open", col(ActionRow.due_on), col(ActionRow.id))
        .offset(paged.offset).limit(paged.size)).all()
    meetings = {m.id: m for m in session.exec(select(MeetingRow).where(
        col(MeetingRow.id).in_({a.meeting_id for a in rows})))} if rows else {}
    asked = {a.item_id for a in rows if a.item_id is not None and a.body_id not in who.member_of}
    parts = dict(session.exec(select(AgendaItemRow.id, AgendaItemRow.part).where(
        col(AgendaItemRow.id).in_(asked))).all()) if asked else {}
    today = common.local_day(cfg, now)
    out = []
    for a in rows:
        m = meetings.get(a.meeting_id)
        if m is None:
            continue
        text = a.description
        if a.item_id is not None and a.body_id not in who.member_of and parts.get(
                a.item_id, 2) == 2:  # a missing item is treated as exempt, as before
            text = "Action arising from exempt (Part 2) business"
        out.append(ActionLine(text, cfg.body_by_id(a.body_id).name, meeting_line(cfg, m),
                              f"{a.due_on:%-d %B %Y}", a.status,
                              a.status == "open" and a.due_on < today))
    return out, paged
