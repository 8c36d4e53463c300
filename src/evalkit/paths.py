"""Where the project's folders are, independent of the working directory.

Notebooks run with their own folder as working directory (JupyterLab, nbval,
papermill with ``cwd``), scheduled jobs from anywhere; every path evalkit uses
is therefore resolved from the project root, found by walking up to
``pyproject.toml``. ``EVALKIT_ROOT`` overrides it (tests use this).
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """Return the evalkit project root.

    Returns
    -------
    pathlib.Path
        ``$EVALKIT_ROOT`` if set, else the nearest folder above this package
        (or above the working directory) holding ``pyproject.toml`` and ``data/``.
    """
    env = os.environ.get("EVALKIT_ROOT")
    if env:
        return Path(env).resolve()
    for start in (Path(__file__).resolve(), Path.cwd().resolve()):
        for folder in (start, *start.parents):
            if (folder / "pyproject.toml").is_file() and (folder / "data").is_dir():
                return folder
    raise FileNotFoundError(
        "cannot find the evalkit project root (a folder with pyproject.toml and data/); set EVALKIT_ROOT"
    )


def data_dir() -> Path:
    """Return ``<root>/data`` (or ``$EVALKIT_DATA`` when set)."""
    env = os.environ.get("EVALKIT_DATA")
    return Path(env).resolve() if env else project_root() / "data"


def notebooks_dir() -> Path:
    """Return ``<root>/notebooks``."""
    return project_root() / "notebooks"


def reports_dir() -> Path:
    """Return ``<root>/reports`` (or ``$EVALKIT_REPORTS`` when set)."""
    env = os.environ.get("EVALKIT_REPORTS")
    return Path(env).resolve() if env else project_root() / "reports"


def relative(path: Path) -> str:
    """Show ``path`` relative to the project root when it lies inside it."""
    try:
        return str(Path(path).resolve().relative_to(project_root()))
    except (ValueError, FileNotFoundError):
        return str(path)
