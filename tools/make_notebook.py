"""Build a report notebook from a compact cell list (dev tool).

Notebooks are committed *with* outputs (the reviewed record, checked by
``pytest --nbval``); this tool writes the sources only, after which
``make refresh`` executes them in place. Usage::

    python tools/make_notebook.py notebooks/specs/00_programme_overview.py

A spec module defines ``CELLS``: a list of ("md"|"params"|"code", source).
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import nbformat


def build(spec: Path) -> Path:
    cells = runpy.run_path(str(spec))["CELLS"]
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    }
    for kind, source in cells:
        source = source.strip("\n")
        if kind == "md":
            nb.cells.append(nbformat.v4.new_markdown_cell(source))
        elif kind == "params":
            nb.cells.append(nbformat.v4.new_code_cell(source, metadata={"tags": ["parameters"]}))
        else:
            nb.cells.append(nbformat.v4.new_code_cell(source))
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{spec.stem[:2]}-{i:02d}"
    out = spec.parent.parent / f"{spec.stem}.ipynb"
    nbformat.write(nb, str(out))
    return out


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        print("wrote", build(Path(arg)))
