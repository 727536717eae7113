"""Rendered once per test session: the sample documents (seed material) as PDFs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from notifications.documents import kinds
from notifications.documents import samples as S
from notifications.documents.config_views import pool_view, terms_view
from notifications.documents.pack import MemoryCache, PackResult, Renderer, build_pack
from s75.config import load_config

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def renderer() -> Iterator[Renderer]:
    with Renderer(MemoryCache(), workers=2) as r:
        yield r


@pytest.fixture(scope="session")
def docs() -> dict[str, bytes]:
    cfg = load_config(ROOT / "config.toml")
    a = S.sample_agenda()
    html = {
        "agenda": kinds.agenda_html(a),
        "agenda_public": kinds.agenda_html(a, public=True),
        "minutes": kinds.minutes_html(S.sample_minutes()),
        "minutes_public": kinds.minutes_html(S.sample_minutes(), public=True),
        "actions": kinds.actions_html(S.sample_actions()),
        "notice": kinds.notice_html(S.sample_notice()),
        "forward_plan": kinds.forward_plan_html(S.sample_forward_plan()),
        "terms": kinds.terms_html(terms_view(cfg, "jcc")),
        "gateway": kinds.gateway_html(S.sample_gateway()),
        "pool": kinds.pool_html(S.sample_pool()),
        "pool_config": kinds.pool_html(pool_view(cfg)),
        "report": kinds.report_html(S.sample_reports()[1], a),
    }
    return {k: kinds.render(h).pdf for k, h in html.items()}


@pytest.fixture(scope="session")
def pack(renderer: Renderer) -> PackResult:
    return build_pack(S.sample_pack(), renderer)


@pytest.fixture(scope="session")
def public_pack(renderer: Renderer) -> PackResult:
    return build_pack(S.sample_pack(public=True), renderer)
