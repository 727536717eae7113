"""Names, not ids, wherever a person reads on the command line (tables and listings), in the
emails queued, and in refusals; the ids stay in --json."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, select

from notifications.tables import OutboxRow
from tests.committee.test_cli_decide import CCG, COUNCIL, ready_item

Result = Any
IDS = re.compile(r"\b(exec_adults|exec_children|ccg_chair|accountable_officer|gp_director_\d|"
                 r"dass|cfo|s151|dph|leader|ccg_board|jcc|cabinet|council|ccg)\b(?![.@\-/])")


def no_ids(text: str) -> None:
    found = IDS.search(text)
    assert found is None, (found, text)


def test_listings_emails_and_refusals_in_names(
        jcc: list[dict[str, Any]], s75: Callable[..., Result], s75json: Callable[..., Any],
        engine: Engine) -> None:
    m1 = jcc[0]["id"]
    item = ready_item(s75json, m1, "Adult community services re-procurement",
                      "--pool-line", "adult_community", "--amount", "1500000")
    s75json("meeting", "attend", m1, *COUNCIL, *CCG)
    s75json("interest", "declare", item, "dph", "--nature", "non_pecuniary",
            "--description", "Trustee of a hospice", "--managed", "left_room")
    # A refusal names the people: an objector who may not take part (dph left the room).
    r = s75("decide", item, "--objection", "dph")
    assert r.code == 2 and "Dr Helen Lowey, Director of Public Health (dph) may not take " \
        "part" in r.err
    # The decision in words: the resolution and one account, by name.
    r = s75("decide", item, "--objection", "exec_adults")
    assert r.code == 0, r.text
    assert "Cllr Amir Hussain, Executive Member for Adults, objected" in r.out
    assert "That the decision be referred to CCG Board." in r.out
    assert "Dr Wirin Bhatiani, Chair of the CCG" in r.out or "Cllr Jane Smith" in r.out
    no_ids(r.out)
    # Listings: meetings, a meeting's attendance and agenda, an item with its declaration.
    for args in (("meeting", "list", "--body", "jcc"), ("meeting", "show", m1),
                 ("item", "show", item)):
        r = s75(*args)
        assert r.code == 0, r.text
        no_ids(r.out)
    shown = s75("meeting", "show", m1).out
    assert "Joint Commissioning Committee" in shown
    assert "Cllr Amir Hussain, Executive Member for Adults" in shown
    assert "Dr Helen Lowey, Director of Public Health" in s75("item", "show", item).out
    # --json keeps the ids.
    assert s75json("meeting", "show", m1)["body"] == "jcc"
    assert s75json("item", "show", item)["declarations"][0]["member"] == "dph"
    # A permission refusal names the principal and the bodies.
    r = s75("--as", "exec_adults", "meeting", "hold", m1)
    assert r.code == 2
    assert "Cllr Amir Hussain, Executive Member for Adults, is a member of the Council " \
        "Cabinet and the Joint Commissioning Committee" in r.err
    no_ids(r.err)
    # The referral email names the bodies and the meeting's date, not their ids.
    with Session(engine) as s:
        mail = s.exec(select(OutboxRow).where(OutboxRow.kind == "referral")).one()
    assert "A decision of the Joint Commissioning Committee has been referred to the CCG " \
        "Board" in mail.body
    assert "placed on the agenda of" in mail.body and "2019" in mail.body
    no_ids(mail.subject + " " + mail.body)
