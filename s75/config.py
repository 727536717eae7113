"""Loading config.toml: parse, validate the shape (pydantic), check the cross-references, and
report every problem at once, each naming the key path, the value and what is allowed."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from decisions.errors import ConfigError
from decisions.terms import LocalityConfig, Problem, cross_reference_problems

DEFAULT_CONFIG = "config.toml"


def config_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--config``, else ``S75_CONFIG``, else ./config.toml."""
    return Path(explicit or os.environ.get("S75_CONFIG") or DEFAULT_CONFIG)


def _key_path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("tagged-union", "function-after", "literal['tbc']") or "[" in str(part):
            continue  # pydantic's names for union branches are not key paths
        else:
            out += f".{part}" if out else str(part)
    return out


def _shape_problems(exc: ValidationError) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for err in exc.errors():
        path = _key_path(tuple(err["loc"]))
        if path in seen:  # one message per key, not one per union branch
            continue
        seen.add(path)
        value = err.get("input") if err["type"] != "missing" else None
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            msg = "this key is required"
        elif err["type"] == "extra_forbidden":
            msg = "unknown key; see the configuration reference in README.md"
        problems.append(Problem(path, value, msg))
    return problems


def parse_config(data: dict[str, Any], source: str = "config") -> LocalityConfig:
    """Validate already-parsed TOML data; raise :class:`ConfigError` listing every problem."""
    try:
        cfg = LocalityConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(source, _shape_problems(exc)) from None
    problems = cross_reference_problems(cfg)
    if problems:
        raise ConfigError(source, problems)
    return cfg


def load_config(path: str | os.PathLike[str] | None = None) -> LocalityConfig:
    p = config_path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise ConfigError(str(p), [Problem("(file)", None, f"{p}: no such file; pass --config "
                                           "PATH or set S75_CONFIG")]) from None
    except OSError as exc:
        raise ConfigError(str(p), [Problem("(file)", None, f"{p} cannot be read "
                                           f"({exc.strerror}); pass --config PATH to a "
                                           "readable TOML file")]) from None
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))  # a UTF-8 BOM (Windows editors) is fine
    except UnicodeDecodeError as exc:
        raise ConfigError(str(p), [Problem("(file)", None, f"{p} is not UTF-8 text (byte "
                                           f"{exc.start}); save the config as UTF-8")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(p), [Problem("(syntax)", None, f"{exc}; expected valid TOML (see "
                                           "the configuration reference in README.md)")]
                          ) from None
    return parse_config(data, str(p))
