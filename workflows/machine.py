"""One ``transitions.Machine`` per workflow definition (not per row): the one transition table.

Every question about the table is answered here, from the machine: which transition a trigger
takes from a state (:func:`transition`), which triggers leave a state (:func:`triggers_from`),
where a trigger leads (:func:`next_state`). Each machine transition is a :class:`Defined`,
carrying the definition's guards, effects, actors and label, so nothing beside the machine
indexes the transitions again.

The machine has no models attached (SQLModel rows cannot carry trigger attributes): to move a
subject we fire ``machine.events[trigger]`` on a throwaway token that carries only ``state``.
Guards are checked by the engine before, and the database write happens after, so nothing in
a callback can leave a half-changed row (DESIGN.md §6).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from transitions import Machine, MachineError, Transition

from workflows.definition import TransitionDef, WorkflowDefinition

_MACHINES: dict[WorkflowDefinition, Machine] = {}
_FROM: dict[tuple[WorkflowDefinition, str], list[Defined]] = {}
_NEXT: dict[tuple[WorkflowDefinition, str, str], str | None] = {}
"""What the machine answered, remembered: a definition and its machine never change once
built (a definition file that changes is loaded as a new definition)."""


class Defined(Transition):
    """A machine transition carrying its definition (guards, effects, actors, label) and its
    position in the definition file."""

    def __init__(self, source: str, dest: str, *args: Any, spec: TransitionDef, order: int,
                 **kwargs: Any) -> None:
        super().__init__(source, dest, *args, **kwargs)
        self.spec = spec
        self.order = order


class DefinedMachine(Machine):
    transition_cls = Defined


@dataclass
class _Token:
    state: str


def machine_for(defn: WorkflowDefinition) -> Machine:
    """The shared machine of ``defn``, built once."""
    machine = _MACHINES.get(defn)
    if machine is None:
        machine = DefinedMachine(model=None, states=list(defn.states), initial=defn.initial,
                                 auto_transitions=False, send_event=False, name=defn.name)
        for i, t in enumerate(defn.transitions):
            machine.add_transition(t.trigger, list(t.sources), t.dest, spec=t, order=i)
        _MACHINES[defn] = machine
    return machine


def _defined(defn: WorkflowDefinition, state: str) -> list[Defined]:
    found = _FROM.get((defn, state))
    if found is None:
        machine = machine_for(defn)
        out: list[Defined] = []
        for event in machine.events.values():
            out.extend(cast(list[Defined], event.transitions.get(state, [])))
        found = _FROM[(defn, state)] = sorted(out, key=lambda t: t.order)
    return found


def transition(defn: WorkflowDefinition, trigger: str, state: str) -> TransitionDef | None:
    """The transition ``trigger`` takes from ``state``, or None if it has none."""
    event = machine_for(defn).events.get(trigger)
    if event is None:
        return None
    found = cast(list[Defined], event.transitions.get(state, []))
    return found[0].spec if found else None


def triggers_from(defn: WorkflowDefinition, state: str) -> list[str]:
    """Triggers defined from ``state``, in file order (guards not considered)."""
    return [t.spec.trigger for t in _defined(defn, state)]


def next_state(defn: WorkflowDefinition, state: str, trigger: str) -> str | None:
    """Where ``trigger`` takes a subject in ``state``, per the machine; None if it cannot."""
    key = (defn, state, trigger)
    if key not in _NEXT:
        _NEXT[key] = _fire_token(defn, state, trigger)
    return _NEXT[key]


def _fire_token(defn: WorkflowDefinition, state: str, trigger: str) -> str | None:
    machine = machine_for(defn)
    event = machine.events.get(trigger)
    if event is None or state not in machine.states:
        return None
    token = _Token(state)
    try:
        moved = event.trigger(token)
    except MachineError:
        return None
    return token.state if moved else None


def mermaid(defn: WorkflowDefinition) -> str:
    """The definition as a Mermaid ``stateDiagram-v2`` (guards shown in brackets)."""
    lines = ["stateDiagram-v2", f"    [*] --> {defn.initial}"]
    for st in defn.states.values():
        if st.label and st.label != st.name:
            lines.append(f"    {st.name} : {st.label}")
    for t in defn.transitions:
        label = t.trigger + (f" [{', '.join(t.guards)}]" if t.guards else "")
        for src in t.sources:
            lines.append(f"    {src} --> {t.dest} : {label}")
    for st in defn.states.values():
        if st.final:
            lines.append(f"    {st.name} --> [*]")
    return "\n".join(lines)
