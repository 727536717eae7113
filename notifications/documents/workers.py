"""How many processes render a pack's parts: the free cores, and whether the work is worth
splitting at all (plain functions; :class:`~notifications.documents.pack.Renderer` asks them
before every round of rendering)."""

from __future__ import annotations

import os
from collections.abc import Sequence


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def free_cores(total: int | None = None, load: float | None = None) -> int:
    """The cores not already busy: the usable cores less the 1-minute load average (of which
    this process, about to render, is one), at least 1. Parallel rendering costs more CPU in
    all than one go; on busy cores it only loses, so the pool is sized by this."""
    total = cores() if total is None else total
    if load is None:
        try:
            load = os.getloadavg()[0]
        except OSError:  # pragma: no cover - no load average on this system
            return total
    return max(1, min(total, int(total - max(load - 1.0, 0.0) + 0.5)))


PARALLEL_MIN_WORK = 30_000
"""Characters of HTML (about 10 pages) below which a pool costs more than it saves: starting
workers and sending the parts back and forth is some 0.1-0.3 s of CPU, a fourth of the whole
render of a 4-page pack."""
PARALLEL_MIN_GAIN = 1.3
"""The least speed-up the split can give (the work over its longest job) worth a pool."""


def parallel_workers(sizes: Sequence[int], workers: int, free: int) -> int:
    """How many worker processes to render jobs of these ``sizes`` on (1: in this process,
    one after another, no pool). Parallel only pays when there is enough work, it splits
    (no job holds most of it) and at least two cores are free: otherwise the pool's start-up
    and the parts' round trips are CPU spent for no gain, or a loss where cores are busy."""
    n = min(workers, free, len(sizes))
    if n < 2:
        return 1
    total = sum(sizes)
    if total < PARALLEL_MIN_WORK or total < PARALLEL_MIN_GAIN * max(sizes):
        return 1
    return n
