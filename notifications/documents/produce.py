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

from typing import Any

from sqlmodel import Session, col, select

from notifications.documents import gather, kinds, store
from notifications.documents.events import DocumentRendered
from notifications.documents.minutes_issue import enabled, issue
from notifications.documents.pack import MemoryCache, Renderer, build_pack
from notifications.documents.tables import DocumentRow
from notifications.outbox import register_attachment_resolver
from workflows.committee.events import DecisionRecorded, MeetingHeld, MeetingPublished
from workflows.committee.records import DeclarationRow
from workflows.committee.tables import AgendaItemRow
from workflows.events import EventBus, UnitOfWork

_CACHE = MemoryCache()


def _renderer() -> Renderer:
    # In a transaction: render in this process (no fork with a database connection open).
    return Renderer(_CACHE, workers=1)


def on_decision(uow: UnitOfWork, event: DecisionRecorded) -> None:
    if not enabled():
        return
    decision_id, meeting_id = event.decision_id, event.meeting_id
    view = gather.notice_view(uow.session, uow.config, decision_id, uow.now)
    # A members' version differs from the public one only for a Part 2 (exempt) item.
    for public in ((False, True) if view.part == 2 else (True,)):
        html = kinds.notice_html(view, public=public)
        r = kinds.render(html)
        row = store.save(uow.session, kind="notice", title=f"Record of decision: {view.title}",
                         pdf=r.pdf, pages=r.pages, subject_type="decision",
                         subject_id=decision_id, now=uow.now, public=public,
                         meeting_id=meeting_id, event=event.name)
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


def produce_packs(uow: UnitOfWork, meeting_id: int, event: str = "render") -> list[int]:
    """The public pack; the members' pack when the agenda has a Part 2 (exempt) item (else
    the public pack is the members' pack too); and a personal pack for each member who
    declared an interest on an item. Returns the stored document ids."""
    declared = sorted({d.member_id for d in uow.session.exec(select(DeclarationRow).where(
        DeclarationRow.meeting_id == meeting_id)).all()})
    exempt = uow.session.exec(select(AgendaItemRow.id).where(
        AgendaItemRow.meeting_id == meeting_id, AgendaItemRow.part == 2)).first() is not None
    audiences: list[tuple[bool, str | None]] = [(True, None)]
    audiences += [(False, None)] if exempt else []
    audiences += [(False, m) for m in declared]
    ids = []
    with _renderer() as renderer:
        for public, member in audiences:
            view = gather.pack_view(uow.session, uow.config, meeting_id, public=public,
                                    member_id=member)
            if not view.reports and not view.agenda.entries:
                continue
            result = build_pack(view, renderer)
            row = store.save(uow.session, kind="pack", title=view.title, pdf=result.pdf,
                             pages=result.pages, subject_type="meeting", subject_id=meeting_id,
                             now=uow.now, public=public, member_id=member,
                             meeting_id=meeting_id, event=event)
            ids.append(row.id or 0)
    return ids


def pack_attachment(session: Session, att: dict[str, Any]) -> tuple[bytes, str] | None:
    """Outbox attachments ``{"ref": {"kind": "meeting_pack", "meeting_id": N}}``: the members'
    pack of that meeting once rendered (the public pack when there is no Part 2 item)."""
    ref = att.get("ref") or {}
    if ref.get("kind") != "meeting_pack":
        return None
    row = session.exec(select(DocumentRow).where(
        DocumentRow.kind == "pack", DocumentRow.meeting_id == int(ref["meeting_id"]),
        col(DocumentRow.audience).in_(("members", "public")))
        .order_by(col(DocumentRow.public), col(DocumentRow.id).desc())).first()
    if row is None or row.content is None:
        return None
    return row.content, "application/pdf"


def install(bus: EventBus) -> None:
    register_attachment_resolver(pack_attachment)
    bus.subscribe(DecisionRecorded, on_decision)
    bus.subscribe(MeetingHeld, on_meeting_held)
    bus.subscribe(MeetingPublished, on_meeting_published)
