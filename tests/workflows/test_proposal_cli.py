"""The whole lifecycle driven from the command line on a fresh database."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import CONFIG


def test_cli_drives_the_lifecycle(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base = ["--config", str(CONFIG), "--db", f"sqlite:///{tmp_path / 's75.db'}"]

    def s75(now: str, *args: str) -> tuple[int, str]:
        group, rest = args[0], args[1:]
        r = cli(*base, "--now", now, group, *rest) if group in ("proposal", "gateway") \
            else cli(*base, *args)
        return r.code, r.text

    assert cli(*base, "init").code == 0
    assert s75("2018-09-03", "proposal", "create", "Expand the pool")[0] == 0
    code, text = s75("2018-09-03", "proposal", "fire", "1", "agree_in_principle")
    assert code == 2
    assert "is 'draft', where 'agree_in_principle' cannot be fired; triggers allowed now: " \
           "submit, withdraw (needs: a reason" in text
    assert s75("2018-09-03", "proposal", "fire", "1", "submit")[0] == 0
    code, text = s75("2018-09-03", "proposal", "fire", "1", "agree_in_principle")
    assert code == 2 and "Approval in principle needs approval from NHS Bolton CCG (CCG " \
                         "Board)" in text
    for stage_day in ("2018-09-20", "2018-10-01"):
        for p, b in (("council", "cabinet"), ("ccg", "ccg_board")):
            code, text = s75(stage_day, "proposal", "approve", "1", "--partner", p, "--body", b,
                             "--meeting-date", stage_day, "--minute", f"{b}/1")
            assert code == 0, text
        trig = "agree_in_principle" if stage_day == "2018-09-20" else "agree_heads_of_terms"
        assert s75(stage_day, "proposal", "fire", "1", trig)[0] == 0
    code, text = s75("2018-10-31", "gateway", "record", "1", "--partner", "ccg", "--return",
                     "go_with_conditions", "--reason", "Workforce", "--condition", "Agree plan",
                     "--owner", "cfo")
    assert code == 2 and "one --owner and one --due per --condition (got 1, 1, 0)" in text
    for month, day in (("2018-10", "2018-10-31"), ("2018-11", "2018-11-30"),
                       ("2018-12", "2018-12-20")):
        for p in ("council", "ccg"):
            code, text = s75(day, "gateway", "record", "1", "--partner", p, "--return", "go",
                             "--month", month)
            assert code == 0, text
    code, text = s75("2018-12-20", "gateway", "status", "1", "--json")
    assert [m["rag"] for m in json.loads(text)] == ["green"] * 3
    assert s75("2018-12-20", "proposal", "fire", "1", "start_drafting")[0] == 0
    code, text = s75("2018-12-20", "proposal", "checklist", "1", "--all", "--reference", "v3")
    assert code == 0 and "reports_and_returns" in text
    assert s75("2018-12-20", "proposal", "fire", "1", "submit_agreement")[0] == 0
    for p, b in (("council", "cabinet"), ("ccg", "ccg_board")):
        assert s75("2019-03-20", "proposal", "approve", "1", "--partner", p, "--body", b,
                   "--meeting-date", "2019-03-18", "--minute", f"{b}/9")[0] == 0
    assert s75("2019-03-20", "proposal", "fire", "1", "approve_agreement")[0] == 0
    code, text = s75("2019-04-02", "proposal", "sign", "1", "--partner", "council",
                     "--signatory", "director_people")
    assert code == 2 and "had to be signed by 2019-03-31" in text
    for p, who in (("council", "director_people"), ("ccg", "accountable_officer")):
        code, text = s75("2019-03-25", "proposal", "sign", "1", "--partner", p,
                         "--signatory", who)
        assert code == 0, text
    code, text = s75("2019-03-25", "proposal", "show", "1", "--json")
    data = json.loads(text)
    assert data["state"] == "live" and data["triggers_now"] == ["vary"]
    code, text = s75("2019-03-25", "proposal", "history", "1", "--json")
    events = [e["event"] for e in json.loads(text)]
    assert events[0] == "proposal.created" and events[-1] == "proposal.go_live"
    code, text = s75("2019-03-25", "proposal", "list")
    assert "Expand the pool" in text and "Live" in text  # the stage by its label, not its id
    assert cli(*base, "audit", "verify").code == 0
    wf = cli(*base, "workflow", "show", "proposal")
    assert wf.code == 0 and wf.out.startswith("stateDiagram-v2")
    assert "signing --> live : go_live [signed_by_every_partner]" in wf.out
    js = json.loads(cli(*base, "workflow", "show", "--json").out)
    assert js["initial"] == "draft" and len(js["states"]) == 12
    bad = cli(*base, "proposal", "show", "9")
    assert bad.code == 2 and "proposal 9 does not exist (proposal ids run from 1 to 1" in bad.err
