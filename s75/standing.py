"""Loading the standing arrangements from config into the database, idempotently.

``sync_standing`` compares each configured partner, body, member, membership, pool line and
contribution with its row; inserts what is new, updates only the fields that changed, and writes
one ``standing_change`` row per change so history is kept. A second run changes nothing.
Members removed from config are marked inactive, never deleted (decisions refer to them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlmodel import Session, SQLModel, select

from decisions.terms import LocalityConfig
from workflows.committee.tables import (
    BodyRow,
    ContributionRow,
    MemberRow,
    MembershipRow,
    PartnerRow,
    PoolLineRow,
    StandingChangeRow,
)


@dataclass
class SyncReport:
    changes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.changes)


def _desired(cfg: LocalityConfig) -> list[tuple[type[SQLModel], tuple[Any, ...], dict[str, Any]]]:
    rows: list[tuple[type[SQLModel], tuple[Any, ...], dict[str, Any]]] = []
    for p in cfg.partner:
        rows.append((PartnerRow, (p.id,), {"name": p.name, "kind": p.kind,
                                           "sovereign_body_id": p.sovereign_body,
                                           "authorised_signatory_id": p.authorised_signatory,
                                           "pools": p.pools}))
    for b in cfg.body:
        terms = b.model_dump(mode="json", exclude={"id", "name", "kind"})
        rows.append((BodyRow, (b.id,), {"name": b.name, "kind": b.kind, "terms": terms}))
    for m in cfg.member:
        rows.append((MemberRow, (m.id,), {"name": m.name, "partner_id": m.partner,
                                          "email": m.email, "substitute_id": m.substitute,
                                          "active": True}))
    for m in cfg.member:
        for bid in m.bodies:
            rows.append((MembershipRow, (bid, m.id), {}))
    for pos, line in enumerate(cfg.pool.line):
        rows.append((PoolLineRow, (line.id,), {"service": line.service,
                                               "lead_partner_id": line.lead,
                                               "is_tbc": line.is_tbc, "position": pos}))
        if isinstance(line.contributions, dict):
            for pid, amount in line.contributions.items():
                rows.append((ContributionRow, (line.id, pid), {"amount": amount}))
    return rows


def _key_names(model: type[SQLModel]) -> list[str]:
    return [str(c.name) for c in sa_inspect(model).primary_key]


def _table(model: type[SQLModel]) -> str:
    return str(sa_inspect(model).local_table.name)


def sync_standing(session: Session, cfg: LocalityConfig, now: datetime) -> SyncReport:
    """Bring the standing tables into line with ``cfg`` inside the caller's transaction."""
    report = SyncReport()

    def log(entity: str, entity_id: str, fld: str, old: Any, new: Any) -> None:
        session.add(StandingChangeRow(at=now, entity=entity, entity_id=entity_id, field=fld,
                                      old=None if old is None else str(old),
                                      new=None if new is None else str(new)))

    wanted: dict[type[SQLModel], set[tuple[Any, ...]]] = {}
    for model, key, values in _desired(cfg):
        entity = _table(model)
        ident = "/".join(str(k) for k in key)
        wanted.setdefault(model, set()).add(key)
        row = session.get(model, key if len(key) > 1 else key[0])
        if row is None:
            row = model(**dict(zip(_key_names(model), key, strict=True)), **values)
            session.add(row)
            session.flush()
            report.changes.append(f"added {entity} {ident}")
            log(entity, ident, "*", None, "added")
            continue
        for fld, new in values.items():
            old = getattr(row, fld)
            if old != new:
                setattr(row, fld, new)
                report.changes.append(f"updated {entity} {ident}: {fld} {old!r} -> {new!r}")
                log(entity, ident, fld, old, new)
    session.flush()

    # What config no longer names: memberships and contributions go, members become inactive.
    for model in (MembershipRow, ContributionRow):
        for row in session.exec(select(model)).all():
            key = tuple(getattr(row, k) for k in _key_names(model))
            if key not in wanted.get(model, set()):
                session.delete(row)
                ident = "/".join(map(str, key))
                report.changes.append(f"removed {_table(model)} {ident}")
                log(_table(model), ident, "*", "present", "removed")
    for member in session.exec(select(MemberRow).where(MemberRow.active)).all():
        if (member.id,) not in wanted[MemberRow]:
            member.active = False
            report.changes.append(f"deactivated member {member.id}")
            log("member", member.id, "active", True, False)
    session.flush()
    return report
