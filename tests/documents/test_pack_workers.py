"""The pack's worker count follows the free cores (the load average), never below one, and
the size of the work: too little or unsplittable work renders in this process."""

from __future__ import annotations

from notifications.documents.pack import (
    MemoryCache,
    Renderer,
    build_pack,
    free_cores,
    parallel_workers,
)
from notifications.documents.samples import large_pack


def test_idle_cores_are_all_used() -> None:
    assert free_cores(2, 0.0) == 2
    assert free_cores(2, 1.0) == 2  # the one busy process is this one, about to render
    assert free_cores(8, 2.6) == 6


def test_busy_cores_leave_one_process_rendering_in_one_go() -> None:
    assert free_cores(2, 2.0) == 1
    assert free_cores(2, 6.7) == 1
    assert free_cores(1, 0.0) == 1


def test_small_or_unsplittable_work_renders_in_this_process() -> None:
    # The 4-page pack: one report and the provisional agenda (too little for a pool).
    assert parallel_workers([7_189, 1_644], workers=2, free=2) == 1
    # One job holds most of the work: splitting gains little.
    assert parallel_workers([90_000, 5_000], workers=2, free=2) == 1
    assert parallel_workers([50_000], workers=2, free=2) == 1


def test_enough_split_work_uses_the_free_cores() -> None:
    sizes = [15_145, 23_385] * 3 + [2_641]
    assert parallel_workers(sizes, workers=2, free=2) == 2
    assert parallel_workers(sizes, workers=8, free=3) == 3
    assert parallel_workers(sizes, workers=2, free=1) == 1  # cores busy: in one process


def test_renderer_records_its_choice() -> None:
    view = large_pack(1, 1)
    with Renderer(MemoryCache(), workers=2) as r:
        build_pack(view, r)
        assert r.decisions and all(used == 1 for _jobs, used in r.decisions)
        assert r._pool is None  # no worker process was started for a 4-page pack
