"""One workflow trigger fired on many rows of one table as a set (the accepted items of an
agenda when it is published): each row is checked as :func:`workflows.engine.fire` checks it
(the trigger defined from its state, every guard), then one versioned UPDATE for them all
(an executemany: each row's own version is compared, so a row changed since it was loaded is
refused as fire refuses it), their effects, and their events appended to the audit chain in
one batch (:func:`workflows.audit.append_events`, the same chain as one by one) before each
event is handed to its subscribers, in order.

A row the trigger cannot take (no transition from its state, a guard unmet) is handed to
:func:`~workflows.engine.fire` itself, so the refusal is word for word the one a single
trigger gives.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm.attributes import set_committed_value

from decisions.errors import ConflictError
from workflows.definition import WorkflowDefinition, load_definition
from workflows.engine import describe, fire, merged_facts, unmet_guards
from workflows.events import TRANSITION_EVENTS, DomainEvent, SubjectMoved, UnitOfWork
from workflows.guards import EFFECTS
from workflows.machine import next_state, transition
from workflows.prepared import Prepared

_UPDATES: dict[type, Prepared] = {}


def _versioned_update(table: type) -> Prepared:
    """The versioned UPDATE of ``table``'s rows, a prepared statement built once per table."""
    stmt = _UPDATES.get(table)
    if stmt is None:
        t = cast(Any, table).__table__
        stmt = _UPDATES[table] = Prepared(
            update(t).where(t.c.id == bindparam("row_id"), t.c.version == bindparam("old_version"))
            .values(state=bindparam("new_state"), version=bindparam("new_version")))
    return stmt


def fire_all(uow: UnitOfWork, subjects: Sequence[Any], definition: str | WorkflowDefinition,
             trigger: str, facts: Mapping[str, Any] | None,
             event_data: Callable[[Any], Mapping[str, Any]]) -> list[str]:
    """Fire ``trigger`` with ``facts`` on every row of ``subjects`` (rows of one table with
    ``id``, ``state`` and ``version``); ``event_data(row)`` gives each event's fields, as
    ``fire``'s ``event_data``. Returns the new states, in order."""
    defn = definition if isinstance(definition, WorkflowDefinition) else load_definition(
        definition)
    todo: list[tuple[Any, str, str, dict[str, Any], tuple[str, ...]]] = []
    dests: dict[str, str | None] = {}
    out: list[str] = []
    for s in subjects:
        state = str(s.state)
        taken = transition(defn, trigger, state)
        merged = merged_facts(s, facts)
        if state not in dests:
            dests[state] = next_state(defn, state, trigger)
        dest = dests[state]
        if taken is None or dest is None or unmet_guards(uow, s, taken, merged):
            # Refused: fire words the refusal (and were it to pass, the row is moved alone).
            out.append(fire(uow, s, defn, trigger, facts, event_data=event_data(s)))
            continue
        todo.append((s, state, dest, merged, taken.effects))
        out.append(dest)
    if not todo:
        return out
    table = type(todo[0][0])
    params = [{"row_id": s.id, "old_version": int(s.version), "new_state": dest,
               "new_version": int(s.version) + 1} for s, _, dest, _, _ in todo]
    conn, stmt = uow.connection, _versioned_update(table)
    if len(params) > 1 and not conn.dialect.supports_sane_multi_rowcount:  # pragma: no cover
        changed = sum(stmt.execute(conn, p).rowcount for p in params)
    elif len(params) == 1:
        changed = stmt.execute(conn, params[0]).rowcount
    else:
        changed = stmt.execute_many(conn, params)
    if changed != len(params):
        _conflict(uow, todo, defn)
    for s, _, dest, _, _ in todo:  # a mapped row's as loaded; a plain row's attributes
        mapped = hasattr(s, "_sa_instance_state")
        for name, value in (("state", dest), ("version", int(s.version) + 1)):
            if mapped:
                set_committed_value(s, name, value)
            else:
                setattr(s, name, value)
    events: list[DomainEvent] = []
    event_type = TRANSITION_EVENTS.get(defn.name)
    for s, state, dest, merged, effect_names in todo:
        effects: dict[str, Any] = {}
        for name in effect_names:
            extra = EFFECTS[name](s, merged, uow)
            if extra:
                effects.update(extra)
        renders = defn.states[dest].renders
        if event_type is None:
            events.append(SubjectMoved(
                workflow_prefix=defn.event_prefix, subject_kind=defn.subject.replace(" ", "_"),
                subject_ref=s.id, trigger=trigger, from_state=state, to_state=dest,
                facts=dict(facts or {}), renders=renders,
                extra={**event_data(s), **effects}))
        else:
            fields: dict[str, Any] = {event_type.subject_field: s.id, **event_data(s)}
            events.append(event_type(trigger=trigger, from_state=state, to_state=dest,
                                     facts=dict(facts or {}), renders=renders, extra=effects,
                                     **fields))
    emit_all(uow, events)
    return out


def _conflict(uow: UnitOfWork, todo: Sequence[tuple[Any, str, str, Any, Any]],
              defn: WorkflowDefinition) -> None:
    """Name the rows changed by someone else since they were loaded (as fire does)."""
    t = cast(Any, type(todo[0][0])).__table__
    now: dict[Any, Any] = dict(uow.session.connection().execute(
        select(t.c.id, t.c.version).where(t.c.id.in_([s.id for s, *_ in todo]))).all())
    stale = [(s, state) for s, state, *_ in todo if now.get(s.id) != int(s.version)]
    s, state = stale[0] if stale else (todo[0][0], todo[0][1])
    raise ConflictError(
        f"{describe(s, defn)} was changed by someone else since you loaded it (it is no "
        f"longer version {int(s.version)} in {state!r}); reload it and try again")


def emit_all(uow: UnitOfWork, events: Sequence[DomainEvent]) -> None:
    """:meth:`UnitOfWork.emit` for several events: their audit events appended in one batch,
    then each handed to its subscribers in order."""
    from workflows.audit import append_events

    rows = []
    for event in events:
        before, after = event.states()
        payload = event.payload()
        if uow.entered_at is not None:
            payload["back_entry"] = {"entered_at": uow.entered_at.isoformat(),
                                     "as_of": uow.now.isoformat()}
        rows.append({"at": uow.now, "actor": uow.principal.id,
                     "subject_type": event.audit_subject_type(),
                     "subject_id": event.subject_id, "action": event.action,
                     "from_state": before, "to_state": after, "payload": payload})
    append_events(uow.session, rows)
    for event in events:
        uow.bus.publish(uow, event)
