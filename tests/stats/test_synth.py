"""Synthetic control: true weights recovered, placebo ranks by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evalkit import stats


def _long(wide: pd.DataFrame) -> pd.DataFrame:
    out = wide.stack().rename("share").reset_index()
    out.columns = ["year", "unit", "share"]
    return out


def _donors(seed: int = 4) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    years = np.arange(2000, 2025)
    return pd.DataFrame(
        {f"D{i}": 30 + 10 * i + np.cumsum(rng.normal(0, 2, years.size)) for i in range(1, 6)}, index=years
    )


def test_true_weights_are_recovered_for_an_exact_convex_combination():
    wide = _donors()
    effect = np.where(wide.index >= 2011, -7.0, 0.0)
    wide["JPN"] = 0.6 * wide["D1"] + 0.4 * wide["D3"] + effect
    fit = stats.synthetic_control(_long(wide), outcome="share", treated_unit="JPN", post_start=2011)
    np.testing.assert_allclose(fit.weights.to_numpy(), [0.6, 0.0, 0.4, 0.0, 0.0], atol=1e-6)
    assert fit.weights.sum() == pytest.approx(1.0, abs=1e-12) and (fit.weights >= 0).all()
    assert fit.pre_rmspe < 1e-5
    assert fit.gap_post_mean == pytest.approx(-7.0, abs=1e-5)
    assert fit.n_pre == 11 and fit.n_post == 14


def test_weights_are_deterministic():
    wide = _donors(9)
    wide["JPN"] = wide.mean(axis=1) + np.sin(np.arange(len(wide)))
    a = stats.synthetic_control(_long(wide), outcome="share", treated_unit="JPN", post_start=2011)
    b = stats.synthetic_control(_long(wide), outcome="share", treated_unit="JPN", post_start=2011)
    assert a.weights.to_numpy().tobytes() == b.weights.to_numpy().tobytes()


def test_placebo_rank_by_hand():
    ratios = pd.Series({"JPN": 3.0, "A": 1.0, "B": 4.5, "C": 3.0, "D": 0.5})
    # units at or above JPN's 3.0: B (4.5), C (3.0, a tie counts against JPN) and JPN itself
    assert stats.placebo_rank(ratios, "JPN") == 3
    assert stats.placebo_rank(ratios, "B") == 1 and stats.placebo_rank(ratios, "D") == 5


def test_placebo_in_space_ranks_a_large_break_first():
    wide = _donors(12)
    wide["JPN"] = 0.5 * wide["D2"] + 0.5 * wide["D4"] + np.where(wide.index >= 2011, -25.0, 0.0)
    table = stats.placebo_in_space(_long(wide), outcome="share", treated_unit="JPN", post_start=2011)
    assert list(table["unit"]) == ["JPN", "D1", "D2", "D3", "D4", "D5"]
    assert table.attrs["rank"] == 1 and table.attrs["n_units"] == 6 and table.attrs["p"] == pytest.approx(1 / 6)
    # every rank recomputed by hand from the table's own ratios
    for _, row in table.iterrows():
        assert row["rank"] == int((table["ratio"] >= row["ratio"]).sum())
    # a placebo's donor pool never contains the treated unit
    d1 = stats.synthetic_control(
        _long(wide), outcome="share", treated_unit="D1", post_start=2011, donors=["D2", "D3", "D4", "D5"]
    )
    assert table.set_index("unit").loc["D1", "pre_rmspe"] == pytest.approx(d1.pre_rmspe, rel=1e-9)


def test_refuses_without_donors_or_pre_period():
    wide = _donors()[["D1"]].assign(JPN=lambda d: d["D1"] + 1)
    with pytest.raises(ValueError, match="no donors"):
        stats.synthetic_control(_long(wide), outcome="share", treated_unit="JPN", post_start=2011, donors=[])
    with pytest.raises(ValueError, match="2 periods before"):
        stats.synthetic_control(_long(wide), outcome="share", treated_unit="JPN", post_start=2000)
