"""Each shipped report's headline results equal its golden file in tests/expected/ (value and unit of every key).

The reports are the session's published ones (``full_reports``): nothing is run again here. On a difference the
test writes ``tests/expected/<report>-actual.json`` and fails with the differences and the command that accepts
them after review.
"""

from __future__ import annotations

import shlex

import pytest

from tests import golden
from tests.conftest import shipped_reports

pytestmark = pytest.mark.e2e
REPORTS = shipped_reports()


@pytest.mark.parametrize("report,args", REPORTS, ids=[name for name, _ in REPORTS])
def test_results_match_the_golden_file(full_reports, report, args):
    command = shlex.join(["evalkit", "report", *args])
    actual = golden.golden(full_reports / "reports" / report / "results.json", report, command)
    expected_file, actual_file = golden.expected_path(report), golden.actual_path(report)
    expected = golden.load(expected_file) if expected_file.is_file() else {}
    diff = golden.differences(expected, actual) if expected else [f"no golden file {expected_file.name} yet"]
    if not diff:
        actual_file.unlink(missing_ok=True)
        return
    golden.dump(actual, actual_file)
    shown = "\n".join(diff[:40]) + (f"\n... and {len(diff) - 40} more" if len(diff) > 40 else "")
    pytest.fail(
        f"results of `{command}` differ from tests/expected/{expected_file.name}:\n{shown}\n"
        f"wrote tests/expected/{actual_file.name}; review it (diff the two files), then accept it with "
        f"`{golden.ACCEPT}`",
        pytrace=False,
    )
