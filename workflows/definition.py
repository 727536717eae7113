"""Workflow definitions as data: the validating loader.

A definition is a TOML file (shipped ones live in ``workflows/definitions/<name>.toml``)::

    name = "proposal"              # used by fire(..., "proposal", ...)
    subject = "proposal"           # how a row is named in messages: "proposal 3 'Title'"
    event_prefix = "proposal"      # events are "<event_prefix>.<trigger>"
    initial = "draft"
    modules = ["workflows.proposal.guards"]   # imported first: they register guards/effects

    [states.draft]
    label = "Draft"
    actors = ["programme_director"]   # who may act while a subject is in this state
    renders = "proposal_summary"       # document rendered on entry (optional)
    final = false

    [[transitions]]
    trigger = "submit"
    source = "draft"                   # a state or a list of states
    dest = "approval_in_principle"
    guards = ["scope_written"]         # named guards (workflows.guards registry)
    effects = []                       # named effects, run after the state is written
    actors = ["programme_director"]    # who may fire it (default: the source state's actors)

Every reference is checked and every problem reported at once, each naming the file, the key
path and the value (:class:`decisions.errors.ConfigError`).
"""

from __future__ import annotations

import importlib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from decisions.errors import ConfigError, NotFound
from decisions.principals import ROLES
from decisions.terms import ID_PATTERN, Problem
from workflows.guards import EFFECTS, GUARDS

DEFINITIONS_DIR = Path(__file__).parent / "definitions"


# Shape (pydantic) ------------------------------------------------------------------------------
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _StateSpec(_Strict):
    label: str = ""
    description: str = ""
    actors: tuple[str, ...] = ()
    renders: str | None = None
    final: bool = False
    side: bool = False
    """A side state (paused, stopped, withdrawn): drawn apart from the main line."""


class _TransitionSpec(_Strict):
    trigger: str = Field(pattern=ID_PATTERN)
    source: str | tuple[str, ...]
    dest: str
    guards: tuple[str, ...] = ()
    effects: tuple[str, ...] = ()
    actors: tuple[str, ...] | None = None
    label: str = ""
    description: str = ""


class _DefinitionSpec(_Strict):
    name: str = Field(pattern=ID_PATTERN)
    subject: str
    event_prefix: str = Field(pattern=ID_PATTERN)
    initial: str
    description: str = ""
    modules: tuple[str, ...] = ()
    states: dict[str, _StateSpec] = Field(min_length=1)
    transitions: tuple[_TransitionSpec, ...] = Field(min_length=1)


# The loaded definition ---------------------------------------------------------------------------
@dataclass(frozen=True)
class StateDef:
    name: str
    label: str
    description: str = ""
    actors: tuple[str, ...] = ()
    renders: str | None = None
    final: bool = False
    side: bool = False


@dataclass(frozen=True)
class TransitionDef:
    trigger: str
    sources: tuple[str, ...]
    dest: str
    guards: tuple[str, ...] = ()
    effects: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    label: str = ""
    description: str = ""


@dataclass(frozen=True)
class WorkflowDefinition:
    name: str
    source: str
    subject: str
    event_prefix: str
    initial: str
    states: Mapping[str, StateDef]
    transitions: tuple[TransitionDef, ...]
    description: str = ""
    modules: tuple[str, ...] = ()

    def __hash__(self) -> int:
        return hash((self.name, self.source))

    @property
    def triggers(self) -> list[str]:
        return list(dict.fromkeys(t.trigger for t in self.transitions))


# Loading -----------------------------------------------------------------------------------
_CACHE: dict[tuple[str, int], WorkflowDefinition] = {}


def definition_path(name_or_path: str | Path) -> Path:
    text = str(name_or_path)
    if text.endswith(".toml") or "/" in text or "\\" in text:
        return Path(text)
    path = DEFINITIONS_DIR / f"{text}.toml"
    if not path.exists():
        known = sorted(p.stem for p in DEFINITIONS_DIR.glob("*.toml"))
        raise NotFound(f"workflow {text!r} is not defined; the definitions are: {known}")
    return path


def available_definitions() -> list[str]:
    return sorted(p.stem for p in DEFINITIONS_DIR.glob("*.toml"))


_BY_NAME: dict[str, WorkflowDefinition] = {}
"""The package's own definitions by name, read once per process (they are part of the code; a
definition given by path is re-read whenever its file changes)."""


def load_definition(name_or_path: str | Path) -> WorkflowDefinition:
    """Load and validate a definition by name (``"proposal"``) or path; cached per file."""
    if isinstance(name_or_path, str) and name_or_path in _BY_NAME:
        return _BY_NAME[name_or_path]
    path = definition_path(name_or_path)
    try:
        st = path.stat()
        stamp = st.st_mtime_ns * 1_000_003 + st.st_size
    except OSError as exc:
        raise NotFound(f"workflow definition {str(path)!r} cannot be read: "
                       f"{exc.strerror}; expected a TOML file or one of "
                       f"{available_definitions()}") from None
    key = (str(path.resolve()), stamp)
    if key not in _CACHE:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(str(path), [f"not valid TOML: {exc}"]) from None
        except UnicodeDecodeError as exc:
            raise ConfigError(str(path), [f"not UTF-8 text (byte {exc.start}); expected a "
                                          "workflow definition in TOML, saved as UTF-8"]) from None
        except OSError as exc:
            raise NotFound(f"workflow definition {str(path)!r} cannot be read: "
                           f"{exc.strerror}; expected a TOML file or one of "
                           f"{available_definitions()}") from None
        _CACHE[key] = parse_definition(data, str(path))
    if isinstance(name_or_path, str) and path.parent == DEFINITIONS_DIR \
            and path.stem == name_or_path:
        _BY_NAME[name_or_path] = _CACHE[key]
    return _CACHE[key]


def _loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("str", "tuple[str, ...]") or "[" in str(part):
            continue
        else:
            out += f".{part}" if out else str(part)
    return out


def parse_definition(data: Mapping[str, Any], source: str = "definition") -> WorkflowDefinition:
    """Validate parsed TOML; raise :class:`ConfigError` listing every problem."""
    try:
        spec = _DefinitionSpec.model_validate(data)
    except ValidationError as exc:
        problems: list[Problem] = []
        seen: set[str] = set()
        for err in exc.errors():
            path = _loc(tuple(err["loc"]))
            if path in seen:
                continue
            seen.add(path)
            msg = {"missing": "this key is required",
                   "extra_forbidden": "unknown key; see docs/workflow.md"}.get(err["type"],
                                                                              err["msg"])
            problems.append(Problem(path, err.get("input") if err["type"] != "missing" else None,
                                    msg))
        raise ConfigError(source, problems) from None
    problems = _import_modules(spec)
    problems += _reference_problems(spec)
    if problems:
        raise ConfigError(source, problems)
    return _build(spec, source)


def _import_modules(spec: _DefinitionSpec) -> list[Problem]:
    problems = []
    for i, mod in enumerate(spec.modules):
        try:
            importlib.import_module(mod)
        except ImportError as exc:
            problems.append(Problem(f"modules[{i}]", mod,
                                    f"an importable module that registers guards ({exc})"))
    return problems


def _reference_problems(spec: _DefinitionSpec) -> list[Problem]:
    problems: list[Problem] = []
    states = list(spec.states)
    names = f"one of the states: {states}"
    for st in states:
        if not _is_id(st):
            problems.append(Problem(f"states.{st}", st, "a state name of lower-case letters, "
                                    "digits and underscores"))
    if spec.initial not in spec.states:
        problems.append(Problem("initial", spec.initial, f"expected {names}"))
    seen: dict[tuple[str, str], int] = {}
    outgoing: dict[str, list[str]] = {s: [] for s in states}
    for i, t in enumerate(spec.transitions):
        at = f"transitions[{i}]"
        sources = (t.source,) if isinstance(t.source, str) else t.source
        if not sources:
            problems.append(Problem(f"{at}.source", [], f"at least one state; expected {names}"))
        for j, src in enumerate(sources):
            where = f"{at}.source" + ("" if isinstance(t.source, str) else f"[{j}]")
            if src not in spec.states:
                problems.append(Problem(where, src, f"expected {names}"))
                continue
            if (src, t.trigger) in seen:
                problems.append(Problem(
                    f"{at}.trigger", t.trigger,
                    f"each trigger once per source state; transitions[{seen[(src, t.trigger)]}] "
                    f"already fires {t.trigger!r} from {src!r}"))
            seen[(src, t.trigger)] = i
            outgoing[src].append(t.dest)
        if t.dest not in spec.states:
            problems.append(Problem(f"{at}.dest", t.dest, f"expected {names}"))
        for j, g in enumerate(t.guards):
            if g not in GUARDS:
                problems.append(Problem(f"{at}.guards[{j}]", g,
                                        f"expected a registered guard: {sorted(GUARDS)}"))
        for j, e in enumerate(t.effects):
            if e not in EFFECTS:
                problems.append(Problem(f"{at}.effects[{j}]", e,
                                        f"expected a registered effect: {sorted(EFFECTS)}"))
        problems.extend(_actor_problems(f"{at}.actors", t.actors or ()))
    for st, spec_state in spec.states.items():
        problems.extend(_actor_problems(f"states.{st}.actors", spec_state.actors))
        if spec_state.final and outgoing.get(st):
            problems.append(Problem(f"states.{st}.final", True,
                                    "a final state has no transitions out of it"))
        if not spec_state.final and not outgoing.get(st):
            problems.append(Problem(f"states.{st}", st, "a dead end: add a transition out of it "
                                    "or mark it final = true"))
    if spec.initial in spec.states:
        reached = {spec.initial}
        todo = [spec.initial]
        while todo:
            for dest in outgoing.get(todo.pop(), []):
                if dest in spec.states and dest not in reached:
                    reached.add(dest)
                    todo.append(dest)
        for st in states:
            if st not in reached:
                problems.append(Problem(f"states.{st}", st,
                                        f"unreachable from the initial state {spec.initial!r}; "
                                        "add a transition into it or remove it"))
    return problems


def _actor_problems(at: str, actors: tuple[str, ...]) -> list[Problem]:
    """Actors are role names (decisions.principals.ROLES): the permission to fire a trigger."""
    return [Problem(f"{at}[{j}]", a, f"expected a role: one of {', '.join(ROLES)}")
            for j, a in enumerate(actors) if a not in ROLES]


def _is_id(text: str) -> bool:
    import re

    return re.match(ID_PATTERN, text) is not None


def _build(spec: _DefinitionSpec, source: str) -> WorkflowDefinition:
    states = {
        name: StateDef(name, s.label or name.replace("_", " ").capitalize(), s.description,
                       s.actors, s.renders, s.final, s.side)
        for name, s in spec.states.items()
    }
    transitions = []
    for t in spec.transitions:
        sources = (t.source,) if isinstance(t.source, str) else tuple(t.source)
        actors = t.actors if t.actors is not None else tuple(
            dict.fromkeys(a for s in sources for a in states[s].actors))
        td = TransitionDef(t.trigger, sources, t.dest, t.guards, t.effects, actors,
                           t.label or t.trigger.replace("_", " "), t.description)
        transitions.append(td)
    return WorkflowDefinition(spec.name, source, spec.subject, spec.event_prefix, spec.initial,
                              states, tuple(transitions), spec.description, spec.modules)
