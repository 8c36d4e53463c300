"""Golden headline results, one file per shipped report: ``tests/expected/<report folder>.json``.

Each file holds the ``results.json`` of the default (Japanese) report of one shipped release as
``{"report", "command", "results": {key: {"value", "unit"}}}``. ``tests/report/test_expected_results.py`` compares
a freshly published report with it; on a difference it writes ``<report folder>-actual.json`` beside it (git
ignores those) and fails, naming the command that accepts the change once it has been reviewed:
``make update-expected`` (``tools/accept_expected.py``), as Tax-Calculator keeps its ``*-expect`` /
``*-actual`` pairs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent / "expected"
ACCEPT = "make update-expected"


def expected_path(report: str) -> Path:
    """``tests/expected/<report>.json``."""
    return HERE / f"{report}.json"


def actual_path(report: str) -> Path:
    """``tests/expected/<report>-actual.json``: written only when a comparison fails."""
    return HERE / f"{report}-actual.json"


def golden(results_json: Path, report: str, command: str) -> dict[str, Any]:
    """The golden form of a published ``results.json``: key -> value and unit, keys sorted."""
    payload = json.loads(Path(results_json).read_text(encoding="utf-8"))
    results = {r["key"]: {"value": r["value"], "unit": r["unit"]} for r in payload["results"]}
    return {"report": report, "command": command, "results": dict(sorted(results.items()))}


def load(path: Path) -> dict[str, Any]:
    """Read a golden (or ``-actual``) file."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def dump(data: dict[str, Any], path: Path) -> None:
    """Write ``data`` as stable, reviewable JSON (UTF-8, one key per line, trailing newline)."""
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def differences(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    """One line per key added, removed or changed (value or unit); values compare exactly."""
    old, new = expected.get("results", {}), actual.get("results", {})
    out = [f"new key {k}: {new[k]}" for k in sorted(set(new) - set(old))]
    out += [f"key gone {k} (was {old[k]})" for k in sorted(set(old) - set(new))]
    for key in sorted(set(old) & set(new)):
        a, b = old[key], new[key]
        if a != b or type(a.get("value")) is not type(b.get("value")):
            out.append(f"{key}: expected {a}, got {b}")
    return out
