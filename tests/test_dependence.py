"""Notebook 40 logic: published figures kept per series, indicators from SYNTHETIC trade fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from evalkit import dependence
from evalkit.data import read_table
from evalkit.errors import UsageError

FIX = Path(__file__).resolve().parent / "fixtures" / "trade"


def test_published_rare_earths_kept_per_series():
    table = dependence.published("critical_minerals")
    mof = table[table["series_id"] == "re_import_share_china_mof_via_kksoukan"]
    assert mof.set_index("period")["value"].to_dict() == {"2009": 85.49, "2010": 81.61, "2011": 68.37, "2014": 59.64}
    later = table[table["series_id"].isin(["re_import_share_china_customs_h1", "re_import_share_china_jogmec"])]
    assert sorted(later["value"]) == [70.0, 79.6]
    assert "series_id" in table.attrs["note"]


def test_published_chart_never_joins_series():
    fig = dependence.published_chart("critical_minerals")
    lines = {line.get_label(): line for line in fig.axes[0].get_lines()}
    mof = next(v for k, v in lines.items() if k.startswith("re_import_share_china_mof_via_kksoukan"))
    assert list(mof.get_xdata()) == [2009.0, 2010.0, 2011.0, 2014.0]
    h1 = next(v for k, v in lines.items() if k.startswith("re_import_share_china_customs_h1"))
    assert h1.get_linestyle() == "None"
    assert "出典: " in fig.texts[0].get_text()
    assert fig.axes[0].get_title() == "公表値：中国のシェア（系列ごとに1本）"
    en = dependence.published_chart("critical_minerals", "en")
    assert en.axes[0].get_title() == "Published China shares (one line per series)"
    assert en.axes[0].get_ylabel() == "China's share (%)" and en.texts[0].get_text().startswith("Source: ")
    assert en.texts[0].get_text().isascii()


def test_record_keys_stable():
    table = dependence.record_published()
    keys = set(table["key"])
    assert {
        "dependence.rare_earths.china_share_2009",
        "dependence.rare_earths.china_share_2014",
        "dependence.rare_earths.china_share_2024h1_customs",
        "dependence.natural_gas.lng_imports_fy2023",
        "dependence.fertilizer.ammonium_phosphate_china_share_2020",
    } <= keys
    assert table.set_index("key").loc["dependence.rare_earths.china_share_2010", "value"] == 81.61
    # the reference table is the list: every row is recorded, with its caveat in the edition's language
    assert list(table["key"]) == list(dependence.headline_results()["key"])
    notes = table.set_index("key")["note"]
    assert notes["dependence.graphite.china_share_c2023"].startswith("概数")
    en = dependence.record_published(lang="en").set_index("key")["note"]
    assert en["dependence.graphite.china_share_c2023"].startswith("approximate")


def test_a_headline_row_that_points_nowhere_is_a_data_error():
    from evalkit.data.catalogue import table_path
    from evalkit.data.checks import headline_rows_exist

    heads = dependence.headline_results()
    compiled = read_table(table_path("compiled", "external_dependence_published", "latest"))
    name = "data/reference/headline_results.csv"
    compiled_name = "data/raw/compiled/compiled-2026-11-28/external_dependence_published.csv"
    assert headline_rows_exist({name: heads, compiled_name: compiled}) == []
    broken = heads.copy()
    broken.attrs = heads.attrs
    broken.loc[0, "row_id"] = "ed99"
    problems = headline_rows_exist({name: broken, compiled_name: compiled})
    assert [(p.value, p.line) for p in problems] == [("ed99", 2)]


def test_no_trade_file_says_so_and_cloud_explains():
    table = dependence.trade_indicators("natural_gas", lang="en")
    assert table["status"].iloc[0] == "no user trade file given" and "fetched BACI extract" in table["why"].iloc[0]
    assert dependence.trade_indicators("all")["status"].iloc[0] == "利用者の貿易データの指定なし"
    items = dependence.items_and_codes("cloud_programs")
    assert bool(items.loc[items["item_no"] == 1, "no_hs_equivalent"].iloc[0])
    with pytest.raises(UsageError):
        dependence.trade_indicators("nope", "customs", "x")
    with pytest.raises(UsageError, match="the first year 2024 is after the last year 2020"):
        dependence.trade_indicators("critical_minerals", "customs", str(FIX / "customs_hinbetsu_ok.csv"), "2024-2020")


def test_all_products_from_a_user_file():
    table = dependence.trade_indicators("all", "customs", str(FIX / "customs_hinbetsu_ok.csv"), "2022-2022")
    assert set(table["product"]) == {"critical_minerals"} and "6. rare earths" in set(table["item"])
    fig = dependence.item_chart("all", "customs", str(FIX / "customs_hinbetsu_ok.csv"), "", lang="en")
    assert "choose one product" in fig.axes[0].texts[0].get_text()


def test_a_baci_user_file_is_read_with_the_codes_of_its_revision(tmp_path):
    """HS 1992 file: germanium is 8112.30 up to 2006; HS 2022 codes alone would have found nothing (SYNTHETIC)."""
    folder = tmp_path / "hs92"
    folder.mkdir()
    (folder / "BACI_HS92_Y2005_V202401b.csv").write_text("t,i,j,k,v,q\n2005,156,392,811230,300,1\n")
    (folder / "BACI_HS92_Y2010_V202401b.csv").write_text("t,i,j,k,v,q\n2010,156,392,811230,5,1\n")
    (folder / "country_codes_V202401b.csv").write_bytes((FIX / "baci_country_codes.csv").read_bytes())
    table = dependence.trade_indicators("critical_minerals", "baci", str(folder), "")
    ge = table[(table["item"] == "8. germanium") & (table["measure"] == "value")]
    assert ge["year"].tolist() == [2005] and ge["imports"].tolist() == [300.0]
    assert table.attrs["note"].startswith("HS92 codes")


def test_customs_indicator_table_matches_hand_computation():
    table = dependence.trade_indicators(
        "critical_minerals", "customs", str(FIX / "customs_hinbetsu_ok.csv"), "2022-2022"
    )
    item = table[(table["item"] == "6. rare earths") & (table["year"] == 2022)].set_index("measure")
    assert item.loc["value", "hhi"] == pytest.approx(0.42, abs=1e-9)
    assert item.loc["value", "chn_share"] == pytest.approx(0.6, abs=1e-9)
    assert item.loc["value", "top1_partner"] == "CHN"
    assert item.loc["quantity", "hhi"] == pytest.approx(0.455, abs=1e-9)
    assert item.loc["value", "unit"] == "JPY thousand" and item.loc["quantity", "unit"] == "t"
    assert set(table["year"]) == {2022}
    assert table.attrs["source"].startswith("derived by evalkit")


def test_baci_without_country_codes_does_not_claim_zero_china(tmp_path):
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "baci_ok.csv").write_bytes((FIX / "baci_ok.csv").read_bytes())
    table = dependence.trade_indicators("critical_minerals", "baci", str(alone / "baci_ok.csv"), "")
    assert table["chn_share"].isna().all()
    # with the code list beside the file, China is identified
    for name in ("baci_ok.csv", "baci_country_codes.csv"):
        (tmp_path / name).write_bytes((FIX / name).read_bytes())
    table = dependence.trade_indicators("critical_minerals", "baci", str(tmp_path / "baci_ok.csv"), "2022-2022")
    row = table[(table["item"] == "all items") & (table["measure"] == "value")].iloc[0]
    assert row["chn_share"] == pytest.approx(600.5 / 1000.5, abs=1e-12)
    assert row["top1_partner"] == "CHN"


def test_trade_chart_draws_all_items():
    fig = dependence.trade_chart("critical_minerals", "customs", str(FIX / "customs_hinbetsu_ok.csv"), "")
    assert len(fig.axes) == 2 and len(fig.axes[0].get_lines()) >= 3
    empty = dependence.trade_chart("natural_gas", lang="en")
    assert "no trade indicators" in empty.axes[0].texts[0].get_text()
    assert "貿易統計" in dependence.trade_chart("natural_gas").axes[0].texts[0].get_text()
    en = dependence.trade_chart("critical_minerals", "customs", str(FIX / "customs_hinbetsu_ok.csv"), "", "en")
    assert [ax.get_title() for ax in en.axes] == ["by value", "by quantity"]
    assert en._suptitle.get_text().startswith("Import concentration")


def test_item_chart_one_line_per_item():
    fig = dependence.item_chart("critical_minerals", "customs", str(FIX / "customs_hinbetsu_ok.csv"), "")
    labels = {line.get_label() for line in fig.axes[0].get_lines()}
    assert labels == {"6. rare earths", "all items"}
    en = dependence.item_chart("critical_minerals", "customs", str(FIX / "customs_hinbetsu_ok.csv"), "", lang="en")
    assert en._suptitle.get_text() == "China's share per item"
