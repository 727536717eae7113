"""Each body's documents state the law it meets and decides under: a joint committee's notice
is its own decision record under LGA 1972 Part VA, not an executive record, and not subject to
call-in; its terms of reference agree; an executive's terms give call-in from publication."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from tests.committee.test_cli_decide import CCG, COUNCIL, ready_item


def _text(path: Path) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(path).pages)


def test_joint_committee_notice_and_terms_agree_on_no_call_in(
        jcc: list[dict[str, Any]], s75: Callable[..., Any], s75json: Callable[..., Any],
        tmp_path: Path) -> None:
    m1 = jcc[0]["id"]
    item = ready_item(s75json, m1, "Learning disability packages review",
                      "--pool-line", "learning_disability")
    s75json("meeting", "attend", m1, *COUNCIL, *CCG)
    decided = s75json("decide", item)
    notice = tmp_path / "notice.pdf"
    r = s75("render", "notice", decided["decision"], "--out", notice)
    assert r.code == 0, r.text
    t = _text(notice)
    assert ("The decision record of Joint Commissioning Committee, a joint committee of the "
            "partners meeting under Part VA of the Local Government Act 1972.") in t
    assert "not an executive decision under SI 2012/2089 and is not subject to call-in" in t
    assert "regulation 12" not in t and "call-in period ends" not in t
    assert "This decision may be implemented from Wednesday 10 April 2019." in t

    terms = tmp_path / "terms.pdf"
    assert s75("render", "terms", "jcc", "--out", terms).code == 0
    tt = _text(terms)
    assert "not subject to call-in" in tt and "call-in period is" not in tt
    cabinet = tmp_path / "cabinet.pdf"
    assert s75("render", "terms", "cabinet", "--out", cabinet).code == 0
    assert ("may be called in within 5 working days of the publication of the decision notice"
            in _text(cabinet))


def test_cabinet_notice_cites_regulation_12_and_the_implementation_date(
        jcc: list[dict[str, Any]], s75: Callable[..., Any], s75json: Callable[..., Any],
        tmp_path: Path) -> None:
    cabinet = s75json("meeting", "list", "--body", "cabinet")
    may = next(m for m in cabinet if m["date"] == "2019-05-20")["id"]
    item = ready_item(s75json, may, "Carers' breaks grant", "--amount", "150000",
                      submitted="2019-05-01", published="2019-05-10")
    s75json("meeting", "attend", may, "leader", "exec_adults", "exec_children")
    out = s75json("decide", item, "--vote", "leader=for", "--vote", "exec_adults=for",
                  "--vote", "exec_children=for", "--reasons", "Best value",
                  "--alternatives", "Do nothing (rejected: carers unsupported)")
    assert out["call_in_expires"] == "2019-05-28"  # 27 May 2019 was a bank holiday
    notice = tmp_path / "notice.pdf"
    assert s75("render", "notice", out["decision"], "--out", notice).code == 0
    t = _text(notice)
    assert "Published under regulation 12 of the Local Authorities (Executive Arrangements)" in t
    assert "the call-in period ends at 5pm on Tuesday 28 May 2019" in t
    assert "This decision may be implemented from Wednesday 29 May 2019." in t
