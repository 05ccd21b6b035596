"""The import graph of ``consilium/`` has no cycles, and the course bank never imports
certificates.

A module-level import cycle works only as long as nobody reorders imports (a partially
initialised module answers ``ImportError`` or ``AttributeError`` at start-up), and a lazy
import inside a function that exists only to dodge such a cycle hides a two-way dependency.
Apps depend one way: ``certificates`` on ``courses``, never the reverse; the course bank
announces what happened through ``courses/signals.py`` and certificates listen (see
docs/architecture.md, "Dependencies between apps").

The graph is read from the source with ``ast`` (nothing is imported): an edge for every
``import``/``from … import`` executed when the module loads (function bodies and
``if TYPE_CHECKING:`` blocks are not), resolved to a module of ``consilium`` (``from a import
b`` is an edge to ``a.b`` when that is a module, else to ``a``). Tests and migrations are left
out. Run this file with Python to print the module-level cycles and the lazy imports that
close a cycle.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "consilium"

# A dotted path of the certificates app, as ``import_string`` or a setting would name it.
DOTTED = r"consilium\.certificates(\.\w+)*"

# Cycles that belong to someone else's work in progress, each with the reason; keep empty.
ALLOWED_CYCLES: list[frozenset[str]] = []


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the imported module (of consilium)
    line: int
    lazy: bool  # inside a function body


def _skipped(path: Path) -> bool:
    parts = path.relative_to(PACKAGE).parts
    return "tests" in parts or "migrations" in parts


def modules() -> dict[str, Path]:
    """Every module of ``consilium`` but tests and migrations, by dotted name."""
    found: dict[str, Path] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if _skipped(path):
            continue
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _statements(body: list[ast.stmt], lazy: bool) -> Iterator[tuple[ast.stmt, bool]]:
    """Import statements of ``body`` with whether they run lazily (in a function)."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, lazy
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield from _statements(node.body, True)
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            yield from _statements(node.orelse, lazy)
        else:
            for field in ("body", "orelse", "finalbody", "handlers", "cases"):
                block = getattr(node, field, None)
                if isinstance(block, list):
                    inner = [n for n in block if isinstance(n, ast.stmt)]
                    for part in block:
                        if isinstance(part, ast.excepthandler | ast.match_case):
                            inner += part.body
                    yield from _statements(inner, lazy)


def imports(known: dict[str, Path] | None = None) -> list[Import]:
    """Every import of one consilium module by another, module-level and lazy."""
    known = modules() if known is None else known
    found: list[Import] = []
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node, lazy in _statements(tree.body, False):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                for alias in node.names:
                    child = f"{base}.{alias.name}"
                    targets.append(child if child in known else base)
            for target in targets:
                if target in known and target != name:
                    found.append(Import(name, target, node.lineno, lazy))
    return found


def cycles(edges: list[Import]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), sorted."""
    graph: dict[str, set[str]] = {}
    for edge in edges:
        graph.setdefault(edge.source, set()).add(edge.target)
        graph.setdefault(edge.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10 * len(graph) + 100))
    try:
        for node in sorted(graph):
            if node not in index:
                visit(node)
    finally:
        sys.setrecursionlimit(limit)
    return sorted(found)


def lazy_cycles(edges: list[Import]) -> list[tuple[Import, list[str]]]:
    """Each lazy import ``a -> b`` where ``b`` leads back to ``a`` (module-level or lazily),
    with the path back: the function-level import closes a cycle."""
    graph: dict[str, set[str]] = {}
    for edge in edges:
        graph.setdefault(edge.source, set()).add(edge.target)
    found = []
    for edge in edges:
        if not edge.lazy:
            continue
        path = _path(graph, edge.target, edge.source)
        if path:
            found.append((edge, path))
    return found


def _path(graph: dict[str, set[str]], start: str, goal: str) -> list[str]:
    previous: dict[str, str | None] = {start: None}
    queue = [start]
    for node in queue:
        if node == goal:
            path = [node]
            while previous[path[-1]] is not None:
                path.append(previous[path[-1]])  # type: ignore[arg-type]
            return path[::-1]
        for nxt in sorted(graph.get(node, ())):
            if nxt not in previous:
                previous[nxt] = node
                queue.append(nxt)
    return []


# --- the tests ---------------------------------------------------------------------------------


def test_the_module_level_import_graph_is_acyclic() -> None:
    module_level = [edge for edge in imports() if not edge.lazy]
    found = [c for c in cycles(module_level) if frozenset(c) not in ALLOWED_CYCLES]
    assert found == [], "module-level import cycles:\n" + "\n".join(" <-> ".join(c) for c in found)


def test_the_course_bank_never_imports_certificates() -> None:
    """``courses`` announces completions and asks for certificate counts through its signals;
    ``certificates`` listens (``certificates/apps.py``). Tests are exempt."""
    known = modules()
    offending = [
        f"{edge.source}:{edge.line} imports {edge.target}"
        for edge in imports(known)
        if edge.source.startswith("consilium.courses")
        and edge.target.startswith("consilium.certificates")
    ]
    # A dotted path imported at run time (import_string, a setting) counts as well.
    for name, path in known.items():
        if not name.startswith("consilium.courses"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and re.fullmatch(DOTTED, str(node.value)):
                offending.append(f"{name}:{node.lineno} names {node.value}")
    assert offending == []


def test_the_graph_reader_sees_cycles() -> None:
    """The reader itself: a cycle, a lazy import closing one, relative imports."""
    edges = [
        Import("a", "b", 1, False),
        Import("b", "c", 1, False),
        Import("c", "a", 1, False),
        Import("c", "d", 1, False),
        Import("d", "e", 1, True),
        Import("e", "d", 1, False),
    ]
    assert cycles([e for e in edges if not e.lazy]) == [["a", "b", "c"]]
    assert [(e.source, e.target, p) for e, p in lazy_cycles(edges)] == [("d", "e", ["e", "d"])]
    resolved = {(e.source, e.target) for e in imports()}
    assert ("consilium.courses.api", "consilium.courses.api.catalog") in resolved


if __name__ == "__main__":
    every = imports()
    print("module-level cycles:")
    for component in cycles([edge for edge in every if not edge.lazy]):
        print("  " + " <-> ".join(component))
    print("lazy imports that close a cycle:")
    for edge, path in lazy_cycles(every):
        print(f"  {edge.source}:{edge.line} -> {edge.target}  (back: {' -> '.join(path)})")
