"""Malformed web form input (issue 18, point 4): each of the secretary's forms given missing,
invalid, overlong, out-of-range or foreign values answers with the right status and the
message a user needs (beside the field where there is one), never a traceback, and writes
nothing. The CLI and config corpus is tests/foundation/test_malformed_corpus.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session, select

from decisions.terms import LocalityConfig
from s75.web.app import create_app
from tests.principals import FULL_COVER
from tests.web.client import TestClient
from tests.web.staff_helpers import BASE, SECRET, add_accounts, csrf_of, sign_in
from tests.web.web_helpers import Record, build_record, visible, web_app
from workflows.committee.tables import AgendaItemRow

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

LONG = "x" * 301
ITEM = {"title": "Falls prevention", "action": "for_decision", "part": "1", "lead": "DASS",
        **FULL_COVER}

# (form, fields; "{next}" / "{held}" / "{item}" / "{held_item}" are filled in), status, words
CASES: list[tuple[str, dict[str, str], int, str]] = [
    ("add-item", {**ITEM, "title": ""}, 422, "title: missing"),
    ("add-item", {**ITEM, "title": "\x00\x07 \x1b"}, 422, "title: missing"),
    ("add-item", {**ITEM, "title": LONG}, 422, "title: 301 characters is too long"),
    ("add-item", {**ITEM, "action": "bogus"}, 422, "action: 'bogus' is not valid"),
    ("add-item", {**ITEM, "action": ""}, 422, "action: '' is not valid"),
    ("add-item", {**ITEM, "part": "3"}, 422, "part: '3' is not valid; expected one of 1, 2"),
    ("add-item", {**ITEM, "part": ""}, 422, "part: '' is not valid"),
    ("add-item", {**ITEM, "part": "2"}, 422, "exempt"),
    ("add-item", {**ITEM, "part": "2", "exempt_paragraph": "abc"}, 422,
     "exempt_paragraph: 'abc' is not valid; expected a whole number"),
    ("add-item", {**ITEM, "part": "2", "exempt_paragraph": "99"}, 422, "paragraph"),
    ("add-item", {**ITEM, "part": "2", "exempt_paragraph": "9" * 13}, 422,
     "exempt_paragraph: 13 characters is too long"),
    ("add-item", {**ITEM, "lead": "y" * 201}, 422, "lead: 201 characters is too long"),
    ("add-item", {**ITEM, "body_text": "z" * 20001}, 422, "body_text: 20001 characters"),
    ("add-item", {**ITEM, "sponsor": "s" * 5001}, 422, "sponsor: 5001 characters"),
    ("submit", {"item_id": ""}, 422, "item_id: missing"),
    ("submit", {"item_id": "abc"}, 422, "item_id: 'abc' is not valid; expected a whole number"),
    ("submit", {"item_id": "-1"}, 422, "item_id: '-1' is not valid"),
    ("submit", {"item_id": "1e3"}, 422, "item_id: '1e3' is not valid"),
    ("submit", {"item_id": "0"}, 422, "item_id: '0' is not valid"),
    ("submit", {"item_id": "4294967296"}, 422, "item_id: '4294967296' is not valid"),
    ("submit", {"item_id": "9" * 13}, 422, "item_id: 13 characters is too long"),
    ("submit", {"item_id": "999999"}, 404, "999999"),
    ("submit", {"item_id": "{item}", "urgency_reason": "u" * 2001}, 422,
     "urgency_reason: 2001 characters"),
    ("accept", {"item_id": "{held_item}"}, 404, "is not on the agenda of meeting"),
    ("withdraw", {"item_id": "{held_item}", "reason": "Late"}, 404, "is not on the agenda"),
    ("decide", {"item_id": "{item}", "outcome": "bogus"}, 422, "outcome: 'bogus' is not valid"),
    ("decide", {"item_id": "{item}", "outcome": ""}, 422, "outcome: '' is not valid"),
    ("attendance", {"person": "leader", "status": "bogus"}, 422,
     "status: 'bogus' is not valid"),
    ("attendance", {"person": "nobody", "status": "present"}, 422, "nobody"),
    ("attendance", {"person": "leader", "status": "present", "substitute_for": "nobody"},
     422, "member 'nobody' is not in the config"),
    ("declare", {"item_id": "{item}", "member_id": "leader", "nature": "pecuniary",
                 "description": "Shares", "managed": "bogus"}, 422,
     "managed: 'bogus' is not valid"),
    ("declare", {"item_id": "{item}", "member_id": "nobody", "nature": "pecuniary",
                 "description": "Shares", "managed": "left_room"}, 422, "nobody"),
    ("declare", {"item_id": "{item}", "member_id": "leader", "nature": "bogus",
                 "description": "Shares", "managed": "left_room"}, 422, "bogus"),
    ("minutes", {"minutes_of": "abc"}, 422, "minutes_of: 'abc' is not valid"),
    ("minutes", {"minutes_of": ""}, 422, "minutes_of: missing"),
    ("minutes", {"minutes_of": "999999"}, 422, "999999"),
    ("route", {"item_id": "{item}", "to_meeting": "abc", "action": "for_decision"}, 422,
     "to_meeting: 'abc' is not valid"),
    ("route", {"item_id": "{item}", "to_meeting": "999999", "action": "for_decision"}, 409,
     "standing items are on every agenda and cannot be routed"),
    ("route", {"item_id": "{item}", "to_meeting": "{held}", "action": "bogus"}, 422,
     "action: 'bogus' is not valid"),
    ("hold", {}, 409, "a meeting is held only once it has begun"),
    ("no-such-form", {}, 404, "there is no form 'no-such-form'; expected one of add-item"),
]


@pytest.fixture
def client(db_url: str, engine: Engine, config: LocalityConfig) -> Iterator[TestClient]:
    add_accounts(engine, config)
    app = web_app(db_url)
    with TestClient(create_app(app, start_scheduler=False, secret=SECRET), base_url=BASE) as c:
        yield c
    app.close()


def _counts(engine: Engine) -> dict[str, int]:
    tables = ("agenda_item", "decision", "attendance", "declaration", "audit_event",
              "outbox", "meeting", "vote", "document", "minute_text")
    with engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                for t in tables}


def test_malformed_form_input_is_refused_and_nothing_is_written(
        client: TestClient, engine: Engine, config: LocalityConfig) -> None:
    record: Record = build_record(engine, config)
    with Session(engine) as s:
        held_item = s.exec(select(AgendaItemRow.id).where(
            AgendaItemRow.meeting_id == record.meeting_id)).first()
        item = s.exec(select(AgendaItemRow.id).where(
            AgendaItemRow.meeting_id == record.next_meeting_id)).first()
    assert sign_in(client, "secretary") == 303
    mid = record.next_meeting_id
    token = csrf_of(client.get(f"/staff/meetings/{mid}").text)
    ids = {"{next}": str(mid), "{held}": str(record.meeting_id), "{item}": str(item),
           "{held_item}": str(held_item)}
    before = _counts(engine)
    wrong = []
    for form, fields, status, words in CASES:
        data = {k: ids.get(v, v) for k, v in fields.items()}
        r = client.post(f"/staff/meetings/{mid}/{form}", data={"csrf": token, **data})
        page = visible(r.text)
        if r.status_code != status or words not in page or "Traceback" in page:
            wrong.append(f"{form} {fields}: {r.status_code} {page[:3000]!r}")
    assert not wrong, "\n".join(wrong)
    assert _counts(engine) == before
    assert len(CASES) >= 40
