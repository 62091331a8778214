"""The shape of the package: no import cycles, argparse only in the CLI, no module grown past 500 lines.

The import graph is built from the source (every `import`, at any depth, counts: a lazy import inside a
function still ties two modules together), so a cycle cannot hide behind a deferred import. Imports under
`if TYPE_CHECKING:` are annotations only, never run, and are left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "crossfoot"
MAX_LINES = 500


def _modules() -> dict[str, Path]:
    mods: dict[str, Path] = {}
    for p in SRC.rglob("*.py"):
        parts = p.relative_to(SRC.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        mods[name] = p
    return mods


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node except those under `if TYPE_CHECKING:`."""
    out: list[ast.AST] = []
    todo = [tree]
    while todo:
        node = todo.pop()
        out.append(node)
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            todo.extend(node.orelse)
            continue
        todo.extend(ast.iter_child_nodes(node))
    return out


def _imports(name: str, path: Path, mods: dict[str, Path]) -> set[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in mods)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            for a in node.names:
                if f"{base}.{a.name}" in mods:
                    found.add(f"{base}.{a.name}")
                elif base in mods:
                    found.add(base)
    found.discard(name)
    return found


def import_graph() -> dict[str, set[str]]:
    mods = _modules()
    return {m: _imports(m, p, mods) for m, p in mods.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, list[str]]] = [(root, sorted(graph[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            v, todo = work[-1]
            if todo:
                w = todo.pop()
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, sorted(graph[w])))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp: list[str] = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    found.append(sorted(comp))
    return found


def test_type_checking_imports_are_left_out(tmp_path: Path) -> None:
    tree = ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import a\nelse:\n    import b\nimport c\n")
    names = {a.name for n in _runtime_nodes(tree) if isinstance(n, ast.Import) for a in n.names}
    assert names == {"b", "c"}


def test_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_inside_the_package() -> None:
    assert cycles(import_graph()) == []


def test_argparse_only_in_cli() -> None:
    users = sorted(m for m, p in _modules().items()
                   if "argparse" in {a.name for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
                                     if isinstance(n, ast.Import) for a in n.names}
                   | {n.module for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
                      if isinstance(n, ast.ImportFrom) and n.module})
    assert users == ["crossfoot.cli"]


def test_no_module_over_500_lines() -> None:
    long = {p.relative_to(SRC).as_posix(): n for p in SRC.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


_CHECKS = "crossfoot.checks"
_CHECK_INFRA = {f"{_CHECKS}.registry", f"{_CHECKS}.context"}


def test_no_check_module_imports_another() -> None:
    # A check reads what it needs from the context (computed outside checks/), never from another check:
    # so one check's bug or side effect cannot change what another finds.
    graph = import_graph()
    bad = {m: sorted(d for d in deps if d.startswith(_CHECKS + ".") and d not in _CHECK_INFRA)
           for m, deps in graph.items() if m.startswith(_CHECKS + ".") and m not in _CHECK_INFRA}
    assert {m: d for m, d in bad.items() if d} == {}


def test_only_the_checks_package_and_tests_import_check_modules() -> None:
    # Outside checks/, only the context and the registry (and the package itself) may be imported.
    graph = import_graph()
    bad = {m: sorted(d for d in deps if d.startswith(_CHECKS + ".") and d not in _CHECK_INFRA)
           for m, deps in graph.items() if not m.startswith(_CHECKS)}
    assert {m: d for m, d in bad.items() if d} == {}


def test_checks_do_not_touch_a_context_cache() -> None:
    # Derived state is a typed attribute of Context, not a string-keyed dict any module may fill.
    users = sorted(m for m, p in _modules().items()
                   if any(isinstance(n, ast.Attribute) and n.attr == "_cache"
                          for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))))
    assert users == []
