"""Report content cannot make the renderer read local files or reach other hosts, and markup
in report text is shown as text (autoescape)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from notifications.documents import kinds
from notifications.documents import samples as S
from notifications.documents.render import TemplateOnlyFetcher, html_to_pdf
from notifications.documents.views import Figure, Section
from tests.documents.doc_helpers import is_tagged_ua, text

HOSTILE = ("file:///etc/passwd", "http://169.254.169.254/latest/meta-data/",
           "https://example.org/tracker.png", "../../../../../etc/passwd",
           "file:///work/main/config.toml")


def test_hostile_references_in_report_content_are_refused_and_render_completes() -> None:
    figures = tuple(Figure(src, f"figure {i}", f"Caption {i}") for i, src in enumerate(HOSTILE))
    report = replace(S.sample_reports()[0], sections=(
        Section("Figures", ("<img src='file:///etc/passwd'> <script>alert(1)</script>",),
                figures=figures),))
    result = html_to_pdf(kinds.report_html(report, S.sample_agenda()))
    # (the relative path resolves to file:///etc/passwd, fetched once)
    assert set(result.refused) == {"file:///etc/passwd", HOSTILE[1], HOSTILE[2], HOSTILE[4]}
    assert {r.split("/")[0] for r in result.refused} >= {"file:", "http:", "https:"}
    t = text(result.pdf)
    assert "root:x:0:0" not in t and "[smtp]" not in t
    # Markup in report text is text, not markup.
    assert "<img src='file:///etc/passwd'> <script>alert(1)</script>" in t
    assert "Caption 0" in t  # the rest of the document is there
    assert is_tagged_ua(result.pdf)


def test_raw_html_references_are_refused() -> None:
    html = ('<html lang="en-GB"><head><title>t</title>'
            '<link rel="stylesheet" href="file:///etc/passwd">'
            '<style>@import url("http://example.org/x.css");'
            'body { background: url("file:///etc/shadow") }</style></head>'
            '<body><h1>Still here</h1><img src="http://example.org/a.png" alt="a">'
            '<object data="file:///etc/passwd"></object></body></html>')
    result = html_to_pdf(html)
    assert "Still here" in text(result.pdf)
    assert "root:" not in text(result.pdf)
    assert all(not r.startswith("file:///work") for r in result.refused)
    assert any("etc/passwd" in r for r in result.refused)
    assert any(r.startswith("http://example.org") for r in result.refused)


def test_fetcher_serves_project_templates_only() -> None:
    fetcher = TemplateOnlyFetcher()
    from notifications.documents.render import TEMPLATES
    ok = fetcher.fetch((TEMPLATES / "static" / "css" / "print.css").as_uri())
    assert b"@font-face" in ok.read()
    for url in ("file:///etc/passwd", "http://localhost/", "file://otherhost/etc/passwd",
                (TEMPLATES / ".." / "config.toml").as_uri()):
        try:
            fetcher.fetch(url)
        except ValueError as exc:
            assert "refused" in str(exc)
        else:  # pragma: no cover
            raise AssertionError(f"{url} was served")


def test_missing_fonts_say_to_run_make_fonts(tmp_path: Path) -> None:
    from decisions.errors import ConfigError
    from notifications.documents.render import check_fonts
    try:
        check_fonts(tmp_path)
    except ConfigError as exc:
        assert "make fonts" in str(exc) and "arimo-latin-400-normal.woff" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("missing fonts were not reported")
