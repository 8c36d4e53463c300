"""Tables of notebook 60: on the hand-built SYNTHETIC panel, on the real BACI slice, and without any panel."""

from __future__ import annotations

import pandas as pd
import pytest

from evalkit.errors import MissingInputError
from evalkit.screening import report
from tests.screening import panels


@pytest.fixture(scope="module")
def res(tmp_path_factory):
    path = panels.write_csv(tmp_path_factory.mktemp("rep") / "baci_synthetic_hand.csv")
    return report.run(str(path), importer="JPN", years="2020-2022", hs_map=panels.HS_MAP, lang="en")


def test_without_baci_every_table_is_empty_and_says_why():
    empty = report.run("", importer="JPN", years="2019-2022", lang="en")
    assert not empty.available and empty.importer_code == 392
    for frame in (
        report.flagged(empty),
        report.designation_split(empty),
        report.churn(empty),
        report.peers(empty),
        report.revision_check(empty),
    ):
        assert frame.empty and "no BACI panel given" in frame.attrs["note"]
    text = " ".join(report.data_status(empty)["value"])
    assert "CEPII BACI" in text and "external/baci" in text and "country_codes" in text
    comparison = report.published_comparison(empty)
    assert set(comparison["published"]) == {40, 1406, 1133} and comparison["evalkit_value"].isna().all()
    ja = report.data_status(report.run("", lang="ja"))
    assert "ダウンロード" in " ".join(ja["item"])


def test_the_importer_is_a_slice_of_the_screen_of_every_importer(res):
    assert set(res.everyone["importer"]) == {panels.J, panels.K} and set(res.table["importer"]) == {panels.J}
    assert [w.code for w in res.warnings] == ["self_trade"]  # the hand panel holds self-trade rows on purpose


def test_flagged_products_with_partner_concentration(res):
    flagged = report.flagged(res)
    # persistent in 2022 (as before), and 140001, dependent in 2021 only: dependent or persistent in 2020-2022
    persistent = {"100001", "110001", "120001", "130001", "150001", "010101", "140002", "140003"}
    assert set(flagged["hs6"]) == persistent | {"140001"}
    row = flagged.set_index("hs6").loc["110001"]
    assert row["top_supplier"] == str(panels.A) and row["designated_products"] == "Semiconductors"
    assert row["top1_share"] == pytest.approx(0.55) and row[2022] == "dependent, persistent"
    assert flagged.set_index("hs6").loc["140001", 2021] == "dependent"
    inside, outside = report.flagged(res, designated=True), report.flagged(res, designated=False)
    assert set(inside["hs6"]) == {"100001", "110001"} and set(inside["hs6"]) | set(outside["hs6"]) == set(
        flagged["hs6"]
    )
    codes = res.everyone["hs6"].nunique()  # the coverage note counts the panel's codes, it does not say 74
    assert f"Counts cover only the {codes} HS6 codes traded in the panel" in inside.attrs["note"]


def test_inside_and_outside_designated(res):
    split = report.designation_split(res).set_index("year")
    assert split.loc[2022, ["persistent", "persistent_designated", "persistent_not_designated"]].tolist() == [8, 2, 6]
    assert split.loc[2021, "dependent"] == 7 and split.loc[2022, "hs6_imported"] == 14


def test_churn_between_years(res):
    churn = report.churn(res).set_index("year")
    assert churn.loc[2020, "flagged_products"] == 8 and churn.loc[2021, "flagged_products"] == 7
    assert churn.loc[2021, ["stayed", "entered", "exited"]].tolist() == [6, 1, 2]
    assert churn.loc[2022, ["stayed", "entered", "exited"]].tolist() == [6, 2, 1]
    assert churn.loc[2021, "exit_rate"] == pytest.approx(2 / 8) and pd.isna(churn.loc[2020, "stayed"])


def test_other_importers_dependent_on_the_same_supplier(res):
    # K buys 110001 only from A, as J's top supplier is A; K's 120001 supplier is J itself, 130001 is not concentrated.
    peers = report.peers(res)
    row = peers[peers["hs6"] == "110001"].iloc[0]
    assert row["peer_importer"] == str(panels.K) and row["peer_rank"] == 1 and row["peers_total"] == 1
    assert row["top1_share"] == 1.0 and row["own_top1_share"] == pytest.approx(0.55)
    alone = peers[peers["hs6"] == "120001"].iloc[0]
    assert alone["peers_total"] == 0 and pd.isna(alone["peer_rank"]) and "no other importer" in alone["peer_importer"]


def test_published_comparison_counts_on_the_same_definitions(res):
    comp = report.published_comparison(res)
    hhi = comp[comp["unit"] == "%"].iloc[0]
    assert hhi["evalkit_year"] == 2022 and hhi["published"] == 40
    # 14 products imported by J in 2022; HHI >= 0.5 for all but 110001-110003 and 140001 (HHI 0.2 in 2022)
    assert hhi["evalkit_items"] == 14 and hhi["evalkit_value"] == pytest.approx(round(100 * 10 / 14, 1))
    cao = comp[comp["publication"].str.contains("潮流")].iloc[0]
    assert cao["evalkit_year"] == 2022  # 2019 is outside the screened years: the last year is used
    assert cao["evalkit_value"] == 0  # no Chinese supplier in the hand-built panel


def test_headline_keys_for_each_latest_year(res):
    recorded = report.record_headlines(res).set_index("key")["value"]
    years = [f".{y}" for y in (2020, 2021, 2022)]
    expected = {f"screening.jpn.{name}{y}" for name in report.HEADLINE_COUNTS for y in years}
    expected |= {f"screening.jpn.{k}" for k in ("dependent_products", "persistent_products")}
    assert set(recorded.index) == expected | {"screening.jpn.persistent_outside_designated"}
    assert recorded["screening.jpn.persistent.2022"] == 8 and recorded["screening.jpn.persistent_designated.2022"] == 2
    assert (
        recorded["screening.jpn.persistent_outside_designated"]
        == recorded["screening.jpn.persistent_not_designated.2022"]
    )
    assert recorded["screening.jpn.dependent.2021"] == 7


def test_thresholds_table_names_sources_in_both_languages():
    en, ja = report.thresholds_table(lang="en"), report.thresholds_table(lang="ja")
    assert list(en["value"][:4]) == ["0.4", "0.5", "1.0", "0.4"] and en["source"].str.contains("GeoDep").any()
    assert ja["criterion"][0] == "C1 輸入の集中度" and en["criterion"][0] == "C1 import concentration"
    assert "research" not in " ".join(en["source"]) + en.attrs["source"]


# --- the real slice of the fetched BACI extract ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(fetched_slice):
    # REAL data: the committed slice of the wheel (HS 280530, 284690, 250410, 250490; JPN, KOR, USA, DEU importing).
    return report.run(str(fetched_slice / "baci_trade.parquet"), years="2022-2024", lang="en")


def test_real_slice_names_products_suppliers_and_revisions(real):
    # The designated codes come in the panel's own revision, through the sourced concordance.
    assert real.revisions == {"map": "HS1992", "panel": "HS1992"}
    status = report.data_status(real).set_index("item")["value"]
    assert status["HS revision of the panel"] == "HS1992" and status["HS revision of the map"] == "HS1992"
    assert status["HS map (designated products)"].endswith("(data/reference/hs_concordance.csv)")
    # The slice's product-code list holds only its 4 codes, so the map's other HS 1992 codes are reported unknown.
    assert [w.code for w in real.warnings] == ["hs_map_codes_unknown"]
    # The slice holds four importers' imports only, so its world-export HHI (and hence the flags) is not the
    # world's; Japan's import shares are Japan's real ones: in 2024 Viet Nam supplied 63.8% of HS92 280530.
    flagged = report.flagged(real).set_index("hs6")
    assert flagged.loc["280530", "hs_description"].startswith("Earth-metals, rare")
    assert flagged.loc["280530", "values_year"] == 2024 and flagged.loc["280530", "top_supplier"] == "VNM Viet Nam"
    assert flagged.loc["280530", "top1_share"] == pytest.approx(0.637672, abs=1e-6)
    marked = report.revision_check(real).set_index("hs6")
    assert set(marked.index) == {"280530", "284690", "250410", "250490"}
    assert marked["revision_status"].str.startswith("marked: counterpart of the HS 2022 code (identical").all()


def test_real_slice_with_years_missing_from_it_says_so(fetched_slice):
    gaps = report.run(str(fetched_slice / "baci_trade.parquet"), years="2010-2024", lang="ja")
    (gap,) = [w for w in gaps.warnings if w.code == "panel_year_gaps"]
    assert "2013-2021" in gap.text("en") and "2013-2021年" in gap.text("ja")


def test_the_fetched_extract_is_the_default(fetched_slice, monkeypatch, tmp_path):
    from evalkit.data import fetched

    monkeypatch.setattr(fetched, "folder", lambda wheel=fetched.GEOPOLRISK: fetched_slice)
    res = report.run(years="2022-2024")
    assert res.baci == report.FETCHED and res.panel.endswith("baci_trade.parquet") and len(res.table)
    monkeypatch.setattr(fetched, "folder", lambda wheel=fetched.GEOPOLRISK: tmp_path)
    with pytest.raises(MissingInputError, match="make data"):
        report.run(years="2022-2024")


def test_a_code_the_map_gives_in_another_revision_may_be_missed(tmp_path):
    # SYNTHETIC panel and code list: HS 1992 writes unwrought cobalt 8105.10 where the HS 2022 map gives 8105.20.
    rows = [(2022, 180, 392, "810510", 80.0), (2022, 180, 392, "282200", 20.0), (2022, 180, 392, "260400", 5.0)]
    panel = tmp_path / "baci_synthetic_cobalt.csv"
    panel.write_text("t,i,j,k,v,q\n" + "".join(f"{t},{i},{j},{k},{v},NA\n" for t, i, j, k, v in rows))
    (tmp_path / "product_codes_HS92_V000000synthetic.csv").write_text(
        "code,description\n810510,Cobalt: unwrought (synthetic list)\n282200,Cobalt oxides (synthetic list)\n"
        "260400,Nickel ores (synthetic list)\n"
    )
    hs_map = tmp_path / "hs_map_synthetic.csv"
    hs_map.write_text(
        "product,item_no,hs6,hs_version\ncritical_minerals,3,810520,HS2022\ncritical_minerals,2,260400,HS2022\n"
    )
    res = report.run(str(panel), years="2022-2022", hs_map=str(hs_map), lang="en")
    check = report.revision_check(res).set_index("hs6")
    assert check.loc["810510", "revision_status"].startswith("not marked, may be missed")
    assert check.loc["810510", "map_codes"] == "810520" and check.loc["260400", "revision_status"].startswith("marked")
    assert "282200" not in check.index  # names cobalt, but its heading (2822) is not the map code's (8105)
    assert "Of the panel's 3 HS6 codes, the 1 not listed are not marked" in check.attrs["note"]


def test_a_summary_in_each_language(res):
    assert isinstance(res.summary, pd.DataFrame) and "Importer" in set(res.summary["item"])
    assert "輸入国" in set(report.summary(res, "ja")["item"])
