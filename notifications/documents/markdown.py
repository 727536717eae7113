"""Report text (Markdown, decisions/report_text.py) as the sections a report template prints:
each heading starts a section; each paragraph is numbered ("5.2"); a list or a table is a
block printed as written (not numbered). Raw HTML is disabled in the parser, so any tag an
old report holds prints as text; tables get header cells with ``scope`` (the first cell of
each body row is the row's header) so PDF/UA readers tie data cells to their headers."""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it.token import Token
from markupsafe import Markup

from decisions.report_text import parser
from notifications.documents.views import Block, Section

_MD = parser(html=False)


def _scoped(tokens: Sequence[Token]) -> list[Token]:
    """Tables: ``<th scope="col">`` in the head, the first cell of a body row a
    ``<th scope="row">``, and a class for the stylesheet."""
    in_body, first = False, False
    for t in tokens:
        if t.type == "table_open":
            t.attrSet("class", "md")
        elif t.type == "tbody_open":
            in_body = True
        elif t.type == "tbody_close":
            in_body = False
        elif t.type == "tr_open":
            first = True
        elif t.type == "th_open":
            t.attrSet("scope", "col")
        elif t.type in ("td_open", "td_close") and in_body and first:
            t.tag = "th"
            if t.type == "td_open":
                t.attrSet("scope", "row")
            else:
                first = False
    return list(tokens)


def sections(text: str) -> tuple[Section, ...]:
    tokens = _scoped(_MD.parse(text or ""))
    out: list[Section] = []
    heading, paras = "", list[str]()
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t.type == "heading_open":
            if heading or paras:
                out.append(Section(heading, tuple(paras)))
            heading, paras = tokens[i + 1].content.strip(), []
            i += 3
        elif t.type == "paragraph_open" and t.level == 0:
            inline = tokens[i + 1]
            paras.append(Markup(_MD.renderer.render(inline.children or [], _MD.options, {})))
            i += 3
        elif t.level == 0 and t.nesting == 1:
            # A list, table or quote: render the whole block as written.
            depth, j = 0, i
            while j < len(tokens):
                depth += tokens[j].nesting
                j += 1
                if depth == 0:
                    break
            paras.append(Block(_MD.renderer.render(tokens[i:j], _MD.options, {})))
            i = j
        elif t.level == 0 and t.type in ("fence", "code_block", "hr"):
            paras.append(Block(_MD.renderer.render([t], _MD.options, {})))
            i += 1
        else:
            i += 1
    if heading or paras:
        out.append(Section(heading, tuple(paras)))
    return tuple(out)
