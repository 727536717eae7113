"""The linker's output file (:func:`link.link`), and what one link keeps for the next.

Streams are written as they come; every other object (the structure tree's elements,
dictionaries, arrays) is packed into compressed object streams at the end, with a
cross-reference stream (PDF 1.5), as WeasyPrint does for a document it writes in one go.

A re-render after one report changed links the same parts again, most of them at the same
place: :class:`LinkMemo` keeps each part's objects as resolved at its place, and each object
stream compressed, by its content's digest, so the next link resolves and compresses again
only what moved or changed (the output is the same bytes either way).
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

Resolved = tuple[list[tuple[int, bytes]], list[tuple[int, bytes]], list[bytes],
                 list[tuple[bytes, bytes]]]
"""One part as written at its place: its streams and its packed objects as (output id,
bytes), its parent-tree entries and its named destinations."""


@dataclass
class LinkMemo:
    """What a link keeps for the next one (a renderer's); only what the last link used."""

    parts: dict[int, tuple[Any, tuple[Any, ...], Resolved, int]] = field(default_factory=dict)
    """By ``id`` of the part (kept, so the id is not reused): (part, its place, resolved,
    its highest object id)."""
    streams: dict[bytes, bytes] = field(default_factory=dict)
    """Compressed object streams by the SHA-256 of their content."""


class Out:
    """The output file."""

    PER_STREAM = 200

    def __init__(self) -> None:
        self.parts: list[bytes] = [b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"]
        self.size = len(self.parts[0])
        self.offsets: dict[int, int] = {}
        self.packed: list[tuple[int, bytes]] = []

    def obj(self, idnum: int, body: bytes) -> None:
        if not body.rstrip().endswith(b"endstream"):
            self.packed.append((idnum, body))
            return
        self.write(idnum, body)

    def write(self, idnum: int, body: bytes) -> None:
        self.offsets[idnum] = self.size
        data = b"%d 0 obj\n" % idnum + body + b"\nendobj\n"
        self.parts.append(data)
        self.size += len(data)

    def finish(self, root: int, info: int, memo: LinkMemo | None = None) -> bytes:
        """Write the object streams and the cross-reference stream; the whole file. With
        ``memo``, an object stream whose content the last link compressed is reused."""
        size = max([*self.offsets, *(i for i, _ in self.packed)]) + 1
        in_stream: dict[int, tuple[int, int]] = {}
        kept: dict[bytes, bytes] = {}
        for start in range(0, len(self.packed), self.PER_STREAM):
            group = self.packed[start:start + self.PER_STREAM]
            stm_id, size = size, size + 1
            bodies = [body for _, body in group]
            ats = accumulate((len(b) + 1 for b in bodies), initial=0)
            head = b" ".join([b"%d %d" % (i, at)
                              for (i, _), at in zip(group, ats, strict=False)]) + b"\n"
            for index, (idnum, _) in enumerate(group):
                in_stream[idnum] = (stm_id, index)
            content = head + b"\n".join(bodies) + b"\n"
            data: bytes | None = None
            if memo is not None:
                digest = hashlib.sha256(content).digest()
                data = memo.streams.get(digest)
            if data is None:
                data = zlib.compress(content, 6)
            if memo is not None:
                kept[digest] = data
            self.write(stm_id, b"<</Type /ObjStm /N %d /First %d /Filter /FlateDecode "
                               b"/Length %d>>\nstream\n" % (len(group), len(head), len(data))
                       + data + b"\nendstream")
        if memo is not None:
            memo.streams = kept
        xref_id, size = size, size + 1
        self.offsets[xref_id] = self.size
        pack, offsets = struct.Struct(">BIH").pack, self.offsets
        free, unused = pack(0, 0, 0xFFFF), pack(0, 0, 0)
        rows = [pack(2, *in_stream[i]) if i in in_stream else
                pack(1, offsets[i], 0) if i in offsets else
                (free if i == 0 else unused) for i in range(size)]
        data = zlib.compress(b"".join(rows), 6)
        xref_at = self.size
        self.write(xref_id, b"<</Type /XRef /Size %d /W [1 4 2] /Root %d 0 R /Info %d 0 R "
                            b"/Filter /FlateDecode /Length %d>>\nstream\n"
                   % (size, root, info, len(data)) + data + b"\nendstream")
        self.parts.append(b"startxref\n%d\n%%%%EOF\n" % xref_at)
        return b"".join(self.parts)
