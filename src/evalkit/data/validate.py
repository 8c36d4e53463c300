"""Validate the whole data package: every file, every sidecar, every identity."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from evalkit.data.catalogue import data_files
from evalkit.data.checks import CHECKS
from evalkit.data.sidecar import SIDECAR_SUFFIX
from evalkit.data.table import check_table
from evalkit.errors import Problem
from evalkit.paths import data_dir, relative


def validate_package(root: Path | None = None) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Check every data file and the identities between them.

    Parameters
    ----------
    root : pathlib.Path, optional
        The ``data/`` folder; defaults to :func:`evalkit.paths.data_dir`.

    Returns
    -------
    tables : dict of str to pandas.DataFrame
        Every table that could be read, keyed by path relative to the project.
    problems : list of Problem
        All problems, sorted by file and line; empty when the package is valid.
    """
    base = root or data_dir()
    tables: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    files = data_files(base)
    for path in files:
        frame, found = check_table(path)
        problems += found
        if frame is not None and not found:
            tables["data/" + path.relative_to(base).as_posix()] = frame
    for side in sorted(base.rglob(f"*{SIDECAR_SUFFIX}")):
        target = side.with_name(side.name[: -len(SIDECAR_SUFFIX)])
        if not target.is_file():
            problems.append(
                Problem(
                    relative(side),
                    None,
                    None,
                    None,
                    "sidecar:orphan",
                    f"sidecar without its data file {relative(target)}",
                )
            )
    for check in CHECKS:
        problems += check(tables)
    problems.sort(key=lambda p: (p.file, p.line or 0, p.column or ""))
    return tables, problems
