"""User text as the pipeline accepts it: every text field of every action, from the CLI, the web
or the API, is cleaned the same way before the action's own checks run.

- Control characters other than tab and line breaks are removed, a leading UTF-8 byte order mark
  is dropped and surrounding space stripped.
- A field that names something (a title, a person, an id, an option) is one line: line breaks and
  tabs close up to single spaces, since such text goes into email subjects, calendar summaries,
  PDF outlines and table cells; it may hold at most ``LINE_MAX`` characters.
- Any other text (a report, reasons, minute text) may hold at most ``TEXT_MAX`` characters.

Plain functions, no I/O: :func:`clean_fields` returns the cleaned values of the fields that
changed, for the pipeline to apply with :func:`dataclasses.replace`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from decisions.errors import InvalidInput

TEXT_MAX = 200_000
LINE_MAX = 250
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

SINGLE_LINE = frozenset({
    "title", "lead", "name", "action", "kind", "status", "trigger", "outcome", "managed",
    "reference", "minute_ref", "venue", "indicative_time", "owner", "granted_by",
    "requested_by", "chair_consent_by", "dispensation_by", "scrutiny_chair_agreed_by",
    "signed_by", "consent_by", "body_id", "member_id", "partner_id", "signatory_id",
    "substitute_for", "pool_line_id", "sponsor", "presenter", "author",
})
"""Fields that name something and so must be one line (others may hold paragraphs)."""


def clean(value: str, field: str, *, single_line: bool = False) -> str:
    """``value`` cleaned as described above, or InvalidInput naming ``field``."""
    text = value if value.isprintable() else _CONTROL.sub("", value.removeprefix("\ufeff"))
    text = text.strip()
    limit = TEXT_MAX
    if single_line:
        text, limit = " ".join(text.split()), LINE_MAX
    if len(text) > limit:
        raise InvalidInput(f"{field}: {len(text):,} characters is too long; give at most "
                           f"{limit:,}")
    return text


def _cleaned(value: Any, field: str, single_line: bool) -> Any:
    if isinstance(value, str):
        return clean(value, field, single_line=single_line)
    if isinstance(value, tuple):
        return tuple(_cleaned(v, field, True) for v in value)
    if isinstance(value, Mapping):
        return {k: _cleaned(v, f"{field}.{k}", k in SINGLE_LINE) for k, v in value.items()}
    return value


def clean_fields(obj: Any) -> dict[str, Any]:
    """The text fields of dataclass ``obj`` whose cleaned value differs, by field name."""
    changed: dict[str, Any] = {}
    for name, single_line in _fields(type(obj)):
        value = getattr(obj, name)
        kind = type(value)
        if kind in _NOT_TEXT or (kind not in _TEXTUAL
                                 and not isinstance(value, str | tuple | Mapping)):
            continue
        new = _cleaned(value, name, single_line)
        if new != value:
            changed[name] = new
    return changed


_TEXTUAL = (str, tuple, dict)
_NOT_TEXT = (int, bool, float, type(None))
_FIELDS: dict[type, tuple[tuple[str, bool], ...]] = {}


def _fields(cls: type) -> tuple[tuple[str, bool], ...]:
    """The dataclass's field names, each with whether it is one line (worked out once)."""
    found = _FIELDS.get(cls)
    if found is None:
        found = _FIELDS[cls] = tuple((f.name, f.name in SINGLE_LINE)
                                     for f in dataclasses.fields(cls))
    return found
