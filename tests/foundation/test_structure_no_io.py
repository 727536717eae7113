"""Building the app does no I/O: the CLI, the application object and the web app are built
without reading the config, opening the database, touching the network or writing a file.
Checked with an audit hook in a fresh interpreter, so earlier tests cannot hide an import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = [str(ROOT / p) for p in ("decisions", "workflows", "notifications", "s75")]

# Runs first in the child: records every file opened (but the interpreter's and the libraries'
# own files, and the project's source), every sqlite3 connection and every socket call.
RECORDER = r"""
import json, os, sys

_prefixes = tuple({os.path.realpath(p) + os.sep for p in
                   (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix)})
_packages = tuple(os.path.realpath(p) + os.sep for p in json.loads(sys.argv[1]))
_root = os.path.dirname(_packages[0].rstrip(os.sep))
_code = (".py", ".pyc", ".pyi", ".so", ".pth", ".typed")
_seen = []

def _ignored(path):
    full = os.path.realpath(path)
    if full.endswith(_code) or "-info" + os.sep in full or "site-packages" in full:
        return True  # code and package metadata (.dist-info, .egg-info)
    if full.startswith("/usr/share/zoneinfo/") or "__path_hook__" in full:
        return True  # the time zone database (read like the stdlib); the editable finder
    if full.startswith(_prefixes) or full.startswith(_packages) and full.endswith(_code):
        return True
    return os.path.isdir(full)

def _where():
    # The innermost frame in the project's own modules: which module caused the event.
    frame = sys._getframe(2)
    while frame is not None:
        name = os.path.realpath(frame.f_code.co_filename)
        if name.startswith(_packages):
            return f"{os.path.relpath(name, _root)}:{frame.f_lineno}"
        frame = frame.f_back
    return "the snippet"

def _record(what):
    _seen.append([what, _where()])

def _hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.fsdecode(args[0])
        if not _ignored(path):
            _record(f"opened {path}")
    elif event == "sqlite3.connect":
        _record(f"sqlite3.connect {args[0]!r}")
    elif event.startswith("socket."):
        _record(event)
    elif event in ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn"):
        _record(f"ran {args[0]!r}" if event == "os.system" else f"ran {args[1]!r}")

sys.addaudithook(_hook)
"""

REPORT = "\nprint('\\n' + json.dumps(_seen))\n"


def io_during(code: str, cwd: Path, path: list[str] | None = None) -> list[tuple[str, str]]:
    """What ``code`` does of I/O, run in a fresh interpreter in ``cwd``: each file opened,
    database connected, socket used or program run, with the project module (path:line) that
    caused it, and each file it leaves in ``cwd``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("S75_")}
    env["PYTHONPATH"] = os.pathsep.join([*(path or []), str(ROOT)])
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    before = set(os.listdir(cwd))
    done = subprocess.run([sys.executable, "-c", RECORDER + code + REPORT, json.dumps(PACKAGES)],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    seen = [(what, where) for what, where in json.loads(done.stdout.strip().splitlines()[-1])]
    created = sorted(set(os.listdir(cwd)) - before)
    return seen + [(f"created {name} in the working directory", "") for name in created]


BUILD = """
from s75.cli.main import build_app
build_app()
from s75.app import make_app
a = make_app("missing.toml", "sqlite:///missing.db")
from s75.web.app import create_app
create_app(a)
"""


def module_of(where: str) -> str:
    return where.rpartition(":")[0]


@pytest.fixture(scope="module")
def build_io(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str]]:
    return io_during(BUILD, tmp_path_factory.mktemp("build"))


def test_building_the_app_does_no_io(build_io: list[tuple[str, str]]) -> None:
    unexpected = [f"{what} (at {where or 'exit'})" for what, where in build_io]
    assert unexpected == [], ("building the CLI, the app and the web app must not read the "
                              "config, open the database or files, or use the network; "
                              "defer it to first use:\n" + "\n".join(unexpected))


def test_the_check_reports_io_at_import(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "leaky.py").write_text(
        "import socket, sqlite3, subprocess\n"
        "open('notes.txt', 'w').close()\n"
        "sqlite3.connect('leak.db').close()\n"
        "socket.socket().close()\n"
        "subprocess.run(['true'])\n")
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    seen = [what for what, _ in io_during("import leaky\n", cwd, [str(lib)])]
    assert "opened notes.txt" in seen
    assert "sqlite3.connect 'leak.db'" in seen
    assert "socket.__new__" in seen
    assert "ran ['true']" in seen
    assert seen[-2:] == ["created leak.db in the working directory",
                         "created notes.txt in the working directory"]


def test_the_check_names_the_module_that_does_io(tmp_path: Path) -> None:
    seen = io_during("from s75.config import load_config\nload_config('config.toml')\n",
                     ROOT)
    assert ("opened config.toml", "s75/config.py") in [(w, module_of(at)) for w, at in seen]
