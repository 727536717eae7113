"""Wiring: which handlers hear which domain events. The one place the layers are joined.

Each area exposes ``install(bus: EventBus) -> None`` and subscribes its handlers to event
types (notifications: deadlines and outbox messages; documents: packs, minutes, notices).
Subscribing to anything but a declared event type fails here, when the bus is built.
"""

from __future__ import annotations

from notifications import clearance_messages, planner, planner_proposals
from notifications.documents import circulate, minutes_issue, produce
from s75.web import board_summary, subscriptions
from s75.web.members import alerts
from workflows.events import EventBus

INSTALLERS = (planner, planner_proposals, produce, minutes_issue, circulate,
              clearance_messages, subscriptions, alerts, board_summary)


def build_bus() -> EventBus:
    bus = EventBus()
    for module in INSTALLERS:
        module.install(bus)
    return bus
