"""Meeting packs and supplements, one document per audience: what each says as the meeting
now stands (a :class:`Plan`, with the version line of a republication), rendering it, and
storing it as the next published version. Used by the event handlers (produce.py), which
queue render jobs, and by the render workers (jobs.py), which carry them out after commit."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from sqlmodel import Session, select

from decisions.terms import LocalityConfig
from notifications.documents import gather, store
from notifications.documents.tables import DocumentRow
from notifications.documents.views import PackView, SupplementView
from notifications.messages import body_members, members_page_line, send_all, when
from workflows.committee.records import DeclarationRow
from workflows.committee.tables import AgendaItemRow

if TYPE_CHECKING:  # the renderer (WeasyPrint) is imported only where a pack is built
    from notifications.documents.pack import MemoryCache, PackResult, Renderer

_CACHE: MemoryCache | None = None
V = TypeVar("V", PackView, SupplementView)


def shared_cache() -> MemoryCache:
    """This process's cache of rendered parts, bounded (``S75_RENDER_CACHE_MB``)."""
    global _CACHE
    if _CACHE is None:
        from notifications.documents.pack import bounded_cache

        _CACHE = bounded_cache()
    return _CACHE


def one_process_renderer() -> Renderer:
    # In a transaction: render in this process (no fork with a database connection open).
    from notifications.documents.pack import Renderer

    return Renderer(shared_cache(), workers=1)


def audiences(session: Session, meeting_id: int) -> list[tuple[bool, str | None]]:
    """Public; members' when the agenda has a Part 2 item; one per member who declared."""
    declared = sorted({d.member_id for d in session.exec(select(DeclarationRow).where(
        DeclarationRow.meeting_id == meeting_id)).all()})
    exempt = session.exec(select(AgendaItemRow.id).where(
        AgendaItemRow.meeting_id == meeting_id, AgendaItemRow.part == 2)).first() is not None
    found: list[tuple[bool, str | None]] = [(True, None)]
    found += [(False, None)] if exempt else []
    found += [(False, m) for m in declared]
    return found


def source_hash(view: object) -> str:
    """What a document says, as a hash of its (frozen, plain) view model."""
    return hashlib.sha256(repr(view).encode()).hexdigest()


def _versioned(session: Session, cfg: LocalityConfig, at: datetime, view: V, kind: str,
               meeting_id: int, audience: str) -> tuple[V, str, DocumentRow | None]:
    """The view to publish (its agenda carrying the version line when it is a
    republication), the hash of what it says, and the stored version when nothing changed."""
    source = source_hash(view)
    prior = store.latest_published(session, kind, "meeting", meeting_id, audience)
    if prior is not None and prior.source_hash == source:
        return view, source, prior
    version = store.next_version(prior)
    if version > 1:
        agenda = replace(view.agenda, version=version,
                         republished_on=at.astimezone(cfg.zone).date())
        view = replace(view, agenda=agenda)
    return view, source, None


@dataclass(frozen=True)
class Plan:
    """One document to render: what it says (``view``), for whom, and the hash of it; or,
    with ``same``, the stored version that already says it."""

    kind: str
    meeting_id: int
    public: bool
    member_id: str | None
    view: PackView | SupplementView | None
    source: str = ""
    same: DocumentRow | None = None

    @property
    def audience(self) -> str:
        return store.audience_of(self.public, self.member_id)


def plan_pack(session: Session, cfg: LocalityConfig, meeting_id: int, public: bool,
              member_id: str | None, at: datetime) -> Plan:
    """The pack for one audience as the meeting now stands (``view`` None: nothing to put in
    it)."""
    view = gather.pack_view(session, cfg, meeting_id, public=public, member_id=member_id)
    if not view.reports and not view.agenda.entries:
        return Plan("pack", meeting_id, public, member_id, None)
    view, source, same = _versioned(session, cfg, at, view, "pack", meeting_id,
                                    store.audience_of(public, member_id))
    return Plan("pack", meeting_id, public, member_id, view, source, same)


def plan_supplement(session: Session, cfg: LocalityConfig, meeting_id: int, public: bool,
                    member_id: str | None, at: datetime) -> Plan:
    """The supplement for one audience: pages numbered on from that audience's main pack as
    stored, items numbered on from the main agenda, dated the day it was first published."""
    audience = store.audience_of(public, member_id)
    main = store.latest_published(session, "pack", "meeting", meeting_id, audience)
    first = (main.pages if main is not None else 0) + 1
    view = gather.supplement_view(session, cfg, meeting_id, first_page=first, public=public,
                                  member_id=member_id)
    earlier = store.latest_published(session, "supplement", "meeting", meeting_id, audience)
    on = (earlier.published_at if earlier is not None and earlier.published_at
          else at).astimezone(cfg.zone).date()
    view = replace(view, agenda=replace(view.agenda, published_on=on))
    view, source, same = _versioned(session, cfg, at, view, "supplement", meeting_id, audience)
    return Plan("supplement", meeting_id, public, member_id, view, source, same)


def build(plan: Plan, renderer: Renderer) -> PackResult:
    from notifications.documents.pack import build_pack, build_supplement

    """Render a plan (no database access: called outside any transaction by the workers)."""
    if isinstance(plan.view, SupplementView):
        return build_supplement(plan.view, renderer)
    assert isinstance(plan.view, PackView)
    return build_pack(plan.view, renderer)


def store_plan(session: Session, plan: Plan, result: PackResult, at: datetime, by: str,
               event: str) -> DocumentRow:
    """Store a rendered plan as the next published version of its document."""
    assert plan.view is not None
    return store.save(session, kind=plan.kind, title=plan.view.title, pdf=result.pdf,
                      pages=result.pages, subject_type="meeting", subject_id=plan.meeting_id,
                      now=at, public=plan.public, member_id=plan.member_id,
                      meeting_id=plan.meeting_id, event=event,
                      publication=store.Publication(at, by, plan.source))


def mail_supplement(session: Session, cfg: LocalityConfig, now: datetime,
                    meeting_id: int) -> None:
    """The supplement goes to the people the main pack went to (the body's members)."""
    m = gather.meeting(session, meeting_id)
    body = cfg.body_by_id(m.body_id)
    row = store.latest_published(session, "supplement", "meeting", meeting_id, "public")
    version = row.version if row is not None else 1
    send_all(session, cfg, now, f"meeting.supplement:{meeting_id}:{version}",
             body_members(cfg, body.id),
             f"Supplementary agenda: {body.name}, {when(cfg, m.starts_at)}",
             f"A supplementary agenda for the {body.name} on {when(cfg, m.starts_at)} is "
             f"published: {gather.supplement_contents(session, meeting_id)}.\n"
             "The supplement is attached.\n" + members_page_line(cfg, meeting_id),
             kind="supplement_published",
             attachments=[{"filename": f"{body.id}-{m.local_date or m.starts_at.date()}"
                           "-supplement.pdf", "content_type": "application/pdf",
                           "ref": {"kind": "meeting_supplement", "meeting_id": meeting_id}}])
