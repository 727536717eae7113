"""Reading a proposal on the hot path: one Core SELECT (no ORM query), the row then placed in
the session's identity map as if the ORM had loaded it, so every later ``session.get`` of it
in the same transaction (the deadline planner's, the guards') costs no statement.

A trigger whose guard reads the gateway returns (``resume``: no partner paused) reads them in
the same SELECT (the proposal outer-joined to its gateways and their returns); they are kept
for that one guard's read (:func:`take_returns`) and forgotten when it has read them, when the
trigger is done, and whenever a return is written. On a unit of work's connection, the rows its
bus's subscribers read after an action on a proposal (:class:`~workflows.events.ReadAhead`:
the planner's month's gateway deadline) are outer-joined in the same SELECT.
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import instance_dict
from sqlalchemy.orm.util import identity_key

from workflows.events import ReadAhead, UnitOfWork
from workflows.prepared import Prepared, connection
from workflows.proposal.tables import GatewayReturnRow, GatewayRow
from workflows.tables import ProposalRow

_P: Any = cast(Any, ProposalRow).__table__
_G: Any = cast(Any, GatewayRow).__table__
_R: Any = cast(Any, GatewayReturnRow).__table__
_COLUMNS = tuple(_P.columns)
_KEYS = tuple(c.key for c in _COLUMNS)
_READS: dict[tuple[bool, tuple[ReadAhead, ...]], Prepared] = {}


def _statement(with_returns: bool, ahead: tuple[ReadAhead, ...]) -> Prepared:
    """The proposal by id (with its gateways' returns, outer-joined, when asked), and each row
    read ahead outer-joined by its key (``ahead_<n>``: its key column, then its columns):
    built once for each combination."""
    found = _READS.get((with_returns, ahead))
    if found is not None:
        return found
    columns: list[Any] = list(_COLUMNS)
    source: Any = _P
    if with_returns:
        columns += [_G.c.month, _R.c.partner_id, _R.c.decision]
        source = source.outerjoin(_G, _G.c.proposal_id == _P.c.id).outerjoin(
            _R, _R.c.gateway_id == _G.c.id)
    for n, a in enumerate(ahead):
        t = a.table.alias(f"ahead_{n}")
        columns += [t.c[a.key_column], *(t.c[c] for c in a.columns)]
        source = source.outerjoin(t, t.c[a.key_column] == bindparam(f"ahead_{n}"))
    stmt = select(*columns).select_from(source).where(_P.c.id == bindparam("pid"))
    if with_returns:
        stmt = stmt.order_by(_G.c.month, _R.c.id)
    found = _READS[(with_returns, ahead)] = Prepared(stmt)
    return found
_RETURNS_KEY = "s75.gateway_returns"
"""session.info: (proposal id, month -> partner -> decision) read with the proposal."""


def _detached(values: tuple[Any, ...]) -> ProposalRow:
    """A detached ProposalRow holding ``values`` (its columns, in table order): as the ORM's
    loader fills it, the values committed and the identity key set (added to a session it is
    persistent, with nothing to flush)."""
    row = cast(Any, ProposalRow).__mapper__.class_manager.new_instance()
    instance_dict(row).update(zip(_KEYS, values, strict=True))
    make_transient_to_detached(row)
    return cast(ProposalRow, row)


def _placed(session: OrmSession, values: tuple[Any, ...]) -> ProposalRow:
    """The row holding ``values``, in the session's identity map: as loaded."""
    row = _detached(values)
    session.add(row)
    return row


def _read(conn: Connection, proposal_id: int, with_returns: bool,
          uow: UnitOfWork | None = None
          ) -> tuple[tuple[Any, ...], dict[date, dict[str, str]] | None] | None:
    """The proposal's columns (and, ``with_returns``, its returns), or None; with ``uow``, the
    rows its bus reads ahead with a proposal are read in the same SELECT and kept in
    ``uow.ahead``."""
    ahead = uow.bus.ahead.get(ProposalRow, ()) if uow is not None else ()
    params: dict[str, Any] = {"pid": proposal_id}
    keys = []
    for n, a in enumerate(ahead):
        keys.append(a.key(cast(UnitOfWork, uow), proposal_id))
        params[f"ahead_{n}"] = keys[-1]
    rows = _statement(with_returns, ahead).rows(conn, params)
    if not rows:
        return None
    width = len(_KEYS)
    at = width + 3 if with_returns else width
    for a, key in zip(ahead, keys, strict=True):  # each: its key (None: no row), its columns
        found = rows[0][at] is not None
        cast(UnitOfWork, uow).ahead[(a.name, key)] = (
            rows[0][at + 1:at + 1 + len(a.columns)] if found else None)
        at += 1 + len(a.columns)
    if not with_returns:
        return rows[0][:width], None
    returns: dict[date, dict[str, str]] = {}
    for r in rows:
        month, partner, decision = r[width], r[width + 1], r[width + 2]
        if partner is not None:
            returns.setdefault(month, {})[partner] = decision
    return rows[0][:width], returns


def load_proposal(uow: UnitOfWork, proposal_id: int, *, with_returns: bool = False
                  ) -> ProposalRow | None:
    """:func:`find_proposal` in a unit of work: while it has no ORM session (a trigger on its
    connection alone), read on the connection and kept in ``uow.rows`` (read once; placed in
    the session if one is made later), the returns in ``uow.info``."""
    if uow.has_session:
        return find_proposal(uow.session, proposal_id, with_returns=with_returns)
    present = uow.rows.get((ProposalRow, proposal_id))
    if present is not None:
        return cast(ProposalRow, present)
    found = _read(uow.connection, proposal_id, with_returns, uow)
    if found is None:
        return None
    if found[1] is not None:
        uow.info[_RETURNS_KEY] = (proposal_id, found[1])
    row = uow.rows[(ProposalRow, proposal_id)] = _detached(found[0])
    return row


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
    found = _read(connection(session), proposal_id, with_returns)
    if found is None:
        return None
    if found[1] is not None:
        session.info[_RETURNS_KEY] = (proposal_id, found[1])
    return _placed(session, found[0])


def take_returns(session: OrmSession | UnitOfWork, proposal_id: int
                 ) -> dict[date, dict[str, str]] | None:
    """The gateway returns read with the proposal, once (None if they were not, or were
    forgotten since); kept in the session's info, or the unit of work's while it has none."""
    kept = session.info.pop(_RETURNS_KEY, None)
    if kept is not None and kept[0] == proposal_id:
        return cast(dict[date, dict[str, str]], kept[1])
    return None


def forget_returns(session: OrmSession | UnitOfWork) -> None:
    """Drop the returns read with a proposal (a return was written, or the trigger is done)."""
    session.info.pop(_RETURNS_KEY, None)
