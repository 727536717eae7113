"""Every action refuses a principal without its permission (and writes nothing), and
succeeds for one with it. Cases are registered by the area modules imported below."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from s75.app import App, make_app
from s75.db import upgrade
from s75.standing import sync_standing
from tests.actions import (
    clearance_cases,  # noqa: F401
    committee_cases,  # noqa: F401
    document_cases,  # noqa: F401
    proposal_cases,  # noqa: F401
    support,
)
from tests.conftest import CONFIG
from workflows.actions import ACTIONS


def _all_actions() -> list[str]:
    import s75.cli.main  # noqa: F401  (imports every command module, hence every action)

    return sorted(ACTIONS)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    a = make_app(CONFIG, f"sqlite:///{tmp_path / 's75.db'}")
    upgrade(a.raw_engine)
    with a.session() as s:
        sync_standing(s, a.config, a.clock.now())
    yield a
    a.close()


def test_every_action_has_a_case() -> None:
    missing = sorted(set(_all_actions()) - set(support.CASES))
    assert not missing, f"actions without a permission case in tests/actions/: {missing}"


@pytest.mark.parametrize("name", sorted(support.CASES))
def test_refused_without_the_permission_and_allowed_with_it(app: App, name: str) -> None:
    support.check_case(app, name)
