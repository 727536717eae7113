"""Officer clearance of a report before the body takes it (file 004, Trafford Executive: a
report carries "Finance Officer Clearance" and "Legal Officer Clearance" before it goes to the
Executive).

A body whose terms list ``clearance = ["finance", "legal"]`` (``[[body]] clearance``) needs
each kind cleared on a submitted item by a member with the role ``finance_officer`` /
``legal_officer`` (or an admin) before its secretary accepts it onto the agenda. A clearance
is of one version of the item: an edit after it (the author answering a refusal, say) needs
clearing again. A refusal keeps the item submitted, with the officer's comment, until the
author edits the report. Rows: ``item_clearance`` (workflows/committee/tables.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy import and_, exists, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from decisions.errors import ConflictError, InvalidInput, RuleRefused
from decisions.principals import Permission, Scope
from decisions.terms import LocalityConfig
from workflows.actions import Action
from workflows.committee import common
from workflows.committee.scopes import item_scope
from workflows.committee.tables import AgendaItemRow, ItemClearanceRow, MeetingRow
from workflows.events import DomainEvent, UnitOfWork

KINDS = ("finance", "legal")
ROLE_OF = {"finance": "finance_officer", "legal": "legal_officer"}
WORDS = {"finance": "finance", "legal": "legal"}
RULE = "officer clearance (the body's terms: [[body]] clearance)"


@dataclass(frozen=True)
class Standing:
    """Where one kind of clearance stands on the item's current version."""

    kind: str
    state: str  # awaited | cleared | refused
    by: str | None = None
    by_name: str | None = None
    comment: str = ""
    on: str = ""

    def words(self) -> str:
        if self.state == "awaited":
            return f"{self.kind} clearance awaited (a {self.kind} officer clears it)"
        said = f": {self.comment}" if self.comment else ""
        return f"{self.kind} clearance {self.state} by {self.by_name} on {self.on}{said}"


@dataclass(frozen=True)
class ItemCleared(DomainEvent):
    """An officer cleared (or refused to clear) an item's report."""

    name: ClassVar[str] = "item.clearance"
    subject_type: ClassVar[str] = "agenda_item"
    subject_field: ClassVar[str] = "item_id"
    item_id: int
    meeting_id: int
    kind: str
    cleared: bool
    by: str
    item_version: int
    comment: str = ""


def needed(cfg: LocalityConfig, session: Session, item: AgendaItemRow) -> tuple[str, ...]:
    """The kinds of clearance the item's body asks for (none for standing business)."""
    if item.standing is not None:
        return ()
    m = common.meeting(session, item.meeting_id)
    return tuple(cfg.body_by_id(m.body_id).clearance)


def standing(cfg: LocalityConfig, session: Session, item: AgendaItemRow) -> list[Standing]:
    """Each needed kind: the latest word on it, else awaited (:func:`standing_of`)."""
    rows = session.exec(select(ItemClearanceRow).where(ItemClearanceRow.item_id == item.id)
                        .order_by(col(ItemClearanceRow.id))).all()
    return standing_of(cfg, item, common.meeting(session, item.meeting_id).body_id, rows)


def standings(cfg: LocalityConfig, session: Session,
              items: Sequence[tuple[AgendaItemRow, str]]) -> dict[int, list[Standing]]:
    """:func:`standing` of each (item, its body's id), in one query for them all."""
    ids = [i.id for i, _body in items]
    rows: dict[int | None, list[ItemClearanceRow]] = {i: [] for i in ids}
    for r in session.exec(select(ItemClearanceRow).where(col(ItemClearanceRow.item_id).in_(ids))
                          .order_by(col(ItemClearanceRow.id))):
        rows[r.item_id].append(r)
    return {i.id: standing_of(cfg, i, body, rows[i.id]) for i, body in items if i.id is not None}


def standing_of(cfg: LocalityConfig, item: AgendaItemRow, body_id: str,
                rows: Sequence[ItemClearanceRow]) -> list[Standing]:
    """Each kind the item's body needs (none for standing business): the latest word on it in
    ``rows`` (the item's clearances, oldest first), else awaited. Until the item is accepted
    only a word on its current version counts (an edit needs clearing again); after that, the
    clearance it was accepted on stands."""
    if item.standing is not None:
        return []
    if item.state in ("draft", "submitted"):
        rows = [r for r in rows if r.item_version == item.version]
    names = {m.id: m.display for m in cfg.member}
    out = []
    for kind in cfg.body_by_id(body_id).clearance:
        last = [r for r in rows if r.kind == kind][-1:]
        if not last:
            out.append(Standing(kind, "awaited"))
            continue
        r = last[0]
        out.append(Standing(kind, "cleared" if r.cleared else "refused", r.by,
                            names.get(r.by, r.by), r.comment,
                            f"{r.at.astimezone(cfg.zone):%-d %b %Y}"))
    return out


def awaiting_clause(cfg: LocalityConfig, kinds: Iterable[str]) -> Any:
    """SQL: a submitted item (of ``agenda_item`` joined to its ``meeting``) on which one of
    ``kinds`` that its body needs is not cleared on its current version (its latest word on
    that version is a refusal, or there is none); None when no body needs any of ``kinds``."""
    item, mine = AgendaItemRow, set(kinds)
    per_body = []
    for body in cfg.body:
        open_ = [_not_cleared(k) for k in body.clearance if k in mine]
        if open_:
            per_body.append(and_(col(MeetingRow.body_id) == body.id, or_(*open_)))
    if not per_body:
        return None
    return and_(col(item.state) == "submitted", col(item.standing).is_(None), or_(*per_body))


def _not_cleared(kind: str) -> Any:
    c, later = aliased(ItemClearanceRow), aliased(ItemClearanceRow)
    on_version = (c.item_id == AgendaItemRow.id) & (c.kind == kind) & (
        c.item_version == AgendaItemRow.version)
    newer = select(later.id).where(later.item_id == c.item_id, later.kind == kind,
                                   later.item_version == c.item_version,
                                   col(later.id) > col(c.id))
    return ~exists(select(c.id).where(on_version, c.cleared, ~exists(newer)))


def history(session: Session, item_id: int) -> list[ItemClearanceRow]:
    return list(session.exec(select(ItemClearanceRow).where(
        ItemClearanceRow.item_id == item_id).order_by(col(ItemClearanceRow.id))).all())


def check_cleared(uow: UnitOfWork, item: AgendaItemRow) -> None:
    """RuleRefused, in words, unless every clearance the body needs is given on this version."""
    open_ = [s for s in standing(uow.config, uow.session, item) if s.state != "cleared"]
    if open_:
        how = "; ".join(s.words() for s in open_)
        hint = ", ".join(f"s75 item clear {item.id} --kind {s.kind}" for s in open_)
        raise RuleRefused(RULE, f"{common.describe_item(item)} cannot be accepted until its "
                          f"report is cleared: {how}. The officers clear it on the item's "
                          f"page or with `{hint}`; after a refusal the author edits the "
                          "report and it is cleared again")


def clear(uow: UnitOfWork, item: AgendaItemRow, kind: str, *, cleared: bool, comment: str,
          version: int | None = None) -> ItemClearanceRow:
    need = needed(uow.config, uow.session, item)
    m = common.meeting(uow.session, item.meeting_id)
    body = uow.config.body_by_id(m.body_id)
    if kind not in need:
        asked = ", ".join(need) if need else "no clearance"
        raise RuleRefused(RULE, f"the {body.name}'s terms ask for {asked}; {kind} clearance "
                          f"is not given on {common.describe_item(item)}")
    if item.state != "submitted":
        when = ("submit it first" if item.state == "draft"
                else "it is cleared while submitted, before the secretary accepts it")
        raise RuleRefused(RULE, f"{common.describe_item(item)} is {item.state}; {when}")
    if version is not None and version != item.version:
        raise ConflictError(f"{common.describe_item(item)} was changed by someone else since "
                            f"you read it (version {version}; it is now version "
                            f"{item.version}); reload it, read the report again and clear it")
    assert item.id is not None
    row = ItemClearanceRow(item_id=item.id, kind=kind, cleared=cleared, by=uow.actor,
                           comment=comment.strip(), item_version=item.version, at=uow.now)
    uow.session.add(row)
    uow.session.flush()
    uow.emit(ItemCleared(item_id=item.id, meeting_id=item.meeting_id, kind=kind,
                         cleared=cleared, by=uow.actor, item_version=item.version,
                         comment=row.comment))
    return row


@dataclass(frozen=True)
class ClearItem(Action[ItemClearanceRow]):
    """Clear an item's report (finance or legal), or refuse to with the reason; by a member
    with the kind's role (``finance_officer``, ``legal_officer``) or an admin."""

    name = "item clear"
    permission = Permission(("finance_officer", "legal_officer"))
    item_id: int
    kind: str
    refuse: bool = False
    comment: str = ""
    version: int | None = None
    """The version the officer read (a later edit: ConflictError, reload)."""

    def validate(self, cfg: LocalityConfig) -> None:
        if self.kind not in KINDS:
            raise InvalidInput(f"kind: {self.kind!r} is not valid; expected one of "
                               f"{', '.join(KINDS)}")
        if self.refuse and not self.comment.strip():
            raise InvalidInput("comment: missing; say why the report is not cleared (the "
                               "author reads it and revises the report)")
        if len(self.comment) > 5000:
            raise InvalidInput(f"comment: {len(self.comment)} characters is too long; at "
                               "most 5000")

    def load(self, uow: UnitOfWork) -> Any:
        return common.item(uow.session, self.item_id)

    def scope(self, uow: UnitOfWork, loaded: Any) -> Scope:
        s = item_scope(uow, loaded)
        return Scope(s.what, (), None, {})  # a global role: no body's secretary clears

    def required(self, uow: UnitOfWork, loaded: Any) -> Permission:
        return Permission((ROLE_OF[self.kind],))

    def write(self, uow: UnitOfWork, loaded: Any) -> ItemClearanceRow:
        return clear(uow, loaded, self.kind, cleared=not self.refuse, comment=self.comment,
                     version=self.version)
