"""Who acts and what they may do: principals, their roles, and the permission rule.

A *principal* is whoever performs an action: a member of the locality (by id, from the
configuration), later also a web account tied to a member, or the engine itself (the scheduler).
Roles come from the configuration (README, configuration reference):

- ``admin`` (``member.roles``): may perform every action;
- ``programme_director`` (``member.roles``): the proposal lifecycle, gateways, the agreement;
- ``report_author`` (``member.roles``): drafts and submits agenda items' reports;
- ``finance_officer``, ``legal_officer`` (``member.roles``): clear reports for the bodies whose
  terms ask for it (``[[body]] clearance``; workflows/committee/clearance.py);
- ``secretary`` of a body (``member.secretary_of``): that body's meetings, agendas, attendance,
  decisions, minutes and actions;
- ``member`` of a body (``member.bodies``): declares their own interests at its meetings.

Every action declares the :class:`Permission` it needs; the engine checks it on every call with
:func:`permits` and, when refused, raises with :func:`refusal` (plain functions, no I/O).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from decisions.errors import NotFound, S75Error
from decisions.terms import LocalityConfig, Member

GLOBAL_ROLES = ("admin", "programme_director", "report_author", "finance_officer",
                "legal_officer")
"""Roles a member holds everywhere (``member.roles``)."""
BODY_ROLES = ("secretary", "member")
"""Roles held for particular bodies (``member.secretary_of``, ``member.bodies``)."""
ROLES = (*GLOBAL_ROLES, *BODY_ROLES)
SELF = "self"
"""A pseudo-role: the principal is the member the action is about (their own interest)."""

_ROLE_WORDS = {
    "admin": "an admin",
    "programme_director": "the programme director",
    "report_author": "a report author",
    "finance_officer": "a finance officer",
    "legal_officer": "a legal officer",
}


class PermissionRefused(S75Error):
    """The principal may not perform the action (CLI exit 2; HTTP 403 on the web)."""


@dataclass(frozen=True)
class Principal:
    id: str
    name: str
    roles: frozenset[str] = frozenset()
    secretary_of: frozenset[str] = frozenset()
    member_of: frozenset[str] = frozenset()
    partner: str | None = None
    kind: Literal["member", "account", "system"] = "member"
    display: str = ""
    """The person as a reader knows them ("Cllr Amir Hussain, Executive Member for Adults")."""
    body_names: tuple[tuple[str, str], ...] = ()
    """(body id, name) of the locality's bodies, for messages in names."""

    def describe(self) -> str:
        return self.display or self.name

    def _bodies(self, ids: Iterable[str]) -> str:
        names = dict(self.body_names)
        shown = [f"the {names[b]}" if b in names else b for b in sorted(ids)]
        return ", ".join(shown[:-1]) + " and " + shown[-1] if len(shown) > 1 else shown[0]

    def holds(self) -> str:
        """The roles held, in words: ``secretary of the Joint Commissioning Committee; a
        member of the Council Cabinet and the Joint Commissioning Committee``."""
        parts = [r.replace("_", " ") for r in GLOBAL_ROLES if r in self.roles]
        if self.secretary_of:
            parts.append("secretary of " + self._bodies(self.secretary_of))
        if self.member_of:
            parts.append("a member of " + self._bodies(self.member_of))
        return "; ".join(parts) if parts else "no role"


SYSTEM = Principal("scheduler", "the s75 scheduler", frozenset({"admin"}), kind="system")
"""The engine acting on its own (deadlines reached, agendas published at the deadline)."""
VIEWER = Principal("viewer", "a reader", kind="system")
"""Who reads: holds no role, so any action attempted as it is refused."""


@dataclass(frozen=True)
class Permission:
    """The roles any one of which allows an action (an admin always may)."""

    roles: tuple[str, ...]

    def __post_init__(self) -> None:
        unknown = [r for r in self.roles if r not in ROLES and r != SELF]
        if unknown:  # a programming error in an action's declaration
            raise ValueError(f"unknown roles {unknown}; expected {[*ROLES, SELF]}")


SECRETARY = Permission(("secretary",))
PROGRAMME_DIRECTOR = Permission(("programme_director",))


@dataclass(frozen=True)
class Scope:
    """What an action is about, for the check and the message."""

    what: str
    """In words: ``item 12 'Winter beds' (Joint Commissioning Committee, 13 Nov 2019)``."""
    bodies: tuple[str, ...] = ()
    """The bodies whose secretary (or member) may act on it."""
    member: str | None = None
    """The member the action concerns, for :data:`SELF`."""
    body_names: dict[str, str] = field(default_factory=dict, compare=False)
    member_name: str = field(default="", compare=False)
    """The member in words, for the refusal ("Lynn Donkin, Director of ...")."""


def permits(p: Principal, need: Permission, scope: Scope) -> bool:
    if "admin" in p.roles:
        return True
    bodies = set(scope.bodies)
    for role in need.roles:
        if role in GLOBAL_ROLES and role in p.roles:
            return True
        if role == "secretary" and p.secretary_of & bodies:
            return True
        if role == "member" and p.member_of & bodies:
            return True
        if role == SELF and scope.member is not None and scope.member == p.id:
            return True
    return False


def _who(need: Permission, scope: Scope) -> str:
    names = [scope.body_names.get(b, b) for b in scope.bodies]
    of = " or ".join(f"the {n}" if n != b else b for n, b in zip(names, scope.bodies,
                                                               strict=True))
    words: list[str] = []
    for role in need.roles:
        if role in _ROLE_WORDS:
            words.append(_ROLE_WORDS[role])
        elif role == "secretary":
            words.append(f"the secretary of {of}" if of else "a body's secretary")
        elif role == "member":
            words.append(f"a member of {of}" if of else "a member of the body")
        elif role == SELF and scope.member:
            words.append(f"{scope.member_name or scope.member} themself")
    words.append(_ROLE_WORDS["admin"])
    unique = list(dict.fromkeys(words))
    return ", ".join(unique[:-1]) + " or " + unique[-1] if len(unique) > 1 else unique[0]


def refusal(action: str, p: Principal, need: Permission, scope: Scope) -> str:
    """The refusal in words: the action, the principal, and which role may do it."""
    return (f"permission refused: {action} on {scope.what} may be done by {_who(need, scope)}; "
            f"{p.describe()}{',' if ',' in p.describe() else ''} is {p.holds()}")


def require(action: str, p: Principal, need: Permission, scope: Scope) -> None:
    if not permits(p, need, scope):
        raise PermissionRefused(refusal(action, p, need, scope))


# From the configuration -------------------------------------------------------------------------
def principal_of(member: Member, cfg: LocalityConfig | None = None) -> Principal:
    return Principal(member.id, member.name, frozenset(member.roles),
                     frozenset(member.secretary_of), frozenset(member.bodies), member.partner,
                     display=member.display,
                     body_names=tuple((b.id, b.name) for b in cfg.body) if cfg else ())


def find_principal(cfg: LocalityConfig, principal_id: str, source: str = "principal") -> Principal:
    """The configured principal ``principal_id``, or NotFound listing the known ones."""
    for m in cfg.member:
        if m.id == principal_id:
            return principal_of(m, cfg)
    raise NotFound(f"{source}: {principal_id!r} is not a principal of {cfg.locality.name}; "
                   f"expected one of: {', '.join(sorted(m.id for m in cfg.member))}")


def operator(cfg: LocalityConfig) -> Principal:
    """The locality's operator (``[locality] operator``): who acts when nobody is named."""
    if cfg.locality.operator is None:
        raise NotFound("no principal given: name one with --as / S75_AS, or set "
                       "[locality] operator in the config to an admin member; expected one of: "
                       f"{', '.join(sorted(m.id for m in cfg.member))}")
    return find_principal(cfg, cfg.locality.operator, "[locality] operator")


def secretaries_of(cfg: LocalityConfig, body_id: str) -> list[Member]:
    return [m for m in cfg.member if body_id in m.secretary_of]


def with_role(cfg: LocalityConfig, role: str) -> Iterable[Member]:
    return (m for m in cfg.member if role in m.roles)
