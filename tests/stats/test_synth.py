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


def test_constraints_bind_outside_the_donors_hull_as_an_independent_solver_finds():
    from scipy.optimize import nnls

    wide = _donors(6)
    # 1.5 x D1 - 0.5 x D2 is outside the convex hull: least squares alone would give a negative weight
    wide["JPN"] = 1.5 * wide["D1"] - 0.5 * wide["D2"] + np.random.default_rng(1).normal(0, 0.5, len(wide))
    fit = stats.synthetic_control(_long(wide), outcome="share", treated_unit="JPN", post_start=2011)
    pre = wide.index < 2011
    X, y = wide.loc[pre, ["D1", "D2", "D3", "D4", "D5"]].to_numpy(), wide.loc[pre, "JPN"].to_numpy()
    heavy = 1e4  # the sum-to-one constraint as a heavily weighted extra row of a non-negative least squares
    ref, _ = nnls(np.vstack([X, heavy * np.ones(5)]), np.r_[y, heavy])
    np.testing.assert_allclose(fit.weights.to_numpy(), ref, atol=1e-4)
    assert (fit.weights >= 0).all() and fit.weights.sum() == pytest.approx(1.0)
    unconstrained = np.linalg.lstsq(X, y, rcond=None)[0]
    assert unconstrained.min() < 0  # so the test does exercise the constraints


def test_a_placebo_pool_never_contains_the_treated_unit():
    wide = _donors(15)
    rng = np.random.default_rng(15)
    wide["JPN"] = 200 + np.cumsum(rng.normal(0, 3, len(wide)))  # outside every donor's range
    wide["D1"] = wide["JPN"] + rng.normal(0, 0.2, len(wide))  # would be fitted almost exactly by JPN
    table = stats.placebo_in_space(_long(wide), outcome="share", treated_unit="JPN", post_start=2011)
    d1 = stats.synthetic_control(
        _long(wide), outcome="share", treated_unit="D1", post_start=2011, donors=["D2", "D3", "D4", "D5"]
    )
    assert table.set_index("unit").loc["D1", "pre_rmspe"] == pytest.approx(d1.pre_rmspe, rel=1e-9)
    assert d1.pre_rmspe > 10  # with JPN in its pool the fit would be within 0.2
