"""Where rendered parts are kept (:class:`pack.Renderer`): in memory, bounded or not, or as
files in a directory; keyed by the hash of the part's HTML and the stylesheets."""

from __future__ import annotations

import os
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from decisions.errors import InvalidInput

__all__ = ["CACHE_MB_DEFAULT", "DirCache", "MemoryCache", "PartCache", "bounded_cache",
           "default_cache"]


class PartCache(Protocol):
    def get(self, digest: str) -> bytes | None: ...
    def put(self, digest: str, pdf: bytes) -> None: ...


@dataclass
class MemoryCache:
    """Rendered parts in memory, the least recently used dropped past ``limit`` bytes (None:
    no bound, for one-off renders)."""

    limit: int | None = None
    parts: OrderedDict[str, bytes] = field(default_factory=OrderedDict)
    size: int = 0

    def get(self, digest: str) -> bytes | None:
        found = self.parts.get(digest)
        if found is not None:
            self.parts.move_to_end(digest)
        return found

    def put(self, digest: str, pdf: bytes) -> None:
        old = self.parts.pop(digest, None)
        self.size -= len(old) if old is not None else 0
        if self.limit is not None and len(pdf) > self.limit:
            return
        self.parts[digest] = pdf
        self.size += len(pdf)
        while self.limit is not None and self.size > self.limit:
            _key, dropped = self.parts.popitem(last=False)
            self.size -= len(dropped)


CACHE_MB_DEFAULT = 64


def bounded_cache() -> MemoryCache:
    """The long-lived in-process cache (events, render workers, ``s75 serve``): at most
    ``S75_RENDER_CACHE_MB`` megabytes (default 64) of rendered parts."""
    raw = os.environ.get("S75_RENDER_CACHE_MB", str(CACHE_MB_DEFAULT))
    try:
        mb = int(raw)
    except ValueError as exc:
        raise InvalidInput(f"S75_RENDER_CACHE_MB: {raw!r} is not a whole number of "
                           "megabytes; give e.g. 64") from exc
    if not 0 <= mb <= 65_536:
        raise InvalidInput(f"S75_RENDER_CACHE_MB: {mb} is out of range; give 0 to 65536")
    return MemoryCache(limit=mb * 1024 * 1024)


@dataclass
class DirCache:
    """Rendered parts as ``<digest>.pdf`` files in a directory."""

    path: Path

    def get(self, digest: str) -> bytes | None:
        f = self.path / f"{digest}.pdf"
        return f.read_bytes() if f.is_file() else None

    def put(self, digest: str, pdf: bytes) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        tmp = self.path / f".{digest}.{os.getpid()}.tmp"
        tmp.write_bytes(pdf)
        tmp.replace(self.path / f"{digest}.pdf")


def default_cache() -> PartCache:
    return DirCache(Path(os.environ.get("S75_DOCUMENT_CACHE", ".s75-cache/parts")))
