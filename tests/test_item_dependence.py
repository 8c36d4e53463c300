"""Japan's dependence per designated item from BACI, on the REAL slice of the fetched extract (and SYNTHETIC
one-row panels where a case needs one): hand computations, series breaks, stated gaps, keys."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from evalkit import item_dependence as dep
from evalkit import published_vs_baci

RE_IN_SLICE = ["280530", "284690"]  # 2846.10 is not in the slice


@pytest.fixture(scope="module")
def slice_path(fetched_slice):
    return str(fetched_slice / "baci_trade.parquet")


def _hand(slice_path, codes, year, measure, importer=392):
    """Partner shares of the importer straight from the rows, with pandas only (the independent oracle)."""
    import pyarrow.parquet as pq

    rows = pq.read_table(slice_path).to_pandas()
    rows = rows[(rows["j"] == importer) & (rows["t"] == year) & rows["k"].isin(codes)]
    col = "v" if measure == "value" else "q"
    by = rows.dropna(subset=[col]).groupby("i")[col].sum()
    return by / by.sum()


@pytest.fixture
def hs92_folder(tmp_path):
    """SYNTHETIC HS 1992 panel: germanium 8112.30 in 2005 and 2008 (after HS 2007 the code no longer holds it)."""
    folder = tmp_path / "BACI_HS92_V202401b"
    folder.mkdir()
    (folder / "BACI_HS92_Y2005_V202401b.csv").write_text(
        "t,i,j,k,v,q\n2005,156,392,811230,300,3\n2005,36,392,811230,100,1\n2005,156,392,280530,50,5\n"
    )
    (folder / "BACI_HS92_Y2008_V202401b.csv").write_text(
        "t,i,j,k,v,q\n2008,156,392,811230,7,1\n2008,36,392,280530,9,1\n"
    )
    from tests.test_cli_dependence import FIX

    (folder / "country_codes_V202401b.csv").write_bytes((FIX / "baci_country_codes.csv").read_bytes())
    return str(folder)


def test_result_keys():
    assert (
        dep.result_key("natural_gas", "natural_gas", "value", "hhi", 2024)
        == "trade.natural_gas.natural_gas.value.hhi.2024"
    )
    with pytest.raises(ValueError):
        dep.result_key("natural_gas", "natural_gas", "volume", "hhi", 2024)
    assert dep.key_years(2024) == [2009, 2012, 2022, 2024] and dep.key_years(2022) == [2009, 2012, 2022]


def test_items_say_what_the_panel_can_measure(slice_path):
    table = dep.items("all", "baci", slice_path).set_index(["product", "item"])
    re = table.loc[("critical_minerals", "rare_earths")]
    assert re["status"] == "partial" and re["in_panel"] == RE_IN_SLICE and re["missing"] == ["284610"]
    assert table.loc[("critical_minerals", "graphite"), "missing"] == ["380110"]
    assert table.loc[("fertilizer", "ammonium_phosphate"), "status"] == "not_in_panel"
    assert table.loc[("cloud_programs", "cloud_programs"), "status"] == "no_hs_code"
    assert table.loc[("critical_minerals", "germanium"), "codes"] == ["282560", "811230"]
    assert table.attrs["revision"] == "HS92"
    cov = dep.coverage("fertilizer", "baci", slice_path, lang="en")
    assert cov["codes_used"].tolist() == ["—", "—"] and "3105.30" in cov["codes_missing"].iloc[0]
    assert cov["coverage"].str.startswith("not computed").all()


@pytest.mark.parametrize("measure", ["value", "quantity"])
@pytest.mark.parametrize("year", [2009, 2010, 2024])
def test_rare_earth_indicators_equal_a_hand_computation(slice_path, measure, year):
    shares = _hand(slice_path, RE_IN_SLICE, year, measure)
    table = dep.japan_indicators("critical_minerals", "baci", slice_path, lang="en")
    by = "by value" if measure == "value" else "by quantity"
    row = table[(table["item_name"] == "rare earths") & (table["year"] == year) & (table["measured_by"] == by)]
    assert len(row) == 1
    row = row.iloc[0]
    assert row["china_share"] == pytest.approx(float(shares.get(156, 0.0)), rel=1e-12)
    assert row["hhi"] == pytest.approx(float((shares**2).sum()), rel=1e-12)
    assert row["n_eff"] == pytest.approx(1 / float((shares**2).sum()), rel=1e-12)
    assert row["top1_share"] == pytest.approx(float(shares.max()), rel=1e-12)
    assert row["hs6"] == "280530, 284690"
    assert "derived by evalkit" in table.attrs["source"] and "HS92" in table.attrs["source"]


def test_a_code_is_not_used_after_its_series_breaks(hs92_folder):
    table = dep.japan_indicators("critical_minerals", "baci", hs92_folder, lang="en")
    ge = table[table["item_name"] == "germanium"]
    assert sorted(set(ge["year"])) == [2005]  # 2008's 7 thousand USD in 8112.30 is not germanium any more
    row = ge[ge["measured_by"] == "by value"].iloc[0]
    assert row["china_share"] == pytest.approx(0.75) and row["top1_partner"] == "China"
    summary = dep.summary("critical_minerals", "baci", hs92_folder, reference_year=2005, lang="en")
    ge_sum = summary[summary["item_name"] == "germanium"].iloc[0]
    assert ge_sum["years_with_data"] == "2005" and ge_sum["china_share_ref"] == 75.0
    assert pd.isna(ge_sum["china_share_latest"])  # latest year 2008: a gap, shown as such
    cov = dep.coverage("critical_minerals", "baci", hs92_folder, lang="en").set_index("item_name")
    assert "8112.30 is used up to 2006 only" in cov.loc["germanium", "coverage"]


def test_summary_compares_the_reference_and_the_latest_year(slice_path):
    out = dep.summary("critical_minerals", "baci", slice_path, reference_year=2009, lang="en")
    row = out[(out["item_name"] == "rare earths") & (out["measured_by"] == "by quantity")].iloc[0]
    ref = _hand(slice_path, RE_IN_SLICE, 2009, "quantity").get(156)
    now = _hand(slice_path, RE_IN_SLICE, 2024, "quantity").get(156)
    assert row["china_share_ref"] == round(100 * ref, 1) and row["china_share_latest"] == round(100 * now, 1)
    assert row["china_share_change"] == pytest.approx(round(100 * now, 1) - round(100 * ref, 1), abs=1e-9)
    assert row["top1_ref"].startswith("China ") and out.attrs["title"].startswith("Did Japan's external dependence")
    assert "2009 against 2024" in out.attrs["title"]


def test_suppliers_show_who_replaced_whom(slice_path):
    out = dep.suppliers("critical_minerals", "baci", slice_path, reference_year=2009, lang="en")
    re = out[out["item_name"] == "rare earths"].set_index("rank")
    ref = _hand(slice_path, RE_IN_SLICE, 2009, "value").sort_values(ascending=False)
    assert re.loc[1, "partner_ref"] == "China" and re.loc[1, "value_share_ref"] == round(100 * ref.iloc[0], 1)
    assert list(re.index) == [1, 2, 3, 4, 5]
    assert not re["partner_latest"].str.contains("(...", regex=False).any()


def test_charts_one_panel_per_item_and_gaps_stay_gaps(slice_path):
    fig = dep.chart("china_share", "critical_minerals", "baci", slice_path, lang="en")
    drawn = [ax for ax in fig.axes if ax.get_lines()]
    assert [ax.get_title().split("\n")[0] for ax in drawn] == ["graphite", "rare earths"]
    value_line = drawn[1].get_lines()[0]
    years = list(value_line.get_xdata())
    assert years[0] == 2008 and years[-1] == 2024 and 2015 in years
    assert math.isnan(value_line.get_ydata()[years.index(2015)])  # no data 2013-2021 in the slice: not bridged
    assert fig.texts[-1].get_text().startswith("Source: derived by evalkit")
    ja = dep.chart("hhi", "critical_minerals", "baci", slice_path, lang="ja")
    assert "HHI" in ja._suptitle.get_text() and ja.texts[-1].get_text().startswith("出典")
    with pytest.raises(ValueError):
        dep.chart("n_eff")


def test_record_every_key_year_with_unit_and_source(slice_path, hs92_folder, monkeypatch):
    recorded = []
    # item_dependence imports record from evalkit.results at the top: patch the name it calls
    monkeypatch.setattr(dep, "record", lambda key, value, **kw: recorded.append((key, value, kw)))
    listed = dep.record_indicators("critical_minerals", "baci", slice_path)
    keys = {k: (v, kw) for k, v, kw in recorded}
    assert len(keys) == len(recorded) == 2 * 2 * 4 * 4  # graphite, rare earths x measures x indicators x years
    value, kw = keys["trade.critical_minerals.rare_earths.quantity.china_share.2012"]
    assert value == pytest.approx(float(_hand(slice_path, RE_IN_SLICE, 2012, "quantity").get(156)), rel=1e-12)
    assert kw["unit"] == "share (0-1)" and kw["source"].startswith("derived: evalkit from")
    assert "HS92 280530, 284690" in kw["source"] and "284610" in kw["note"]
    assert keys["trade.critical_minerals.graphite.value.n_eff.2024"][1]["unit"] == "countries"
    assert set(listed["records"]) == {32} and set(listed["gaps"]) == {0}
    recorded.clear()
    dep.record_indicators("critical_minerals", "baci", hs92_folder)
    gaps = {k: v for k, v, _ in recorded if v is None}
    assert "trade.critical_minerals.germanium.value.hhi.2009" in gaps  # no germanium code after 2006: a gap


def test_default_panel_is_the_fetched_extract(fetched_slice, monkeypatch):
    from evalkit.data import fetched

    monkeypatch.setattr(fetched, "table_path", lambda name, *a, **k: fetched_slice / fetched.TABLES[name])
    found = dep.panel_for("published", "ignored")
    assert found.files == [fetched_slice / "baci_trade.parquet"] and found.revision == "HS92"


def test_published_figures_beside_baci(slice_path):
    out = published_vs_baci.comparison("baci", slice_path, lang="en").set_index("period")
    row = out.loc["2009"]
    share = 100 * float(_hand(slice_path, RE_IN_SLICE, 2009, "quantity").get(156))
    assert row["published"] == "85.49" and row["confidence"] == "medium"
    assert row["evalkit_value"] == round(share, 1) and row["difference"] == round(round(share, 1) - 85.49, 1)
    assert "third-hand" in row["reasons"] and "gross tonnes" in row["reasons"]
    lng = out.loc["FY2023"]
    assert lng["published"].startswith("26.61 / 64.88 Mt") and pd.isna(lng["evalkit_value"])  # LNG not in the slice
    assert "fiscal year" in lng["reasons"]
    assert out.loc["c. 2023", "published"] == "90 (approximate)"
    assert set(out.index) >= {"2008", "2009", "2010", "2011", "2014", "2024", "2024H1", "c. 2023", "FY2023"}
