"""Each notebook's own parameter rules are checked before anything runs: exit 2 (or 66), never a failed notebook."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from evalkit.errors import MissingInputError, UsageError
from evalkit.report.params import resolve

ROOT = Path(__file__).resolve().parents[2]


def _nb(stem: str) -> Path:
    return ROOT / "notebooks" / f"{stem}.ipynb"


BAD = [
    ("40_external_dependence", {"years": "2024-2009"}, UsageError, "after the last"),
    ("40_external_dependence", {"source": "bogus"}, UsageError, "expected one of"),
    ("40_external_dependence", {"path": "../../etc/passwd"}, UsageError, "stay inside the project"),
    ("40_external_dependence", {"path": "no_such_panel.csv"}, MissingInputError, "not found"),
    ("40_external_dependence", {"reference_year": "2030"}, UsageError, "within years="),
    ("45_supply_risk", {"years": "2010-2012"}, UsageError, "2018-2024"),
    ("45_supply_risk", {"importer": "XXX"}, UsageError, "XXX"),
    ("50_dependence_change", {"interruption": "1800"}, UsageError, "first post year"),
    ("50_dependence_change", {"item": "unobtainium"}, UsageError, "expected an item the BACI panel covers"),
    ("50_dependence_change", {"measure": "weight"}, UsageError, "'quantity' or 'value'"),
    ("50_dependence_change", {"n_donors": "1"}, UsageError, "n_donors=1"),
    ("50_dependence_change", {"mde_pre_years": "2"}, UsageError, "mde_pre_years=2"),
    ("50_dependence_change", {"panel_path": "README.md"}, UsageError, ".csv"),
    ("60_risk_screening", {"persistence_k": "5"}, UsageError, "1 <= k <= n"),
    ("60_risk_screening", {"import_hhi": "-1"}, UsageError, "import_hhi=-1.0"),
    ("60_risk_screening", {"import_hhi": "1"}, UsageError, "[0, 1)"),
    ("60_risk_screening", {"importer": "XXX"}, UsageError, "XXX"),
    ("60_risk_screening", {"importer": "all"}, UsageError, "one importer"),
    ("60_risk_screening", {"years": "2022-2019"}, UsageError, "after the last"),
    ("60_risk_screening", {"baci": "nope.parquet"}, MissingInputError, "not found"),
]


@pytest.mark.parametrize("stem,given,error,text", BAD, ids=[f"{b[0][:2]}-{next(iter(b[1]))}" for b in BAD])
def test_a_bad_value_is_refused_before_the_notebook_runs(stem, given, error, text):
    with pytest.raises(error) as err:
        resolve([_nb(stem)], given)
    assert text in str(err.value)


@pytest.mark.parametrize(
    "stem,given",
    [
        ("40_external_dependence", {"years": "2000-2024", "reference_year": "2005"}),
        ("45_supply_risk", {"years": "2020-2022", "importer": "jpn"}),
        ("50_dependence_change", {"item": "graphite", "interruption": "2012", "measure": "value"}),
        ("60_risk_screening", {"import_hhi": "0.5", "persistence_k": "3", "importer": "392"}),
        ("60_risk_screening", {"lang": "en"}),
    ],
)
def test_good_values_pass(stem, given):
    assert resolve([_nb(stem)], given)[stem]


def test_the_cli_exits_2_and_writes_nothing(project):
    run = subprocess.run(
        [sys.executable, "-m", "evalkit", "report", "--only", "60", "-p", "persistence_k=5"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2, run.stderr
    assert "1 <= k <= n" in run.stderr
    assert not (project / "reports").exists() or not any((project / "reports").rglob("*.html"))
