"""The OParl 1.1 objects, built from the **published Part 1 record only** (docs/api.md has the
mapping). Exempt (Part 2) items never appear, not even by title; a meeting's agenda items,
papers and files appear only once its agenda is open to inspection (s75/web/views.py's
``agenda_is_public``); files are the stored public documents (the redacted versions).

Every function returns plain dicts ready for JSON; :class:`Links` makes the object URLs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, func
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from decisions.access import EXEMPT_PART
from decisions.agenda_rules import ACTION_LABELS
from decisions.errors import NotFound
from decisions.terms import Body, LocalityConfig, Member
from notifications.documents.gather import SKIP_STATES, numbering
from notifications.documents.tables import DocumentRow
from s75.web.views import PUBLISHED_STATES
from workflows.committee.records import AttendanceRow
from workflows.committee.tables import AgendaItemRow, DecisionRow, MeetingRow

OPARL = "https://schema.oparl.org/1.1/"
OUTCOME_WORDS = {"approved": "Approved", "amended": "Approved as amended", "noted": "Noted",
                 "rejected": "Rejected", "referred": "Referred", "no_decision": "No decision"}
Obj = dict[str, Any]


@dataclass(frozen=True)
class Links:
    base: str
    """The site's address with a trailing slash (``https://s75.example.org/``)."""

    def api(self, path: str) -> str:
        return f"{self.base}oparl/v1/{path}"

    def web(self, path: str) -> str:
        return f"{self.base}{path}"


def _iso(moment: datetime | None, cfg: LocalityConfig) -> str | None:
    return moment.astimezone(cfg.zone).isoformat() if moment is not None else None


def _clean(obj: Obj) -> Obj:
    """OParl leaves out a property without a value (no nulls)."""
    return {k: v for k, v in obj.items() if v is not None}


# The standing arrangements: config ---------------------------------------------------------
def system(cfg: LocalityConfig, L: Links) -> Obj:
    return {"id": L.api("system"), "type": f"{OPARL}System", "oparlVersion": OPARL,
            "name": f"s75: {cfg.locality.name} Section 75 meetings and decisions",
            "body": L.api("bodies"), "website": L.web(""), "web": L.web(""),
            "contactEmail": cfg.locality.secretary_email,
            "contactName": "Committee secretary"}


def body(cfg: LocalityConfig, L: Links) -> Obj:
    """The locality: one OParl Body holding every decision-making body as an Organization."""
    lists = {k: L.api(f"body/{v}") for k, v in (
        ("organization", "organizations"), ("person", "people"), ("meeting", "meetings"),
        ("paper", "papers"), ("agendaItem", "agenda-items"), ("file", "files"),
        ("membership", "memberships"))}
    return {"id": L.api("body"), "type": f"{OPARL}Body", "system": L.api("system"),
            "name": cfg.locality.name, "shortName": cfg.locality.name,
            "classification": "Section 75 partnership (NHS Act 2006)", **lists,
            "legislativeTerm": [], "website": L.web(""), "web": L.web(""),
            "contactEmail": cfg.locality.secretary_email}


def people(cfg: LocalityConfig) -> list[Member]:
    """The members who sit on a body (their membership is public on the body pages)."""
    return [m for m in cfg.member if m.bodies]


def person(cfg: LocalityConfig, L: Links, member_id: str) -> Obj:
    m = next((x for x in people(cfg) if x.id == member_id), None)
    if m is None:
        raise NotFound(f"person {member_id!r} is not a member of any body; "
                       f"{L.api('body/people')} lists them")
    partner = next((p.name for p in cfg.partner if p.id == m.partner), m.partner)
    return {"id": L.api(f"person/{m.id}"), "type": f"{OPARL}Person", "body": L.api("body"),
            "name": m.name, "status": [partner],
            "membership": [membership(cfg, L, m.id, b, embedded=True) for b in m.bodies]}


def membership(cfg: LocalityConfig, L: Links, member_id: str, body_id: str,
               embedded: bool = False) -> Obj:
    m = next((x for x in people(cfg) if x.id == member_id and body_id in x.bodies), None)
    if m is None:
        raise NotFound(f"membership of {member_id!r} in {body_id!r} does not exist; "
                       f"{L.api('body/memberships')} lists them")
    b = cfg.body_by_id(body_id)
    role = "chair" if b.chair == m.id else "co-chair" if m.id in b.chair_rotation else "member"
    out = {"id": L.api(f"membership/{m.id}/{body_id}"), "type": f"{OPARL}Membership",
           "organization": L.api(f"organization/{body_id}"), "role": role}
    if not embedded:
        out["person"] = L.api(f"person/{m.id}")
    return out


def memberships(cfg: LocalityConfig) -> list[tuple[str, str]]:
    return [(m.id, b) for m in people(cfg) for b in m.bodies]


def meetings_of(session: Session, body_ids: Sequence[str]) -> dict[str, list[int]]:
    """Each body's meetings, earliest first, for all of ``body_ids`` in one query."""
    out: dict[str, list[int]] = {b: [] for b in body_ids}
    for mid, bid in session.exec(select(MeetingRow.id, MeetingRow.body_id).where(
            col(MeetingRow.body_id).in_(body_ids))
            .order_by(col(MeetingRow.starts_at), col(MeetingRow.id))) if body_ids else ():
        out[bid].append(mid or 0)
    return out


def organization(session: Session, cfg: LocalityConfig, L: Links, body_id: str,
                 meetings_by_body: dict[str, list[int]] | None = None) -> Obj:
    """An Organization; ``meetings_by_body`` holds a page's meetings (:func:`meetings_of`,
    fetched for this body alone without it)."""
    b: Body = cfg.body_by_id(body_id)  # NotFound naming the bodies
    meetings = (meetings_by_body or meetings_of(session, [b.id]))[b.id]
    return {"id": L.api(f"organization/{b.id}"), "type": f"{OPARL}Organization",
            "body": L.api("body"), "name": b.name, "shortName": b.id,
            "classification": b.kind,
            "membership": [L.api(f"membership/{m}/{b.id}") for m, x in memberships(cfg)
                           if x == b.id],
            "meeting": [L.api(f"meeting/{i}") for i in meetings],
            "website": L.web(f"bodies/{b.id}"), "web": L.web(f"bodies/{b.id}")}


# The record: the database -------------------------------------------------------------------
def public_items_query() -> Any:
    """Agenda items open to the public: Part 1, published with the agenda (or since)."""
    return select(AgendaItemRow).where(
        AgendaItemRow.part != EXEMPT_PART, col(AgendaItemRow.state).in_(PUBLISHED_STATES),
        col(AgendaItemRow.deferred_to_item_id).is_(None))


def public_files_query() -> Any:
    """The stored public documents, but not a (redacted) notice of a Part 2 item's decision:
    an exempt item's file never appears, not even by title. The PDF bytes are not loaded."""
    exempt_decisions = select(cast(DecisionRow.id, String)).join(
        AgendaItemRow, col(AgendaItemRow.id) == DecisionRow.item_id).where(
        AgendaItemRow.part == EXEMPT_PART)
    return select(DocumentRow).options(defer(DocumentRow.content)).where(  # type: ignore[arg-type]
        col(DocumentRow.public).is_(True), DocumentRow.audience == "public",
        ~(col(DocumentRow.subject_type) == "decision")
        | ~col(DocumentRow.subject_id).in_(exempt_decisions))


def count(session: Session, query: Any) -> int:
    total: int = session.exec(select(func.count()).select_from(query.subquery())).one()
    return total


def file(cfg: LocalityConfig, L: Links, d: DocumentRow) -> Obj:
    url = L.web(f"documents/{d.id}.pdf")
    return _clean({"id": L.api(f"file/{d.id}"), "type": f"{OPARL}File", "name": d.title,
                   "fileName": f"s75-{d.kind}-{d.id}.pdf", "mimeType": "application/pdf",
                   "size": d.size, "date": _iso(d.published_at or d.created_at, cfg),
                   "accessUrl": url, "downloadUrl": url, "fileRole": d.kind,
                   "meetings": [L.api(f"meeting/{d.meeting_id}")] if d.meeting_id else None,
                   "created": _iso(d.created_at, cfg)})


def public_file(session: Session, cfg: LocalityConfig, L: Links, file_id: int) -> Obj:
    d = session.exec(public_files_query().where(DocumentRow.id == file_id)).first()
    if d is None:  # the same answer whether missing or not public
        raise NotFound(f"file {file_id} is not a published document; "
                       f"{L.api('body/files')} lists them")
    return file(cfg, L, d)


def numbers_of(session: Session, meeting_ids: Sequence[int]) -> dict[int, dict[int, str]]:
    """Each meeting's agenda numbers, as its agenda prints them (gather.numbering over the
    items the agenda lists), for all of ``meeting_ids`` in one query."""
    rows = session.exec(select(AgendaItemRow).where(
        col(AgendaItemRow.meeting_id).in_(meeting_ids), col(AgendaItemRow.state).not_in(
            SKIP_STATES), col(AgendaItemRow.deferred_to_item_id).is_(None))
        .order_by(col(AgendaItemRow.meeting_id), col(AgendaItemRow.position),
                  col(AgendaItemRow.id))).all() if meeting_ids else []
    by_meeting: dict[int, list[AgendaItemRow]] = {m: [] for m in meeting_ids}
    for r in rows:
        by_meeting[r.meeting_id].append(r)
    return {m: numbering(items) for m, items in by_meeting.items()}


def decisions_of(session: Session, item_ids: Sequence[int]) -> dict[int, DecisionRow]:
    """The latest decision on each of ``item_ids`` (one query)."""
    rows = session.exec(select(DecisionRow).where(col(DecisionRow.item_id).in_(item_ids))
                        .order_by(col(DecisionRow.id))).all()
    return {d.item_id: d for d in rows}


class ItemContext:
    """Agenda numbers and decisions, fetched once for a page of items (:meth:`prefetch`: two
    queries whatever the number of items or meetings)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.numbers: dict[int, dict[int, str]] = {}
        self.decisions: dict[int, DecisionRow] = {}
        self.loaded: set[int] = set()

    def prefetch(self, items: Sequence[AgendaItemRow]) -> ItemContext:
        wanted = [i.id or 0 for i in items if (i.id or 0) not in self.loaded]
        if wanted:
            self.decisions.update(decisions_of(self.session, wanted))
            self.loaded.update(wanted)
        meetings = sorted({i.meeting_id for i in items} - self.numbers.keys())
        if meetings:
            self.numbers.update(numbers_of(self.session, meetings))
        return self

    def number(self, i: AgendaItemRow) -> str | None:
        self.prefetch([i])
        return self.numbers[i.meeting_id].get(i.id or 0)

    def decision(self, i: AgendaItemRow) -> DecisionRow | None:
        self.prefetch([i])
        return self.decisions.get(i.id or 0)


def agenda_item(session: Session, cfg: LocalityConfig, L: Links, i: AgendaItemRow,
                ctx: ItemContext | None = None, embedded: bool = False) -> Obj:
    ctx = ctx or ItemContext(session)
    d = ctx.decision(i)
    out = _clean({"id": L.api(f"agendaitem/{i.id}"), "type": f"{OPARL}AgendaItem",
                  "meeting": None if embedded else L.api(f"meeting/{i.meeting_id}"),
                  "number": ctx.number(i), "name": i.title, "public": True,
                  "result": OUTCOME_WORDS.get(d.outcome, d.outcome) if d else None,
                  "resolutionText": d.text or None if d else None,
                  "web": L.web(f"meetings/{i.meeting_id}/agenda")})
    return out


def public_item(session: Session, cfg: LocalityConfig, L: Links, item_id: int) -> Obj:
    i = session.exec(public_items_query().where(AgendaItemRow.id == item_id)).first()
    if i is None:  # the same answer for an exempt, unpublished or missing item
        raise NotFound(f"agenda item {item_id} is not on a published agenda; "
                       f"{L.api('body/agenda-items')} lists them")
    return agenda_item(session, cfg, L, i)


class MeetingContext:
    """What meetings embed, fetched once for a page of them: which agendas are open to
    inspection (held, or an item published), their public items, files and who was present
    (a query each whatever the number of meetings), and the items' decisions (ItemContext)."""

    def __init__(self, session: Session, meetings: Sequence[MeetingRow]) -> None:
        self.items: dict[int, list[AgendaItemRow]] = {}
        self.files: dict[int, list[DocumentRow]] = {}
        self.present: dict[int, list[str]] = {}
        self.ctx = ItemContext(session)
        ids = [m.id or 0 for m in meetings]
        held = {m.id or 0 for m in meetings if m.status == "held"}
        others = [i for i in ids if i not in held]
        published = set(session.exec(select(AgendaItemRow.meeting_id).where(
            col(AgendaItemRow.meeting_id).in_(others),
            col(AgendaItemRow.state).in_(PUBLISHED_STATES)).distinct()).all()) if others else set()
        self.public = held | published
        shown = [i for i in ids if i in self.public]
        if not shown:
            return
        items = session.exec(public_items_query().where(col(AgendaItemRow.meeting_id).in_(shown))
                             .order_by(col(AgendaItemRow.position), col(AgendaItemRow.id))).all()
        for i in items:
            self.items.setdefault(i.meeting_id, []).append(i)
        self.ctx.prefetch(items)
        for d in session.exec(public_files_query().where(col(DocumentRow.meeting_id).in_(shown))
                              .order_by(col(DocumentRow.id))):
            self.files.setdefault(d.meeting_id or 0, []).append(d)
        if shown_held := [i for i in shown if i in held]:
            for mid, person in session.exec(select(AttendanceRow.meeting_id, AttendanceRow.person)
                                            .where(col(AttendanceRow.meeting_id).in_(shown_held),
                                                   AttendanceRow.status == "present")
                                            .order_by(col(AttendanceRow.id))):
                self.present.setdefault(mid, []).append(person)


def meeting(session: Session, cfg: LocalityConfig, L: Links, m: MeetingRow,
            pre: MeetingContext | None = None) -> Obj:
    """A Meeting; ``pre`` holds what a page of meetings embeds (fetched for ``m`` alone
    without it)."""
    pre = pre or MeetingContext(session, [m])
    mid = m.id or 0
    name = f"{cfg.body_by_id(m.body_id).name}, {m.starts_at.astimezone(cfg.zone):%-d %B %Y}"
    out: Obj = {"id": L.api(f"meeting/{m.id}"), "type": f"{OPARL}Meeting", "name": name,
                "meetingState": m.status, "cancelled": m.status == "cancelled",
                "start": _iso(m.starts_at, cfg),
                "organization": [L.api(f"organization/{m.body_id}")],
                "web": L.web(f"meetings/{m.id}")}
    if m.venue:
        out["keyword"] = [f"venue: {m.venue}"]
    if mid not in pre.public:
        return out  # the agenda is not yet open to inspection: no items, no files
    items = pre.items.get(mid, [])
    out["agendaItem"] = [agenda_item(session, cfg, L, i, pre.ctx, embedded=True) for i in items]
    docs = pre.files.get(mid, [])
    latest = {d.kind: d for d in docs}  # the latest version of each kind
    if "agenda" in latest or "pack" in latest:
        out["invitation"] = file(cfg, L, latest.get("pack") or latest["agenda"])
    if "minutes" in latest:
        out["resultsProtocol"] = file(cfg, L, latest["minutes"])
    used = {out[k]["id"] for k in ("invitation", "resultsProtocol") if k in out}
    out["auxiliaryFile"] = [f for f in (file(cfg, L, d) for d in docs) if f["id"] not in used]
    if m.status == "held":
        known = {p.id for p in people(cfg)}
        out["participant"] = [L.api(f"person/{p}") for p in pre.present.get(mid, [])
                              if p in known]
    return out


class PaperContext:
    """What a page of papers needs, fetched once for the page: their meetings and the
    meetings' public files (a query each whatever the number of papers)."""

    def __init__(self, session: Session, items: Sequence[AgendaItemRow]) -> None:
        ids = sorted({i.meeting_id for i in items})
        self.meetings = {m.id or 0: m for m in session.exec(
            select(MeetingRow).where(col(MeetingRow.id).in_(ids)))} if ids else {}
        self.files: dict[int, list[DocumentRow]] = {m: [] for m in ids}
        for d in session.exec(public_files_query().where(col(DocumentRow.meeting_id).in_(ids))
                              .order_by(col(DocumentRow.id))) if ids else ():
            self.files[d.meeting_id or 0].append(d)


def paper(session: Session, cfg: LocalityConfig, L: Links, i: AgendaItemRow,
          pre: PaperContext | None = None) -> Obj:
    """A Part 1 item's report as an OParl Paper; its main file is the public pack. ``pre``
    holds what a page of papers needs (fetched for ``i`` alone without it)."""
    pre = pre or PaperContext(session, [i])
    m = pre.meetings[i.meeting_id]
    docs = {d.kind: d for d in pre.files[i.meeting_id]}
    main = docs.get("pack") or docs.get("agenda")
    return _clean({"id": L.api(f"paper/{i.id}"), "type": f"{OPARL}Paper", "body": L.api("body"),
                   "name": i.title, "reference": f"{m.body_id}/{m.local_date or ''}/item-{i.id}",
                   "date": (m.local_date or m.starts_at.astimezone(cfg.zone).date()).isoformat(),
                   "paperType": i.action_text or ACTION_LABELS.get(i.action, i.action),
                   "mainFile": file(cfg, L, main) if main is not None else None,
                   "underDirectionOf": [L.api(f"organization/{m.body_id}")],
                   "web": L.web(f"meetings/{i.meeting_id}/agenda")})


def papers_query() -> Any:
    """Items carrying a report (not standing business, not a verbal update)."""
    return public_items_query().where(col(AgendaItemRow.standing).is_(None))


def public_paper(session: Session, cfg: LocalityConfig, L: Links, item_id: int) -> Obj:
    i = session.exec(papers_query().where(AgendaItemRow.id == item_id)).first()
    if i is None:
        raise NotFound(f"paper {item_id} is not a published report; "
                       f"{L.api('body/papers')} lists them")
    return paper(session, cfg, L, i)


def page_of(items: Sequence[Any], page: int, size: int) -> list[Any]:
    return list(items[(page - 1) * size: page * size])
