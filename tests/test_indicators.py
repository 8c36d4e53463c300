"""Indicators: hand-computed values and properties (hypothesis)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evalkit import indicators as ind


def _flows(values, year=2020, partners=None):
    partners = partners or [f"P{i:02d}" for i in range(len(values))]
    return pd.DataFrame({"year": year, "partner": partners, "value": values})


def test_hand_computed_example():
    # shares 0.5, 0.3, 0.2 -> HHI 0.25+0.09+0.04 = 0.38
    flows = _flows([50.0, 30.0, 20.0], partners=["CHN", "AUS", "USA"])
    row = ind.concentration(flows).iloc[0]
    assert row["hhi"] == pytest.approx(0.38, abs=1e-12)
    assert row["hhi_10000"] == pytest.approx(3800, abs=1e-9)
    assert row["n_eff"] == pytest.approx(1 / 0.38, abs=1e-12)
    assert row["top1_partner"] == "CHN" and row["top1_share"] == pytest.approx(0.5)
    assert row["top3_share"] == pytest.approx(1.0)
    assert row["named_share"] == pytest.approx(0.5)
    assert row["crma_65_breach"] is False or row["crma_65_breach"] == False  # noqa: E712
    assert row["imports"] == 100.0 and row["n_partners"] == 3


def test_aggregates_never_enter_shares():
    flows = pd.DataFrame(
        {
            "year": 2020,
            "partner": ["WLD", "CHN", "AUS"],
            "value": [100.0, 80.0, 20.0],
            "partner_is_aggregate": [True, False, False],
        }
    )
    row = ind.concentration(flows).iloc[0]
    assert row["imports"] == 100.0
    assert row["hhi"] == pytest.approx(0.8**2 + 0.2**2)
    assert row["crma_65_breach"]


def test_negative_values_refused():
    with pytest.raises(ValueError, match="negative"):
        ind.concentration(_flows([1.0, -1.0]))


def test_guideline_ratios_hand_computed():
    m = pd.Series({"CHN": 60.0, "AUS": 30.0, "USA": 10.0})
    r = ind.guideline_ratios(m, production=50.0, exports=50.0, k=2)
    # D = 50 + 100 - 50 = 100
    assert r["demand"] == 100.0
    assert r["dependence_few"] == pytest.approx(0.9)
    assert r["self_sufficiency"] == pytest.approx(0.5)
    assert r["top1_of_demand"] == pytest.approx(0.6)
    assert r["top1_of_imports"] == pytest.approx(0.6)
    assert r["import_reliance"] == pytest.approx(0.5)
    named = ind.guideline_ratios(m, production=50.0, exports=50.0, k=["CHN"])
    assert named["dependence_few"] == pytest.approx(0.6)


def test_net_import_reliance_clipped_and_nan():
    assert ind.net_import_reliance(10, 20, 50) == 0.0
    assert math.isnan(ind.net_import_reliance(0, 10, 5))


def test_ec_dependence_and_persistence():
    assert ind.ec_dependence(0.5, 0.6, 2.0) is True
    assert ind.ec_dependence(0.4, 0.6, 2.0) is False  # strict inequality
    assert ind.ec_dependence(float("nan"), 0.6, 2.0) is None
    flags = pd.Series({2018: True, 2019: False, 2020: True, 2021: False, 2022: False})
    got = ind.persistent(flags, k=2, n=3)
    assert got.to_dict() == {2018: False, 2019: False, 2020: True, 2021: False, 2022: False}
    with pytest.raises(ValueError):
        ind.persistent(flags, k=4, n=3)


amounts = st.lists(st.floats(min_value=0.001, max_value=1e9, allow_nan=False), min_size=1, max_size=25)


@settings(max_examples=80, deadline=None)
@given(amounts)
def test_bounds_and_top1_relation(values):
    row = ind.concentration(_flows(values)).iloc[0]
    n = len(values)
    assert 1 / n - 1e-12 <= row["hhi"] <= 1 + 1e-12
    assert row["top1_share"] ** 2 - 1e-12 <= row["hhi"] <= row["top1_share"] + 1e-12
    assert 1 - 1e-9 <= row["n_eff"] <= n + 1e-9
    assert row["top1_share"] <= row["top3_share"] + 1e-12 <= 1 + 2e-12


@settings(max_examples=80, deadline=None)
@given(amounts)
def test_shares_sum_to_one(values):
    shares = ind.partner_shares(_flows(values))
    assert shares["share"].sum() == pytest.approx(1.0, abs=1e-9)
    assert (shares["share"] >= 0).all()


@settings(max_examples=60, deadline=None)
@given(amounts, st.sampled_from([1e-3, 1.0, 1000.0, 1e6]), st.randoms(use_true_random=False))
def test_invariant_to_units_and_partner_order(values, factor, rnd):
    base = ind.concentration(_flows(values)).iloc[0]
    flows = _flows([v * factor for v in values])
    order = list(range(len(values)))
    rnd.shuffle(order)
    moved = ind.concentration(flows.iloc[order]).iloc[0]
    for col in ("hhi", "n_eff", "top1_share", "top3_share"):
        assert moved[col] == pytest.approx(base[col], rel=1e-9, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(amounts)
def test_hhi_scale_conventions(values):
    assert ind.hhi(values, scale=10_000) == pytest.approx(10_000 * ind.hhi(values), rel=1e-12)
    assert ind.hhi(np.asarray(values) * 7) == pytest.approx(ind.hhi(values), rel=1e-12)
