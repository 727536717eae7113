"""The layering of DESIGN.md §3 (decisions <- workflows <- notifications <- s75), module size,
and that the Alembic migration matches the tables."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ["decisions", "workflows", "notifications", "s75"]


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module"
              and node.args and isinstance(node.args[0], ast.Constant)):
            names.add(str(node.args[0].value).split(".")[0])
    return names


@pytest.mark.parametrize("layer", LAYERS)
def test_layers_import_only_downwards(layer: str) -> None:
    higher = set(LAYERS[LAYERS.index(layer) + 1:])
    offenders = []
    for path in sorted((ROOT / layer).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        bad = imported_packages(path) & higher
        if bad:
            offenders.append(f"{path.relative_to(ROOT)} imports {sorted(bad)}")
    assert not offenders, "\n".join(offenders)


def test_modules_stay_small() -> None:
    too_big = []
    for layer in LAYERS:
        for path in (ROOT / layer).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            n = len(path.read_text().splitlines())
            if n > 450:
                too_big.append(f"{path.relative_to(ROOT)}: {n} lines")
    assert not too_big, too_big


def test_nothing_happens_at_import_time() -> None:
    """Importing the app shell builds no engine, reads no config and opens no file."""
    import s75.cli.main

    assert callable(s75.cli.main.build_app)


def test_migration_matches_tables(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from s75.db import all_tables, make_engine, upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    upgrade(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), all_tables().metadata)
    engine.dispose()
    assert diff == [], f"tables changed without a migration: run 'make migration'\n{diff}"
