"""Notebook pairs (``NN_topic.ipynb`` + ``NN_topic.py``) stay in step, and every notebook names one kernel."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbformat
import pytest

from evalkit.report.refresh import differences, sync
from evalkit.report.worker import KERNEL

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_committed_pair_is_in_sync(path):
    assert differences(path) == [], (
        f"{path.name} and {path.with_suffix('.py').name} differ: run `make sync` (or save in `make lab`)"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_names_the_one_kernel(path):
    nb = nbformat.read(str(path), as_version=4)
    assert nb.metadata["kernelspec"] == KERNEL
    assert f"name: {KERNEL['name']}" in path.with_suffix(".py").read_text(encoding="utf-8")


def _pair(tmp_path: Path) -> Path:
    src = NOTEBOOKS[0]
    for suffix in (".ipynb", ".py"):
        shutil.copy(src.with_suffix(suffix), tmp_path / (src.stem + suffix))
    shutil.copy(src.parents[1] / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path / src.name


def test_an_edit_to_the_py_half_is_detected_and_synced_keeping_outputs(tmp_path):
    nb_path = _pair(tmp_path)
    py = nb_path.with_suffix(".py")
    text = py.read_text(encoding="utf-8")
    first_md = next(c for c in nbformat.read(str(nb_path), as_version=4).cells if c.cell_type == "markdown")
    first_line = first_md.source.splitlines()[0]
    py.write_text(text.replace(f"# {first_line}", f"# {first_line} (edited)", 1), encoding="utf-8")
    later = nb_path.stat().st_mtime + 10
    os.utime(py, (later, later))
    assert differences(nb_path), "an edited .py must show as out of sync"
    before = nbformat.read(str(nb_path), as_version=4)
    sync(nb_path)
    assert differences(nb_path) == []
    after = nbformat.read(str(nb_path), as_version=4)
    assert after.cells[0].source.splitlines()[0].endswith("(edited)")
    kept = [c.outputs for c in after.cells if c.cell_type == "code"]
    assert kept == [c.outputs for c in before.cells if c.cell_type == "code"], "sync must keep the outputs"


def test_a_changed_tag_is_a_difference(tmp_path):
    nb_path = _pair(tmp_path)
    nb = nbformat.read(str(nb_path), as_version=4)
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    params.metadata["tags"] = []
    nbformat.write(nb, str(nb_path))
    assert any("tags" in d for d in differences(nb_path))
