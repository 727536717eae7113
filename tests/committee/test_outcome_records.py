"""Every outcome the rules can produce, recorded at a meeting and read back from the minutes
PDF and the decision notice (pypdf): the resolution in its own words, the names, the minute
number, where a referral went, and no internal id.

One module-scoped record: a Joint Commissioning Committee meeting taking approved, approved as
amended, noted, two referrals (no consensus; above the delegated limit), a deferral by
resolution, a withdrawal and an item deferred for want of quorum; and a Cabinet meeting
refusing a policy by vote (not approved). Each meeting's minutes and each decision's notice
are rendered once. Deferred and withdrawn items are not decisions: they are minuted, and no
decision notice is issued for them."""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlmodel import Session

from s75.cli.main import main
from s75.config import load_config
from s75.db import make_engine, upgrade
from s75.standing import sync_standing
from tests.committee.test_cli_decide import CCG, COUNCIL
from tests.conftest import CONFIG, Result
from tests.principals import COVER_ARGS

IDS = re.compile(r"\b(exec_adults|exec_children|exec_resources|ccg_chair|accountable_officer|"
                 r"gp_director_\d|dass|cfo|s151|dph|director_people|leader|ccg_board|jcc|"
                 r"cabinet|commissioning_lead|democratic_services|board_secretary|"
                 r"in_principle|heads_of_terms|shadow|not_approved|no_consensus|"
                 r"delegated_limit|learning_disability|adult_community|for_decision|"
                 r"to_note)\b(?![.@])")
TEXTS = {
    "approved": "Learning disability packages review",
    "amended": "Carers strategy",
    "noted": "Budget monitoring, month 12",
    "referred": "Adult community services re-procurement",
    "above_limit": "Integrated equipment store",
    "deferred": "Dementia pathway",
    "withdrawn": "Falls service review",
    "inquorate": "GP out-of-hours contract",
}


@dataclass
class Record:
    minutes: dict[str, str]
    notices: dict[str, str]
    decisions: dict[str, dict[str, Any]]
    notice_kinds: list[dict[str, Any]]
    items: dict[str, int]


def _pdf(path: Path) -> str:
    return re.sub(r"\s+", " ", "\n".join(p.extract_text() or ""
                                         for p in PdfReader(str(path)).pages))


@pytest.fixture(scope="module")
def record(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Record]:
    tmp = tmp_path_factory.mktemp("outcomes")
    url = f"sqlite:///{tmp / 's75.db'}"
    eng = make_engine(url)
    upgrade(eng)
    with Session(eng) as session:
        sync_standing(session, load_config(CONFIG), datetime(2019, 3, 1, tzinfo=UTC))
        session.commit()
    eng.dispose()
    saved = {k: os.environ.get(k) for k in ("COLUMNS", "S75_CONFIG")}
    os.environ.update(COLUMNS="200", S75_CONFIG=str(CONFIG))

    def run(*args: object) -> Result:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = main(["--db", url, "--config", str(CONFIG), *(str(a) for a in args)])
        return Result(code, out.getvalue(), err.getvalue())

    def js(*args: object) -> Any:
        r = run(*args, "--json")
        assert r.code == 0, r.text
        return json.loads(r.out)

    def ready(meeting: int, title: str, *extra: object) -> int:
        item = js("item", "add", meeting, title, *COVER_ARGS, *extra)
        js("--as", "commissioning_lead", "item", "submit", item["id"], "--on", "2019-03-20")
        js("item", "accept", item["id"])
        js("item", "publish", item["id"], "--on", "2019-04-01")
        return int(item["id"])

    quarter = ("--from", "2019-04-01", "--to", "2019-06-30")
    m1 = js("meeting", "schedule", "jcc", *quarter)[0]["id"]
    js("meeting", "schedule", "ccg_board", *quarter)
    js("meeting", "schedule", "cabinet", *quarter)
    cab = js("meeting", "list", "--body", "cabinet")[0]["id"]
    items = {
        "approved": ready(m1, TEXTS["approved"], "--pool-line", "learning_disability"),
        "amended": ready(m1, TEXTS["amended"]),
        "noted": ready(m1, TEXTS["noted"], "--action", "to_note"),
        "referred": ready(m1, TEXTS["referred"], "--pool-line", "adult_community",
                          "--amount", "1500000"),
        "above_limit": ready(m1, TEXTS["above_limit"], "--amount", "25000000"),
        "deferred": ready(m1, TEXTS["deferred"]),
        "withdrawn": ready(m1, TEXTS["withdrawn"]),
        "inquorate": ready(m1, TEXTS["inquorate"]),
        "not_approved": ready(cab, "Charging policy for home care"),
    }
    js("meeting", "attend", m1, *COUNCIL, *CCG)
    js("interest", "declare", items["approved"], "dph", "--nature", "non_pecuniary",
       "--description", "Trustee of a learning disability charity", "--managed", "left_room")
    d = {"approved": js("decide", items["approved"]),
         "amended": js("decide", items["amended"], "--outcome", "amended", "--resolution",
                       "That the strategy be approved with a review after six months"),
         "noted": js("decide", items["noted"], "--outcome", "noted"),
         "referred": js("decide", items["referred"], "--objection", "exec_adults"),
         "above_limit": js("decide", items["above_limit"])}
    js("item", "defer", items["deferred"], "--reason", "the consultation closes in May")
    js("item", "withdraw", items["withdrawn"], "--reason", "the report is not ready")
    for member in ("ccg_chair", "gp_director_1"):
        js("interest", "declare", items["inquorate"], member, "--nature", "pecuniary",
           "--description", "GP partner in the provider federation")
    refused = run("decide", items["inquorate"])
    assert refused.code == 2 and "quorum" in refused.err
    js("meeting", "hold", m1)
    js("meeting", "attend", cab, "leader", "exec_adults", "exec_children", "exec_resources")
    d["not_approved"] = js(
        "decide", items["not_approved"], "--vote", "leader=against", "--vote",
        "exec_adults=against", "--vote", "exec_children=for", "--vote",
        "exec_resources=against", "--reasons", "The policy was not affordable",
        "--alternatives", "Charging at a flat rate")
    js("meeting", "hold", cab)
    texts: dict[str, str] = {}
    for key, meeting in (("jcc", m1), ("cabinet", cab)):
        out = tmp / f"minutes-{key}.pdf"
        assert run("render", "minutes", meeting, "--out", out).code == 0
        texts[key] = _pdf(out)
    notices = {}
    for key, made in d.items():
        out = tmp / f"notice-{key}.pdf"
        r = run("render", "notice", made["decision"], "--out", out)
        assert r.code == 0, r.text
        notices[key] = _pdf(out)
    yield Record(texts, notices, d, js("documents", "list", "--kind", "notice"), items)
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def _minute(text: str, number: str, title: str) -> str:
    """The text of one minute: from its heading to the next numbered heading."""
    start = text.index(f"{number} {title}")
    rest = text[start + len(number) + len(title) + 1:]
    nxt = re.search(r"JCC/19/\d+ |\b\d{1,2}\. [A-Z]|Date of the next meeting", rest)
    return text[start: start + len(number) + len(title) + 1 + (nxt.start() if nxt else
                                                               len(rest))]


def test_no_internal_ids_anywhere(record: Record) -> None:
    for name, text in {**record.minutes, **record.notices}.items():
        assert not IDS.search(text), (name, IDS.search(text))


def test_the_minutes_name_the_people(record: Record) -> None:
    jcc = record.minutes["jcc"]
    assert "Cllr Amir Hussain, Executive Member for Adults" in jcc
    assert "Dr Wirin Bhatiani, Chair of the CCG" in jcc
    assert "Dr Helen Lowey, Director of Public Health declared a non-pecuniary interest" in jcc
    assert "Cllr Jane Smith, Leader of the Council" in record.minutes["cabinet"]


def test_approved(record: Record) -> None:
    m = _minute(record.minutes["jcc"], "JCC/19/5", TEXTS["approved"])
    assert "Resolved: That the recommendations in the report be approved." in m
    assert "Agreed by consensus: none of the 9 members entitled to take part objected." in m
    n = record.notices["approved"]
    assert "JCC/2019/1" in n and "JCC/19/5" in n
    assert "Decision That the recommendations in the report be approved." in n
    assert "Dr Helen Lowey, Director of Public Health: non-pecuniary interest" in n
    assert "Referred to" not in n


def test_approved_as_amended(record: Record) -> None:
    m = _minute(record.minutes["jcc"], "JCC/19/6", TEXTS["amended"])
    assert ("Resolved: That the recommendations be approved as amended: That the strategy be "
            "approved with a review after six months.") in m
    n = record.notices["amended"]
    assert "JCC/2019/2" in n and "JCC/19/6" in n
    assert "approved as amended: That the strategy be approved with a review" in n


def test_noted(record: Record) -> None:
    m = _minute(record.minutes["jcc"], "JCC/19/7", TEXTS["noted"])
    assert "Resolved: That the report be noted." in m
    assert "How the decision was taken" not in m
    n = record.notices["noted"]
    assert "JCC/2019/3" in n and "JCC/19/7" in n and "That the report be noted." in n


def test_referred_for_want_of_consensus(record: Record) -> None:
    m = _minute(record.minutes["jcc"], "JCC/19/8", TEXTS["referred"])
    assert "Resolved: That the decision be referred to CCG Board." in m
    assert ("Consensus was not reached: Cllr Amir Hussain, Executive Member for Adults, "
            "objected. Under paragraph 5.2 of the terms of reference the decision is referred "
            "to CCG Board, at its meeting on Friday 26 April 2019.") in m
    assert "approved" not in m
    n = record.notices["referred"]
    assert "JCC/2019/4" in n and "JCC/19/8" in n
    assert "CCG Board, at its meeting on Friday 26 April 2019" in n
    assert "Resolved" not in n and "may be implemented" not in n


def test_referred_above_the_delegated_limit(record: Record) -> None:
    m = _minute(record.minutes["jcc"], "JCC/19/9", TEXTS["above_limit"])
    assert "That the decision be referred to" in m and "Council Cabinet" in m
    assert "CCG Board" in m and "above the delegated limit of £20,000,000" in m
    n = record.notices["above_limit"]
    assert "JCC/2019/5" in n and "JCC/19/9" in n
    assert "Council Cabinet, at its meeting on" in n and "CCG Board, at its meeting on" in n


def test_deferred_by_resolution(record: Record) -> None:
    m = _minute(record.minutes["jcc"], "JCC/19/10", TEXTS["deferred"])
    assert ("That the item be deferred to the meeting on Wednesday 8 May 2019 of the Joint "
            "Commissioning Committee: the consultation closes in May.") in m


def test_withdrawn(record: Record) -> None:
    m = _minute(record.minutes["jcc"], "JCC/19/11", TEXTS["withdrawn"])
    assert "Withdrawn: The item was withdrawn from the agenda: the report is not ready." in m


def test_deferred_for_want_of_quorum(record: Record) -> None:
    m = _minute(record.minutes["jcc"], "JCC/19/12", TEXTS["inquorate"])
    assert "could not be decided for want of a quorum" in m
    assert "Dr Wirin Bhatiani, Chair of the CCG" in m and "deferred to the meeting on " \
        "Wednesday 8 May 2019" in m
    assert "Resolved" not in m  # the meeting could not resolve anything


def test_not_approved(record: Record) -> None:
    cab = record.minutes["cabinet"]
    assert "5. Charging policy for home care" in cab  # Cabinet numbers its minutes "5."
    assert "Resolved: That the recommendations in the report be not approved." in cab
    assert "Not agreed: 1 for, 3 against, 0 abstentions." in cab
    n = record.notices["not_approved"]
    assert "CABINET/2019/1" in n and "be not approved" in n
    assert "The policy was not affordable" in n and "Charging at a flat rate" in n
    assert "may be implemented" not in n


def test_no_notice_for_items_not_decided(record: Record) -> None:
    titles = " ".join(d["title"] for d in record.notice_kinds)
    for key in ("deferred", "withdrawn", "inquorate"):
        assert TEXTS[key] not in titles
    for key in ("approved", "amended", "noted", "referred", "above_limit"):
        assert TEXTS[key] in titles
