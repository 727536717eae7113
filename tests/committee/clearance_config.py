"""config.toml with officer clearance switched on for the Joint Commissioning Committee (file
004's finance and legal clearance), a finance officer (the Section 151 officer) and a legal
officer, for the clearance and report-author tests."""

from __future__ import annotations

from pathlib import Path

from decisions.terms import LocalityConfig
from s75.config import load_config

ROOT = Path(__file__).resolve().parents[2]
LEGAL = """
[[member]]
id = "legal_services"
name = "Head of Legal Services"
personal_name = "Jane Lee-Fox"
partner = "council"
email = "legal@example.org"
roles = ["legal_officer"]
"""


def clearance_config(directory: Path) -> Path:
    """Write the variant into ``directory``; its path."""
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    jcc = 'id = "jcc"\n'
    assert jcc in text
    text = text.replace(jcc, jcc + 'clearance = ["finance", "legal"]\n', 1)
    s151 = 'id = "s151"\n'
    assert s151 in text
    text = text.replace(s151, s151 + 'roles = ["finance_officer"]\n', 1)
    marker = "# " + "-" * 86 + " pool"
    assert marker in text
    text = text.replace(marker, LEGAL + "\n" + marker, 1)
    path = directory / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def load(directory: Path) -> LocalityConfig:
    return load_config(clearance_config(directory))
