"""Documents produced at each step, subscribed to domain events (s75/wiring.py calls
:func:`install`):

- :class:`DecisionRecorded` → the decision notice (executive decision record), members' and
  public versions;
- :class:`MeetingHeld` → the draft minutes;
- :class:`MeetingPublished` (by hand or at the deadline) → the decision packs: public and
  members' (with one personal pack per member who has declared an interest on an item).

Each stored notice or minutes raises :class:`DocumentRendered`.

Each is rendered in the event's transaction and stored (store.py) once per content hash.
Set ``S75_DOCUMENTS_ON_EVENTS=0`` to skip rendering on events (e.g. a long simulation); the
documents can be made later with ``s75 render``.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any, TypeVar

from sqlmodel import Session, col, select

from notifications.documents import gather, kinds, store
from notifications.documents.events import DocumentRendered
from notifications.documents.minutes_issue import enabled, issue
from notifications.documents.pack import MemoryCache, Renderer, build_pack, build_supplement
from notifications.documents.publication import first_publication
from notifications.documents.tables import DocumentRow
from notifications.documents.views import PackView, SupplementView
from notifications.messages import body_members, send_all, when
from notifications.outbox import register_attachment_resolver
from workflows.committee import call_in
from workflows.committee.call_in import CallInResolved, DecisionMadeUrgent
from workflows.committee.events import (
    DecisionCalledIn,
    DecisionRecorded,
    ItemEdited,
    ItemMoved,
    MeetingHeld,
    MeetingPublished,
)
from workflows.committee.records import DeclarationRow
from workflows.committee.tables import AgendaItemRow, DecisionRow
from workflows.events import EventBus, UnitOfWork

_CACHE = MemoryCache()
V = TypeVar("V", PackView, SupplementView)


def _renderer() -> Renderer:
    # In a transaction: render in this process (no fork with a database connection open).
    return Renderer(_CACHE, workers=1)


def on_decision(uow: UnitOfWork, event: DecisionRecorded) -> None:
    """The decision notice is published as the decision is recorded (on the web at once, and
    as a PDF): the call-in window of an executive decision runs from today."""
    call_in.notice_published(uow, event.decision_id, uow.now.astimezone(uow.config.zone).date())
    _issue_notice(uow, event.decision_id, event.meeting_id, event.name)


def on_call_in_change(uow: UnitOfWork,
                      event: DecisionCalledIn | CallInResolved | DecisionMadeUrgent) -> None:
    """A call-in, its resolution or an urgency exemption: the notice is issued again, saying
    from when the decision may be implemented."""
    d = uow.session.get(DecisionRow, event.decision_id)
    if d is not None:
        _issue_notice(uow, event.decision_id, d.meeting_id, event.name)


def _issue_notice(uow: UnitOfWork, decision_id: int, meeting_id: int | None,
                  event_name: str) -> None:
    if not enabled():
        return
    view = gather.notice_view(uow.session, uow.config, decision_id, uow.now)
    # A members' version differs from the public one only for a Part 2 (exempt) item.
    for public in ((False, True) if view.part == 2 else (True,)):
        html = kinds.notice_html(view, public=public)
        r = kinds.render(html)
        row = store.save(uow.session, kind="notice", title=f"Record of decision: {view.title}",
                         pdf=r.pdf, pages=r.pages, subject_type="decision",
                         subject_id=decision_id, now=uow.now, public=public,
                         meeting_id=meeting_id, event=event_name)
    assert row.id is not None
    uow.emit(DocumentRendered(document_id=row.id, kind="notice", decision_id=decision_id,
                              meeting_id=meeting_id))


def on_meeting_held(uow: UnitOfWork, event: MeetingHeld) -> None:
    if not enabled():
        return
    issue(uow, event.meeting_id, "draft", event=event.name)


def on_meeting_published(uow: UnitOfWork, event: MeetingPublished) -> None:
    if not enabled():
        return
    produce_packs(uow, event.meeting_id, event.name)
    produce_supplements(uow, event.meeting_id, event.name)


def _audiences(uow: UnitOfWork, meeting_id: int) -> list[tuple[bool, str | None]]:
    """Public; members' when the agenda has a Part 2 item; one per member who declared."""
    declared = sorted({d.member_id for d in uow.session.exec(select(DeclarationRow).where(
        DeclarationRow.meeting_id == meeting_id)).all()})
    exempt = uow.session.exec(select(AgendaItemRow.id).where(
        AgendaItemRow.meeting_id == meeting_id, AgendaItemRow.part == 2)).first() is not None
    audiences: list[tuple[bool, str | None]] = [(True, None)]
    audiences += [(False, None)] if exempt else []
    audiences += [(False, m) for m in declared]
    return audiences


def source_hash(view: object) -> str:
    """What a document says, as a hash of its (frozen, plain) view model."""
    return hashlib.sha256(repr(view).encode()).hexdigest()


def _versioned(uow: UnitOfWork, view: V, kind: str, meeting_id: int,
               audience: str) -> tuple[V, str, DocumentRow | None]:
    """The view to publish (its agenda carrying the version line when it is a
    republication), the hash of what it says, and the stored version when nothing changed."""
    source = source_hash(view)
    prior = store.latest_published(uow.session, kind, "meeting", meeting_id, audience)
    if prior is not None and prior.source_hash == source:
        return view, source, prior
    version = store.next_version(prior)
    if version > 1:
        agenda = replace(view.agenda, version=version,
                         republished_on=uow.now.astimezone(uow.config.zone).date())
        view = replace(view, agenda=agenda)
    return view, source, None


def produce_packs(uow: UnitOfWork, meeting_id: int, event: str = "render") -> list[int]:
    """The public pack; the members' pack when the agenda has a Part 2 (exempt) item (else
    the public pack is the members' pack too); and a personal pack for each member who
    declared an interest on an item. A pack whose content has not changed since its last
    publication is not rendered again; one that has is the next version. Returns the stored
    document ids."""
    ids = []
    with _renderer() as renderer:
        for public, member in _audiences(uow, meeting_id):
            view = gather.pack_view(uow.session, uow.config, meeting_id, public=public,
                                    member_id=member)
            if not view.reports and not view.agenda.entries:
                continue
            view, source, same = _versioned(uow, view, "pack", meeting_id,
                                            store.audience_of(public, member))
            if same is not None:
                ids.append(same.id or 0)
                continue
            result = build_pack(view, renderer)
            row = store.save(uow.session, kind="pack", title=view.title, pdf=result.pdf,
                             pages=result.pages, subject_type="meeting", subject_id=meeting_id,
                             now=uow.now, public=public, member_id=member,
                             meeting_id=meeting_id, event=event,
                             publication=store.Publication(uow.now, uow.actor, source))
            ids.append(row.id or 0)
    return ids


def produce_supplements(uow: UnitOfWork, meeting_id: int, event: str = "render") -> list[int]:
    """The supplementary pack of a published meeting's urgent late items, for each audience
    of the main pack: pages numbered on from that audience's main pack, items numbered on
    from the main agenda. Returns the ids of the versions newly stored (none when the
    meeting has no supplementary item or nothing changed)."""
    if not gather.has_supplement(uow.session, meeting_id):
        return []
    ids = []
    with _renderer() as renderer:
        for public, member in _audiences(uow, meeting_id):
            audience = store.audience_of(public, member)
            main = store.latest_published(uow.session, "pack", "meeting", meeting_id, audience)
            first = (main.pages if main is not None else 0) + 1
            view = gather.supplement_view(uow.session, uow.config, meeting_id,
                                          first_page=first, public=public, member_id=member)
            # The supplement prints the day it was first published, not the agenda's.
            earlier = store.latest_published(uow.session, "supplement", "meeting", meeting_id,
                                             audience)
            on = (earlier.published_at if earlier is not None and earlier.published_at
                  else uow.now).astimezone(uow.config.zone).date()
            view = replace(view, agenda=replace(view.agenda, published_on=on))
            view, source, same = _versioned(uow, view, "supplement", meeting_id, audience)
            if same is not None:
                continue
            result = build_supplement(view, renderer)
            row = store.save(uow.session, kind="supplement", title=view.title,
                             pdf=result.pdf, pages=result.pages, subject_type="meeting",
                             subject_id=meeting_id, now=uow.now, public=public,
                             member_id=member, meeting_id=meeting_id, event=event,
                             publication=store.Publication(uow.now, uow.actor, source))
            ids.append(row.id or 0)
    if ids:
        _mail_supplement(uow, meeting_id)
    return ids


def _mail_supplement(uow: UnitOfWork, meeting_id: int) -> None:
    """The supplement goes to the people the main pack went to (the body's members)."""
    m = gather.meeting(uow.session, meeting_id)
    cfg = uow.config
    body = cfg.body_by_id(m.body_id)
    row = store.latest_published(uow.session, "supplement", "meeting", meeting_id, "public")
    version = row.version if row is not None else 1
    send_all(uow.session, cfg, uow.now, f"meeting.supplement:{meeting_id}:{version}",
             body_members(cfg, body.id),
             f"Supplementary agenda: {body.name}, {when(cfg, m.starts_at)}",
             f"A supplementary agenda for the {body.name} on {when(cfg, m.starts_at)} is "
             "published: reports accepted after the agenda with the chair's consent to "
             "their being considered as a matter of urgency.\nThe supplement is attached.\n",
             kind="supplement_published",
             attachments=[{"filename": f"{body.id}-{m.local_date or m.starts_at.date()}"
                           "-supplement.pdf", "content_type": "application/pdf",
                           "ref": {"kind": "meeting_supplement", "meeting_id": meeting_id}}])


def on_item_edited(uow: UnitOfWork, event: ItemEdited) -> None:
    """An item edited after publication: the packs (and supplement) republished as the next
    version when what they say changed."""
    if not enabled() or not event.published:
        return
    produce_packs(uow, event.meeting_id, event.name)
    produce_supplements(uow, event.meeting_id, event.name)


def on_item_published(uow: UnitOfWork, event: ItemMoved) -> None:
    """An urgent late item published after the agenda: its supplement."""
    if not enabled() or event.trigger != "published":
        return
    if first_publication(uow.session, event.meeting_id) is None:
        return  # published with the agenda: the MeetingPublished handler makes the packs
    produce_supplements(uow, event.meeting_id, event.name)


def pack_attachment(session: Session, att: dict[str, Any]) -> tuple[bytes, str] | None:
    """Outbox attachments ``{"ref": {"kind": "meeting_pack", "meeting_id": N}}``: the members'
    pack of that meeting once rendered (the public pack when there is no Part 2 item)."""
    ref = att.get("ref") or {}
    kind = {"meeting_pack": "pack", "meeting_supplement": "supplement"}.get(
        str(ref.get("kind")))
    if kind is None:
        return None
    row = session.exec(select(DocumentRow).where(
        DocumentRow.kind == kind, DocumentRow.meeting_id == int(ref["meeting_id"]),
        col(DocumentRow.audience).in_(("members", "public")))
        .order_by(col(DocumentRow.public), col(DocumentRow.version).desc(),
                  col(DocumentRow.id).desc())).first()
    if row is None or row.content is None:
        return None
    return row.content, "application/pdf"


def install(bus: EventBus) -> None:
    register_attachment_resolver(pack_attachment)
    bus.subscribe(DecisionRecorded, on_decision)
    for ev in (DecisionCalledIn, CallInResolved, DecisionMadeUrgent):
        bus.subscribe(ev, on_call_in_change)  # type: ignore[arg-type]
    bus.subscribe(MeetingHeld, on_meeting_held)
    bus.subscribe(MeetingPublished, on_meeting_published)
    bus.subscribe(ItemMoved, on_item_published)
    bus.subscribe(ItemEdited, on_item_edited)
