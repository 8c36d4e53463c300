"""Parameter values reach the kernel exactly as given (checklist H6): quotes, backslashes, newlines, Japanese."""

from __future__ import annotations

import nbformat
from hypothesis import given, settings
from hypothesis import strategies as st
from papermill.parameterize import parameterize_notebook


def _notebook():
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}, "papermill": {}}
    nb.cells.append(nbformat.v4.new_code_cell('label: str = "x"  # text', metadata={"tags": ["parameters"]}))
    return nb


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")))
def test_string_parameters_round_trip(value):
    nb = parameterize_notebook(_notebook(), {"label": value})
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])][0]
    namespace: dict = {}
    exec(injected.source, namespace)  # the exact code papermill would run in the kernel
    assert namespace["label"] == value
