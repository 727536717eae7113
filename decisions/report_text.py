"""What a report's text may hold: Markdown as authors write it (headings, paragraphs, lists,
tables, emphasis, links), never raw HTML or script. One parser configuration for checking
and for rendering (notifications/documents/markdown.py)."""

from __future__ import annotations

from markdown_it import MarkdownIt

from decisions.errors import InvalidInput

ACCEPTED = ("Markdown: headings (# Heading), paragraphs, lists (- item, 1. item), tables "
            "(| Column | Column |), **bold**, _italic_ and links; raw HTML and scripts are "
            "not accepted")


def parser(*, html: bool = False) -> MarkdownIt:
    """CommonMark with tables; ``html=False`` prints any HTML as text."""
    return MarkdownIt("commonmark", {"html": html}).enable("table")


def check_report_text(field: str, text: str) -> None:
    """Refuse raw HTML (a block or inline tag, a script, a comment), naming the line."""
    for token in parser(html=True).parse(text or ""):
        found = [token] if token.type == "html_block" else [
            c for c in token.children or () if c.type == "html_inline"]
        if found:
            line = (token.map[0] + 1) if token.map else 1
            snippet = found[0].content.strip().splitlines()[0][:40]
            raise InvalidInput(f"{field}: line {line} holds raw HTML ({snippet!r}); "
                               f"expected {ACCEPTED}")
