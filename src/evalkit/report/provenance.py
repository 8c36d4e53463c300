"""Two hops from a figure to its code: an anchor per output and a "how computed" line naming the function.

A reviewer who reads a table in a published page should reach the code that
made it without searching the notebook. Every report notebook cell makes one
``evalkit`` call (the notebook rules), so the function is known from the cell
itself: :func:`cell_functions` reads the notebook's imports (``from evalkit
import dependence``, ``from evalkit.screening import report as screening``,
``import evalkit.notebook``) and resolves each cell's call to its full dotted
name (``evalkit.dependence.trade_indicators``); a cell that shows an attribute
of an earlier result (``result.summary``) names the call that made the result.
:func:`annotate` then gives each shown output an HTML anchor from the cell's
own id (stable across runs, since the id is committed with the notebook) and a
one-line note under it.
"""

from __future__ import annotations

import ast
import html

import nbformat

#: Output types that show something to a reader (stream output is log text, not a figure).
_SHOWN = ("execute_result", "display_data")


def _dotted(node: ast.AST) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def _aliases(tree: ast.Module, aliases: dict[str, str]) -> None:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] == "evalkit":
                    aliases[a.asname or a.name.split(".")[0]] = a.name if a.asname else "evalkit"
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "evalkit":
            for a in node.names:
                aliases[a.asname or a.name] = f"{node.module}.{a.name}"


def _resolve(name: str | None, aliases: dict[str, str], made_by: dict[str, str]) -> str | None:
    if not name:
        return None
    head, _, rest = name.partition(".")
    if head in made_by:
        return made_by[head] + ("." + rest if rest else "")
    if head in aliases:
        return aliases[head] + ("." + rest if rest else "")
    return None


def cell_functions(nb: nbformat.NotebookNode) -> dict[str, str]:
    """The evalkit function each code cell calls, by cell id (cells calling none are left out)."""
    aliases: dict[str, str] = {}
    made_by: dict[str, str] = {}
    out: dict[str, str] = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        _aliases(tree, aliases)
        found = None
        for stmt in tree.body:
            value = stmt.value if isinstance(stmt, (ast.Expr, ast.Assign)) else None
            if isinstance(value, ast.Call):
                found = _resolve(_dotted(value.func), aliases, made_by) or found
                if isinstance(stmt, ast.Assign) and found:
                    for target in stmt.targets:
                        if isinstance(target, ast.Name):
                            made_by[target.id] = found + "(…)"
            elif value is not None:
                found = _resolve(_dotted(value), aliases, made_by) or found
        if found and cell.get("id") and not found.startswith("evalkit.notebook."):
            out[cell["id"]] = found
    return out


def annotate(nb: nbformat.NotebookNode, lang: str = "ja") -> nbformat.NotebookNode:
    """Copy of ``nb`` whose shown outputs carry an anchor (``id="cell-<id>"``) and a "how computed" line."""
    from evalkit.i18n import t

    copy = nbformat.from_dict(nb)
    functions = cell_functions(copy)
    for cell in copy.cells:
        name = functions.get(cell.get("id", ""))
        shown = [o for o in cell.get("outputs", []) if o.get("output_type") in _SHOWN]
        if not name or not shown:
            continue
        anchor = html.escape(f"cell-{cell['id']}")
        mark = f'<span class="anchor" id="{anchor}"></span>'
        note = (
            f'<p class="how">{html.escape(t("how_computed", lang))}: <code>{html.escape(name)}</code> · '
            f'<a href="#{anchor}">#{anchor}</a></p>'
        )
        cell.outputs = [
            nbformat.v4.new_output("display_data", data={"text/html": mark}, metadata={}),
            *cell.outputs,
            nbformat.v4.new_output("display_data", data={"text/html": note}, metadata={}),
        ]
    return copy


def result_anchors(nb: nbformat.NotebookNode) -> dict[str, str]:
    """The anchor of the table or chart each recorded result comes from, by result key.

    A result recorded by a cell that itself shows an annotated output links to
    that output; otherwise it links to the nearest annotated output above it
    (a notebook shows a table, then records the figure read from it); as on the
    page (:func:`evalkit.report.html.render_body`), the outputs of ``record()``
    themselves are not shown and carry no anchor. Results
    recorded before any annotated output are left out (the page itself is the
    link then).
    """
    from evalkit.results import RESULT_MIME

    functions = cell_functions(nb)
    last = None
    out: dict[str, str] = {}
    for cell in nb.cells:
        outputs = cell.get("outputs", [])
        # as on the page: outputs of record() are not shown there (the index lists them), so they carry no anchor
        shown = [o for o in outputs if o.get("output_type") in _SHOWN and RESULT_MIME not in o.get("data", {})]
        if functions.get(cell.get("id", "")) and shown:
            last = f"cell-{cell['id']}"
        for o in outputs:
            payload = o.get("data", {}).get(RESULT_MIME)
            if payload is None or last is None:
                continue
            for item in payload if isinstance(payload, list) else [payload]:
                if isinstance(item, dict) and isinstance(item.get("key"), str):
                    out.setdefault(item["key"], last)
    return out


def function_anchors(nb: nbformat.NotebookNode) -> dict[str, str]:
    """The anchor of the first shown output of each evalkit function the notebook calls, by function name."""
    from evalkit.results import RESULT_MIME

    out: dict[str, str] = {}
    for cell_id, name in cell_functions(nb).items():
        cell = next(c for c in nb.cells if c.get("id") == cell_id)
        outputs = cell.get("outputs", [])
        if any(o.get("output_type") in _SHOWN and RESULT_MIME not in o.get("data", {}) for o in outputs):
            out.setdefault(name, f"cell-{cell_id}")
    return out
