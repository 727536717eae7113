"""The scheme of delegation (file 002): a body may commit money up to its ``delegated_limit``;
a decision above it goes to every partner's sovereign body."""

from __future__ import annotations

from decimal import Decimal

from decisions.terms import Body, LocalityConfig


def pounds(amount: Decimal) -> str:
    """£20,000,000 style."""
    return f"£{amount:,.0f}" if amount == amount.to_integral_value() else f"£{amount:,.2f}"


def within_delegation(body: Body, amount: Decimal | None) -> bool:
    """True when the body may take the decision itself: no money involved, no limit set, or the
    amount within the limit."""
    if amount is None or body.delegated_limit is None:
        return True
    return amount <= body.delegated_limit


def delegation_route(cfg: LocalityConfig, body: Body, amount: Decimal | None) -> list[str]:
    """Body ids that must take the decision: ``[body.id]`` within delegation, else every
    pooling partner's sovereign body (in the body's partner order)."""
    if within_delegation(body, amount):
        return [body.id]
    route: list[str] = []
    for pid in (p for p in body.partners if cfg.pools(p)):
        sid = cfg.sovereign_body_of(pid).id
        if sid not in route:
            route.append(sid)
    return route


def delegation_message(cfg: LocalityConfig, body: Body, amount: Decimal | None) -> str:
    """A sentence for the report and the minutes saying who decides and why."""
    if amount is None:
        return f"No money is committed, so {body.name} may decide."
    if body.delegated_limit is None:
        return f"{body.name} has no delegated limit, so it may commit {pounds(amount)}."
    if within_delegation(body, amount):
        return (f"{pounds(amount)} is within {body.name}'s delegated limit of "
                f"{pounds(body.delegated_limit)}, so it may decide.")
    names = " and ".join(cfg.body_by_id(b).name for b in delegation_route(cfg, body, amount))
    return (f"{pounds(amount)} is above {body.name}'s delegated limit of "
            f"{pounds(body.delegated_limit)} under the scheme of delegation, so the decision "
            f"goes to {names}.")
