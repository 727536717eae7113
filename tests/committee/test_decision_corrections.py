"""A decision recorded wrongly is corrected or rescinded on the command line: the original is
kept and marked superseded, the reason stated, and the decision notice and the minutes are
reissued as new versions (read back from the documents store with pypdf)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from tests.committee.test_cli_decide import CCG, COUNCIL, ready_item

Result = Any
IDS = re.compile(r"\b(exec_adults|ccg_chair|accountable_officer|cfo|ccg_board|jcc|cabinet|"
                 r"operator|democratic_services)\b(?![.@])")


def stored(s75: Callable[..., Result], document: int, tmp: Path) -> str:
    out = tmp / f"doc-{document}.pdf"
    r = s75("documents", "get", document, "--out", out)
    assert r.code == 0, r.text
    text = "\n".join(p.extract_text() or "" for p in PdfReader(str(out)).pages)
    return re.sub(r"\s+", " ", text)


def latest_minutes(s75json: Callable[..., Any], meeting: int) -> list[dict[str, Any]]:
    docs = s75json("documents", "list", "--meeting", meeting, "--kind", "minutes")
    return [d for d in docs if d["audience"] == "members"]


def test_correct_and_rescind_leave_a_trail(jcc: list[dict[str, Any]], s75: Callable[..., Result],
                                          s75json: Callable[..., Any], tmp_path: Path) -> None:
    m1 = jcc[0]["id"]
    review = ready_item(s75json, m1, "Learning disability packages review",
                        "--pool-line", "learning_disability")
    wrong = ready_item(s75json, m1, "Adult community services re-procurement",
                       "--pool-line", "adult_community", "--amount", "1500000")
    s75json("meeting", "attend", m1, *COUNCIL, *CCG)
    first = s75json("decide", review)["decision"]
    referred = s75json("decide", wrong, "--objection", "exec_adults")
    [referral] = referred["referrals"]
    s75json("meeting", "hold", m1)
    drafts = latest_minutes(s75json, m1)

    # A referral is the rule's outcome: it is not re-worded into an approval, and nothing
    # is written.
    r = s75("decision", "correct", referred["decision"], "--outcome", "approved",
            "--reason", "Wrong outcome")
    assert r.code == 2, r.text
    assert "decision rule of the Joint Commissioning Committee (consensus)" in r.err
    assert "Adult community services re-procurement" in r.err and "rescind" in r.err
    assert latest_minutes(s75json, m1) == drafts
    assert s75("decision", "correct", first, "--resolution", "x").code == 2  # no --reason

    # The correction: a new record, the original kept and marked superseded.
    fixed = s75json("decision", "correct", first, "--resolution",
                    "That the packages review be approved, with a report back in six months",
                    "--reason", "The resolution was minuted without the report-back agreed")
    assert fixed["supersedes"] == first and fixed["decision"] != first
    assert fixed["changed"][0]["field"] == "resolution"
    new_notice, old_notice = fixed["notice_document"], fixed["superseded_notice_document"]
    assert new_notice and old_notice and new_notice != old_notice
    old = stored(s75, old_notice, tmp_path)
    assert "report back in six months" not in old and "(corrected)" not in old
    text = stored(s75, new_notice, tmp_path)
    assert "Record of decision (corrected)" in text
    assert "JCC/2019/1" in text and "JCC/19/5" in text  # the same reference and minute
    assert "report back in six months" in text
    assert "The resolution was minuted without the report-back agreed." in text
    assert "the resolution first recorded read “That the recommendations in the report be " \
        "approved.”" in text
    assert "marked superseded" in text
    # The original, rendered on request, says it was superseded and keeps its reference.
    out = tmp_path / "original.pdf"
    assert s75("render", "notice", first, "--out", out).code == 0
    original = re.sub(r"\s+", " ", " ".join(p.extract_text() or ""
                                            for p in PdfReader(str(out)).pages))
    assert "Record of decision (superseded)" in original and "JCC/2019/1" in original
    assert "superseded on" in original and "report-back agreed" in original
    assert not IDS.search(text), IDS.search(text)
    docs = s75json("documents", "list", "--kind", "notice")
    mine = next(d for d in docs if d["id"] == new_notice)
    assert mine["version"] == 2 and mine["supersedes"] == old_notice
    minutes = latest_minutes(s75json, m1)
    assert len(minutes) == len(drafts) + 1  # the earlier issue kept
    text = stored(s75, minutes[-1]["id"], tmp_path)
    assert "JCC/19/5 Learning disability packages review" in text
    assert "Resolved: That the packages review be approved, with a report back in six " \
        "months." in text
    assert "Corrected: Corrected on" in text and "report-back agreed" in text
    # The superseded record cannot be corrected again.
    r = s75("decision", "correct", first, "--resolution", "Again", "--reason", "Again")
    assert r.code == 2 and "already corrected" in r.err and str(fixed["decision"]) in r.err
    # A named principal who is not the body's secretary is refused.
    r = s75("--as", "exec_adults", "decision", "rescind", fixed["decision"], "--reason", "x")
    assert r.code == 2 and "permission refused" in r.err

    # The rescission: the referral still waiting at the CCG Board is withdrawn.
    gone = s75("decision", "rescind", referred["decision"], "--reason",
               "Recorded on the wrong item: the meeting took the report for information")
    assert gone.code == 0, gone.text
    assert "Recorded on the wrong item" in gone.out and "exec_adults" not in gone.out
    assert s75json("item", "show", referral["to_item"])["state"] == "withdrawn"
    r = s75("decision", "rescind", referred["decision"], "--reason", "again")
    assert r.code == 2 and "already rescinded" in r.err
    docs = s75json("documents", "list", "--kind", "notice")
    rescinded = [d for d in docs if d["subject"] == f"decision {referred['decision']}"]
    assert len(rescinded) == 2 and rescinded[-1]["supersedes"] == rescinded[0]["id"]
    text = stored(s75, rescinded[-1]["id"], tmp_path)
    assert "Record of decision (rescinded)" in text and "Recorded on the wrong item" in text
    assert "It does not stand and may not be implemented" in text
    assert not IDS.search(text), IDS.search(text)
    text = stored(s75, latest_minutes(s75json, m1)[-1]["id"], tmp_path)
    assert "Rescinded: As recorded: That the decision be referred to CCG Board." in text
    assert "Recorded on the wrong item" in text
    # The audit log holds both acts.
    assert s75("audit", "verify", "--state").code == 0
