"""Re-execute the committed notebooks in place with their default parameters.

The committed notebooks carry the outputs of their default run: that is the
reviewed record that ``pytest --nbval`` replays. After a legitimate change,
``make refresh`` re-runs them; papermill's run metadata (timestamps,
durations) is stripped so the diff shows only what the reader sees.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill as pm

from evalkit.errors import NotebookFailedError


def clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop volatile run metadata (papermill timings, execution stamps)."""
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if cell.get("cell_type") == "code":
            for out in cell.get("outputs", []):
                out.get("metadata", {}).pop("papermill", None)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def refresh(notebook: Path, timeout: int = 600) -> None:
    """Execute ``notebook`` with its defaults and write it back, cleaned.

    Raises
    ------
    NotebookFailedError
        When a cell fails; the committed notebook is left as it was.
    """
    tmp = notebook.with_name(f".{notebook.stem}.refresh.ipynb")
    try:
        pm.execute_notebook(str(notebook), str(tmp), kernel_name="python3", cwd=str(notebook.parent),
                            progress_bar=False, execution_timeout=timeout)
    except Exception as exc:
        tmp.unlink(missing_ok=True)
        raise NotebookFailedError(f"{notebook.name}: {exc}".splitlines()[0]) from exc
    nb = clean(nbformat.read(str(tmp), as_version=4))
    nbformat.write(nb, str(tmp))
    tmp.replace(notebook)
