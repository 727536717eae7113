"""The structure of DESIGN.md §3: the layering (decisions <- workflows <- notifications <- s75),
no import cycle between the modules of a layer, decisions/ free of I/O, and that the Alembic
migration matches the tables."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ["decisions", "workflows", "notifications", "s75"]


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_modules(root: Path, layer: str) -> dict[str, Path]:
    """Every module of ``layer`` under ``root`` by dotted name (migrations left out)."""
    return {module_name(p, root): p for p in sorted((root / layer).rglob("*.py"))
            if "migrations" not in p.relative_to(root).parts}


def imported_names(path: Path, name: str) -> Iterator[str]:
    """The absolute names ``path`` (module ``name``) imports, anywhere in it: top level, inside
    functions, ``import a.b``, ``from a import b`` (as ``a.b``: the submodule if there is one,
    else an attribute of ``a``), relative imports, and ``importlib.import_module("a.b")``."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            yield from (f"{module}.{alias.name}" for alias in node.names)
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module"
              and node.args and isinstance(node.args[0], ast.Constant)):
            yield str(node.args[0].value)


def resolve(name: str, modules: Iterable[str]) -> str | None:
    """The module ``name`` refers to: itself if it is one, else its longest module prefix
    (``a.b.C`` is an attribute of ``a.b``)."""
    known = set(modules)
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in known:
            return candidate
        parts.pop()
    return None


def import_graph(root: Path, layer: str) -> dict[str, set[str]]:
    """Module -> the modules of the same layer it imports."""
    modules = layer_modules(root, layer)
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = {resolve(n, modules) for n in imported_names(path, name)}
        graph[name] = {t for t in targets if t is not None and t != name}
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm (iterative); only components that hold a cycle (two or more)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
    return found


def cycle_chain(graph: dict[str, set[str]], component: set[str]) -> str:
    """A readable chain through ``component``: the shortest cycle through its first module,
    "a -> b -> a", and the other modules of the component if the chain misses some."""
    start = min(component)
    paths = {start: [start]}
    queue = [start]
    chain: list[str] = []
    while queue and not chain:
        node = queue.pop(0)
        for nxt in sorted(graph[node] & component):
            if nxt == start:
                chain = [*paths[node], start]
                break
            if nxt not in paths:
                paths[nxt] = [*paths[node], nxt]
                queue.append(nxt)
    text = " -> ".join(chain)
    rest = sorted(component - set(chain))
    return f"{text} (and {', '.join(rest)} in the same cycle)" if rest else text


def cycles(root: Path, layers: Iterable[str]) -> dict[frozenset[str], str]:
    """Every import cycle inside a layer: its modules -> a readable chain."""
    found: dict[frozenset[str], str] = {}
    for layer in layers:
        graph = import_graph(root, layer)
        for component in strongly_connected(graph):
            found[frozenset(component)] = cycle_chain(graph, component)
    return found


def test_no_import_cycle_inside_a_layer() -> None:
    found = cycles(ROOT, LAYERS)
    assert not found, ("import cycles inside a layer (break each by moving the shared code down "
                     "into a module both import):\n" + "\n".join(sorted(found.values())))


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_cycle_checker_reports_a_planted_cycle(tmp_path: Path) -> None:
    write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/a.py": "from pkg.b import thing\n",
        "pkg/b.py": "def thing():\n    from . import a\n    return a\n",
        "pkg/c.py": "import pkg.a\n",
    })
    assert cycles(tmp_path, ["pkg"]) == {frozenset({"pkg.a", "pkg.b"}): "pkg.a -> pkg.b -> pkg.a"}


def test_cycle_checker_follows_every_import_form(tmp_path: Path) -> None:
    """``import a.b``, ``from a import b`` naming a submodule, relative imports from a package,
    and a three-module chain reported in order."""
    write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/sub/__init__.py": "from .. import x\n",
        "pkg/sub/y.py": "import pkg.z as z\n",
        "pkg/x.py": "from pkg.sub import y\n",
        "pkg/z.py": "def f():\n    import pkg.sub\n",
        "pkg/free.py": "from pkg import x\n",
    })
    assert cycles(tmp_path, ["pkg"]) == {
        frozenset({"pkg.sub", "pkg.sub.y", "pkg.x", "pkg.z"}):
            "pkg.sub -> pkg.x -> pkg.sub.y -> pkg.z -> pkg.sub"}


def test_acyclic_package_passes(tmp_path: Path) -> None:
    write(tmp_path, {"pkg/__init__.py": "from pkg import a\n", "pkg/a.py": "from pkg import b\n",
                     "pkg/b.py": "import os\n"})
    assert cycles(tmp_path, ["pkg"]) == {}


def imported_packages(path: Path) -> set[str]:
    """The top-level packages ``path`` imports (absolute imports only)."""
    return {n.split(".")[0] for n in imported_names(path, module_name(path, ROOT))
            if n and not n.startswith(".")} - {""}


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


# decisions/ is plain functions over data: no database, network, process, file or environment.
IO_MODULES = {"sqlalchemy", "sqlmodel", "sqlite3", "psycopg", "psycopg2", "smtplib", "socket",
              "subprocess", "http", "urllib", "weasyprint", "fastapi", "starlette", "os",
              "shutil", "requests", "httpx", "alembic"}
IO_METHODS = {"read_text", "write_text", "read_bytes", "write_bytes", "open"}


def io_uses(path: Path, name: str) -> list[str]:
    found = [f"imports {n}" for n in sorted(set(imported_names(path, name)))
             if n.split(".")[0] in IO_MODULES]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Name) and node.func.id == "open":
            found.append(f"line {node.lineno}: calls open()")
        elif isinstance(node.func, ast.Attribute) and node.func.attr in IO_METHODS:
            found.append(f"line {node.lineno}: calls .{node.func.attr}()")
    return found


def test_decisions_do_no_io() -> None:
    offenders = [f"{path.relative_to(ROOT)}: {use}"
                 for name, path in layer_modules(ROOT, "decisions").items()
                 for use in io_uses(path, name)]
    assert not offenders, ("decisions/ holds rules as plain functions without I/O; move these "
                           "to workflows/ or s75/:\n" + "\n".join(offenders))


def test_io_check_reports_a_planted_read(tmp_path: Path) -> None:
    write(tmp_path, {"decisions/bad.py": "import os\nfrom pathlib import Path\n\n"
                                         "def f(p: Path) -> str:\n"
                                         "    return Path(os.environ['X']).read_text()\n"})
    assert io_uses(tmp_path / "decisions/bad.py", "decisions.bad") == [
        "imports os", "line 5: calls .read_text()"]


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


def private_imports(root: Path, layers: list[str]) -> list[str]:
    """``from project.module import _name`` anywhere in the layers: a private name used
    across modules (make it public where it is shared, or keep it where it is used)."""
    found = []
    for layer in layers:
        for path in sorted((root / layer).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
                if (isinstance(node, ast.ImportFrom) and node.module and node.level == 0
                        and node.module.split(".")[0] in layers):
                    found += [f"{path.relative_to(root)}:{node.lineno} imports {alias.name} "
                              f"from {node.module}" for alias in node.names
                              if alias.name.startswith("_") and not alias.name.startswith("__")]
    return found


def test_no_private_names_imported_across_modules() -> None:
    bad = private_imports(ROOT, LAYERS)
    assert not bad, "private names imported across modules:\n" + "\n".join(bad)


def test_private_import_check_reports_a_planted_one(tmp_path: Path) -> None:
    (tmp_path / "decisions").mkdir()
    (tmp_path / "decisions" / "a.py").write_text("def _hidden() -> None: ...\n")
    (tmp_path / "decisions" / "b.py").write_text("from decisions.a import _hidden\n")
    assert private_imports(tmp_path, ["decisions"]) == [
        "decisions/b.py:1 imports _hidden from decisions.a"]


def test_no_table_column_defaults_to_the_builtin_list() -> None:
    """A table's list column defaults through ``empty_list``, not ``list``: pydantic inspects
    a default factory's signature each time a row is made, and the builtin's costs about 0.1 ms
    a row (a planned deadline, an outbox message) where a plain function's costs 10 us."""
    from s75.db import all_tables

    builtin = sorted(f"{mapper.class_.__name__}.{name}"
                     for mapper in all_tables()._sa_registry.mappers
                     for name, field in mapper.class_.model_fields.items()
                     if field.default_factory in (list, set))
    assert builtin == []
