"""Minimum detectable change: the closed form, an independent matrix computation, and a seeded simulation."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import norm

from evalkit import stats


def test_multiplier_is_z975_plus_z80():
    assert stats.mde_multiplier() == pytest.approx(1.959963985 + 0.841621234, abs=1e-8)
    with pytest.raises(ValueError):
        stats.mde_multiplier(alpha=0)


def test_mde_against_the_pre_mean_is_the_closed_form():
    pre, post = np.arange(2013, 2023), np.array([2023, 2024])
    assert stats.mde(3.0, pre, post, trend=False) == pytest.approx(2.801585 * 3.0 * np.sqrt(1 / 2 + 1 / 10), rel=1e-6)


def test_mde_against_the_trend_is_the_prediction_variance():
    pre, post = np.arange(2013, 2023, dtype=float), np.arange(2023, 2026, dtype=float)
    # independent computation: the variance of (mean of m new points - mean of their fitted values) from OLS
    X = np.column_stack([np.ones_like(pre), pre])
    Xp = np.column_stack([np.ones_like(post), post])
    a = Xp.mean(axis=0)
    c = 1 / len(post) + float(a @ np.linalg.inv(X.T @ X) @ a)
    assert stats.variance_factor(pre, post) == pytest.approx(c, rel=1e-10)
    # closed form with the numbers: 1/3 + 1/10 + (2024 - 2017.5)^2 / 82.5
    assert c == pytest.approx(1 / 3 + 1 / 10 + 6.5**2 / 82.5, rel=1e-10)
    # c itself is matched to 1e-10 (raw calendar years make X'X ill-conditioned), so the MDE built on it can be too
    assert stats.mde(2.0, pre, post) == pytest.approx(stats.mde_multiplier() * 2.0 * np.sqrt(c), rel=1e-10)


def test_a_shift_of_the_mde_is_found_80_percent_of_the_time():
    rng = np.random.default_rng(2023)
    pre, post = np.arange(2013, 2023, dtype=float), np.array([2023.0, 2024.0])
    sigma, sims = 2.0, 20000
    shift = stats.mde(sigma, pre, post)
    y_pre = 60 - 0.3 * (pre - 2013) + rng.normal(0, sigma, (sims, pre.size))
    y_post = 60 - 0.3 * (post - 2013) + shift + rng.normal(0, sigma, (sims, post.size))
    # every simulated series at once: OLS line on the pre years, extended to the post years
    X = np.column_stack([np.ones_like(pre), pre])
    coef = np.linalg.lstsq(X, y_pre.T, rcond=None)[0]
    estimate = (y_post - (np.column_stack([np.ones_like(post), post]) @ coef).T).mean(axis=1)
    first = stats.level_shift(np.r_[pre, post], np.r_[y_pre[0], y_post[0]], 2023)
    assert first.estimate == pytest.approx(estimate[0], rel=1e-9)
    # sigma known: the z-test the MDE is defined for
    z = estimate / (sigma * np.sqrt(stats.variance_factor(pre, post)))
    assert np.mean(np.abs(z) > norm.ppf(0.975)) == pytest.approx(0.80, abs=0.01)


def test_level_shift_noise_free():
    t = np.arange(2010, 2025, dtype=float)
    y = 70 - 1.5 * (t - 2010) - 6 * (t >= 2023)
    est = stats.level_shift(t, y, 2023, pre_years=10)
    assert est.estimate == pytest.approx(-6.0, abs=1e-9) and est.sigma == pytest.approx(0.0, abs=1e-9)
    assert est.pre_times == tuple(float(x) for x in range(2013, 2023)) and est.post_times == (2023.0, 2024.0)
    flat = stats.level_shift(t, y, 2023, pre_years=10, trend=False)
    assert flat.estimate == pytest.approx(np.mean(y[-2:]) - np.mean(y[3:13]), abs=1e-9)
    assert est.mde(5) < est.mde(2) or est.sigma == 0
    with pytest.raises(ValueError, match="pre years"):
        stats.level_shift(t, y, 2011, pre_years=1)
