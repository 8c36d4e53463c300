"""evalkit.results: record() validates headline figures carried in the notebook output; collect() reads them."""

from __future__ import annotations

import math

import nbformat
import numpy as np
import pytest

from evalkit.results import RESULT_MIME, collect, record


def test_record_converts_numpy_and_keeps_fields():
    r = record("plans_approved.batteries", np.int64(32), unit="plans", source="slide A")
    assert r.to_dict() == {"key": "plans_approved.batteries", "value": 32, "unit": "plans", "source": "slide A"}
    assert type(r.value) is int


@pytest.mark.parametrize("key", ["Plans", "a..b", "a-b", "", "1abc", "a b"])
def test_bad_keys(key):
    with pytest.raises(ValueError):
        record(key, 1, unit="u", source="s")


def test_nan_is_refused_none_states_a_gap():
    with pytest.raises(ValueError):
        record("x", math.nan, unit="u", source="s")
    assert record("x", None, unit="u", source="s").value is None


def test_unit_and_source_are_required():
    with pytest.raises(ValueError):
        record("x", 1, unit="", source="s")
    with pytest.raises(ValueError):
        record("x", 1, unit="u", source="")


def test_collect_reads_results_from_outputs():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data", data={RESULT_MIME: {"key": "k", "value": 1, "unit": "u", "source": "s"}, "text/plain": "k"}
        ),
        nbformat.v4.new_output("stream", name="stdout", text="noise"),
    ]
    nb.cells.append(cell)
    assert collect(nb, "00_x") == [{"key": "k", "value": 1, "unit": "u", "source": "s", "notebook": "00_x"}]


def test_notebooks_and_the_runner_keep_their_import_paths():
    import importlib
    import sys

    import evalkit.results

    runner_side = importlib.import_module("evalkit.report.record")  # what the runner imports collect from
    assert runner_side is sys.modules["evalkit.report.record"]
    assert runner_side.collect is evalkit.results.collect and runner_side.RESULT_MIME == RESULT_MIME

    from evalkit.report import Result
    from evalkit.report import record as notebook_record  # what notebooks write, also after the runner loaded

    assert notebook_record is evalkit.results.record
    assert Result is evalkit.results.Result
