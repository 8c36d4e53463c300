"""GeoPolRisk and the EU CRM supply-risk form: every formula by hand, on SYNTHETIC tiny tables and on the real slice.

The tiny tables below are SYNTHETIC (made up for these tests, with numbers chosen so that every expected value
can be computed by hand); they reuse the real slice's HS code map and BACI country codes so that the loaders
and sidecars are the real ones.
"""

from __future__ import annotations

import math
import shutil

import numpy as np
import pandas as pd
import pytest

from evalkit import supply_risk as sr
from evalkit.errors import UsageError
from tests.conftest import reseal

CF_CU = 0.409412948


# -- formulas ------------------------------------------------------------------------------------------------


def test_production_hhi_exact_and_truncated_like_geopolrisk_py():
    assert sr.production_hhi([3, 1]) == pytest.approx(10 / 16, rel=1e-12)
    assert sr.production_hhi([2.9, 1.2]) == pytest.approx((2.9**2 + 1.2**2) / 4.1**2, rel=1e-12)
    assert sr.production_hhi([2.9, 1.2], truncate=True) == pytest.approx(5 / 9, rel=1e-12)
    assert sr.production_hhi([np.nan, 4.0]) == 1.0
    assert math.isnan(sr.production_hhi([0, 0]))


def test_import_risk_score_and_characterization_factor_by_hand():
    ir = sr.import_risk([10, 30], [0.2, 0.6], domestic=10)
    assert ir == pytest.approx((10 * 0.2 + 30 * 0.6) / 50, rel=1e-12)
    assert math.isnan(sr.import_risk([0, 0], [0.5, 0.5], 0))
    assert sr.import_risk([0.0], [0.9], domestic=5) == 0.0  # self-sufficient: no import risk
    assert sr.geopolrisk_score(0.5, ir) == pytest.approx(0.2, rel=1e-12)
    assert sr.characterization_factor(0.25, 2.0) == pytest.approx(0.5 / CF_CU, rel=1e-12)
    assert sr.characterization_factor(0.0, float("nan")) == 0.0
    assert sr.unit_price(490, 60) == pytest.approx(490 / 60) and math.isnan(sr.unit_price(5, 0))
    with pytest.raises(ValueError):
        sr.import_risk([1, 2], [0.5])


def test_eu_form_by_hand():
    assert sr.hhi_wgi([1, 1], [4, 8]) == pytest.approx(0.25 * 4 + 0.25 * 8)
    assert sr.hhi_wgi([2, 2], [4, 8], [1.5, 1]) == pytest.approx(0.25 * 4 * 1.5 + 0.25 * 8)
    assert math.isnan(sr.hhi_wgi([0, 0], [4, 8]))
    assert sr.eu_supply_risk(3, 5, 1.0, 0.2) == pytest.approx((3 * 0.5 + 5 * 0.5) * 0.8)
    assert sr.eu_supply_risk(3, 5, 0.0, 0.0) == pytest.approx(5.0)


def test_slug():
    assert sr.slug("Rare earth") == "rare_earth"
    assert sr.slug("Coking Coal") == "coking_coal"
    assert sr.slug("Crude oil") == "crude_oil"


def test_years_and_names_are_checked():
    assert sr.wmd_years("2019-2021") == (2019, 2021) and sr.wmd_years("2022") == (2022, 2022)
    for bad in ("2017-2020", "2021-2019", "20-22", "2022-2025", "x"):
        with pytest.raises(UsageError, match="2018-2024"):
            sr.wmd_years(bad)


# -- tiny SYNTHETIC tables -----------------------------------------------------------------------------------

BACI = """t,i,j,k,v,q
2022,156,392,280530,300,10
2022,36,392,284690,100,30
2022,490,392,280530,50,20
2022,533,392,280530,10,10
2022,410,392,280530,40,
2022,392,410,280530,20,5
2022,156,392,250410,60,50
"""
# CHN 10 t, AUS 30 t, Taiwan 20 t, Aruba 10 t (WGI 0 without an estimate), Korea value only; Japan exports 5 t.

WMD = """commodity,country,country_code,country_iso3,year,value,unit,data_source
Rare Earths (REO),China,156,CHN,2022,60.7,metr. t,r
Rare Earths (REO),Australia,36,AUS,2022,30.2,metr. t,r
Rare Earths (REO),United States,842,USA,2022,9.9,metr. t,r
Rare Earths (REO),Total,DELETE,DELETE,2022,100.8,metr. t,
Rare Earths (REO),China,156,CHN,2021,50.0,metr. t,r
Graphite,China,156,CHN,2022,100.0,metr. t,r
Graphite,Japan,392,JPN,2022,5.0,metr. t,r
"""

WGI = """iso3,country,country_code,year,estimate,std_error,n_sources,percentile_rank,ci_lower,ci_upper,normalized
ABW,Aruba,533,2022,,,,,,,0.0
AUS,Australia,36,2022,1.5,,,,,,0.2
CHN,China,156,2022,-0.5,,,,,,0.6
JPN,Japan,392,2022,1.0,,,,,,0.3
TWN,"Taiwan, China",NA,2022,0.75,,,,,,0.35
"""


@pytest.fixture
def tiny(fetched_slice, tmp_path):
    """The real slice's folder with SYNTHETIC BACI, World Mining Data and WGI tables (resealed)."""
    folder = tmp_path / "tiny"
    shutil.copytree(fetched_slice, folder)
    (folder / "baci_trade.parquet").unlink()
    (folder / "baci_trade.csv").write_text(BACI, encoding="utf-8")
    for name, text in (("wmd_production.csv", WMD), ("wgi_political_stability.csv", WGI)):
        (folder / name).write_text(text, encoding="utf-8")
        reseal(folder / name)
    return {
        "panel": folder / "baci_trade.csv",
        "production_path": folder / "wmd_production.csv",
        "wgi_path": folder / "wgi_political_stability.csv",
        "map_path": folder / "wmd_hs_code_map.csv",
    }


def _row(frame, commodity, year):
    hit = frame[(frame["wmd_commodity"] == commodity) & (frame["year"] == year)]
    assert len(hit) == 1
    return hit.iloc[0]


def test_geopolrisk_by_hand_both_variants(tiny):
    out = sr.geopolrisk("JPN", "2021-2022", **tiny)
    assert list(out.columns[:6]) == [
        "wmd_commodity",
        "year",
        "production_hhi",
        "import_risk",
        "geopolrisk_score",
        "characterization_factor",
    ]
    row = _row(out, "Rare earth", 2022)
    hhi_trunc = (60**2 + 30**2 + 9**2) / 99**2
    hhi_exact = (60.7**2 + 30.2**2 + 9.9**2) / 100.8**2  # the Total row is not a country
    # reference: Taiwan unmatched -> 0.5, Aruba's 0 without estimate taken as 0, price over all value
    ir_ref = (10 * 0.6 + 30 * 0.2 + 20 * 0.5 + 10 * 0.0) / 70
    price_ref = (300 + 100 + 50 + 10 + 40) / 70
    assert row["production_hhi"] == pytest.approx(hhi_trunc, rel=1e-12)
    assert row["import_risk"] == pytest.approx(ir_ref, rel=1e-12)
    assert row["price_usd_per_kg"] == pytest.approx(price_ref, rel=1e-12)
    assert row["geopolrisk_score"] == pytest.approx(hhi_trunc * ir_ref, rel=1e-12)
    assert row["characterization_factor"] == pytest.approx(hhi_trunc * ir_ref * price_ref / CF_CU, rel=1e-12)
    # corrected: Taiwan's WGI 0.35, Aruba missing 0.5, price from the quantified flows only
    ir_cor = (10 * 0.6 + 30 * 0.2 + 20 * 0.35 + 10 * 0.5) / 70
    price_cor = (300 + 100 + 50 + 10) / 70
    assert row["production_hhi_exact"] == pytest.approx(hhi_exact, rel=1e-12)
    assert row["import_risk_corrected"] == pytest.approx(ir_cor, rel=1e-12)
    assert row["price_usd_per_kg_corrected"] == pytest.approx(price_cor, rel=1e-12)
    assert row["characterization_factor_corrected"] == pytest.approx(hhi_exact * ir_cor * price_cor / CF_CU)
    assert row["import_quantity_t"] == 70 and row["quantity_coverage"] == pytest.approx(460 / 500)
    assert row["gap"] == ""


def test_domestic_production_enters_the_denominator(tiny):
    row = _row(sr.geopolrisk("JPN", "2022", ["Graphite"], **tiny), "Graphite", 2022)
    assert row["production_hhi"] == pytest.approx((100**2 + 5**2) / 105**2)
    assert row["import_risk"] == pytest.approx(50 * 0.6 / (50 + 5))
    assert row["domestic_production"] == 5 and row["production_unit"] == "metr. t"


def test_gaps_are_stated_never_zero(tiny):
    out = sr.geopolrisk("JPN", "2021-2022", **tiny)
    no_trade = _row(out, "Rare earth", 2021)  # production, but no imports and no Japanese production
    assert no_trade["gap_code"] == "zero_over_zero" and "0/0" in no_trade["gap"]
    assert math.isnan(no_trade["geopolrisk_score"])
    no_prod = _row(out, "Graphite", 2021)
    assert no_prod["gap_code"] == "no_world_production" and math.isnan(no_prod["geopolrisk_score"])


def test_commodities_without_hs_code_are_gap_rows(fetched_slice, tiny, tmp_path):
    cmap = pd.read_csv(tiny["map_path"], dtype=str, keep_default_na=False)
    extra = cmap.iloc[[0]].assign(sheet_name="Gallium", reference_id="Gallium", hs_code="Not Available")
    extra["hs_code_complementary"] = ""
    pd.concat([cmap, extra]).to_csv(tiny["map_path"], index=False)
    reseal(tiny["map_path"])
    out = sr.geopolrisk("JPN", "2022", ["Gallium"], **tiny)
    assert len(out) == 1 and out.iloc[0]["gap_code"] == "no_hs_code" and "no HS code" in out.iloc[0]["gap"]
    assert math.isnan(out.iloc[0]["geopolrisk_score"])


def test_unknown_importer_and_commodity_name_the_valid_ones(tiny):
    with pytest.raises(UsageError, match=r"'XYZ'.*JPN"):
        sr.geopolrisk("XYZ", "2022", **tiny)
    with pytest.raises(UsageError, match=r"'Unobtainium'.*Rare earth"):
        sr.geopolrisk("JPN", "2022", ["Unobtainium"], **tiny)
    assert sr.importer_code("392", tiny["panel"]) == (392, "JPN")


def test_dependence_and_eu_form_by_hand(tiny):
    out = sr.dependence("JPN", "2022", **tiny)
    row = _row(out, "Rare earth", 2022)
    # one unit: BACI tonnes; Japan not listed in the sheet -> P = 0; aggregates none here
    m, x = 70.0, 5.0
    assert row["imports_t"] == m and row["exports_t"] == x and row["demand_t"] == m - x
    assert row["import_reliance"] == 1.0 and row["self_sufficiency"] == 0.0
    assert row["dependence_few"] == pytest.approx((30 + 20 + 10) / (m - x))
    assert row["top1_of_demand"] == pytest.approx(30 / (m - x))
    s = np.array([60.7, 30.2, 9.9]) / 100.8
    gs = s[0] ** 2 * 6.0 + s[1] ** 2 * 2.0 + s[2] ** 2 * 5.0  # USA has no WGI row: 0.5 -> 5
    q = np.array([10, 30, 20, 10, 0]) / 70  # CHN, AUS, Taiwan, Aruba (no estimate), Korea (no quantity)
    sourcing = q[0] ** 2 * 6.0 + q[1] ** 2 * 2.0 + q[2] ** 2 * 3.5 + q[3] ** 2 * 5.0
    assert row["hhi_wgi_global"] == pytest.approx(gs, rel=1e-12)
    assert row["hhi_wgi_sourcing"] == pytest.approx(sourcing, rel=1e-12)
    eol = float(row["eol_rir"])
    assert row["substitution_index"] == 1.0
    assert row["eu_supply_risk"] == pytest.approx((gs * 0.5 + sourcing * 0.5) * (1 - eol), rel=1e-12)


def test_dependence_states_the_unit_mismatch_instead_of_a_number(tiny):
    row = _row(sr.dependence("JPN", "2022", ["Graphite"], **tiny), "Graphite", 2022)
    assert row["gap_code"] == "unit_mismatch" and row["gap"].startswith("unit mismatch")
    assert row["domestic_production"] == 5 and row["production_unit"] == "metr. t"
    assert all(pd.isna(row[c]) for c in ("import_reliance", "self_sufficiency", "eu_supply_risk"))


# -- the real slice ------------------------------------------------------------------------------------------


def test_real_slice_japan_rare_earths_2022_recomputed_independently(fetched_slice):
    paths = {
        "panel": fetched_slice / "baci_trade.parquet",
        "production_path": fetched_slice / "wmd_production.csv",
        "wgi_path": fetched_slice / "wgi_political_stability.csv",
        "map_path": fetched_slice / "wmd_hs_code_map.csv",
    }
    row = _row(sr.geopolrisk("JPN", "2022", ["Rare earth"], **paths), "Rare earth", 2022)
    baci = pd.read_parquet(paths["panel"])
    jp = baci[(baci["j"] == 392) & (baci["t"] == 2022) & baci["k"].isin(["280530", "284690", "284610"])]
    by = jp.groupby("i").agg(v=("v", "sum"), q=("q", "sum"))
    wgi = pd.read_csv(paths["wgi_path"], dtype={"country_code": str})
    g = wgi[wgi["year"] == 2022].set_index("country_code")["normalized"]
    risk = [float(g.get(str(i), np.nan)) if str(i) in g.index else 0.5 for i in by.index]
    risk = [0.5 if math.isnan(r) else r for r in risk]
    prod = pd.read_csv(paths["production_path"], dtype={"country_code": str})
    p = prod[(prod["commodity"] == "Rare Earths (REO)") & (prod["year"] == 2022) & (prod["country_code"] != "DELETE")]
    vals = np.trunc(p["value"].fillna(0).to_numpy())
    hhi = (vals**2).sum() / vals.sum() ** 2
    ir = (by["q"].to_numpy() * np.array(risk)).sum() / by["q"].sum()
    assert row["production_hhi"] == pytest.approx(hhi, rel=1e-12)
    assert row["import_risk"] == pytest.approx(ir, rel=1e-12)
    assert row["geopolrisk_score"] == pytest.approx(hhi * ir, rel=1e-12)
    assert row["price_usd_per_kg"] == pytest.approx(by["v"].sum() / by["q"].sum(), rel=1e-12)
