"""Linked packs as small as WeasyPrint's own: object streams and a compressed cross-reference
stream, at most 1.2 times the bytes of the same content rendered in one go, ``qpdf --check``
clean, the structure tree, outline and "Page x of y" kept."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from notifications.documents import kinds
from notifications.documents import samples as S
from notifications.documents.pack import PackResult
from tests.documents.doc_helpers import is_tagged_ua, reader, top_outline


def test_linked_pack_is_within_1_2_times_one_go(pack: PackResult) -> None:
    one_go = kinds.render(kinds.pack_html(S.sample_pack())).pdf
    assert len(pack.pdf) <= 1.2 * len(one_go), (len(pack.pdf), len(one_go))
    assert is_tagged_ua(pack.pdf) and len(top_outline(pack.pdf)) > 1
    last = reader(pack.pdf).pages[-1].extract_text()
    assert f"Page {pack.pages} of {pack.pages}" in last
    assert b"/Type /ObjStm" in pack.pdf and b"/Type /XRef" in pack.pdf


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is installed by .ci/run")
def test_linked_pack_passes_qpdf_check(pack: PackResult, tmp_path: Path) -> None:
    path = tmp_path / "pack.pdf"
    path.write_bytes(pack.pdf)
    done = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No syntax or stream encoding errors" in done.stdout


def test_linked_pack_passes_the_pdfua_checker(pack: PackResult, tmp_path: Path) -> None:
    """The offline `pdfua` checker (16 of PDF/UA-1's 106 machine-checkable rules) finds
    nothing in a linked pack: the linker gives each table header cell its /Scope (UA-15-003).
    Its UA-14-001 (heading levels) raises inside the checker on our outline arrays and is
    reported as skipped, not as a finding (docs/documents.md)."""
    pytest.importorskip("pdfua")
    import sys

    path = tmp_path / "pack.pdf"
    path.write_bytes(pack.pdf)
    done = subprocess.run([sys.executable, "-m", "pdfua", "check", str(path)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "UA-15-003" not in done.stdout and "PASS (no findings)" in done.stdout
