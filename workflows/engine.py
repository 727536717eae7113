"""The generic workflow engine: apply a trigger to any row with ``id``, ``state``, ``version``.

``fire`` checks that the trigger is defined from the row's state (by the definition's shared
``transitions.Machine``) and that every guard is met, then writes the new state with an
optimistic version check, runs the transition's effects and emits ``<prefix>.<trigger>``
(which appends the audit event and notifies subscribers), all in the caller's transaction.

Who may fire a trigger is not checked here: ``fire`` is called by actions (workflows/actions.py
and each area's actions), whose permission the pipeline checks on every call; a transition's
``actors`` are the roles an action firing it requires (:func:`transition_permission`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from sqlalchemy import bindparam, update
from sqlalchemy.orm.attributes import set_committed_value

from decisions.errors import ConflictError, RuleRefused
from decisions.principals import Permission
from workflows.definition import TransitionDef, WorkflowDefinition, load_definition
from workflows.events import TRANSITION_EVENTS, SubjectMoved, UnitOfWork
from workflows.guards import EFFECTS, GUARDS
from workflows.machine import next_state, transition, triggers_from
from workflows.prepared import Prepared

_UPDATES: dict[type, Prepared] = {}


def _versioned_update(table: type) -> Prepared:
    """``UPDATE <table> SET state, version WHERE id AND version``, built once per table (a Core
    statement: the row's new state and version are then set on the loaded object without the
    ORM's unit of work)."""
    stmt = _UPDATES.get(table)
    if stmt is None:
        t = cast(Any, table).__table__
        stmt = _UPDATES[table] = Prepared(
            update(t).where(t.c.id == bindparam("row_id"), t.c.version == bindparam("old_version"))
            .values(state=bindparam("new_state"), version=bindparam("new_version")))
    return stmt


def _defn(definition: str | WorkflowDefinition) -> WorkflowDefinition:
    return definition if isinstance(definition, WorkflowDefinition) else load_definition(
        definition)


def describe(subject: Any, definition: str | WorkflowDefinition) -> str:
    """How messages name the subject: ``proposal 3 'Expand the pool'``."""
    defn = _defn(definition)
    title = getattr(subject, "title", None)
    return f"{defn.subject} {subject.id}" + (f" {title!r}" if title else "")


def merged_facts(subject: Any, facts: Mapping[str, Any] | None) -> dict[str, Any]:
    """The row's own ``facts`` (if it has a dict of them) overlaid with the call's facts."""
    own = getattr(subject, "facts", None)
    out: dict[str, Any] = dict(own) if isinstance(own, dict) else {}
    out.update(facts or {})
    return out


def unmet_guards(uow: UnitOfWork, subject: Any, transition: TransitionDef,
                 facts: Mapping[str, Any]) -> list[str]:
    """Each unmet guard of ``transition``, in words, in the order the definition lists them (a
    guard may return several conditions, one per line)."""
    unmet: list[str] = []
    for name in transition.guards:
        reason = GUARDS[name](subject, facts, uow)
        if reason:
            unmet.extend(line for line in reason.splitlines() if line.strip())
    return unmet


def allowed_triggers(subject: Any, definition: str | WorkflowDefinition,
                     uow: UnitOfWork | None = None,
                     facts: Mapping[str, Any] | None = None) -> list[str]:
    """Triggers defined from the subject's state; with ``uow``, only those whose guards are met
    now."""
    defn = _defn(definition)
    triggers = triggers_from(defn, subject.state)
    if uow is None:
        return triggers
    merged = merged_facts(subject, facts)
    out = []
    for trig in triggers:
        t = transition(defn, trig, subject.state)
        if t is not None and not unmet_guards(uow, subject, t, merged):
            out.append(trig)
    return out


def _annotated(uow: UnitOfWork, subject: Any, defn: WorkflowDefinition,
               facts: Mapping[str, Any] | None) -> str:
    """The triggers from the subject's state, each with what it still needs, if anything."""
    parts = []
    merged = merged_facts(subject, facts)
    for trig in triggers_from(defn, subject.state):
        t = transition(defn, trig, subject.state)
        unmet = unmet_guards(uow, subject, t, merged) if t is not None else []
        parts.append(trig + (f" (needs: {'; '.join(unmet)})" if unmet else ""))
    return ", ".join(parts) if parts else "none (it is a final state)"


def transition_permission(definition: str | WorkflowDefinition, trigger: str, state: str,
                          default: Permission) -> Permission:
    """The roles that may fire ``trigger`` from ``state``: the transition's ``actors`` (or, if
    the trigger cannot be fired from there, those of every transition it names, so that the
    workflow's refusal follows the permission check); ``default`` when none are declared."""
    defn = _defn(definition)
    found = transition(defn, trigger, state)
    if found is not None:
        actors = found.actors
    else:
        actors = tuple(dict.fromkeys(a for t in defn.transitions if t.trigger == trigger
                                     for a in t.actors))
    return Permission(actors) if actors else default


def fire(uow: UnitOfWork, subject: Any, definition: str | WorkflowDefinition, trigger: str,
         facts: Mapping[str, Any] | None = None, *,
         event_data: Mapping[str, Any] | None = None) -> str:
    """Apply ``trigger`` to ``subject`` (a row with ``id``, ``state``, ``version``); return the
    new state.

    Raises :class:`RuleRefused` naming the subject, its state, the trigger, the triggers defined
    from that state and each unmet guard in words; :class:`ConflictError` if the row changed in
    the database since ``subject`` was loaded (its ``version`` no longer matches).
    """
    defn = _defn(definition)
    rule = f"the {defn.name} workflow"
    state = str(subject.state)

    def allowed() -> str:
        here = triggers_from(defn, state)
        return ", ".join(here) if here else "none (it is a final state)"

    taken = transition(defn, trigger, state)
    if taken is None and trigger not in defn.triggers:
        raise RuleRefused(rule, f"{trigger!r} is not a trigger of the {defn.name} workflow; "
                                f"{describe(subject, defn)} is {state!r}, where the triggers "
                                f"are: {allowed()}")
    if taken is None:
        raise RuleRefused(rule, f"{describe(subject, defn)} is {state!r}, where {trigger!r} "
                                "cannot be fired; triggers allowed now: "
                                f"{_annotated(uow, subject, defn, facts)}")
    merged = merged_facts(subject, facts)
    unmet = unmet_guards(uow, subject, taken, merged)
    if unmet:
        lines = "".join(f"\n  - {u}" for u in unmet)
        raise RuleRefused(rule, f"{describe(subject, defn)} is {state!r}; {trigger!r} "
                                f"needs:{lines}\nTriggers defined from {state!r}: {allowed()}")
    dest = next_state(defn, state, trigger)
    if dest is None:  # pragma: no cover - the definition and the machine agree by construction
        raise RuleRefused(rule, f"{describe(subject, defn)} is {state!r}, where {trigger!r} "
                                "cannot be fired")

    version = int(subject.version)
    result = _versioned_update(type(subject)).execute(uow.connection, {
        "row_id": subject.id, "old_version": version, "new_state": dest,
        "new_version": version + 1})
    if result.rowcount != 1:
        raise ConflictError(
            f"{describe(subject, defn)} was changed by someone else since you loaded it (it is "
            f"no longer version "
            f"{version} in {state!r}); reload it and try again")
    set_committed_value(subject, "state", dest)
    set_committed_value(subject, "version", version + 1)

    renders = defn.states[dest].renders
    effects: dict[str, Any] = {}
    for name in taken.effects:
        extra = EFFECTS[name](subject, merged, uow)
        if extra:
            effects.update(extra)
    event_type = TRANSITION_EVENTS.get(defn.name)
    if event_type is None:
        uow.emit(SubjectMoved(workflow_prefix=defn.event_prefix,
                              subject_kind=defn.subject.replace(" ", "_"),
                              subject_ref=subject.id, trigger=trigger, from_state=state,
                              to_state=dest, facts=dict(facts or {}), renders=renders,
                              extra={**(event_data or {}), **effects}))
        return dest
    fields: dict[str, Any] = {event_type.subject_field: subject.id, **(event_data or {})}
    uow.emit(event_type(trigger=trigger, from_state=state, to_state=dest,
                        facts=dict(facts or {}), renders=renders, extra=effects, **fields))
    return dest
