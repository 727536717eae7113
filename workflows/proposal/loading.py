"""Reading a proposal on the hot path: one Core SELECT (no ORM query), the row then placed in
the session's identity map as if the ORM had loaded it, so every later ``session.get`` of it
in the same transaction (the deadline planner's, the guards') costs no statement.

A trigger whose guard reads the gateway returns (``resume``: no partner paused) reads them in
the same SELECT (the proposal outer-joined to its gateways and their returns); they are kept
for that one guard's read (:func:`take_returns`) and forgotten when it has read them, when the
trigger is done, and whenever a return is written.
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import instance_dict
from sqlalchemy.orm.util import identity_key

from workflows.prepared import Prepared, connection
from workflows.proposal.tables import GatewayReturnRow, GatewayRow
from workflows.tables import ProposalRow

_P: Any = cast(Any, ProposalRow).__table__
_G: Any = cast(Any, GatewayRow).__table__
_R: Any = cast(Any, GatewayReturnRow).__table__
_COLUMNS = tuple(_P.columns)
_KEYS = tuple(c.key for c in _COLUMNS)
_BY_ID = Prepared(select(*_COLUMNS).where(_P.c.id == bindparam("pid")))
_WITH_RETURNS = Prepared(
    select(*_COLUMNS, _G.c.month.label("gw_month"), _R.c.partner_id.label("gw_partner"),
           _R.c.decision.label("gw_decision"))
    .select_from(_P.outerjoin(_G, _G.c.proposal_id == _P.c.id)
                 .outerjoin(_R, _R.c.gateway_id == _G.c.id))
    .where(_P.c.id == bindparam("pid"))
    .order_by(_G.c.month, _R.c.id))
_RETURNS_KEY = "s75.gateway_returns"
"""session.info: (proposal id, month -> partner -> decision) read with the proposal."""


def _placed(session: OrmSession, values: tuple[Any, ...]) -> ProposalRow:
    """A persistent ProposalRow holding ``values`` (its columns, in table order), in the
    session's identity map: as loaded, with nothing to flush."""
    row = cast(Any, ProposalRow).__mapper__.class_manager.new_instance()
    instance_dict(row).update(zip(_KEYS, values, strict=True))  # as the ORM's loader fills it
    make_transient_to_detached(row)  # the values committed, the identity key set
    session.add(row)
    return cast(ProposalRow, row)


def find_proposal(session: OrmSession, proposal_id: int, *, with_returns: bool = False
                  ) -> ProposalRow | None:
    """The proposal, or None; with ``with_returns`` its gateway returns are read in the same
    statement and kept for :func:`take_returns`. A row already in the session is not read
    again (``session.get``: refreshed only if expired)."""
    present = session.identity_map.get(identity_key(ProposalRow, (proposal_id,)))
    if present is not None:
        return session.get(ProposalRow, proposal_id)
    if session.autoflush:
        session.flush()  # as the ORM's own read would: pending changes are seen
    conn = connection(session)
    if not with_returns:
        found = _BY_ID.rows(conn, {"pid": proposal_id})
        return _placed(session, found[0]) if found else None
    rows = _WITH_RETURNS.rows(conn, {"pid": proposal_id})
    if not rows:
        return None
    returns: dict[date, dict[str, str]] = {}
    width = len(_KEYS)
    for r in rows:
        month, partner, decision = r[width], r[width + 1], r[width + 2]
        if partner is not None:
            returns.setdefault(month, {})[partner] = decision
    session.info[_RETURNS_KEY] = (proposal_id, returns)
    return _placed(session, rows[0][:width])


def take_returns(session: OrmSession, proposal_id: int) -> dict[date, dict[str, str]] | None:
    """The gateway returns read with the proposal, once (None if they were not, or were
    forgotten since)."""
    kept = session.info.pop(_RETURNS_KEY, None)
    if kept is not None and kept[0] == proposal_id:
        return cast(dict[date, dict[str, str]], kept[1])
    return None


def forget_returns(session: OrmSession) -> None:
    """Drop the returns read with a proposal (a return was written, or the trigger is done)."""
    session.info.pop(_RETURNS_KEY, None)
