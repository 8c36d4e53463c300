"""Imports inside evalkit point one way: no cycle, and no domain module reaching up into the runner layer.

The package's import graph is read from the source with :mod:`ast` (nothing is imported), counting every
import, at the top of a module or inside a function: a function-level import still makes a cycle, it only
hides it until that function runs. Importing ``a.b.c`` also runs the packages ``a.b`` and ``a``, so those
count as imported too (except the importer's own parent packages, which are already being initialised).

Layers, bottom to top:

* ``evalkit.results`` (``record``/``Result``/``collect``, the headline-figure format): imports nothing from evalkit;
* domain modules (data, indicators, programme, accounting, ..., notebook, plotting): import each other without
  cycles and never ``evalkit.report`` or ``evalkit.cli``;
* the runner layer ``evalkit.report.*`` and the command line ``evalkit.cli``/``evalkit.__main__``.

Function-level imports kept on purpose (not checked here, listed so a reader knows they are deliberate):
matplotlib and ``evalkit.plotting``/``evalkit.notebook`` (which load matplotlib) inside chart functions;
pyspark/py4j, duckdb, pyarrow, ibis, statsmodels, openpyxl, selenium, papermill, jupytext, fontTools and
IPython inside the functions that need them; and ``evalkit.cli``, which imports each subcommand's layer only
when that subcommand runs.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

SRC = ROOT / "src"
PACKAGE = "evalkit"
#: The runner layer and the command line: only they may import ``evalkit.report`` (and only the CLI ``evalkit.cli``).
UPPER = ("evalkit.report", "evalkit.cli", "evalkit.__main__")
BOTTOM = "evalkit.results"


def _modules(src: Path, package: str) -> dict[str, Path]:
    """Dotted module name -> source file, for every module of ``package`` under ``src``."""
    out = {}
    for path in sorted((src / package).rglob("*.py")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(tree: ast.AST):
    """Every Import/ImportFrom node that runs (``if TYPE_CHECKING:`` blocks are skipped)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def import_graph(src: Path = SRC, package: str = PACKAGE) -> dict[str, dict[str, int]]:
    """Module -> {imported module of the same package: first line importing it}.

    ``from a.b import c`` counts as importing ``a.b.c`` when that is a module, else ``a.b``; the packages
    above an imported module count too, unless they also contain the importer.
    """
    modules = _modules(src, package)

    def resolve(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, dict[str, int]] = {}
    for name, path in modules.items():
        is_pkg = path.name == "__init__.py"
        here = name if is_pkg else name.rpartition(".")[0]
        edges: dict[str, int] = {}
        for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                wanted = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = here.split(".")[: len(here.split(".")) - (node.level - 1)]
                    base = ".".join([*anchor, base] if base else anchor)
                wanted = [f"{base}.{alias.name}" for alias in node.names] + [base]
            for target in filter(None, map(resolve, (w for w in wanted if w.split(".")[0] == package))):
                chain = target.split(".")
                for depth in range(len(chain), 0, -1):
                    dep = ".".join(chain[:depth])
                    if dep == name or name.startswith(dep + "."):
                        break  # the importer itself, or a package it lives in
                    edges[dep] = min(edges.get(dep, node.lineno), node.lineno)
        graph[name] = edges
    return graph


def cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Each import cycle as a closed path ``[a, b, ..., a]``, one per strongly connected group (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, {})):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)

    out = []
    for group in groups:
        members = set(group)
        start = group[0]
        # shortest way back to the start inside the group: a readable cycle to report
        paths = {start: [start]}
        frontier = [start]
        found = None
        while frontier and found is None:
            nxt = []
            for v in frontier:
                for w in sorted(graph[v]):
                    if w == start:
                        found = [*paths[v], start]
                        break
                    if w in members and w not in paths:
                        paths[w] = [*paths[v], w]
                        nxt.append(w)
                if found:
                    break
            frontier = nxt
        out.append(found)
    return out


def describe(cycle: list[str], graph: dict[str, dict[str, int]]) -> str:
    """``a (line 3) -> b (line 9) -> a``: where each step of a cycle imports the next."""
    steps = [f"{a} (line {graph[a][b]})" for a, b in zip(cycle, cycle[1:])]
    return " -> ".join([*steps, cycle[-1]])


def runner_imports(graph: dict[str, dict[str, int]], layers: tuple[str, ...] = UPPER) -> list[str]:
    """``module:line imports target`` for each module outside ``layers`` importing one of them."""

    def upper(name: str) -> bool:
        return any(name == u or name.startswith(u + ".") for u in layers)

    return [
        f"{module}:{line} imports {target}"
        for module, edges in sorted(graph.items())
        if not upper(module)
        for target, line in sorted(edges.items())
        if upper(target)
    ]


# --------------------------------------------------------------------------- the package


@pytest.fixture(scope="module")
def graph():
    return import_graph()


def test_no_import_cycle(graph):
    found = [describe(c, graph) for c in cycles(graph)]
    assert not found, "import cycles (put what both sides need in a lower module):\n" + "\n".join(found)


def test_domain_modules_do_not_import_the_runner_layer(graph):
    found = runner_imports(graph)
    assert not found, "import record from evalkit.results, not evalkit.report:\n" + "\n".join(found)


def test_results_is_the_bottom_layer(graph):
    assert graph[BOTTOM] == {}, f"{BOTTOM} must import nothing from evalkit: {graph[BOTTOM]}"
    users = sorted(m for m, edges in graph.items() if BOTTOM in edges)
    assert {"evalkit.programme", "evalkit.accounting", "evalkit.targets", "evalkit.report.record"} <= set(users)


def test_the_graph_sees_top_level_and_function_level_imports(graph):
    assert "evalkit.disbursement" in graph["evalkit.accounting"]  # top of the module
    assert "evalkit.plotting" in graph["evalkit.accounting"]  # inside the chart functions
    assert "evalkit.data" in graph["evalkit.registry"] and "evalkit.data.table" in graph["evalkit.data"]


# --------------------------------------------------------------------------- the checks themselves can fail


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = tmp_path / "pkg" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_a_cycle_through_a_function_level_import_is_found(tmp_path):
    src = _package(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "from pkg.b import f\n",
            "b.py": "def f():\n    from pkg import a\n    return a\n",
            "c.py": "import pkg.a\n",
        },
    )
    g = import_graph(src, "pkg")
    assert g["pkg.c"] == {"pkg.a": 1}
    assert [describe(c, g) for c in cycles(g)] == ["pkg.a (line 1) -> pkg.b (line 2) -> pkg.a"]


def test_relative_imports_parent_packages_and_type_checking(tmp_path):
    src = _package(
        tmp_path,
        {
            "__init__.py": "",
            "data/__init__.py": "from .table import read\n",
            "data/table.py": "from . import sidecar\nfrom pkg.data import sidecar as s2\n",
            "data/sidecar.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.data import table\n",
            "user.py": "from pkg.data.sidecar import x\n",
        },
    )
    g = import_graph(src, "pkg")
    assert g["pkg.data"] == {"pkg.data.table": 1}
    assert g["pkg.data.table"] == {"pkg.data.sidecar": 1}  # its own package is not an edge
    assert g["pkg.data.sidecar"] == {}  # typing-only import
    assert g["pkg.user"] == {"pkg.data.sidecar": 1, "pkg.data": 1}
    assert cycles(g) == []


def test_a_domain_module_importing_the_runner_is_found(tmp_path):
    src = _package(
        tmp_path,
        {
            "__init__.py": "",
            "report/__init__.py": "from pkg.results import record\n",
            "report/runner.py": "import pkg.targets\n",
            "results.py": "",
            "targets.py": "def f():\n    from pkg.report import record\n",
        },
    )
    g = import_graph(src, "pkg")
    assert runner_imports(g, ("pkg.report", "pkg.cli")) == ["pkg.targets:2 imports pkg.report"]
