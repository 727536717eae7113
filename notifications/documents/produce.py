"""Documents produced at each step, subscribed to domain events (s75/wiring.py calls
:func:`install`):

- :class:`DecisionRecorded` → the decision notice (executive decision record), members' and
  public versions;
- :class:`MeetingHeld` → the draft minutes;
- :class:`MeetingPublished` (by hand or at the deadline) → the decision packs: public and
  members' (with one personal pack per member who has declared an interest on an item).

Each stored notice or minutes raises :class:`DocumentRendered`.

No document is rendered in the event's transaction: it records a render job for each
document and audience (notifications/render_jobs.py) and a worker renders it after the
commit (notifications/documents/jobs.py), storing it (store.py, once per content hash) as
the version published at the event's time. A notice's or minutes' job carries its HTML,
fixed in the transaction (document_jobs.py); a pack's or supplement's is planned again by
the worker from the meeting as it stands.
Set ``S75_DOCUMENTS_ON_EVENTS=0`` to skip rendering on events (e.g. a long simulation); the
documents can be made later with ``s75 render``.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlmodel import Session, col, select

from notifications import render_jobs
from notifications.documents import document_jobs, gather, jobs, kinds, store
from notifications.documents.meeting_packs import (
    audiences,
    build,
    mail_supplement,
    one_process_renderer,
    plan_pack,
    plan_supplement,
    source_hash,
    store_plan,
)
from notifications.documents.minutes_issue import enabled, issue
from notifications.documents.publication import first_publication
from notifications.documents.tables import DocumentRow
from notifications.outbox import AttachmentPending, register_attachment_resolver
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
from workflows.committee.tables import DecisionRow
from workflows.events import EventBus, UnitOfWork

__all__ = ["build", "mail_supplement", "plan_pack", "plan_supplement", "source_hash",
           "store_plan"]


def on_decision(uow: UnitOfWork, event: DecisionRecorded) -> None:
    """The decision notice is published as the decision is recorded, in its transaction (on
    the web at once; the PDF, its HTML fixed now, rendered after the commit and dated as
    published now): the call-in window of an executive decision runs from today."""
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
                  event_name: str) -> list[str]:
    """Queue the notice as the decision now stands (its HTML fixed in this transaction),
    rendered and stored after the commit (document_jobs.py). Returns the keys queued."""
    if not enabled():
        return []
    view = gather.notice_view(uow.session, uow.config, decision_id, uow.now)
    keys = []
    # A members' version differs from the public one only for a Part 2 (exempt) item.
    for public in ((False, True) if view.part == 2 else (True,)):
        key = document_jobs.queue_notice(
            uow, decision_id, meeting_id, kinds.notice_html(view, public=public),
            f"Record of decision: {view.title}", public, event_name)
        keys += [key] if key else []
    return keys


def on_meeting_held(uow: UnitOfWork, event: MeetingHeld) -> None:
    if not enabled():
        return
    issue(uow, event.meeting_id, "draft", event=event.name)


def on_meeting_published(uow: UnitOfWork, event: MeetingPublished) -> None:
    if not enabled():
        return
    queue_packs(uow, event.meeting_id, event.name)
    queue_supplements(uow, event.meeting_id, event.name)


def produce_packs(uow: UnitOfWork, meeting_id: int, event: str = "render") -> list[int]:
    """Render and store, in this transaction, the public pack; the members' pack when the
    agenda has a Part 2 (exempt) item (else the public pack is the members' pack too); and
    a personal pack for each member who declared an interest on an item. A pack whose
    content has not changed since its last publication is not rendered again; one that has
    is the next version. Returns the stored document ids. (Events queue render jobs instead:
    :func:`queue_packs`.)"""
    ids = []
    with one_process_renderer() as renderer:
        for public, member in audiences(uow.session, meeting_id):
            plan = plan_pack(uow.session, uow.config, meeting_id, public, member, uow.now)
            if plan.view is None:
                continue
            if plan.same is not None:
                ids.append(plan.same.id or 0)
                continue
            row = store_plan(uow.session, plan, build(plan, renderer), uow.now, uow.actor,
                             event)
            ids.append(row.id or 0)
    return ids


def produce_supplements(uow: UnitOfWork, meeting_id: int, event: str = "render") -> list[int]:
    """Render and store, in this transaction, the supplementary pack of a published
    meeting's urgent late items for each audience of the main pack, and mail it. Returns the
    ids of the versions newly stored (none when the meeting has no supplementary item or
    nothing changed). (Events queue render jobs instead: :func:`queue_supplements`.)"""
    if not gather.has_supplement(uow.session, meeting_id):
        return []
    ids = []
    with one_process_renderer() as renderer:
        for public, member in audiences(uow.session, meeting_id):
            plan = plan_supplement(uow.session, uow.config, meeting_id, public, member,
                                   uow.now)
            if plan.view is None or plan.same is not None:
                continue
            row = store_plan(uow.session, plan, build(plan, renderer), uow.now, uow.actor,
                             event)
            ids.append(row.id or 0)
    if ids:
        mail_supplement(uow.session, uow.config, uow.now, meeting_id)
    return ids


def _params(uow: UnitOfWork, public: bool, member: str | None, event: str) -> dict[str, Any]:
    uow.session.info["s75.config"] = uow.config  # for the render after commit (jobs.py)
    return {"public": public, "member_id": member, "event": event,
            "at": uow.now.isoformat(), "by": uow.actor}


def _prior_version(session: Session, kind: str, meeting_id: int, audience: str) -> int:
    prior = store.latest_published(session, kind, "meeting", meeting_id, audience)
    return prior.version if prior is not None else 0


def queue_packs(uow: UnitOfWork, meeting_id: int, event: str = "render") -> list[str]:
    """Record, in the event's transaction, a render job for each audience's pack whose
    content differs from its last publication (rendered after the commit by
    notifications/documents/jobs.py). Returns the keys newly queued."""
    keys = []
    for public, member in audiences(uow.session, meeting_id):
        plan = plan_pack(uow.session, uow.config, meeting_id, public, member, uow.now)
        if plan.view is None or plan.same is not None:
            continue
        version = _prior_version(uow.session, "pack", meeting_id, plan.audience)
        key = render_jobs.record(uow.session, kind="pack", meeting_id=meeting_id,
                                 audience=plan.audience, digest=f"{plan.source}:v{version}",
                                 params=_params(uow, public, member, event), now=uow.now)
        keys += [key] if key else []
    return keys


def queue_supplements(uow: UnitOfWork, meeting_id: int, event: str = "render") -> list[str]:
    """Record a render job for each audience's supplement (a meeting with urgent late
    items); it waits for that audience's pack job, since its pages follow on from the pack's.
    Returns the keys newly queued."""
    if not gather.has_supplement(uow.session, meeting_id):
        return []
    keys = []
    for public, member in audiences(uow.session, meeting_id):
        audience = store.audience_of(public, member)
        view = gather.supplement_view(uow.session, uow.config, meeting_id, first_page=0,
                                      public=public, member_id=member)
        pack = gather.pack_view(uow.session, uow.config, meeting_id, public=public,
                                member_id=member)
        version = _prior_version(uow.session, "supplement", meeting_id, audience)
        digest = hashlib.sha256(f"{source_hash(view)}{source_hash(pack)}".encode()).hexdigest()
        key = render_jobs.record(uow.session, kind="supplement", meeting_id=meeting_id,
                                 audience=audience, digest=f"{digest}:v{version}",
                                 params=_params(uow, public, member, event), now=uow.now)
        keys += [key] if key else []
    return keys


def on_item_edited(uow: UnitOfWork, event: ItemEdited) -> None:
    """An item edited after publication: the packs (and supplement) republished as the next
    version when what they say changed."""
    if not enabled() or not event.published:
        return
    queue_packs(uow, event.meeting_id, event.name)
    queue_supplements(uow, event.meeting_id, event.name)


def on_item_published(uow: UnitOfWork, event: ItemMoved) -> None:
    """An urgent late item published after the agenda: its supplement."""
    if not enabled() or event.trigger != "published":
        return
    if first_publication(uow.session, event.meeting_id) is None:
        return  # published with the agenda: the MeetingPublished handler makes the packs
    queue_supplements(uow, event.meeting_id, event.name)


def pack_attachment(session: Session, att: dict[str, Any]) -> tuple[bytes, str] | None:
    """Outbox attachments ``{"ref": {"kind": "meeting_pack", "meeting_id": N}}``: the members'
    pack of that meeting once rendered (the public pack when there is no Part 2 item). While
    a render job for it is open the message is held back (``AttachmentPending``), however
    long the render takes, so a mail never goes before its pack is stored."""
    ref = att.get("ref") or {}
    kind = {"meeting_pack": "pack", "meeting_supplement": "supplement"}.get(
        str(ref.get("kind")))
    if kind is None:
        return None
    if render_jobs.is_open(session, int(ref["meeting_id"]), kind):
        # A new version is being rendered: the message waits for it (never the old one).
        raise AttachmentPending(f"the {kind} of meeting {ref['meeting_id']} is being rendered")
    row = session.exec(select(DocumentRow).where(
        DocumentRow.kind == kind, DocumentRow.meeting_id == int(ref["meeting_id"]),
        col(DocumentRow.audience).in_(("members", "public")))
        .order_by(col(DocumentRow.public), col(DocumentRow.version).desc(),
                  col(DocumentRow.id).desc())).first()
    if row is None or row.content is None:
        return None
    return row.content, "application/pdf"


def install(bus: EventBus) -> None:
    jobs.install(bus)
    register_attachment_resolver(pack_attachment)
    bus.subscribe(DecisionRecorded, on_decision)
    for ev in (DecisionCalledIn, CallInResolved, DecisionMadeUrgent):
        bus.subscribe(ev, on_call_in_change)  # type: ignore[arg-type]
    bus.subscribe(MeetingHeld, on_meeting_held)
    bus.subscribe(MeetingPublished, on_meeting_published)
    bus.subscribe(ItemMoved, on_item_published)
    bus.subscribe(ItemEdited, on_item_edited)
