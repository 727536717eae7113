"""Plain-data fixtures for the committee rules: the default Bolton config and the calendar."""

from __future__ import annotations

import pytest

from decisions.calendar import WorkingCalendar


@pytest.fixture(scope="session")
def cal() -> WorkingCalendar:
    return WorkingCalendar()
