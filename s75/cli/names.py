"""Names, not ids, in what a person reads on the command line: a table or a ``key value``
listing shows "Cllr Amir Hussain, Executive Member for Adults" and "Joint Commissioning
Committee" where ``--json`` carries ``exec_adults`` and ``jcc``. Plain functions over the
config; the commands call :func:`named` on their rows when not printing JSON."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from decisions.terms import LocalityConfig

PEOPLE = frozenset({
    "chair", "chair_due", "person", "substitute_for", "owner", "recorded", "member", "members",
    "by", "signed_by", "requested_by", "objections", "objection", "submitted_by", "actor",
    "declared_by", "secretary", "signatory", "signed_for", "fund_manager", "counted",
    "eligible", "consented_by", "condition_owner", "created_by", "corrected_by",
})
BODIES = frozenset({"body", "to_body", "from_body", "bodies", "decided_by_body",
                    "sovereign_body"})
PARTNERS = frozenset({"partner", "partners", "lead", "host", "to_partner"})
ACTIONS = {"to_note": "To note", "to_approve": "To approve", "for_decision": "For decision"}


def _lookup(cfg: LocalityConfig) -> dict[str, dict[str, str]]:
    return {"people": {m.id: m.display for m in cfg.member},
            "bodies": {b.id: b.name for b in cfg.body},
            "partners": {p.id: p.name for p in cfg.partner}}


def _word(value: Any, table: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        return table.get(value, value)
    if isinstance(value, list | tuple):
        return [_word(v, table) for v in value]
    return value


def named(cfg: LocalityConfig, data: Any, states: Mapping[str, str] | None = None) -> Any:
    """``data`` (a row, a list of rows, nested) with the ids of people, bodies and partners
    in known keys replaced by their names; with ``states``, state and stage ids by their
    labels too. Everything else is left as it is."""
    look = _lookup(cfg)
    if isinstance(data, list | tuple):
        return [named(cfg, x, states) for x in data]
    if not isinstance(data, Mapping):
        return data
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, Mapping | list) and value and \
                isinstance(value if isinstance(value, Mapping) else value[0], Mapping):
            out[key] = named(cfg, value, states)
        elif key in PEOPLE:
            out[key] = _word(value, look["people"])
        elif key in BODIES:
            out[key] = _word(value, look["bodies"])
        elif key in PARTNERS:
            out[key] = _word(value, {**look["partners"], **look["people"]}
                             if key == "lead" else look["partners"])
        elif key == "action":
            out[key] = _word(value, ACTIONS)
        elif states is not None and key in ("state", "stage", "from", "to"):
            out[key] = _word(value, states)
        else:
            out[key] = value
    return out


def stage_labels() -> dict[str, str]:
    """Proposal stages in words ("shadow_operation" -> "Shadow operation")."""
    from workflows.definition import load_definition

    return {s.name: s.label for s in load_definition("proposal").states.values()}


def person(cfg: LocalityConfig, member_id: str | None) -> str:
    """A member in words; a name typed for someone who is not a member stays as typed."""
    if not member_id:
        return ""
    return next((m.display for m in cfg.member if m.id == member_id), member_id)
