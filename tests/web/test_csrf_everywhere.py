"""Every form of the web, not only the secretary's (issue 18, point 7): each POST route of the
app, found by walking its routers, refuses a signed-in user's post with a forged or missing
CSRF token (403, "did not come from this site"), and nothing is written. The JSON API is left
out: it takes no cookie, only a bearer token (tests/web/test_api.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from decisions.terms import LocalityConfig
from s75.web.app import create_app
from s75.web.authors.forms import ITEM_FORMS
from s75.web.staff.forms import FORMS
from tests.web.client import TestClient
from tests.web.staff_helpers import BASE, SECRET, add_accounts, sign_in
from tests.web.test_routes import _routes
from tests.web.web_helpers import Record, build_record, web_app

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
TABLES = ("agenda_item", "decision", "audit_event", "outbox", "api_token", "body_subscription",
          "declaration", "item_appendix", "minute_text")


@pytest.fixture
def client(db_url: str, engine: Engine, config: LocalityConfig) -> Iterator[TestClient]:
    add_accounts(engine, config)
    app = web_app(db_url)
    with TestClient(create_app(app, start_scheduler=False, secret=SECRET), base_url=BASE) as c:
        yield c
    app.close()


def _urls(api: object, record: Record) -> list[str]:
    out = []
    for r in _routes(api.routes):  # type: ignore[attr-defined]
        if "POST" not in (r.methods or ()) or r.path.startswith(("/api/", "/oparl/")):
            continue
        path = r.path.replace("{meeting_id:id}", str(record.next_meeting_id)).replace(
            "{item_id:id}", "1")
        names = FORMS if "/staff/meetings/" in path else ITEM_FORMS
        if "{form_name}" in path:
            out += [path.replace("{form_name}", n) for n in names]
        else:
            out.append(re.sub(r"\{[^}]+\}", "1", path))
    return out


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}


def test_every_post_refuses_a_forged_or_missing_csrf_token(
        client: TestClient, engine: Engine, config: LocalityConfig) -> None:
    record = build_record(engine, config)
    urls = _urls(client.app, record)
    assert len(urls) > 25 and "/login" in urls and "/members/calendar/reset" in urls
    assert sign_in(client, "secretary") == 303
    before = _counts(engine)
    wrong = []
    for url in urls:
        for data in ({"title": "Forged"}, {"csrf": "forged", "title": "Forged"}):
            r = client.post(url, data=data, follow_redirects=False)
            if r.status_code != 403 or "did not come from this site" not in r.text:
                wrong.append(f"{url} {sorted(data)}: {r.status_code}")
    assert not wrong, "\n".join(wrong)
    assert _counts(engine) == before
