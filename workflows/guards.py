"""Named guards and effects for workflow definitions.

A *guard* is a plain function registered under a name that definitions refer to::

    @guard("all_partners_approved")
    def _approved(subject, facts, uow) -> str | None:
        return None            # met
        return "Heads of terms needs approval from NHS Bolton CCG (CCG Board)"  # unmet, in words

An *effect* runs after the new state is written, in the same transaction, and may return extra
data for the event (e.g. due dates the scheduler needs)::

    @effect("start_shadow")
    def _start(subject, facts, uow) -> Mapping[str, Any] | None: ...

Areas register their guards and effects in their own modules and name those modules in the
definition's ``modules`` list, so the loader can import them before checking the names.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from workflows.events import UnitOfWork

GuardFn = Callable[[Any, Mapping[str, Any], "UnitOfWork"], "str | None"]
EffectFn = Callable[[Any, Mapping[str, Any], "UnitOfWork"], "Mapping[str, Any] | None"]

GUARDS: dict[str, GuardFn] = {}
EFFECTS: dict[str, EffectFn] = {}

G = TypeVar("G", bound=GuardFn)
E = TypeVar("E", bound=EffectFn)


def guard(name: str) -> Callable[[G], G]:
    """Register ``fn`` as the guard ``name`` (re-registering the same name replaces it)."""

    def register(fn: G) -> G:
        GUARDS[name] = fn
        return fn

    return register


def effect(name: str) -> Callable[[E], E]:
    """Register ``fn`` as the effect ``name``."""

    def register(fn: E) -> E:
        EFFECTS[name] = fn
        return fn

    return register


@guard("reason_given")
def _reason_given(subject: Any, facts: Mapping[str, Any], uow: UnitOfWork) -> str | None:
    if str(facts.get("reason") or "").strip():
        return None
    return "a reason (--reason, or the fact 'reason')"
