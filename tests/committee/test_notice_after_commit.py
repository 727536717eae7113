"""A corrected decision's notice, rendered after commit, on the command line with only the
workers rendering (``S75_RENDER_JOBS=background``, as under ``s75 serve``): ``decide`` and
``decision correct`` commit with the notices queued, not stored; the reissue waits while the
notice it supersedes is still being rendered (its worker died), so the versions are stored in
the order issued once the lease runs out; the correction then names both documents."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from decisions.terms import LocalityConfig
from notifications import render_jobs
from notifications.documents import jobs, store
from notifications.tables import RenderJobRow
from tests.committee.test_cli_decide import CCG, COUNCIL, ready_item
from workflows.committee.corrections import correction_of

Result = Any


@pytest.fixture
def background() -> Iterator[None]:
    jobs.set_mode("background")
    yield
    jobs.set_mode(None)


def _notice_jobs(engine: Engine) -> list[RenderJobRow]:
    with Session(engine) as s:
        return [j for j in render_jobs.listing(s) if j.kind == "notice"]


def test_a_reissued_notice_waits_for_the_one_it_supersedes(
        jcc: list[dict[str, Any]], s75json: Callable[..., Any], engine: Engine,
        config: LocalityConfig, background: None) -> None:
    m1 = jcc[0]["id"]
    item = ready_item(s75json, m1, "Learning disability packages review",
                      "--pool-line", "learning_disability")
    s75json("meeting", "attend", m1, *COUNCIL, *CCG)
    first = s75json("decide", item)["decision"]
    [job] = _notice_jobs(engine)
    assert job.state == "pending"
    start = render_jobs.wall_now()
    with Session(engine, expire_on_commit=False) as s:
        assert render_jobs.claim(s, "dead-worker", start, [job.key]) is not None  # it dies
    fixed = s75json("decision", "correct", first, "--resolution", "That the review be "
                    "approved, with a report back in six months", "--reason", "Minuted wrongly")
    assert fixed["notice_document"] is None  # queued, not yet rendered
    with Session(engine) as s:
        assert store.listing(s, kind="notice") == []
    # The reissue waits while the notice it supersedes is open (claimed by the dead worker).
    assert jobs.run_pending(engine, config, now=lambda: start + timedelta(seconds=5),
                            keys=[j.key for j in _notice_jobs(engine)]).jobs == 0
    later = start + render_jobs.lease() + timedelta(seconds=1)
    report = jobs.run_pending(engine, config, now=lambda: later,
                              keys=[j.key for j in _notice_jobs(engine)])
    assert len(report.stored) == 2 and not report.failed
    with Session(engine) as s:
        old, new = store.listing(s, kind="notice")
        assert (old.subject_id, old.version, old.supersedes_id) == (str(first), 1, None)
        assert (new.subject_id, new.version, new.supersedes_id) == \
            (str(fixed["decision"]), 2, old.id)
        assert new.published_at is not None and old.published_at is not None
        assert new.published_at >= old.published_at
        c = correction_of(s, first)
        assert c is not None and (c.old_document_id, c.document_id) == (old.id, new.id)
