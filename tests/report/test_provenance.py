"""Every shown figure carries an anchor and names the evalkit function that computed it."""

from __future__ import annotations

import importlib
from pathlib import Path

import nbformat
import pytest

from evalkit.report.html import render_body
from evalkit.report.provenance import annotate, cell_functions

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _nb(*sources):
    nb = nbformat.v4.new_notebook()
    for i, src in enumerate(sources):
        cell = nbformat.v4.new_code_cell(src, execution_count=i + 1)
        cell.id = f"c{i}"
        cell.outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "x"}, execution_count=i + 1)]
        nb.cells.append(cell)
    return nb


def test_calls_resolve_through_every_import_form():
    nb = _nb(
        "import evalkit.notebook\nfrom evalkit import dependence\nfrom evalkit.screening import report as scr",
        "dependence.trade_indicators(product, source)",
        "result = scr.run(baci, importer=importer)\nresult.summary",
        "scr.flagged(result)",
        "evalkit.notebook.setup(lang)",
        "1 + 1",
    )
    assert cell_functions(nb) == {
        "c1": "evalkit.dependence.trade_indicators",
        "c2": "evalkit.screening.report.run(…).summary",
        "c3": "evalkit.screening.report.flagged",
    }


def test_annotate_adds_an_anchor_before_and_a_note_after_each_shown_output():
    nb = _nb("from evalkit import programme", "programme.approvals(as_of)")
    out = annotate(nb, "en")
    outputs = out.cells[1].outputs
    assert 'id="cell-c1"' in outputs[0]["data"]["text/html"]
    assert "How computed: <code>evalkit.programme.approvals</code>" in outputs[-1]["data"]["text/html"]
    assert len(nb.cells[1].outputs) == 1, "the notebook itself is not changed"
    assert "計算方法" in annotate(nb, "ja").cells[1].outputs[-1]["data"]["text/html"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_named_function_exists_and_every_shown_output_is_named(path):
    nb = nbformat.read(str(path), as_version=4)
    named = cell_functions(nb)
    for cell_id, name in named.items():
        dotted = name.split("(")[0]
        module, _, func = dotted.rpartition(".")
        assert callable(getattr(importlib.import_module(module), func)), f"{path.name} {cell_id}: {name}"
    shown = [
        c
        for c in nb.cells
        if c.cell_type == "code"
        and "parameters" not in c.metadata.get("tags", [])
        and any(o.get("output_type") in ("execute_result", "display_data") for o in c.outputs)
        and "evalkit.notebook.setup" not in c.source
    ]
    missing = [c.id for c in shown if c.id not in named]
    assert not missing, f"{path.name}: outputs of cells {missing} name no evalkit function"
    body = render_body(nb, "en")
    for cell_id in named:
        assert body.count(f'id="cell-{cell_id}"') <= 1
    assert all(f'id="cell-{c.id}"' in body for c in shown)


def test_a_recorded_result_links_to_the_table_shown_above_it():
    from evalkit.report.provenance import result_anchors
    from evalkit.results import RESULT_MIME

    nb = _nb(
        "from evalkit import dependence\nfrom evalkit.report import record",
        "dependence.trade_indicators(product, source)",
        "record('a.b', 1, unit='x', source='s')",
    )
    nb.cells[0].outputs = []
    nb.cells[0].outputs.append(
        nbformat.v4.new_output("display_data", data={RESULT_MIME: {"key": "early", "value": 1}}, metadata={})
    )
    nb.cells[2].outputs = [
        nbformat.v4.new_output(
            "display_data", data={RESULT_MIME: {"key": "a.b", "value": 1}, "text/plain": "a.b = 1"}, metadata={}
        )
    ]
    assert result_anchors(nb) == {"a.b": "cell-c1"}  # "early" comes before any shown table: no anchor


def test_each_function_links_to_its_first_shown_output():
    from evalkit.report.provenance import function_anchors

    nb = _nb(
        "from evalkit import dependence",
        "dependence.trade_chart(product)",
        "dependence.trade_chart(other)",
        "dependence.trade_indicators(product)",
    )
    nb.cells[3].outputs = []  # shows nothing: no anchor
    assert function_anchors(nb) == {"evalkit.dependence.trade_chart": "cell-c1"}
