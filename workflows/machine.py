"""One ``transitions.Machine`` per workflow definition (not per row), and its Mermaid diagram.

The machine has no models attached (SQLModel rows cannot carry trigger attributes): to move a
subject we fire ``machine.events[trigger]`` on a throwaway token that carries only ``state``.
Guards are checked by the engine before, and the database write happens after, so nothing in
a callback can leave a half-changed row (DESIGN.md §6).
"""

from __future__ import annotations

from dataclasses import dataclass

from transitions import Machine, MachineError

from workflows.definition import WorkflowDefinition

_MACHINES: dict[WorkflowDefinition, Machine] = {}


@dataclass
class _Token:
    state: str


def machine_for(defn: WorkflowDefinition) -> Machine:
    """The shared machine of ``defn``, built once."""
    machine = _MACHINES.get(defn)
    if machine is None:
        machine = Machine(
            model=None, states=list(defn.states), initial=defn.initial,
            transitions=[{"trigger": t.trigger, "source": list(t.sources), "dest": t.dest}
                         for t in defn.transitions],
            auto_transitions=False, send_event=False, name=defn.name,
        )
        _MACHINES[defn] = machine
    return machine


def next_state(defn: WorkflowDefinition, state: str, trigger: str) -> str | None:
    """Where ``trigger`` takes a subject in ``state``, per the machine; None if it cannot."""
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
