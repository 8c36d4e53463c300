"""What changed between two published reports: ``evalkit diff OLD NEW``.

Compares the ``results.json`` of two report folders (or two ``results.json``
files) key by key. A key present only in NEW is *added*, only in OLD
*removed*; a key in both is *changed* when its value, unit or source differ.
Floats are compared to :data:`REL_TOL` relative (the last bits of a float can
differ between machines without any change in data or method), everything else
exactly. The result is a table a reviewer reads, or JSON/CSV for a pipeline.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evalkit.errors import DataValidationError, MissingInputError, Problem
from evalkit.paths import relative

#: Relative tolerance below which two floats count as the same figure.
REL_TOL = 1e-9
CHANGES = ("added", "removed", "changed")


@dataclass(frozen=True)
class Change:
    """One key that differs between two reports."""

    change: str
    key: str
    old_value: Any
    new_value: Any
    old_unit: str | None
    new_unit: str | None
    old_source: str | None
    new_source: str | None

    def as_dict(self) -> dict[str, Any]:
        """Plain form for JSON and CSV output."""
        return dict(self.__dict__)


def _results_file(path: Path) -> Path:
    path = Path(path)
    target = path / "results.json" if path.is_dir() else path
    if not target.is_file():
        raise MissingInputError(f"{relative(target)}: no results.json (give a published report folder or the file)")
    return target


def load_results(path: Path) -> tuple[str | None, dict[str, dict[str, Any]]]:
    """The as-of and the results of a report, keyed by result key.

    Raises
    ------
    MissingInputError
        No ``results.json`` there (exit 66).
    DataValidationError
        Not the results format (``{"as_of", "results": [{"key", "value", "unit", ...}]}``), or a key twice (65).
    """
    target = _results_file(path)
    name = relative(target)
    try:
        payload = json.loads(target.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise DataValidationError([Problem(name, None, None, None, "json:syntax", f"not valid JSON: {exc}")]) from exc
    rows = payload.get("results") if isinstance(payload, dict) else None
    if not isinstance(rows, list):
        raise DataValidationError(
            [Problem(name, None, "results", None, "results:schema", "expected an object with a 'results' list")]
        )
    out: dict[str, dict[str, Any]] = {}
    problems = []
    for i, row in enumerate(rows):
        if not isinstance(row, dict) or not isinstance(row.get("key"), str) or "value" not in row:
            problems.append(
                Problem(name, None, f"results[{i}]", repr(row)[:60], "results:schema", "expected {key, value, unit}")
            )
            continue
        if row["key"] in out:
            problems.append(Problem(name, None, f"results[{i}]", row["key"], "results:duplicate", "key listed twice"))
            continue
        out[row["key"]] = row
    if problems:
        raise DataValidationError(problems)
    return payload.get("as_of"), out


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
            return math.isclose(float(a), float(b), rel_tol=REL_TOL, abs_tol=0.0)
    return a == b


def compare(old: Path, new: Path) -> list[Change]:
    """Keys added, removed and changed from report ``old`` to report ``new``, sorted by change then key."""
    _, before = load_results(old)
    _, after = load_results(new)
    return changes_between(before, after)


def changes_between(before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]) -> list[Change]:
    """Keys added, removed and changed from results ``before`` to ``after`` (each keyed by result key)."""
    changes = []
    for key in sorted(set(before) | set(after)):
        a, b = before.get(key), after.get(key)
        if a is None:
            kind = "added"
        elif b is None:
            kind = "removed"
        elif (
            _same(a.get("value"), b.get("value"))
            and a.get("unit") == b.get("unit")
            and a.get("source") == b.get("source")
        ):
            continue
        else:
            kind = "changed"
        changes.append(
            Change(
                kind,
                key,
                None if a is None else a.get("value"),
                None if b is None else b.get("value"),
                None if a is None else a.get("unit"),
                None if b is None else b.get("unit"),
                None if a is None else a.get("source"),
                None if b is None else b.get("source"),
            )
        )
    changes.sort(key=lambda c: (CHANGES.index(c.change), c.key))
    return changes


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def text_table(changes: list[Change], old: str, new: str) -> str:
    """A plain-text table for a terminal or a log, with a one-line summary first."""
    counts = {kind: sum(c.change == kind for c in changes) for kind in CHANGES}
    head = f"{old} -> {new}: {counts['added']} added, {counts['removed']} removed, {counts['changed']} changed"
    if not changes:
        return head + "\n(no differences)"
    rows = [("change", "key", "old", "new", "unit", "source")]
    for c in changes:
        unit = c.new_unit if c.old_unit in (None, c.new_unit) else f"{c.old_unit} -> {c.new_unit or '—'}"
        if c.change == "removed":
            unit = c.old_unit
        source = c.new_source if c.change != "removed" else c.old_source
        if c.change == "changed" and c.old_source != c.new_source:
            source = f"{c.old_source} -> {c.new_source}"
        rows.append((c.change, c.key, _shown(c.old_value), _shown(c.new_value), unit or "", source or ""))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = ["  ".join(cell.ljust(widths[i]) if i < 5 else cell for i, cell in enumerate(r)) for r in rows]
    return head + "\n" + "\n".join(line.rstrip() for line in lines)
