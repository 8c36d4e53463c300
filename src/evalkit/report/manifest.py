"""The run manifest: what went in, what came out, and how to check it.

``manifest.json`` is written last, so a report folder without one was never
completely published. ``evalkit verify`` recomputes every checksum it lists.
"""

from __future__ import annotations

import json
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

from evalkit.data.catalogue import data_files
from evalkit.data.sidecar import SIDECAR_SUFFIX, sha256_of
from evalkit.errors import MissingInputError
from evalkit.paths import data_dir, project_root

MANIFEST = "manifest.json"
REVIEW_DIRS = ("screenshots/",)  #: added after publishing for review; not part of the report
PACKAGES = (
    "evalkit",
    "papermill",
    "nbclient",
    "nbconvert",
    "nbformat",
    "ipykernel",
    "pandas",
    "numpy",
    "matplotlib",
    "matplotlib-fontja",
    "statsmodels",
    "pyyaml",
    "jinja2",
    "duckdb",
)


def package_versions() -> dict[str, str]:
    """Installed versions of the packages a report depends on."""
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def git_state(root: Path) -> dict[str, Any]:
    """Commit and dirty flag of the project checkout (``None`` outside git)."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True, timeout=10
        ).stdout.strip()
        dirty = (
            subprocess.run(
                ["git", "status", "--porcelain", "--untracked-files=no"],
                cwd=root,
                capture_output=True,
                text=True,
                check=True,
                timeout=10,
            ).stdout.strip()
            != ""
        )
        return {"commit": commit, "dirty": dirty}
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}


def input_files(notebooks: list[Path]) -> list[Path]:
    """Inputs of a run: every data file and sidecar, and the notebooks run."""
    files = []
    for path in data_files():
        files.append(path)
        side = path.with_name(path.name + SIDECAR_SUFFIX)
        if side.is_file():
            files.append(side)
    return sorted(files) + sorted(notebooks)


def checksums(paths: list[Path], base: Path) -> dict[str, str]:
    """Map path relative to ``base`` (POSIX) -> sha256."""
    return {p.resolve().relative_to(base.resolve()).as_posix(): sha256_of(p) for p in paths}


def changed_inputs(before: dict[str, str], notebooks: list[Path], root: Path) -> list[str]:
    """Inputs that differ from the checksums ``before`` taken when the run started.

    Parameters
    ----------
    before : dict
        :func:`checksums` of :func:`input_files` at the start of the run.
    notebooks : list of pathlib.Path
        The notebooks of the run.
    root : pathlib.Path
        The project root.

    Returns
    -------
    list of str
        ``changed: <path>``, ``added: <path>`` or ``removed: <path>`` lines; empty
        when every input is as it was.
    """
    after = {}
    for path in input_files(notebooks):
        try:
            after.update(checksums([path], root))
        except FileNotFoundError:  # removed between listing and reading: shown as removed
            pass
    out = [f"changed: {p}" for p in sorted(set(before) & set(after)) if before[p] != after[p]]
    out += [f"added: {p}" for p in sorted(set(after) - set(before))]
    out += [f"removed: {p}" for p in sorted(set(before) - set(after))]
    return out


def write_json(path: Path, payload: Any) -> None:
    """Write JSON atomically (temp file + rename), UTF-8, stable key order."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    tmp.replace(path)


def verify(report: Path) -> list[str]:
    """Recompute the checksums a report's manifest lists.

    Parameters
    ----------
    report : pathlib.Path
        A published report folder (``reports/<as_of>``).

    Returns
    -------
    list of str
        One line per difference (``changed``, ``missing``, ``not listed``);
        empty when every input and output matches.
    """
    manifest_path = report / MANIFEST
    if not manifest_path.is_file():
        raise MissingInputError(f"{manifest_path}: no manifest; the folder is not a complete evalkit report")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return [f"manifest unreadable: {MANIFEST} ({exc})"]
    if not isinstance(manifest, dict):
        return [f"manifest unreadable: {MANIFEST} is not a JSON object"]
    problems = []
    root = project_root()
    for group, base in (("inputs", root), ("outputs", report)):
        for rel, digest in manifest.get(group, {}).items():
            path = base / rel
            if not path.is_file():
                problems.append(f"{group[:-1]} missing: {rel}")
            elif sha256_of(path) != digest:
                problems.append(f"{group[:-1]} changed: {rel} (sha256 {sha256_of(path)}, manifest {digest})")
    listed = set(manifest.get("outputs", {}))
    for path in sorted(report.rglob("*")):
        rel = path.relative_to(report).as_posix()
        if path.is_file() and rel != MANIFEST and rel not in listed and not rel.startswith(REVIEW_DIRS):
            problems.append(f"output not listed in manifest: {rel}")
    return problems


def data_root_hint() -> str:
    """Data folder as recorded in the manifest (relative to the project)."""
    try:
        return data_dir().relative_to(project_root()).as_posix()
    except ValueError:
        return str(data_dir())
