"""Shared fixtures: throw-away copies of the project so tests never touch the real data or reports."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A copy of pyproject, data/ and notebooks/ in tmp, with EVALKIT_ROOT pointing at it."""
    dest = tmp_path / "project"
    dest.mkdir()
    shutil.copy2(ROOT / "pyproject.toml", dest / "pyproject.toml")
    shutil.copytree(ROOT / "data", dest / "data")
    shutil.copytree(ROOT / "notebooks", dest / "notebooks", ignore=shutil.ignore_patterns(".*", "specs"))
    monkeypatch.setenv("EVALKIT_ROOT", str(dest))
    monkeypatch.delenv("EVALKIT_DATA", raising=False)
    monkeypatch.delenv("EVALKIT_REPORTS", raising=False)
    from evalkit import registry

    registry.products.cache_clear()
    yield dest
    registry.products.cache_clear()


def tree_digest(folder: Path) -> dict[str, str]:
    """sha256 of every file below ``folder`` (following the report symlinks), by relative path."""
    out = {}
    if not folder.exists():
        return out
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            out[path.relative_to(folder).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    for link in sorted(p for p in folder.iterdir() if p.is_symlink()):
        out[f"{link.name}@"] = str(link.readlink())
    return out


def reseal(path: Path) -> None:
    """Re-seal a data file after a test edits it on purpose (so only the intended fault remains)."""
    from evalkit.data.sidecar import seal
    from evalkit.data.table import check_table

    frame, _ = check_table(path)
    seal(path, len(frame) if frame is not None else 0)
