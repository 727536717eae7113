"""One home for each access regime's wording (decisions/access.py): deadlines, terms of
reference and the exclusion resolution say the Act the body actually meets under."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from decisions.access import LGA_1972, PBAMA_1960, exempt_clause, is_exempt, regime_of
from decisions.errors import NotFound
from decisions.terms import LocalityConfig
from notifications.deadlines import meeting_deadlines
from notifications.documents.config_views import terms_view

STARTS = datetime(2019, 6, 20, 13, 0, tzinfo=UTC)


def test_an_nhs_board_is_held_to_the_1960_act(config: LocalityConfig) -> None:
    board = config.body_by_id("ccg_board")
    assert regime_of(board) is PBAMA_1960
    planned = {p.kind: p for p in meeting_deadlines(config, board, 1, STARTS)}
    assert planned["notice"].rule.startswith("Public Bodies (Admission to Meetings) Act 1960")
    assert "1972" not in planned["notice"].rule + planned["publication"].rule
    terms = " ".join(" ".join(c.paragraphs) for c in terms_view(config, "ccg_board").clauses)
    assert "Public Bodies (Admission to Meetings) Act 1960" in terms
    assert "Schedule 12A" not in terms


def test_a_joint_committee_is_held_to_part_va(config: LocalityConfig) -> None:
    jcc = config.body_by_id("jcc")
    assert regime_of(jcc) is LGA_1972
    planned = {p.kind: p for p in meeting_deadlines(config, jcc, 1, STARTS)}
    assert planned["notice"].rule == ("Local Government Act 1972 s100A(6): notice 5 clear "
                                      "days before")
    assert planned["publication"].rule.startswith("Local Government Act 1972 s100B(3)")


def test_the_exclusion_resolution_names_the_regime_and_the_paragraphs() -> None:
    council = LGA_1972.exclusion_resolution([1, 3])
    assert council.startswith("That the public be excluded from the meeting")
    assert "paragraph(s) 1, 3 of Part 1 of Schedule 12A to the Local Government Act 1972" in council
    board = PBAMA_1960.exclusion_resolution()
    assert "prejudicial to the public interest" in board and "1972" not in board


def test_exempt_is_one_predicate_in_python_and_sql() -> None:
    from workflows.committee.tables import AgendaItemRow

    assert is_exempt(2) and not is_exempt(1)
    assert str(exempt_clause(AgendaItemRow.part).compile(
        compile_kwargs={"literal_binds": True})).endswith("part = 2")


@pytest.mark.parametrize(("lookup", "ident", "known"), [
    ("body_by_id", "nobody", "'cabinet', 'ccg_board', 'jcc', 'sbpb'"),
    ("partner_by_id", "nhs", "'ccg', 'council'"),
    ("member_by_id", "nobody", "'leader'"),
])
def test_one_lookup_names_the_unknown_id_and_the_known_ones(
        config: LocalityConfig, lookup: str, ident: str, known: str) -> None:
    with pytest.raises(NotFound) as err:
        getattr(config, lookup)(ident)
    assert f"{ident!r} is not in the config; expected one of [" in err.value.message
    assert known in err.value.message


def test_an_nhs_boards_papers_give_the_1960_act_not_schedule_12a() -> None:
    """The same Part 2 business at a CCG board: agenda, report, minutes and notice give the
    1960 Act's ground; a council body's give the Schedule 12A paragraph."""
    from dataclasses import replace

    from decisions.access import REGIMES
    from notifications.documents import kinds
    from notifications.documents import samples as S
    from tests.documents.doc_helpers import text

    def rendered(regime: str) -> str:
        agenda = replace(S.sample_agenda(), regime=regime,
                         access_note=REGIMES[regime].meets_under)
        reports = tuple(replace(r, regime=regime) for r in S.sample_reports())
        minutes = replace(S.sample_minutes(), regime=regime, exclusion_resolution="")
        notice = replace(S.sample_notice(), part=2, exempt_paragraph=None, regime=regime)
        html = (kinds.agenda_html(agenda, public=True), kinds.report_html(reports[-1], agenda),
                kinds.minutes_html(minutes), kinds.notice_html(notice, public=True))
        return " ".join(" ".join(text(kinds.render(h).pdf).split()) for h in html)

    board = rendered("pbama1960")
    assert "Schedule 12A" not in board and "1972" not in board
    assert "section 1(2) of the Public Bodies (Admission to Meetings) Act 1960" in board
    assert "publicity would be prejudicial to the public interest" in board
    council = rendered("lga1972")
    assert "paragraph 3 of Part 1 of Schedule 12A to the Local Government Act 1972" in council
    assert "1960" not in council
