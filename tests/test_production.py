"""World mine production concentration: SYNTHETIC tiny sheets by hand, and the real slice (rare earths, graphite)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from evalkit import production


def _sheet(rows):
    columns = ["commodity", "country", "country_code", "country_iso3", "year", "value", "unit"]
    frame = pd.DataFrame(rows, columns=columns)
    frame.attrs["source"] = "SYNTHETIC test rows"
    return frame


def test_concentration_by_hand_and_total_rows_never_count():
    frame = _sheet(
        [
            ("Cobalt", "Congo", "180", "COD", 2022, 70.0, "metr. t"),
            ("Cobalt", "China", "156", "CHN", 2022, 20.0, "metr. t"),
            ("Cobalt", "Australia", "36", "AUS", 2022, 10.0, "metr. t"),
            ("Cobalt", "Russia", "643", "RUS", 2022, None, "metr. t"),  # blank: not a zero, not a producer
            ("Cobalt", "Total", "DELETE", "DELETE", 2022, 100.0, "metr. t"),
        ]
    )
    (row,) = production.concentration(frame).to_dict("records")
    assert row["world_production"] == 100 and row["n_producers"] == 3 and row["unit"] == "metr. t"
    assert row["hhi"] == pytest.approx(0.49 + 0.04 + 0.01)
    assert row["top1_country"] == "COD" and row["top1_share"] == pytest.approx(0.7)
    assert row["china_share"] == pytest.approx(0.2) and row["gap"] == ""


def test_blank_or_zero_years_are_gaps_not_zeros():
    frame = _sheet(
        [
            ("Tin", "China", "156", "CHN", 2021, None, "metr. t"),
            ("Tin", "Peru", "604", "PER", 2021, None, "metr. t"),
            ("Tin", "China", "156", "CHN", 2022, 0.0, "metr. t"),
        ]
    )
    out = production.concentration(frame).set_index("year")
    assert "blank" in out.loc[2021, "gap"] and math.isnan(out.loc[2021, "hhi"])
    assert "no positive" in out.loc[2022, "gap"] and math.isnan(out.loc[2022, "china_share"])


def test_mixed_units_are_refused():
    frame = _sheet(
        [("Gold", "China", "156", "CHN", 2022, 300.0, "kg"), ("Gold", "Peru", "604", "PER", 2022, 0.1, "metr. t")]
    )
    (row,) = production.concentration(frame).to_dict("records")
    assert "mixes units" in row["gap"] and math.isnan(row["hhi"])


def test_real_slice_rare_earths_china_share(fetched_slice):
    table = production.load(fetched_slice / "wmd_production.csv")
    assert (table["country_code"] != "DELETE").all()
    out = production.concentration(table, commodities=["Rare Earths (REO)"], years=(2022, 2022))
    (row,) = out.to_dict("records")
    raw = pd.read_csv(fetched_slice / "wmd_production.csv", dtype={"country_code": str})
    raw = raw[(raw["commodity"] == "Rare Earths (REO)") & (raw["year"] == 2022) & (raw["country_code"] != "DELETE")]
    china = raw.loc[raw["country_iso3"] == "CHN", "value"].sum()
    assert row["china_share"] == pytest.approx(china / raw["value"].sum())
    assert row["top1_country"] == "CHN" and 0.5 < row["china_share"] < 0.9
    assert production.country_value(table, "Rare Earths (REO)", 2022, "JPN") == (None, "metr. t")
