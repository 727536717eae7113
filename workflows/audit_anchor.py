"""Anchors: the audit chain's head (count, last event id, hash, time), signed with a key kept
outside the database, published outside it (printed, or appended to a file such as a
published register or a write-once store).

Whoever can write to the database can rewrite the chain and its head consistently (re-hash
every row, or delete the newest rows and fix the head), but cannot forge an anchor without
the key nor reach the copies already published. :func:`check_anchor` then finds the rewrite:
the event at the anchor's count is gone (truncation) or carries another hash (re-hashing).

The key: ``S75_AUDIT_KEY`` (the key itself) or ``S75_AUDIT_KEY_FILE`` (a file holding it),
at least 16 characters; never in config.toml or the database. HMAC-SHA256.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from decisions.errors import InvalidInput
from workflows.audit import BrokenLink

KEY_ENV = "S75_AUDIT_KEY"
KEY_FILE_ENV = "S75_AUDIT_KEY_FILE"
MIN_KEY = 16


def audit_key(env: Mapping[str, str] | None = None) -> bytes | None:
    """The signing key from the environment (or the file it names); None when not set."""
    env = os.environ if env is None else env
    value = env.get(KEY_ENV)
    where = KEY_ENV
    if not value and env.get(KEY_FILE_ENV):
        path = Path(env[KEY_FILE_ENV])
        where = f"{KEY_FILE_ENV} ({path})"
        try:
            value = path.read_text(encoding="utf-8-sig").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidInput(f"{where}: cannot read the audit key "
                               f"({getattr(exc, 'strerror', None) or exc})") from None
    if not value:
        return None
    if len(value) < MIN_KEY:
        raise InvalidInput(f"{where}: the audit key has {len(value)} characters; give at least "
                           f"{MIN_KEY} (e.g. the output of 'openssl rand -hex 32')")
    return value.encode()


def require_key() -> bytes:
    key = audit_key()
    if key is None:
        raise InvalidInput(f"the audit key is not set: set {KEY_ENV} to a secret of at least "
                           f"{MIN_KEY} characters, or {KEY_FILE_ENV} to a file holding it; "
                           "keep it outside the database")
    return key


@dataclass(frozen=True)
class Anchor:
    count: int
    last_id: int
    hash: str
    at: str
    """When the anchor was taken, ISO 8601 UTC."""
    signature: str

    def message(self) -> bytes:
        return f"s75-audit-anchor|{self.count}|{self.last_id}|{self.hash}|{self.at}".encode()

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)


def sign(key: bytes, count: int, last_id: int, last_hash: str, at: datetime) -> Anchor:
    unsigned = Anchor(count, last_id, last_hash, at.isoformat(), "")
    mac = hmac.new(key, unsigned.message(), hashlib.sha256).hexdigest()
    return Anchor(count, last_id, last_hash, unsigned.at, mac)


def signed(anchor: Anchor, key: bytes) -> bool:
    mac = hmac.new(key, anchor.message(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(mac, anchor.signature)


def parse(line: str, where: str) -> Anchor:
    try:
        raw = json.loads(line)
        anchor = Anchor(int(raw["count"]), int(raw["last_id"]), str(raw["hash"]),
                        str(raw["at"]), str(raw["signature"]))
    except (ValueError, KeyError, TypeError):
        raise InvalidInput(f"{where}: not an audit anchor; expected one JSON object per line "
                           "as printed by 's75 audit anchor'") from None
    if anchor.count < 0:
        raise InvalidInput(f"{where}: count {anchor.count} is negative")
    return anchor


def read_anchors(path: Path) -> list[Anchor]:
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"--anchors: cannot read {path} "
                           f"({getattr(exc, 'strerror', None) or exc})") from None
    return [parse(ln, f"--anchors {path} line {n}") for n, ln in enumerate(lines, 1)
            if ln.strip()]


def publish(anchor: Anchor, path: Path) -> None:
    """Append the anchor to ``path`` (one JSON line), flushed to disk."""
    try:
        with path.open("a", encoding="utf-8") as fh:
            fh.write(anchor.to_json() + "\n")
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        raise InvalidInput(f"--to: cannot append to {path} ({exc.strerror or exc}); give a "
                           "file in a folder you may write to") from None


def check_anchor(anchor: Anchor, key: bytes | None, found: tuple[int, str] | None,
                 count: int) -> BrokenLink | None:
    """``found``: the (id, hash) of the chain's event number ``anchor.count`` (None if the
    chain is shorter)."""
    label = f"anchor of {anchor.at} ({anchor.count} events, hash {anchor.hash[:12]}…)"
    if key is None:
        raise InvalidInput(f"anchors need the audit key to be checked: set {KEY_ENV} or "
                           f"{KEY_FILE_ENV}")
    if not signed(anchor, key):
        return BrokenLink(None, f"{label} is not signed with this key: it was forged or "
                          "altered, or the key is not the one it was signed with", count)
    if anchor.count == 0:
        return None
    if found is None:
        return BrokenLink(anchor.last_id, f"is missing: the {label} was published, but the "
                          f"log now holds only {count} event(s): events were removed after "
                          "the anchor", count)
    event_id, event_hash = found
    if (event_id, event_hash) != (anchor.last_id, anchor.hash):
        return BrokenLink(event_id, f"does not match the {label}: it is event {event_id} with "
                          f"hash {event_hash[:12]}… where the anchor has event "
                          f"{anchor.last_id}: the log was rewritten (re-hashed) after the "
                          "anchor", count)
    return None
