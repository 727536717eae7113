"""Interests: the dated register per member, declarations per item at the meeting (with how
each was managed), and dispensations (Localism Act 2011 s31, s33; NHS England, Managing
Conflicts of Interest in the NHS, 2017)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from decisions.errors import InvalidInput, RuleRefused
from decisions.interests import (
    Declaration,
    RegisteredInterest,
    validate_declaration,
    validate_registered_interest,
)
from workflows.committee import common
from workflows.committee.events import DispensationGranted, InterestDeclared, InterestRegistered
from workflows.committee.records import DeclarationRow, DispensationRow, InterestRow
from workflows.events import UnitOfWork


def register(uow: UnitOfWork, member_id: str, nature: str, description: str, *,
             registered_on: date | None = None, sensitive: bool = False) -> InterestRow:
    """Add an entry to the member's register of interests."""
    common.member(uow.config, member_id)
    on = registered_on or common.local_day(uow.config, uow.now)
    validate_registered_interest(RegisteredInterest(member_id, nature,  # type: ignore[arg-type]
                                                    description, on))
    row = InterestRow(member_id=member_id, nature=nature, description=description.strip(),
                      registered_on=on, sensitive=sensitive)
    uow.session.add(row)
    uow.session.flush()
    assert row.id is not None
    uow.emit(InterestRegistered(member_id=member_id, interest_id=row.id, nature=nature,
                                registered_on=on.isoformat()))
    return row


def register_of(session: Session, member_id: str | None = None) -> list[InterestRow]:
    q = select(InterestRow).order_by(col(InterestRow.member_id), col(InterestRow.registered_on))
    if member_id is not None:
        q = q.where(InterestRow.member_id == member_id)
    return list(session.exec(q).all())


def grant_dispensation(uow: UnitOfWork, member_id: str, *, granted_by: str, reason: str,
                       item_id: int | None = None, body_id: str | None = None,
                       expires_on: date | None = None) -> DispensationRow:
    """A dispensation (s33) for one item, or for a body's business until ``expires_on``."""
    common.member(uow.config, member_id)
    if item_id is None and body_id is None:
        raise InvalidInput("a dispensation is for an item (--item) or a body (--body)")
    if item_id is not None:
        common.item(uow.session, item_id)
    if body_id is not None:
        uow.config.body_by_id(body_id)
    if not granted_by.strip() or not reason.strip():
        raise InvalidInput("a dispensation records who granted it (granted_by) and why (reason)")
    row = DispensationRow(member_id=member_id, body_id=body_id, item_id=item_id,
                          granted_by=granted_by, reason=reason,
                          granted_on=common.local_day(uow.config, uow.now), expires_on=expires_on)
    uow.session.add(row)
    uow.session.flush()
    assert row.id is not None
    uow.emit(DispensationGranted(member_id=member_id, dispensation_id=row.id, item_id=item_id,
                                 body_id=body_id))
    return row


def _dispensation(uow: UnitOfWork, member_id: str, item_id: int, body_id: str,
                  on: date) -> DispensationRow | None:
    rows = uow.session.exec(select(DispensationRow).where(
        DispensationRow.member_id == member_id)).all()
    for d in rows:
        if d.item_id == item_id or (d.body_id == body_id and d.item_id is None
                                    and (d.expires_on is None or d.expires_on >= on)):
            return d
    return None


def declare(uow: UnitOfWork, item_id: int, member_id: str, nature: str, description: str, *,
            managed: str = "left_room", dispensation_by: str | None = None,
            dispensation_reason: str | None = None) -> DeclarationRow:
    """Record a member's declaration on an item and how it was managed. A member who left the
    room or took no part does not count towards the item's quorum or vote on it."""
    item = common.item(uow.session, item_id)
    m = common.meeting(uow.session, item.meeting_id)
    if item.state in ("decided", "deferred", "withdrawn"):
        raise RuleRefused("declarations of interest", f"{common.describe_item(item)} is "
                          f"{item.state}; declarations are made before it is decided")
    on = m.local_date or common.local_day(uow.config, m.starts_at)
    common.member(uow.config, member_id, m.body_id)
    standing = None
    if not dispensation_by:
        standing = _dispensation(uow, member_id, item_id, m.body_id, on)
        if standing is not None:
            dispensation_by, dispensation_reason = standing.granted_by, standing.reason
    decl = Declaration(member_id, str(item_id), nature, description,  # type: ignore[arg-type]
                       managed, dispensation_by, dispensation_reason)  # type: ignore[arg-type]
    validate_declaration(decl)
    registered = uow.session.exec(select(InterestRow).where(
        InterestRow.member_id == member_id, InterestRow.nature == nature)).first()
    row = uow.session.exec(select(DeclarationRow).where(
        DeclarationRow.item_id == item_id, DeclarationRow.member_id == member_id)).first()
    if row is None:
        row = DeclarationRow(item_id=item_id, meeting_id=item.meeting_id, member_id=member_id,
                             nature=nature, description=description, declared_at=uow.now)
    row.nature, row.description, row.managed = nature, description.strip(), managed
    row.dispensation_by, row.dispensation_reason = dispensation_by, dispensation_reason
    row.dispensation_id = standing.id if standing else None
    row.interest_id = registered.id if registered else None
    row.declared_at = uow.now
    uow.session.add(row)
    uow.session.flush()
    uow.emit(InterestDeclared(item_id=item_id, meeting_id=item.meeting_id, member_id=member_id,
                              nature=nature, managed=managed, minute=decl.minute()))
    return row


def declarations_for(session: Session, item_id: int) -> list[DeclarationRow]:
    return list(session.exec(select(DeclarationRow).where(
        DeclarationRow.item_id == item_id).order_by(col(DeclarationRow.id))).all())


def as_declarations(rows: list[DeclarationRow]) -> list[Declaration]:
    return [Declaration(r.member_id, str(r.item_id), r.nature, r.description,  # type: ignore[arg-type]
                        r.managed, r.dispensation_by, r.dispensation_reason)  # type: ignore[arg-type]
            for r in rows]
