"""Documents rendered in one go (issue 14.6): every kind passes the offline `pdfua` checker
with no error and no warning, table header cells included (WeasyPrint drops the HTML
``scope``; render.scope_table_headers writes /Scope after rendering), and stays `qpdf
--check` clean and tagged after that incremental update."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.documents.doc_helpers import is_tagged_ua, reader


def _check(pdf: bytes, path: Path) -> str:
    path.write_bytes(pdf)
    done = subprocess.run([sys.executable, "-m", "pdfua", "check", str(path)],
                          capture_output=True, text=True, check=False)
    return done.stdout + done.stderr


def test_every_kind_passes_the_pdfua_checker(docs: dict[str, bytes], tmp_path: Path) -> None:
    pytest.importorskip("pdfua")
    found = {name: _check(pdf, tmp_path / f"{name}.pdf") for name, pdf in docs.items()}
    findings = {name: [line.strip() for line in out.splitlines()
                       if line.strip().startswith(("[WARN", "[ERR", "[FAIL"))]
                for name, out in found.items()}
    assert all(not f for f in findings.values()), findings
    assert all("UA-15-003" not in out for out in found.values())


def test_header_cells_carry_their_scope(docs: dict[str, bytes]) -> None:
    scopes: set[str] = set()
    for pdf in docs.values():
        assert is_tagged_ua(pdf)
        r = reader(pdf)
        assert r.metadata is not None and r.metadata.title  # the trailer still names /Info
        stack = [r.trailer["/Root"].get_object()["/StructTreeRoot"].get_object()]
        while stack:
            node = stack.pop()
            kids = node.get("/K")
            for kid in (kids if isinstance(kids, list) else [kids] if kids is not None else []):
                obj = kid.get_object()
                if hasattr(obj, "get") and "/S" in obj:
                    stack.append(obj)
            if node.get("/S") == "/TH":
                scopes.add(str(node["/A"].get_object()["/Scope"]))
    assert scopes == {"/Column", "/Row"}


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is installed by .ci/run")
def test_one_go_documents_pass_qpdf_check(docs: dict[str, bytes], tmp_path: Path) -> None:
    for name, pdf in docs.items():
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(pdf)
        done = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True,
                              check=False)
        assert done.returncode == 0, (name, done.stdout + done.stderr)
