"""Principals for tests that call services below the action pipeline."""

from __future__ import annotations

from decisions.principals import Principal


def as_principal(principal_id: str) -> Principal:
    """An admin principal with this id (the audit log records the id)."""
    return Principal(principal_id, principal_id, frozenset({"admin"}))
