"""The project's modules import one another one way only: no circle, even through an import made inside a
function, and the indexer never reaches Flask or the server.

Imports are read from the source with ast (every `import` and `from … import` anywhere in a module, those
inside functions and under TYPE_CHECKING included), so a circle is found before it ever bites at run time.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("indexer", "server", "bench", "tools")


def project_modules() -> dict[str, tuple[Path, bool]]:
    """Every module of the project's packages: dotted name -> (file, is a package's __init__)."""
    out = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "data" in path.relative_to(ROOT).parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts = parts[:-1]
            out[".".join(parts)] = (path, is_package)
    return out


def imported(name: str, path: Path, is_package: bool, modules: dict) -> set[str]:
    """The project modules a module imports: `from pkg import mod` names mod, `from pkg import name` pkg."""
    package = name if is_package else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            targets = [(module, alias.name) for alias in node.names]
        else:
            continue
        for module, member in targets:
            if member and f"{module}.{member}" in modules:
                out.add(f"{module}.{member}")
            elif module in modules:
                out.add(module)
    out.discard(name)
    return out


def import_graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports."""
    modules = project_modules()
    return {name: imported(name, path, is_package, modules) for name, (path, is_package) in modules.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_finder_sees_a_circle_through_a_late_import():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert circles(graph) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_the_graph_reads_relative_and_late_imports():
    graph = import_graph()
    assert "indexer.query.nodes" in graph["indexer.analysis.planning"]
    assert "indexer.analysis" in graph["indexer.query.planner"]
    assert "server.api" in graph["server.app"]  # imported inside create_app
    assert "indexer.readers.units" in graph["indexer.readers"]  # `from .units import …`


def test_no_import_circle_among_the_project_modules():
    found = circles(import_graph())
    assert not found, "import circles: " + "; ".join(" <-> ".join(c) for c in found)


@pytest.mark.parametrize("forbidden", ["server", "flask", "werkzeug"])
def test_the_indexer_never_imports_the_server_or_flask(forbidden):
    for name, (path, _) in project_modules().items():
        if not name.startswith("indexer"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            assert not [n for n in names if n == forbidden or n.startswith(forbidden + ".")], (
                f"{name} imports {forbidden}"
            )
