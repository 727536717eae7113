"""Wiring: which handlers hear which domain events. The one place the layers are joined.

Each optional area exposes ``install(bus: EventBus) -> None`` and subscribes its handlers
(notifications: deadlines and outbox messages; documents: packs, minutes, notices).
"""

from __future__ import annotations

import importlib

from workflows.events import EventBus

INSTALLERS = (
    "notifications.planner",
    "notifications.planner_proposals",
    "notifications.documents.produce",
)


def build_bus() -> EventBus:
    bus = EventBus()
    for name in INSTALLERS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.install(bus)
    return bus
