"""Every body's terms of reference agree with what its notices say and what the engine does
(issue #13 point 1 and "the JCC's terms say 'the call-in period is 5 working days' while its
notices say 'not subject to call-in'"), for each locality shipped: config.toml and
examples/*.toml. Each terms document is rendered with ``s75 render terms BODY`` and read back
with pypdf; the notice's opening sentence is the one ``decision_record_basis`` gives it (the
notices themselves are read back per body kind in test_legal_basis.py)."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from decisions.access import decision_record_basis
from s75.cli.main import main
from s75.config import load_config
from tests.conftest import ROOT

LOCALITIES = [ROOT / "config.toml", *sorted((ROOT / "examples").glob("*.toml"))]


def _terms(config: Path, body: str, tmp: Path) -> str:
    out = tmp / f"{config.stem}-{body}.pdf"
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(["--config", str(config), "--db", f"sqlite:///{tmp / 'terms.db'}",
                     "render", "terms", body, "--out", str(out)])
    assert code == 0, err.getvalue()
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(out).pages)


@pytest.mark.parametrize("config", LOCALITIES, ids=lambda p: p.stem)
def test_terms_and_notices_agree_for_every_body(config: Path, tmp_path: Path) -> None:
    cfg = load_config(config)
    for body in cfg.body:
        terms = _terms(config, body.id, tmp_path)
        notice = decision_record_basis(body)
        days = body.deadlines.call_in_working_days
        if body.executive:
            assert body.scrutiny_committee, f"{config.name}: {body.id} names no scrutiny body"
            assert (f"executive decisions may be called in by the {body.scrutiny_committee} "
                    f"within {days} working days of the publication of the decision notice "
                    "(Local Government Act 2000 s9F)") in terms, body.id
            assert "regulation 12" in notice and "not subject to call-in" not in notice
            assert "not subject to call-in" not in terms, body.id
            assert "(SI 2012/2089 reg 9)" in terms and "(regs 6(2) and 7)" in terms, body.id
        else:
            assert ("decisions are not executive decisions and are not subject to call-in; "
                    "they may be implemented once recorded.") in terms, body.id
            assert "not subject to call-in" in notice and "regulation 12" not in notice
            assert "call-in period" not in terms and "may be called in" not in terms, body.id
            assert "SI 2012/2089" not in terms, body.id
        if body.access_regime == "pbama1960":
            assert "Public Bodies (Admission to Meetings) Act 1960" in terms, body.id
            assert "Schedule 12A" not in terms and "1972" not in terms, body.id
        assert "Directors's" not in terms and "s's " not in terms, body.id


@pytest.mark.parametrize("config", LOCALITIES, ids=lambda p: p.stem)
def test_referral_terms_name_this_localitys_sovereign_bodies(config: Path,
                                                              tmp_path: Path) -> None:
    """Where a failed decision is referred, the terms name the pooling partners' own sovereign
    bodies (Stockport's are not Bolton's)."""
    cfg = load_config(config)
    sovereign = [cfg.sovereign_body_of(p.id).name for p in cfg.pooling_partners]
    for body in cfg.body:
        if body.decision_rule == "majority" or body.on_no_consensus != "refer":
            continue
        terms = _terms(config, body.id, tmp_path)
        assert "the decision is referred to the sovereign body of the partner that leads the " \
               "matter" in terms, body.id
        for name in sovereign:
            assert f"the {name}" in terms, (body.id, name)
        others = {"Council Cabinet", "CCG Board"} - set(sovereign)
        assert not any(f"the {o}" in terms for o in others), (body.id, others)


def test_an_attending_partners_terms_say_it_attends_counts_and_does_not_vote(
        tmp_path: Path) -> None:
    """examples/attending_partner.toml: the trust sits on the JCC without pooling; the terms
    say what the engine does (counted for quorum, no block vote, no referral to its board)."""
    terms = _terms(ROOT / "examples" / "attending_partner.toml", "jcc", tmp_path)
    for sentence in (
            "The Joint Commissioning Committee is a joint committee of Bolton Council and NHS "
            "Bolton CCG.",
            "Bolton NHS Foundation Trust attends as a member but does not pool: it takes no part "
            "in approvals, gateway returns, signing the agreement or the risk share.",
            "The quorum is 7 members, including at least 2 from each pooling partner.",
            "Members for Bolton NHS Foundation Trust count towards the quorum.",
            "Each partner that pools (Bolton Council and NHS Bolton CCG) has one block vote; a "
            "matter is agreed when every one of them votes for it.",
            "Members for Bolton NHS Foundation Trust take part in discussion but do not vote.",
            "Where a partner does not vote for a matter the decision is referred to the "
            "sovereign body of the partner that leads the matter (the Council Cabinet or the "
            "CCG Board)",
            "A decision above that limit is referred to every pooling partner's sovereign body."):
        assert sentence in terms, sentence
    assert "Trust Board of Directors" not in terms
