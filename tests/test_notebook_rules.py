"""Conventions of the committed notebooks (the notebook rules of the README, "Editing a notebook")."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_there_are_notebooks():
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_one_typed_parameters_cell(path):
    nb = nbformat.read(str(path), as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    tree = ast.parse(tagged[0].source)
    assert tree.body and all(
        isinstance(node, ast.AnnAssign) and isinstance(node.value, ast.Constant) for node in tree.body
    ), "parameters cell: typed literals only"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_logic_in_cells_and_no_errors_committed(path):
    nb = nbformat.read(str(path), as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            assert not isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.Try, ast.For, ast.While)), (
                f"{path.name}: move {type(node).__name__} into src/evalkit"
            )
        assert cell.execution_count is not None, f"{path.name}: committed without outputs of its default run"
        assert not any(o.output_type == "error" for o in cell.outputs)
    assert nb.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_declares_lang_and_sets_it_up(path):
    """Every notebook can be published in English: a ``lang`` parameter (default ja) reaches setup()."""
    nb = nbformat.read(str(path), as_version=4)
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    declared = {node.target.id: node for node in ast.parse(params.source).body}
    assert "lang" in declared, f"{path.name}: no lang parameter"
    assert ast.unparse(declared["lang"].annotation) == "str" and declared["lang"].value.value == "ja"
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "evalkit.notebook.setup(lang)" in code, f"{path.name}: setup() does not receive lang"
