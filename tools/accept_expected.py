"""Accept reviewed changes of the golden headline results: ``make update-expected``.

``tests/report/test_expected_results.py`` writes ``tests/expected/<report>-actual.json`` when a published report's
results differ from ``tests/expected/<report>.json``. After reviewing the difference, this script moves each
``-actual`` file over its golden file and prints what changed. Usage::

    python tools/accept_expected.py          # accept every -actual file
    python tools/accept_expected.py --check  # only list them; exit 1 when there is one
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests import golden  # noqa: E402


def main(argv: list[str]) -> int:
    pending = sorted(golden.HERE.glob("*-actual.json"))
    if not pending:
        print("no tests/expected/*-actual.json: the published results match the golden files (nothing to accept)")
        return 0
    for actual in pending:
        report = actual.name.removesuffix("-actual.json")
        expected = golden.expected_path(report)
        before = golden.load(expected) if expected.is_file() else {}
        changes = golden.differences(before, golden.load(actual)) if before else ["new golden file"]
        print(f"tests/expected/{expected.name}: {len(changes)} change(s)")
        for line in changes:
            print(f"  {line}")
        if "--check" not in argv:
            actual.replace(expected)
    if "--check" in argv:
        return 1
    print("accepted; commit tests/expected/ with the change that explains the new results")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
