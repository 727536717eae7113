"""Principals for tests that call services below the action pipeline."""

from __future__ import annotations

from decisions.principals import Principal


def as_principal(principal_id: str) -> Principal:
    """An admin principal with this id (the audit log records the id)."""
    return Principal(principal_id, principal_id, frozenset({"admin"}))


FULL_COVER = {"decisions_required": "Approve the recommendations",
              "key_points": "Demand and cost", "impacts": "Financial: within the budget",
              "sponsor": "Director of Adult Social Services",
              "presenter": "Head of Commissioning"}
"""A cover sheet with every field an item needs before it is submitted."""
COVER_ARGS = ("--decisions", FULL_COVER["decisions_required"],
              "--key-points", FULL_COVER["key_points"], "--impacts", FULL_COVER["impacts"],
              "--sponsor", FULL_COVER["sponsor"], "--presenter", FULL_COVER["presenter"])
"""The same as ``s75 item add`` options."""
