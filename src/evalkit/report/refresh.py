"""Keep the notebook pairs in step and re-execute the committed notebooks in place.

Each report notebook is a jupytext pair (configured in ``pyproject.toml``):
``NN_topic.py`` in the ``py:percent`` format, the source a reviewer reads in a
diff, and ``NN_topic.ipynb``, which carries the outputs of its default run:
the reviewed record that ``pytest --nbval`` replays and ``evalkit report``
executes. JupyterLab (``make lab``) saves both files together; an editor
changes only the ``.py``, and :func:`sync` carries the change over.
``make refresh`` syncs, then re-runs each notebook; papermill's run metadata
(timestamps, durations) is stripped so the diff shows only what the reader sees.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from evalkit.errors import NotebookFailedError
from evalkit.report.worker import KERNEL


def paired_text(notebook: Path) -> Path:
    """The ``py:percent`` half of a notebook pair (``NN_topic.ipynb`` -> ``NN_topic.py``)."""
    return notebook.with_suffix(".py")


def sync(notebook: Path) -> None:
    """Bring the two halves of a pair level, as ``jupytext --sync`` does (the newer half wins).

    Outputs stay in the ``.ipynb``; a pair whose inputs already agree is left as it is.
    """
    from jupytext.cli import jupytext as jupytext_cli

    jupytext_cli(["--sync", "--quiet", str(notebook)])


def differences(notebook: Path) -> list[str]:
    """Where the two halves of a pair disagree (cell kinds, sources, tags); empty when in step."""
    import jupytext

    text = paired_text(notebook)
    if not text.is_file():
        return [f"{text.name} is missing"]
    ipynb = nbformat.read(str(notebook), as_version=4)
    py = jupytext.read(str(text), fmt="py:percent")
    out = []
    if len(ipynb.cells) != len(py.cells):
        out.append(f"{len(ipynb.cells)} cells in {notebook.name}, {len(py.cells)} in {text.name}")
    for i, (a, b) in enumerate(zip(ipynb.cells, py.cells)):
        if a.cell_type != b.cell_type:
            out.append(f"cell {i}: {a.cell_type} in {notebook.name}, {b.cell_type} in {text.name}")
        elif a.source.strip() != b.source.strip():
            out.append(f"cell {i}: the sources differ")
        elif sorted(a.metadata.get("tags", [])) != sorted(b.metadata.get("tags", [])):
            out.append(f"cell {i}: tags {a.metadata.get('tags', [])} vs {b.metadata.get('tags', [])}")
    return out


def clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop volatile run metadata (papermill timings, execution stamps) and pin the kernel."""
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if cell.get("cell_type") == "code":
            for out in cell.get("outputs", []):
                out.get("metadata", {}).pop("papermill", None)
    nb.metadata["kernelspec"] = dict(KERNEL)
    return nb


def refresh(notebook: Path, timeout: int = 600) -> None:
    """Sync ``notebook`` with its ``.py``, execute it with its defaults and write it back, cleaned.

    Raises
    ------
    NotebookFailedError
        When a cell fails; the committed notebook is left as it was.
    """
    import papermill as pm

    sync(notebook)
    tmp = notebook.with_name(f".{notebook.stem}.refresh.ipynb")
    try:
        pm.execute_notebook(
            str(notebook),
            str(tmp),
            kernel_name=KERNEL["name"],
            cwd=str(notebook.parent),
            progress_bar=False,
            execution_timeout=timeout,
        )
    except Exception as exc:
        tmp.unlink(missing_ok=True)
        raise NotebookFailedError(f"{notebook.name}: {exc}".splitlines()[0]) from exc
    nb = clean(nbformat.read(str(tmp), as_version=4))
    nbformat.write(nb, str(tmp))
    tmp.replace(notebook)
    sync(notebook)
