"""Notebook 50's units and their stated rules, on the real BACI slice, against pandas computations on its rows."""

from __future__ import annotations

import pandas as pd
import pytest

from evalkit import dependence_panel as dp
from evalkit import trade_panel
from evalkit.errors import UsageError

RARE_EARTHS_IN_SLICE = ("280530", "284690")  # the slice lacks 284610
YEARS = [2008, 2009, 2010, 2011, 2012, 2022, 2023, 2024]


@pytest.fixture(scope="module")
def panel(fetched_slice):
    return fetched_slice / "baci_trade.parquet"


@pytest.fixture(scope="module")
def rows(panel):
    import pyarrow.parquet as pq

    return pq.read_table(panel).to_pandas()


def test_item_codes_are_the_map_codes_the_panel_holds(panel):
    codes = dp.item_codes("rare_earths", panel)
    assert codes.hs_map == ("280530", "284610", "284690")
    assert codes.used == RARE_EARTHS_IN_SLICE and codes.missing == ("284610",)
    assert "284610" in codes.note and "hs_concordance.csv" in codes.note and codes.revision == "HS92"
    with pytest.raises(UsageError, match="none of its HS codes"):
        dp.item_codes("cobalt", panel)  # HS 1992 260500 and 810510 (HS 2022 260500, 810520): not in the slice
    assert dp.item_codes("cobalt").used == ("810510",), "the concordance finds cobalt's HS 1992 code in the extract"
    with pytest.raises(UsageError, match="expected one of"):
        dp.item_codes("unobtainium", panel)


def test_covered_items_show_the_gap(panel):
    table = dp.covered_items(panel).set_index("item")
    assert table.loc["rare_earths", "in_panel"] == "280530, 284690"
    assert table.loc["rare_earths", "not_in_panel"] == "284610" and table.loc["rare_earths", "covered"]
    assert not table.loc["cobalt", "covered"] and table.loc["cobalt", "in_panel"] == ""
    assert table.loc["cobalt", "hs2022"] == "260500, 810520" and table.loc["cobalt", "not_in_panel"] == "260500, 810510"
    assert table.loc["graphite", "in_panel"] == "250410, 250490"


def test_window_holds_the_years_the_panel_has(panel):
    assert dp.window("rare_earths", "value", panel) == YEARS


def test_quantity_coverage_rule_drops_thin_years(panel, monkeypatch):
    every = dp.indicators(RARE_EARTHS_IN_SLICE, "quantity", panel=panel, usable_only=False)
    kept = dp.indicators(RARE_EARTHS_IN_SLICE, "quantity", panel=panel)
    thin = every[every["quantity_coverage"] < dp.MIN_QUANTITY_COVERAGE]
    assert len(kept) == len(every) - len(thin) and (kept["quantity_coverage"] >= dp.MIN_QUANTITY_COVERAGE).all()
    monkeypatch.setattr(dp, "MIN_QUANTITY_COVERAGE", 1.01)  # no year can qualify
    with pytest.raises(UsageError, match="no usable quantity"):
        dp.window("rare_earths", "quantity", panel)


def test_comparison_importers_follow_the_stated_rule(panel, rows):
    table = dp.comparison_importers("rare_earths", 2011, "value", 6, panel)
    # by hand: import value of the item's codes over the pre-period years, largest first
    re = rows[rows["k"].isin(RARE_EARTHS_IN_SLICE)]
    pre = re[re["t"].isin([2008, 2009, 2010])].groupby("j")["v"].sum().sort_values(ascending=False)
    years_with_imports = re[re["v"] > 0].groupby("j")["t"].nunique()
    expected = [j for j in pre.index if j not in dp.EXCLUDED_IMPORTERS and years_with_imports.get(j, 0) == len(YEARS)][
        :6
    ]
    assert table.loc[table["chosen"], "importer"].tolist() == expected
    assert table["importer"].tolist() == [j for j in pre.index][: len(table)]
    assert table["pre_imports"].tolist() == pytest.approx(pre.iloc[: len(table)].tolist(), rel=1e-12)
    reasons = table.set_index("importer")["why_code"]
    assert reasons[392] == "treated" and reasons[156] == "supplier" and reasons[344] == "hong_kong"
    assert "ranked by import value over 2008-2010" in table.attrs["rule"] and table.attrs["n"] == 6


def test_importer_panel_is_the_trade_panel_share_in_percent(panel):
    long = dp.importer_panel("rare_earths", 2011, "value", 3, panel)
    assert long.attrs["treated_unit"] == "JPN" and len(long.attrs["comparison"]) == 3
    assert set(long["unit"]) == {"JPN", *long.attrs["comparison"]}
    assert long.groupby("unit")["year"].apply(list).map(lambda y: y == YEARS).all()  # balanced
    ref = trade_panel.importer_year(list(RARE_EARTHS_IN_SLICE), importers=[392], panel=panel)
    jp = long[long["unit"] == "JPN"].set_index("year")["china_share"]
    assert jp.to_numpy() == pytest.approx(ref.set_index("year")["named_share"].to_numpy() * 100, rel=1e-12)


def _china_share_by_hand(rows, code, years):
    sel = rows[(rows["j"] == 392) & (rows["k"] == code) & rows["t"].isin(years)]
    by_year = sel.groupby("t").apply(lambda g: g.loc[g["i"] == 156, "v"].sum() / g["v"].sum(), include_groups=False)
    return 100 * float(by_year.mean()), float(sel["v"].sum()) / len(years)


def test_comparison_materials_follow_the_stated_rule(panel, rows):
    table = dp.comparison_materials("rare_earths", 2011, "value", panel).set_index("hs6")
    assert set(table.index) == {"250410", "250490"}  # every other code of the slice
    for code in table.index:
        share, per_year = _china_share_by_hand(rows, code, [2008, 2009, 2010])
        assert table.loc[code, "pre_china_share"] == pytest.approx(share, rel=1e-9)
        assert table.loc[code, "pre_imports_per_year"] == pytest.approx(per_year, rel=1e-9)
        assert table.loc[code, "chosen"] == (share > dp.MATERIAL_MIN_SHARE and per_year >= dp.MATERIAL_MIN_IMPORTS)
    # from 2023 the graphite codes are a designated item, so they are treated, not comparisons
    later = dp.comparison_materials("rare_earths", 2023, "value", panel).set_index("hs6")
    assert set(later["why_code"]) == {"designated"} and not later["chosen"].any()


def test_material_panel_names_units_by_code(panel):
    long = dp.material_panel("rare_earths", 2011, "value", panel)
    assert long.attrs["treated_unit"] == "rare_earths"
    assert set(long["unit"]) == {"rare_earths", *long.attrs["comparison"]}
    assert (long.groupby("unit").size() == len(YEARS)).all()
    assert isinstance(long, pd.DataFrame) and long["china_share"].between(0, 100).all()
