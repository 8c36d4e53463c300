"""Flags of the screen on a hand-built SYNTHETIC panel are exactly what the criteria say."""

from __future__ import annotations

import pandas as pd
import pytest

from evalkit.errors import UsageError
from evalkit.screening import Thresholds, screen, screen_expr, standardise
from tests.screening import panels
from tests.screening.panels import EXPECTED, HS_MAP, J


@pytest.fixture(scope="module")
def csv_panel(tmp_path_factory):
    return panels.write_csv(tmp_path_factory.mktemp("baci") / "baci_synthetic_hand.csv")


@pytest.fixture(scope="module")
def result(csv_panel):
    return screen(csv_panel, importer=str(J), years="2020-2022", hs_map=HS_MAP)


def _row(result, hs6, year=2022):
    sel = result[(result["hs6"] == hs6) & (result["year"] == year)]
    assert len(sel) == 1, (hs6, year)
    return sel.iloc[0]


@pytest.mark.parametrize("hs6", sorted(EXPECTED))
def test_values_and_dependent_flag_every_year(result, hs6):
    exp = EXPECTED[hs6]
    for year in panels.YEARS:
        row = _row(result, hs6, year)
        assert row["import_hhi"] == pytest.approx(exp["import_hhi"], abs=1e-12)
        assert row["import_export_ratio"] == pytest.approx(exp["ratio"], abs=1e-9)
        if "world" in exp:
            assert row["world_export_hhi"] == pytest.approx(exp["world"], abs=1e-12)
        assert bool(row["dependent"]) is exp["dependent"], (hs6, year)
        assert pd.isna(row["demand_share"]) and pd.isna(row["c_demand_share"])


def test_just_above_and_below_each_threshold(result):
    assert _row(result, "110001")["c_import_hhi"] and not _row(result, "110002")["c_import_hhi"]
    assert not _row(result, "110003")["c_import_hhi"]  # exactly 0.4 is not > 0.4
    assert _row(result, "120001")["c_import_export"] and not _row(result, "120002")["c_import_export"]
    assert not _row(result, "120003")["c_import_export"]
    assert _row(result, "130001")["c_world_export_hhi"] and not _row(result, "130002")["c_world_export_hhi"]


def test_self_trade_is_ignored_and_zero_exports_give_9999(result):
    row = _row(result, "100001")
    assert row["imports"] == 100.0 and row["n_partners"] == 1 and row["exports"] == 0.0
    assert row["import_export_ratio"] == 9999.0 and row["world_exports"] == 100.0


def test_top_partner_share_and_tie_rule(result):
    row = _row(result, "110001")
    assert row["top1_partner"] == panels.A and row["top1_share"] == pytest.approx(0.55, abs=1e-12)
    tie = _row(result, "150001")
    assert tie["top1_partner"] == panels.A and tie["top1_share"] == 0.5  # 50/50: the lower code wins


def test_hs_code_without_leading_zero_is_padded(result):
    assert "010101" in set(result["hs6"]) and "10101" not in set(result["hs6"])


def test_persistence_two_of_three_years(result):
    def flags(hs6, column):
        sel = result[result["hs6"] == hs6].set_index("year")[column]
        return {int(y): (bool(v) if column != "dependent_years_in_window" else int(v)) for y, v in sel.items()}

    # flagged in only 1 of 3 years: never persistent
    assert flags("140001", "dependent") == {2020: False, 2021: True, 2022: False}
    assert flags("140001", "persistent") == {2020: False, 2021: False, 2022: False}
    # flagged in 2020 and 2022: persistent in 2022 (2 of 2020-2022)
    assert flags("140002", "dependent_years_in_window") == {2020: 1, 2021: 1, 2022: 2}
    assert flags("140002", "persistent") == {2020: False, 2021: False, 2022: True}
    # no trade at all in 2021: the window is by year, not by row
    assert flags("140003", "dependent_years_in_window") == {2020: 1, 2022: 2}
    assert flags("140003", "persistent") == {2020: False, 2022: True}
    # always dependent: persistent from the second year, the window complete only in the third
    assert flags("100001", "persistent") == {2020: False, 2021: True, 2022: True}
    assert flags("100001", "window_complete") == {2020: False, 2021: False, 2022: True}


def test_persistence_rule_is_configurable(csv_panel):
    strict = screen(csv_panel, importer=J, years="2020-2022", thresholds=Thresholds(persistence_k=3, persistence_n=3))
    sel = strict[strict["hs6"] == "100001"].set_index("year")["persistent"]
    assert list(sel) == [False, False, True]


def test_thresholds_are_configurable(csv_panel):
    low = screen(csv_panel, importer=J, years="2020-2022", thresholds=Thresholds(import_hhi=0.39))
    row = low[(low["hs6"] == "110002") & (low["year"] == 2022)].iloc[0]
    assert row["c_import_hhi"] and row["dependent"]


def test_demand_criterion_applies_only_where_demand_is_given(csv_panel):
    demand = pd.DataFrame(
        {"importer": [J, J], "hs6": ["100001", "100001"], "year": [2022, 2021], "demand": [199.0, 201.0]}
    )
    res = screen(csv_panel, importer=J, years="2020-2022", demand=demand)
    sel = res[res["hs6"] == "100001"].set_index("year")
    assert sel.loc[2022, "demand_share"] == pytest.approx(100 / 199, abs=1e-12) and sel.loc[2022, "c_demand_share"]
    assert not sel.loc[2021, "c_demand_share"] and not sel.loc[2021, "dependent"]
    assert pd.isna(sel.loc[2020, "c_demand_share"]) and sel.loc[2020, "dependent"]


def test_designated_products_from_the_hs_map(result):
    assert _row(result, "100001")["designated_products"] == "batteries;permanent_magnets"
    assert _row(result, "110001")["designated_products"] == "semiconductors"
    assert _row(result, "110001")["designated"] and not _row(result, "110002")["designated"]
    assert pd.isna(_row(result, "110002")["designated_products"])


def test_hs_map_as_dataframe_and_no_map(csv_panel):
    frame = pd.DataFrame({"product": ["fertilizer"], "hs6": ["120001"]})
    res = screen(csv_panel, importer=J, years="2022-2022", hs_map=frame)
    assert set(res.loc[res["designated"], "hs6"]) == {"120001"}
    none = screen(csv_panel, importer=J, years="2022-2022")
    assert not none["designated"].any()


def test_csv_and_parquet_give_the_same_result(result, tmp_path):
    pq = panels.write_parquet(tmp_path / "baci_synthetic_hand.parquet")
    other = screen(pq, importer="392", years="2020-2022", hs_map=HS_MAP)
    pd.testing.assert_frame_equal(result, other)


def _repeated_groups(df: pd.DataFrame) -> set[tuple[int, str, int]]:
    """(importer, hs6, year) groups of a BACI-shaped frame where an exporter has several rows."""
    counts = df.assign(hs6=df["k"].str.zfill(6)).groupby(["j", "hs6", "t", "i"]).size()
    return {(int(j), hs6, int(t)) for j, hs6, t, _ in counts[counts > 1].index}


@pytest.mark.parametrize("out", [None, "screen.parquet", "screen.csv"])
def test_a_flow_written_as_several_rows_counts_once(tmp_path, out):
    # The first pass assumes one row per flow; groups where an exporter repeats send the screen to a second
    # pass that sums by partner. The result must equal the screen of the panel with one row per flow, and
    # say which groups were summed.
    kwargs = dict(importer="all", years="2020-2022", hs_map=HS_MAP)
    once = screen(panels.write_parquet(tmp_path / "baci_synthetic_once.parquet"), **kwargs)
    messages = []
    split_panel = panels.write_parquet(tmp_path / "baci_synthetic_split.parquet", split=True)
    split = screen(split_panel, progress=messages.append, out=None if out is None else tmp_path / out, **kwargs)
    if out is not None:
        split = standardise(
            pd.read_parquet(split)
            if out.endswith(".parquet")
            else pd.read_csv(split, dtype={"hs6": str, "designated_products": str})
        )
    assert not once["repeated_flows"].any()
    expected = _repeated_groups(panels.frame(split=True))
    assert (
        expected
        and set(split.loc[split["repeated_flows"], ["importer", "hs6", "year"]].itertuples(index=False, name=None))
        == expected
    )
    assert any("second pass" in m for m in messages)
    pd.testing.assert_frame_equal(
        split.drop(columns="repeated_flows"), once.drop(columns="repeated_flows"), check_dtype=out is None
    )
    assert _row(split, "100001")["n_partners"] == 1  # the partner whose rows are all 0 is not a partner


def test_one_pass_marks_the_groups_it_got_wrong(tmp_path):
    # screen_expr with one_row_per_flow=True does not sum repeated rows; it must flag every such group.
    import ibis

    table = ibis.duckdb.connect().read_parquet(
        panels.write_parquet(tmp_path / "baci_synthetic_split.parquet", split=True)
    )
    fast = screen_expr(table, years=(2020, 2022), one_row_per_flow=True).to_pandas()
    flagged = set(fast.loc[fast["repeated_flows"], ["importer", "hs6", "year"]].itertuples(index=False, name=None))
    assert flagged == _repeated_groups(panels.frame(split=True))


def test_importer_all_includes_every_importer(csv_panel):
    res = screen(csv_panel, importer="all", years="2020-2022")
    assert set(res["importer"]) == {panels.J, panels.K}


def test_year_subset_marks_incomplete_windows(csv_panel):
    res = screen(csv_panel, importer="JPN", years="2021-2022")
    assert set(res["year"]) == {2021, 2022}
    row = res[(res["hs6"] == "100001") & (res["year"] == 2022)].iloc[0]
    assert row["dependent_years_in_window"] == 2 and row["persistent"] and not row["window_complete"]


@pytest.mark.parametrize(
    "bad", [dict(import_hhi=1.5), dict(persistence_k=4, persistence_n=3), dict(import_export_ratio=-1)]
)
def test_bad_thresholds_are_refused(bad):
    with pytest.raises(UsageError):
        Thresholds(**bad)


def test_result_carries_its_source(result):
    assert "derived" in result.attrs["source"] and "HHI > 0.4" in result.attrs["note"]
