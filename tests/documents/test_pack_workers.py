"""The pack's worker count follows the free cores (the load average), never below one."""

from __future__ import annotations

from notifications.documents.pack import free_cores


def test_idle_cores_are_all_used() -> None:
    assert free_cores(2, 0.0) == 2
    assert free_cores(2, 1.0) == 2  # the one busy process is this one, about to render
    assert free_cores(8, 2.6) == 6


def test_busy_cores_leave_one_process_rendering_in_one_go() -> None:
    assert free_cores(2, 2.0) == 1
    assert free_cores(2, 6.7) == 1
    assert free_cores(1, 0.0) == 1
