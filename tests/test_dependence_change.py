"""Notebook 50 logic: the rare-earth back-test on the published points, the persistence rule, the panel DiD."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from evalkit import dependence_change as dc
from evalkit.errors import DataValidationError, UsageError


def test_backtest_coefficients_by_hand():
    fit = dc.segmented()
    assert fit.loc["time", "coef"] == pytest.approx(81.61 - 85.49, abs=1e-9)
    assert fit.loc["post", "coef"] == pytest.approx(68.37 - (85.49 + 2 * (81.61 - 85.49)), abs=1e-9)
    assert fit.loc["time_since", "coef"] == pytest.approx((59.64 - 68.37) / 3 - (81.61 - 85.49), abs=1e-9)
    assert math.isnan(fit.loc["post", "se"])
    assert "no standard error" in fit.attrs["note"] and "No counterfactual" in fit.attrs["note"]
    ba = dc.before_after().iloc[0]
    assert ba["mean_before"] == pytest.approx((85.49 + 81.61) / 2)
    assert ba["change"] == pytest.approx((68.37 + 59.64) / 2 - (85.49 + 81.61) / 2)


def test_not_estimable_is_said():
    fit = dc.segmented(interruption=2014)
    assert fit["status"].iloc[0] == "not estimable"


def test_series_refuses_mixed_measures():
    with pytest.raises(UsageError, match="mixes"):
        dc.series("re_import_volume_mof_via_kksoukan")
    with pytest.raises(UsageError):
        dc.series("no_such_series")


def test_persistence_with_gaps():
    table = dc.persistence(threshold=65.0)
    assert table.set_index("year")["persistent"].to_dict() == {2009: False, 2010: False, 2011: True, 2014: False}
    assert "2012, 2013" in table.attrs["note"]


def test_did_from_panel_file(tmp_path):
    assert dc.did_table("")["status"].iloc[0] == "not available in the shipped data"
    rows = []
    for product, treated, values in (
        ("a", 1, [0.8, 0.8, 0.6, 0.5]),
        ("b", 1, [0.7, 0.7, 0.6, 0.6]),
        ("c", 0, [0.5, 0.5, 0.5, 0.4]),
        ("d", 0, [0.6, 0.6, 0.6, 0.6]),
    ):
        for year, v in zip((2021, 2022, 2023, 2024), values):
            rows.append({"product": product, "year": year, "treated": treated, "chn_share": v})
    path = tmp_path / "panel.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    res = dc.did_table(str(path), "chn_share", 2023)
    # by hand: treated change (0.575 - 0.75) minus comparison change (0.525 - 0.55)
    assert res.loc["treated_x_post", "coef"] == pytest.approx(-0.175 - (-0.025), abs=1e-9)
    bad = tmp_path / "bad.csv"
    bad.write_text("product,year,treated,chn_share\na,2021,2,0.5\na,20x2,1,0.5\n")
    with pytest.raises(DataValidationError) as exc:
        dc.did_table(str(bad), "chn_share", 2023)
    assert {(p.line, p.column) for p in exc.value.problems} == {(2, "treated"), (3, "year")}


def test_record_backtest_keys():
    table = dc.record_backtest()
    keys = list(table["key"])
    assert keys == [
        f"dependence_change.rare_earths_2010.{k}"
        for k in (
            "n_points",
            "pre_slope",
            "level_change",
            "slope_change",
            "mean_before",
            "mean_after",
            "before_after_change",
        )
    ]
    assert table.set_index("key").loc["dependence_change.rare_earths_2010.level_change", "value"] == pytest.approx(
        -9.36
    )


def test_chart_follows_the_language():
    en = dc.chart(lang="en")
    ax = en.axes[0]
    assert ax.get_title().startswith("Segmented regression: ") and ax.get_xlabel() == "Year"
    legend = [x.get_text() for x in ax.get_legend().get_texts()]
    assert "published points" in legend and "pre-trend extended (not a counterfactual)" in legend
    assert en.texts[0].get_text().startswith("Source: ")
    ja = dc.chart().axes[0]
    assert ja.get_title().startswith("区切り回帰：") and "公表値" in [x.get_text() for x in ja.get_legend().get_texts()]
