"""evalkit.thresholds: every cut-off has one home, data/reference/thresholds.csv, and every default follows it."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys

import pytest

from evalkit import indicators, thresholds
from evalkit.errors import UsageError
from evalkit.screening import Thresholds
from tests.conftest import ROOT

NAMES = (
    "import_hhi",
    "demand_share",
    "import_export_ratio",
    "zero_exports_ratio",
    "world_export_hhi",
    "persistence_k",
    "persistence_n",
    "crma_single_country",
)


def test_every_cut_off_has_a_value_a_unit_and_a_source():
    table = thresholds.table()
    assert sorted(table.index) == sorted(NAMES)
    for name in NAMES:
        row = table.loc[name]
        assert row["unit"] and row["source"] and row["url"].startswith("https://"), name
        assert row["criterion_en"] and row["criterion_ja"], name
    assert isinstance(thresholds.value("persistence_k"), int)
    with pytest.raises(UsageError, match="not in data/reference/thresholds.csv"):
        thresholds.value("import_hhii")


def test_the_screen_defaults_are_the_reference_values():
    th = Thresholds()
    for name in NAMES[:-1]:
        assert getattr(th, name) == thresholds.value(name), name
    assert Thresholds(import_hhi=0.5).import_hhi == 0.5  # a run may still override one


@pytest.fixture
def edited_reference(tmp_path, monkeypatch):
    """A copy of data/reference with import_hhi 0.3 and the CRMA benchmark 0.5 (sidecar re-sealed)."""
    ref = tmp_path / "data" / "reference"
    shutil.copytree(ROOT / "data" / "reference", ref)
    csv = ref / "thresholds.csv"
    text = csv.read_text(encoding="utf-8")
    text = re.sub(r"^import_hhi,0\.4,", "import_hhi,0.3,", text, flags=re.M)
    text = re.sub(r"^crma_single_country,0\.65,", "crma_single_country,0.5,", text, flags=re.M)
    csv.write_text(text, encoding="utf-8")
    meta = ref / "thresholds.csv.meta.yaml"
    digest = hashlib.sha256(csv.read_bytes()).hexdigest()
    meta.write_text(re.sub(r"sha256: \w+", f"sha256: {digest}", meta.read_text(encoding="utf-8")), encoding="utf-8")
    monkeypatch.setenv("EVALKIT_DATA", str(tmp_path / "data"))
    return tmp_path / "data"


def test_changing_the_file_changes_every_default(edited_reference):
    assert Thresholds().import_hhi == 0.3
    assert indicators.ec_dependence(0.35, 0.6, 2.0) is True  # above 0.3, below the shipped 0.4
    assert indicators.crma_breach(0.6) is True  # above 0.5, below the shipped 0.65
    from evalkit.report.params import GROUP_VALIDATORS

    # notebook 60's parameters default to None, i.e. these values; its check reads them the same way
    for check in GROUP_VALIDATORS.get("60_risk_screening", []):
        check(
            {
                "importer": "JPN",
                "baci": "",
                "import_hhi": None,
                "world_export_hhi": None,
                "import_export_ratio": None,
                "persistence_k": None,
                "persistence_n": None,
            }
        )
    shown = subprocess.run(
        [sys.executable, "-m", "evalkit", "screen", "--help"],
        capture_output=True,
        text=True,
        check=True,
        env={**__import__("os").environ, "EVALKIT_DATA": str(edited_reference)},
    ).stdout
    assert "(default 0.3, data/reference/thresholds.csv)" in " ".join(shown.split())


#: An assignment of a number to a cut-off name, as in ``import_hhi: float = 0.4`` or ``default=0.4``.
_LITERAL = re.compile(
    r"\b(?:" + "|".join(NAMES) + r"|CRMA_THRESHOLD|EC_\w+_THRESHOLD)\b\s*(?::[^=\n]+)?=\s*-?\d"
    r"|add_argument\(\s*\"--(?:" + "|".join(n.replace("_", "-") for n in NAMES) + r")\"[^)]*default=\d",
    re.S,
)


def test_no_cut_off_literal_outside_its_reference_file():
    files = sorted((ROOT / "src" / "evalkit").rglob("*.py")) + sorted((ROOT / "notebooks").glob("*.py"))
    found = []
    for path in files:
        for m in _LITERAL.finditer(path.read_text(encoding="utf-8")):
            found.append(f"{path.relative_to(ROOT)}: {m.group(0)!r}")
    assert not found, "cut-offs belong in data/reference/thresholds.csv:\n" + "\n".join(found)
