"""No Part 2 body text, figure or appendix reaches any public output."""

from __future__ import annotations

from notifications.documents import kinds
from notifications.documents import samples as S
from notifications.documents.pack import PackResult, Renderer, build_supplement
from tests.documents.doc_helpers import text

SECRETS = (S.PART2_SECRET, S.PART2_FIGURE, "Offer comparison", "Provider correspondence",
           "Confidential letter", "counter offer", "Disclosure would prejudice",
           "Deferral for want of quorum", "negotiating mandate")


def _clean(t: str) -> None:
    for secret in SECRETS:
        assert secret not in t, secret


def test_public_pack_shows_part_2_only_as_title_and_paragraph(public_pack: PackResult,
                                                              pack: PackResult) -> None:
    t = text(public_pack.pdf)
    _clean(t)
    assert "9. Care homes block contract: negotiation position" in t
    assert "paragraph 3 of Part 1 of Schedule 12A" in t
    # ...while the members' pack has the report in full.
    assert S.PART2_SECRET in text(pack.pdf) and "Provider correspondence" in text(pack.pdf)


def test_public_agenda_minutes_and_notice_hold_no_exempt_content(docs: dict[str, bytes]) -> None:
    for kind in ("agenda_public", "minutes_public"):
        _clean(text(docs[kind]))
    t = text(docs["minutes_public"])
    assert "This item was considered in private" in t
    assert "Exclusion of the public" in t


def test_public_notice_of_a_part_2_decision() -> None:
    from dataclasses import replace
    notice = replace(S.sample_notice(), part=2, exempt_paragraph=3,
                     decision=f"Agreed: {S.PART2_SECRET}", reasons=S.PART2_FIGURE,
                     alternatives_rejected=("Counter offer rejected",))
    t = text(kinds.render(kinds.notice_html(notice, public=True)).pdf)
    _clean(t)
    assert "Counter offer rejected" not in t
    assert "paragraph 3 of Part 1 of Schedule 12A" in t
    assert S.PART2_SECRET in text(kinds.render(kinds.notice_html(notice)).pdf)


def test_member_pack_never_leaks_into_public_items(renderer: Renderer) -> None:
    from dataclasses import replace
    sup = S.sample_supplement()
    secret_report = replace(sup.reports[0], part=2, exempt_paragraph=3,
                            sections=S.sample_reports()[2].sections)
    public = replace(sup, reports=(secret_report,), public=True)
    _clean(text(build_supplement(public, renderer).pdf))


def test_the_public_agenda_names_no_lead_or_timing_for_part_2(docs: dict[str, bytes]) -> None:
    public, members = text(docs["agenda_public"]), text(docs["agenda"])
    assert "Care homes block contract: negotiation position" in public
    assert "Director of People" not in public and "15.20" not in public
    assert "Director of People" in members and "15.20" in members
