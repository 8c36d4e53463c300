"""ITS and DiD pinned to hand-computed and independently computed values."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from evalkit import stats


def test_saturated_rare_earth_points_by_hand():
    # published points 2009 85.49, 2010 81.61, 2011 68.37, 2014 59.64; post from 2011
    t = pd.Series([2009, 2010, 2011, 2014])
    y = pd.Series([85.49, 81.61, 68.37, 59.64])
    res = stats.segmented_regression(t, y, 2011)
    slope_pre = 81.61 - 85.49  # -3.88 per year
    level = 68.37 - (85.49 + 2 * slope_pre)  # -9.36 against the pre-trend
    slope_post = (59.64 - 68.37) / 3  # -2.91
    assert res.loc["const", "coef"] == pytest.approx(85.49, abs=1e-9)
    assert res.loc["time", "coef"] == pytest.approx(slope_pre, abs=1e-9)
    assert res.loc["post", "coef"] == pytest.approx(level, abs=1e-9)
    assert res.loc["time_since", "coef"] == pytest.approx(slope_post - slope_pre, abs=1e-9)
    assert res.attrs["df_resid"] == 0 and math.isnan(res.loc["post", "se"])
    assert "no standard error" in res.attrs["note"]


def _newey_west(X, e, lags):
    n, k = X.shape
    S = (X * e[:, None]).T @ (X * e[:, None])
    for lag in range(1, lags + 1):
        w = 1 - lag / (lags + 1)
        G = (X[lag:] * e[lag:, None]).T @ (X[:-lag] * e[:-lag, None])
        S += w * (G + G.T)
    bread = np.linalg.inv(X.T @ X)
    return bread @ S @ bread * n / (n - k)


def test_hac_against_independent_computation():
    rng = np.random.default_rng(7)
    t = np.arange(2000, 2024)
    y = 50 - 0.5 * (t - 2000) - 4 * (t >= 2012) - 0.8 * np.where(t >= 2012, t - 2012, 0) + rng.normal(0, 1, t.size)
    res = stats.segmented_regression(pd.Series(t), pd.Series(y), 2012, maxlags=2)
    X = stats.its_design(pd.Series(t), 2012).to_numpy()
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    e = y - X @ beta
    se = np.sqrt(np.diag(_newey_west(X, e, 2)))
    np.testing.assert_allclose(res["coef"].to_numpy(), beta, atol=1e-9)
    np.testing.assert_allclose(res["se"].to_numpy(), se, rtol=1e-9)
    assert res.attrs["post_slope"] == pytest.approx(beta[1] + beta[3])


def test_its_refuses_too_few_points():
    with pytest.raises(ValueError, match="2 points before"):
        stats.segmented_regression(pd.Series([2009, 2011, 2014]), pd.Series([1.0, 2.0, 3.0]), 2011)


def test_did_equals_two_by_two_by_hand():
    rows = []
    values = {
        ("A", 1): {2020: 10, 2021: 11, 2023: 7, 2024: 6},
        ("B", 1): {2020: 20, 2021: 20, 2023: 17, 2024: 16},
        ("C", 0): {2020: 5, 2021: 6, 2023: 6, 2024: 7},
        ("D", 0): {2020: 8, 2021: 8, 2023: 9, 2024: 9},
    }
    for (unit, tr), series in values.items():
        for year, v in series.items():
            rows.append({"product": unit, "year": year, "treated": tr, "y": float(v)})
    panel = pd.DataFrame(rows)
    res = stats.did(panel, outcome="y", post_start=2023)
    d = panel.assign(post=panel["year"] >= 2023).groupby(["treated", "post"])["y"].mean()
    by_hand = (d[(1, True)] - d[(1, False)]) - (d[(0, True)] - d[(0, False)])
    assert res.loc["treated_x_post", "coef"] == pytest.approx(by_hand, abs=1e-9)
    assert res.loc["treated_x_post", "n_units"] == 4 and res.loc["treated_x_post", "n_treated"] == 2
    with pytest.raises(ValueError):
        stats.did(panel.assign(treated=0), outcome="y", post_start=2023)
