"""Notebook 50's designs on the real BACI slice: tables, sentences, records and charts against hand computations."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from evalkit import dependence_change as dc
from evalkit import dependence_designs as dd
from evalkit import stats

CODES = ("280530", "284690")


@pytest.fixture(scope="module")
def panel(fetched_slice):
    return fetched_slice / "baci_trade.parquet"


@pytest.fixture(scope="module")
def rows(panel):
    import pyarrow.parquet as pq

    return pq.read_table(panel).to_pandas()


@pytest.fixture(scope="module")
def s(panel):
    return dd.study("rare_earths", 2011, "value", 3, 6, 2, panel)


def _share_by_hand(rows, importer, codes=CODES):
    """China's share (%) of one importer's imports of ``codes`` per year, from the rows with pandas only."""
    sel = rows[(rows["j"] == importer) & rows["k"].isin(codes)]
    return sel.groupby("t").apply(lambda g: 100 * g.loc[g["i"] == 156, "v"].sum() / g["v"].sum(), include_groups=False)


def test_its_is_the_segmented_regression_of_japans_share(s, rows):
    jp = _share_by_hand(rows, 392)
    ref = stats.segmented_regression(pd.Series(jp.index), pd.Series(jp.to_numpy()), 2011)
    table = dd.its_table.on_study(s, "en")
    level = table[(table["outcome"] == "China's share (%)") & (table["basis_measure"] == "by value")]
    level = level[level["term"] == "Level change (b2)"].iloc[0]
    assert level["coef"] == pytest.approx(ref.loc["post", "coef"], rel=1e-9)
    assert (level["ci_low"], level["ci_high"]) == pytest.approx((ref.loc["post", "ci_low"], ref.loc["post", "ci_high"]))
    assert set(table["outcome"]) == {"China's share (%)", "HHI (0-1)"} and len(table) == 9
    ja = dd.its_table.on_study(s, "ja")
    assert set(ja["term"]) == {"水準の変化（b2）", "傾きの変化（b3、年あたり）", "事前の傾き（b1、年あたり）"}


def test_did_is_japan_minus_the_comparison_mean_by_hand(s, rows):
    units = s.importer_panel.attrs["comparison"]
    codes = {"USA": 842, "THA": 764, "DEU": 276, "KOR": 410, "VNM": 704}
    gap = _share_by_hand(rows, 392) - pd.concat([_share_by_hand(rows, codes[u]) for u in units], axis=1).mean(axis=1)
    by_hand = gap[gap.index >= 2011].mean() - gap[gap.index < 2011].mean()
    table = dd.did_table.on_study(s, "en").set_index("comparison")
    assert table.loc["Comparison importers", "estimate"] == pytest.approx(by_hand, rel=1e-9)
    assert table.loc["Comparison importers", "n_comparison"] == 3
    # the slice has one pre-period year outside the reference bin: no pre-period bin with an error to test
    assert np.isnan(table.loc["Comparison importers", "pretrend_p"])
    assert 0 <= table.loc["Comparison importers", "pretrend_slope_p"] <= 1


def test_synth_weights_and_placebos(s):
    table = dd.synth_table.on_study(s, "en")
    assert table["weight"].sum() == pytest.approx(1.0, abs=1e-3) and (table["weight"] > 0).all()
    placebos = dd.synth_placebos.on_study(s, "en")
    assert placebos["treated"].sum() == 1 and len(placebos) == s.placebos.attrs["n_units"]
    japan = placebos[placebos["treated"]].iloc[0]
    assert japan["rank"] == int((placebos["ratio"] >= japan["ratio"]).sum())


def test_placebo_years_by_hand():
    assert dd.placebo_years(list(range(2000, 2011))) == [2003, 2004, 2005, 2006, 2007, 2008]
    assert dd.placebo_years([2008, 2009, 2010]) == []


def test_robustness_is_one_table_whose_baseline_matches_the_designs(s):
    table = dd.robustness.on_study(s, "en")
    base = table[table["check"] == "baseline"].set_index("design")
    assert base.loc["DiD vs importers", "estimate"] == pytest.approx(s.did_importers.iloc[0]["coef"])
    level = s.its[("china_share", "value")].loc["post", "coef"]
    assert base.loc["ITS level change", "estimate"] == pytest.approx(level)
    assert (base["vs_baseline"] == 0).all()
    assert {"baseline", "other measure", "comparison size", "leave one out"} <= set(table["check"])
    loo = table[(table["check"] == "leave one out") & (table["design"] == "DiD vs importers")]
    assert list(loo["variant"]) == s.importer_panel.attrs["comparison"]
    ja = dd.robustness.on_study(s, "ja")
    assert "基本推定" in set(ja["check"]) and len(ja) == len(table)


def test_sentences_carry_the_numbers_in_both_languages(s):
    fit = s.its[("china_share", "value")]
    level = f"{fit.loc['post', 'coef']:+.1f}"
    en, ja = dd.its_sentence_text(s, "en"), dd.its_sentence_text(s, "ja")
    assert level in en and level in ja
    assert f"{fit.loc['post', 'ci_low']:+.1f}" in en and f"{fit.loc['post', 'ci_high']:+.1f}" in ja
    assert "says nothing of its cause" in en and "原因は示せない" in ja
    did = dd.did_sentence_text(s, "en")
    assert f"{s.did_importers.iloc[0]['coef']:+.1f}" in did and "not the effect of any Japanese policy" in did
    assert "平行トレンド" in dd.did_sentence_text(s, "ja")
    synth = dd.synth_sentence_text(s, "en")
    assert f"ranks {s.placebos.attrs['rank']}" in synth
    for text in (ja, dd.did_sentence_text(s, "ja"), dd.synth_sentence_text(s, "ja")):
        assert not re.search(r"\b(the|and|of)\b", text), text  # no English left in the Japanese edition
    assert dd.robustness_sentence_text(s, "en") == "The pre-period is too short for placebo years."


def test_programme_mde_against_a_hand_computation(panel, rows):
    table = dd.programme_mde(2023, "value", 20, "en", panel)
    baseline = pd.Series(table.attrs["baseline"], index=table.index)
    row = table[(table["item_slug"] == "graphite") & (baseline == "trend")].iloc[0]
    share = _share_by_hand(rows, 392, ("250410", "250490"))
    pre, post = share[share.index < 2023], share[share.index >= 2023]
    slope, intercept = np.polyfit(pre.index.to_numpy(float), pre.to_numpy(), 1)
    sigma = np.sqrt(np.sum((pre.to_numpy() - (intercept + slope * pre.index.to_numpy(float))) ** 2) / (len(pre) - 2))
    change = float(np.mean(post.to_numpy() - (intercept + slope * post.index.to_numpy(float))))
    t_pre = pre.index.to_numpy(float)
    c = 1 / 2 + 1 / len(pre) + (2023.5 - t_pre.mean()) ** 2 / np.sum((t_pre - t_pre.mean()) ** 2)
    assert row["sigma"] == pytest.approx(sigma, rel=1e-9) and row["change"] == pytest.approx(change, rel=1e-9)
    assert row["mde_2"] == pytest.approx(2.8015852 * sigma * np.sqrt(c), rel=1e-6)
    assert row["pre_years"] == "2008–2022" and row["post_years"] == "2023, 2024"
    assert set(baseline) == {"trend", "mean"}
    sentence = dd.mde_sentence_text(table, "en")
    assert "No design here can yet credit a change to the programme" in sentence and f"{row['mde_2']:.1f}" in sentence


def test_record_designs_keys_and_units(s):
    table = dd.record_designs.on_study(s, "en").set_index("key")
    stem = "dependence_change.rare_earths_2011"
    parts = ("", ".ci_low", ".ci_high", ".p")
    expected = [f"{stem}.its.{k}{x}" for k in ("level_change", "slope_change") for x in parts]
    expected += [f"{stem}.{d}.{x}" for d in ("did", "did_materials") for x in ("estimate", "ci_low", "ci_high", "p")]
    expected += [f"{stem}.{d}.pretrend_p" for d in ("did", "did_materials")]
    expected += [f"{stem}.synth.{x}" for x in ("gap_post_mean", "pre_rmspe", "placebo_rank", "n_placebos")]
    assert sorted(table.index) == sorted(expected)
    assert table.loc[f"{stem}.its.level_change", "unit"].startswith("percentage points (China's share")
    assert table.loc[f"{stem}.its.slope_change", "unit"].startswith("percentage points per year")
    assert table.loc[f"{stem}.did.estimate", "value"] == pytest.approx(s.did_importers.iloc[0]["coef"], rel=1e-5)
    assert table.loc[f"{stem}.synth.placebo_rank", "value"] == s.placebos.attrs["rank"]
    assert dd._sig(1.23456789e-8) == 1.23457e-08  # a small p-value keeps its digits
    gap = table.loc[f"{stem}.did.pretrend_p"]  # not estimable on the slice: recorded as a stated gap
    assert pd.isna(gap["value"]) and "not estimable" in gap["note"]


def test_record_mde_keys(panel):
    table = dd.record_mde(2023, "value", 20, panel).set_index("key")
    assert {"dependence_change.rare_earths_2023.mde", "dependence_change.graphite_2023.mde"} <= set(table.index)
    assert all(u.startswith("percentage points") for u in table["unit"])


def test_charts_follow_the_language(s):
    en = dd.series_chart.on_study(s, "en")
    assert en.axes[0].get_title().startswith("China's share of Japan's rare earths imports")
    assert en.texts[0].get_text().startswith("Source: ")
    ja = dd.event_study_chart.on_study(s, "ja")
    assert ja.axes[0].get_title().startswith("イベントスタディ") and ja.texts[0].get_text().startswith("出典")
    assert len(dd.synth_chart.on_study(s, "en").axes) == 2


def test_coverage_names_items_in_the_edition_language(panel):
    ja, en = dd.coverage("ja", panel), dd.coverage("en", panel)
    assert "レアアース" in set(ja["item_name"]) and "rare earths" in set(en["item_name"])
    assert not {"item_ja", "item_en"} & (set(ja.columns) | set(en.columns))
    assert ja.attrs["note"] and en.attrs["sources"]


def test_caveats_in_both_languages():
    ja, en = dc.caveats("ja"), dc.caveats("en")
    assert len(ja) == len(en) == len(dc.CAVEATS) and ja["what_it_means"].str.len().gt(0).all()
    assert "one treated unit" in set(en["pitfall"]) and "処置単位が1つ" in set(ja["pitfall"])
    assert "research" not in en.attrs["source"]
