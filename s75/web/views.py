"""What each public page shows, built from the existing queries as plain data.

Part 2 (exempt) business is reduced here, before any template sees it: an exempt item becomes
its number, title and Schedule 12A paragraph, with no lead, report, decision text, figures or
appendices (LGA 1972 s100B(2),(5)). Only documents stored as public are ever listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from decisions.access import REGIMES, is_exempt
from decisions.terms import LocalityConfig
from notifications.documents import gather, redact
from notifications.documents.config_views import terms_view
from notifications.documents.meeting_views import AgendaEntry
from notifications.documents.record_views import TermsView
from notifications.documents.tables import DocumentRow
from s75.web import deadline_rows
from s75.web.paging import PAGE_SIZE, Paging, paging
from workflows.committee import common
from workflows.committee.tables import AgendaItemRow, MeetingRow
from workflows.prepared import connection

PUBLISHED_STATES = ("published", "considered", "decided")
"""An item in one of these states has been open to inspection with the agenda."""
DEADLINE_PAGE = 100


@dataclass(frozen=True)
class MeetingLine:
    id: int
    body_id: str
    body_name: str
    starts_at: datetime
    """Local time."""
    venue: str
    status: str
    kind: str


@dataclass(frozen=True)
class BodyLine:
    id: str
    name: str
    kind: str
    next_meeting: MeetingLine | None


@dataclass(frozen=True)
class PublicItem:
    number: str
    title: str
    part: int
    exempt_paragraph: int | None = None
    exempt_text: str = ""
    action: str = ""
    report: str = ""
    lead: str = ""
    time: str = ""


@dataclass(frozen=True)
class PublicDecision:
    number: str
    title: str
    decision: str
    rule: str
    implementation: str = ""
    """From when it may be implemented ("from Fri 31 May 2019", "not before the call-in is
    resolved"; blank: nothing to implement)."""


@dataclass(frozen=True)
class DocumentLink:
    id: int
    title: str
    kind: str
    pages: int
    size: int


@dataclass(frozen=True)
class MeetingPage:
    meeting: MeetingLine
    chair: str
    published: bool
    items: tuple[PublicItem, ...] = ()
    decisions: tuple[PublicDecision, ...] = ()
    documents: tuple[DocumentLink, ...] = ()
    access_note: str = ""
    cancel_reason: str = ""


@dataclass(frozen=True)
class BodyPage:
    id: str
    name: str
    terms: TermsView
    upcoming: tuple[MeetingLine, ...]
    past: tuple[MeetingLine, ...]
    past_pages: Paging


@dataclass(frozen=True)
class DeadlineLine:
    kind: str
    title: str
    due: datetime
    state: str
    body_name: str


def meeting_line(cfg: LocalityConfig, m: MeetingRow) -> MeetingLine:
    return MeetingLine(m.id or 0, m.body_id, cfg.body_by_id(m.body_id).name,
                       m.starts_at.astimezone(cfg.zone), m.venue, m.status, m.kind)


def home(session: Session, cfg: LocalityConfig, now: datetime) -> list[BodyLine]:
    out = []
    for b in cfg.body:
        nxt = common.meetings_after(session, b.id, now)
        out.append(BodyLine(b.id, b.name, b.kind, meeting_line(cfg, nxt[0]) if nxt else None))
    return out


def body_page(session: Session, cfg: LocalityConfig, body_id: str, now: datetime,
              page: int = 1) -> BodyPage:
    """The body's terms, its next meetings (at most a page) and one page of its past
    meetings, latest first: three queries whatever the number of meetings."""
    b = cfg.body_by_id(body_id)  # NotFound naming the bodies that exist
    mine = MeetingRow.body_id == body_id
    upcoming = session.exec(select(MeetingRow).where(mine, col(MeetingRow.starts_at) >= now)
                            .order_by(col(MeetingRow.starts_at)).limit(PAGE_SIZE)).all()
    earlier = col(MeetingRow.starts_at) < now
    total = session.exec(select(func.count()).select_from(MeetingRow).where(mine, earlier)
                         ).one()
    p = paging(total, page, f"the past meetings of {b.name}")
    past = session.exec(select(MeetingRow).where(mine, earlier)
                        .order_by(col(MeetingRow.starts_at).desc(), col(MeetingRow.id).desc())
                        .offset(p.offset).limit(p.size)).all()
    return BodyPage(b.id, b.name, terms_view(cfg, body_id),
                    tuple(meeting_line(cfg, m) for m in upcoming),
                    tuple(meeting_line(cfg, m) for m in past), p)


def agenda_is_public(session: Session, m: MeetingRow) -> bool:
    """The agenda is open to inspection once published (or the meeting held)."""
    if m.status == "held":
        return True
    return session.exec(select(AgendaItemRow.id).where(
        AgendaItemRow.meeting_id == m.id,
        col(AgendaItemRow.state).in_(PUBLISHED_STATES))).first() is not None


def _public_item(e: AgendaEntry, regime: str) -> PublicItem:
    if is_exempt(e):
        return PublicItem(e.number, e.title, 2, e.exempt_paragraph,
                          REGIMES[regime].exempt_basis(e.exempt_paragraph))
    return PublicItem(e.number, e.title, 1, action=e.action, report=e.report, lead=e.lead,
                      time=e.time)


def public_documents(session: Session, meeting_id: int) -> tuple[DocumentLink, ...]:
    rows = session.exec(select(DocumentRow).where(
        DocumentRow.meeting_id == meeting_id, col(DocumentRow.public).is_(True),
        DocumentRow.audience == "public").order_by(col(DocumentRow.id))).all()
    return tuple(DocumentLink(r.id or 0, r.title, r.kind, r.pages, r.size) for r in rows)


def implementation_by_number(session: Session, cfg: LocalityConfig, m: MeetingRow,
                             now: datetime | None) -> dict[str, str]:
    """Minute number -> from when that decision may be implemented (table-cell words)."""
    from notifications.documents.call_in_views import call_in_facts
    from notifications.documents.minutes_gather import minuted_items, numbers
    from workflows.committee.tables import DecisionRow

    nums = numbers(session, cfg, m, minuted_items(session, m.id or 0))
    today = (now or datetime.now(cfg.zone)).astimezone(cfg.zone).date()
    out = {}
    for d in session.exec(select(DecisionRow).where(DecisionRow.meeting_id == m.id)).all():
        if d.item_id in nums:
            out[nums[d.item_id]] = call_in_facts(session, cfg, d, today).short
    return out


def meeting_page(session: Session, cfg: LocalityConfig, meeting_id: int,
                 now: datetime | None = None) -> MeetingPage:
    m = common.meeting(session, meeting_id)  # NotFound
    line = meeting_line(cfg, m)
    if not agenda_is_public(session, m):
        return MeetingPage(line, "", False, cancel_reason=m.cancel_reason or "")
    agenda = redact.public_agenda(gather.agenda_view(session, cfg, meeting_id))
    items = tuple(_public_item(e, agenda.regime) for e in agenda.entries)
    decisions: tuple[PublicDecision, ...] = ()
    if m.status == "held":
        minutes = redact.public_minutes(gather.minutes_view(session, cfg, meeting_id))
        when = implementation_by_number(session, cfg, m, now)
        decisions = tuple(PublicDecision(i.number, i.title, i.decision, i.rule_applied,
                                         when.get(i.number, ""))
                          for i in minutes.items if not is_exempt(i) and i.decision)
    return MeetingPage(line, agenda.chair, True, items, decisions,
                       public_documents(session, meeting_id), agenda.access_note,
                       m.cancel_reason or "")


def latest_public(session: Session, meeting_id: int, kind: str) -> DocumentRow | None:
    """The latest version of the meeting's public ``kind`` (pack, supplement), if any."""
    return session.exec(select(DocumentRow).where(
        DocumentRow.meeting_id == meeting_id, DocumentRow.kind == kind,
        col(DocumentRow.public).is_(True), DocumentRow.audience == "public")
        .order_by(col(DocumentRow.version).desc(), col(DocumentRow.id).desc())).first()


def public_document(session: Session, document_id: int) -> DocumentRow | None:
    """The stored document if, and only if, it is public."""
    row = session.get(DocumentRow, document_id)
    if row is None or not row.public or row.audience != "public":
        return None
    return row


def deadlines(session: Session, cfg: LocalityConfig, now: datetime,
              page: int = 1) -> tuple[list[DeadlineLine], Paging]:
    """One page of the deadlines falling due from the start of today (local), soonest first:
    three queries (the count, the page's rows, the exempt actions among them) whatever their
    number; the rows are plain Core rows of the columns shown."""
    start = datetime.combine(common.local_day(cfg, now), datetime.min.time(), cfg.zone)
    count_q, page_q = deadline_rows.page_reads()  # on the DBAPI cursor (s75.web.cursor_reads)
    conn = connection(session)
    total = int(count_q.raw(conn, {"start": start})[0][0])
    p = paging(total, page, "the deadlines from today", DEADLINE_PAGE)
    rows = list(map(deadline_rows.Line._make, page_q.rows(conn, {
        "start": start, "offset": p.offset, "limit": p.size})))
    names = {b.id: b.name for b in cfg.body}
    exempt = deadline_rows.exempt_among(deadline_rows.OnCursor(conn),  # type: ignore[arg-type]
                                        rows)
    zone = cfg.zone
    return [DeadlineLine(r.kind.replace("_", " "), deadline_rows.public_title(r, exempt),
                         r.due_at.astimezone(zone), r.state, names.get(r.body_id or "", ""))
            for r in rows], p
