"""Pagination for list pages: ``?page=N`` parsed strictly, a fixed page size, and the page's
place among the pages (for the GOV.UK pagination links). A page costs a count and a page query
whatever the number of rows; a page past the last is 404 naming the last."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from decisions.errors import InvalidInput, NotFound

PAGE_SIZE = 50


@dataclass(frozen=True)
class Paging:
    page: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    @property
    def first_row(self) -> int:
        return min(self.total, self.offset + 1)

    @property
    def last_row(self) -> int:
        return min(self.total, self.offset + self.size)

    def link(self, path: str, page: int, **params: str) -> str:
        """``path`` for ``page``, keeping ``params`` (page 1 has no ``page`` parameter)."""
        query = {k: v for k, v in params.items() if v} | ({"page": str(page)} if page > 1
                                                          else {})
        return f"{path}?{urlencode(query)}" if query else path


def parse_page(raw: str | None, name: str = "page") -> int:
    """``?page=`` as a whole number from 1 (InvalidInput naming it: 400)."""
    text = (raw or "1").strip()
    if not text.isdigit() or not 1 <= int(text) < 2**31:
        raise InvalidInput(f"{name}: {raw!r} is not valid; expected a whole number from 1")
    return int(text)


def paging(total: int, page: int, what: str, size: int = PAGE_SIZE) -> Paging:
    """The page of ``total`` rows, or NotFound when it is past the last page."""
    p = Paging(page, size, total)
    if page > p.pages:
        raise NotFound(f"page {page} is past the last page ({p.pages}) of {what}")
    return p
