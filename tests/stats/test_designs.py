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


# --- ITS on the 30-year series: CIs, noise-free recovery, autocorrelation checks ---------------------------------


def test_its_noise_free_coefficients_are_recovered_exactly():
    t = np.arange(1995, 2025)
    y = 80 - 0.4 * (t - 1995) - 12 * (t >= 2011) + 0.6 * np.where(t >= 2011, t - 2011, 0)
    res = stats.segmented_regression(pd.Series(t), pd.Series(y), 2011)
    np.testing.assert_allclose(res["coef"].to_numpy(), [80, -0.4, -12, 0.6], atol=1e-9)
    assert res["se"].max() < 1e-6
    assert res.attrs["n"] == 30 and res.attrs["maxlags"] == 3  # floor(4 * 0.3 ** (2/9)) = 3


def test_its_ci_is_t_interval_of_the_hac_error():
    from scipy.stats import t as student

    rng = np.random.default_rng(11)
    t = np.arange(1995, 2025)
    y = 80 - 0.4 * (t - 1995) - 12 * (t >= 2011) + rng.normal(0, 2, t.size)
    res = stats.segmented_regression(pd.Series(t), pd.Series(y), 2011)
    X = stats.its_design(pd.Series(t), 2011).to_numpy()
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    se = np.sqrt(np.diag(_newey_west(X, y - X @ beta, 3)))
    q = student.ppf(0.975, t.size - 4)
    np.testing.assert_allclose(res["coef"].to_numpy(), beta, atol=1e-9)
    np.testing.assert_allclose(res["ci_low"].to_numpy(), beta - q * se, rtol=1e-9)
    np.testing.assert_allclose(res["ci_high"].to_numpy(), beta + q * se, rtol=1e-9)


def test_hac_equals_statsmodels_cov_hac():
    import statsmodels.api as sm
    from statsmodels.stats.sandwich_covariance import cov_hac

    rng = np.random.default_rng(3)
    t = np.arange(2000, 2025)
    y = 10 + 0.3 * (t - 2000) + 2 * (t >= 2011) + rng.normal(0, 1, t.size)
    X = stats.its_design(pd.Series(t), 2011)
    ref = np.sqrt(np.diag(cov_hac(sm.OLS(y, X).fit(), nlags=2, use_correction=True)))
    res = stats.segmented_regression(pd.Series(t), pd.Series(y), 2011, maxlags=2)
    np.testing.assert_allclose(res["se"].to_numpy(), ref, rtol=1e-9)


def _ljung_box_by_hand(e, lags):
    e = e - e.mean()
    n = len(e)
    r = [float(e[k:] @ e[:-k]) / float(e @ e) for k in range(1, lags + 1)]
    return n * (n + 2) * sum(rk**2 / (n - k) for k, rk in zip(range(1, lags + 1), r))


def test_residual_autocorrelation_finds_ar1_and_not_white_noise():
    import statsmodels.api as sm

    rng = np.random.default_rng(5)
    t = np.arange(1995, 2025)
    # a ten-year cycle left out of the model: residuals strongly autocorrelated at lags 1-3
    cycle = 4 * np.sin(2 * np.pi * (t - 1995) / 10) + rng.normal(0, 0.5, t.size)
    base = 50 - 0.5 * (t - 1995) - 5 * (t >= 2011)
    strong = stats.residual_autocorrelation(pd.Series(t), pd.Series(base + cycle), 2011).set_index("test")
    white = stats.residual_autocorrelation(pd.Series(t), pd.Series(base + rng.normal(0, 1, t.size)), 2011).set_index(
        "test"
    )
    assert strong.loc["Breusch-Godfrey", "p"] < 0.05 and strong.loc["Ljung-Box", "p"] < 0.05
    assert white.loc["Breusch-Godfrey", "p"] > 0.05 and white.loc["Ljung-Box", "p"] > 0.05
    assert "none detected" in white.loc["Ljung-Box", "reading"]
    assert "autocorrelation left" in strong.loc["Breusch-Godfrey", "reading"]
    # the Ljung-Box Q statistic by hand on the same residuals
    X = stats.its_design(pd.Series(t), 2011)
    e = sm.OLS(base + cycle, X).fit().resid.to_numpy()
    assert strong.loc["Ljung-Box", "statistic"] == pytest.approx(_ljung_box_by_hand(e, 3), rel=1e-9)
    assert strong.loc["Durbin-Watson", "statistic"] == pytest.approx(
        float(np.sum(np.diff(e) ** 2) / np.sum(e**2)), rel=1e-12
    )


# --- one treated unit against comparison units: gap DiD and event study --------------------------------------------


def _panel(values: dict) -> pd.DataFrame:
    return pd.DataFrame(
        [{"unit": u, "year": y, "share": float(v)} for u, series in values.items() for y, v in series.items()]
    )


def test_two_by_two_did_is_the_difference_of_four_means():
    # two years before (2009, 2010), two after (2011, 2012); JPN treated, KOR/USA comparison
    panel = _panel(
        {
            "JPN": {2009: 90, 2010: 86, 2011: 70, 2012: 60},
            "KOR": {2009: 60, 2010: 62, 2011: 58, 2012: 57},
            "USA": {2009: 80, 2010: 79, 2011: 77, 2012: 75},
        }
    )
    res = stats.gap_did(panel, outcome="share", treated_unit="JPN", post_start=2011, maxlags=0)
    m = panel.assign(post=panel["year"] >= 2011, jpn=panel["unit"] == "JPN").groupby(["jpn", "post"])["share"].mean()
    by_hand = (m[(True, True)] - m[(True, False)]) - (m[(False, True)] - m[(False, False)])
    # JPN 88 -> 65 (-23); comparison (60+62+80+79)/4 = 70.25 -> (58+57+77+75)/4 = 66.75 (-3.5)
    assert by_hand == pytest.approx(-23 - (-3.5))
    assert res.loc["treated_x_post", "coef"] == pytest.approx(by_hand, abs=1e-12)
    assert res.loc["treated_x_post", "n_comparison"] == 2
    # the same as two-way fixed effects on the panel (an independent computation)
    twfe = stats.did(
        panel.assign(product=panel["unit"], treated=(panel["unit"] == "JPN").astype(int)),
        outcome="share",
        post_start=2011,
    )
    assert twfe.loc["treated_x_post", "coef"] == pytest.approx(by_hand, abs=1e-9)


def test_gap_did_error_is_newey_west_of_the_gap_regression():
    import statsmodels.api as sm
    from statsmodels.stats.sandwich_covariance import cov_hac

    rng = np.random.default_rng(21)
    years = np.arange(1995, 2025)
    values = {u: dict(zip(years, 50 + rng.normal(0, 3, years.size))) for u in ("A", "B", "C", "D")}
    values["JPN"] = dict(zip(years, 70 - 8 * (years >= 2011) + rng.normal(0, 3, years.size)))
    panel = _panel(values)
    res = stats.gap_did(panel, outcome="share", treated_unit="JPN", post_start=2011)
    gap = panel.pivot(index="year", columns="unit", values="share")
    d = gap["JPN"] - gap[["A", "B", "C", "D"]].mean(axis=1)
    X = sm.add_constant((d.index >= 2011).astype(float))
    fit = sm.OLS(d.to_numpy(), X).fit()
    se = np.sqrt(cov_hac(fit, nlags=3, use_correction=True)[1, 1])
    assert res.loc["treated_x_post", "coef"] == pytest.approx(fit.params[1], abs=1e-12)
    assert res.loc["treated_x_post", "se"] == pytest.approx(se, rel=1e-9)
    assert res.loc["treated_x_post", "maxlags"] == 3
    assert res.loc["treated_x_post", "ci_low"] < -8 < res.loc["treated_x_post", "ci_high"]


def test_unbalanced_panel_is_refused_with_the_cell():
    panel = _panel({"JPN": {2009: 1, 2010: 2, 2011: 3, 2012: 4}, "KOR": {2009: 1, 2011: 3, 2012: 4}})
    with pytest.raises(ValueError, match="KOR.*2010"):
        stats.gap_did(panel, outcome="share", treated_unit="JPN", post_start=2011)


def test_event_study_pre_coefficients_are_zero_by_construction():
    import statsmodels.api as sm

    rng = np.random.default_rng(8)
    years = np.arange(2001, 2025)  # ten pre-period years: five complete two-year bins
    comparison = {u: 40 + rng.normal(0, 4, years.size) for u in ("A", "B", "C")}
    mean_c = np.mean(list(comparison.values()), axis=0)
    # the gap repeats the same wiggle (+1, -1) in every two-year pre-period bin: every pre-bin mean equals the
    # reference bin's, so each pre-period coefficient is zero, while the residuals are not
    wiggle = np.where((years - 2011) % 2 == 0, 1.0, -1.0)
    effect = np.where(years >= 2011, -10.0 - 0.5 * (years - 2011), 0.0)
    jpn = mean_c + 20 + wiggle + effect
    panel = _panel({**{u: dict(zip(years, v)) for u, v in comparison.items()}, "JPN": dict(zip(years, jpn))})
    es = stats.event_study(panel, outcome="share", treated_unit="JPN", post_start=2011, bin_width=2)
    pre = es[es["period"] == "pre"]
    assert len(pre) == 4 and set(es.loc[es["period"] == "reference", "first"]) == {2009}
    np.testing.assert_allclose(pre["coef"].to_numpy(), 0.0, atol=1e-9)
    assert es.attrs["pretrend_p"] == pytest.approx(1.0, abs=1e-9)
    # post bins: mean of the effect in each two-year bin (the wiggle averages out in complete bins)
    post = es[es["period"] == "post"].set_index("first")
    assert post.loc[2011, "coef"] == pytest.approx(-10.25, abs=1e-9)
    assert post.loc[2013, "coef"] == pytest.approx(-11.25, abs=1e-9)
    # the same point estimates from a two-way fixed-effects panel regression with JPN x bin indicators
    bins = stats.event_bins(panel["year"], 2011, 2)
    X = pd.get_dummies(panel["unit"], prefix="u", drop_first=True, dtype=float).join(
        pd.get_dummies(panel["year"].astype(str), prefix="t", drop_first=True, dtype=float)
    )
    for b in sorted(set(bins) - {-1}):
        X[f"e{b}"] = ((panel["unit"] == "JPN") & (bins == b)).astype(float)
    fit = sm.OLS(panel["share"].to_numpy(), sm.add_constant(X)).fit()
    twfe = [fit.params[f"e{b}"] for b in es.loc[es["period"] != "reference", "bin"]]
    np.testing.assert_allclose(es.loc[es["period"] != "reference", "coef"].to_numpy(), twfe, atol=1e-8)


def test_event_study_detects_a_pre_trend_and_refuses_one_year_bins():
    years = np.arange(2000, 2025)
    rng = np.random.default_rng(2)
    panel = _panel(
        {
            "A": dict(zip(years, 50 + rng.normal(0, 1, years.size))),
            "B": dict(zip(years, 55 + rng.normal(0, 1, years.size))),
            "JPN": dict(zip(years, 60 + 2.0 * (years - 2000) + rng.normal(0, 1, years.size))),
        }
    )
    es = stats.event_study(panel, outcome="share", treated_unit="JPN", post_start=2011)
    assert es.attrs["pretrend_p"] < 0.01 and es.attrs["pretrend_slope_p"] < 0.01
    # the joint Wald F by hand: (R b)' (R V R')^-1 (R b) / q, V = Newey-West of the binned gap regression
    import statsmodels.api as sm
    from statsmodels.stats.sandwich_covariance import cov_hac

    wide = panel.pivot(index="year", columns="unit", values="share")
    gap = (wide["JPN"] - wide[["A", "B"]].mean(axis=1)).to_numpy()
    bins = stats.event_bins(wide.index, 2011, 2)
    bins[bins == -6] = -5  # the single year 2000 joins the bin 2001-2002
    labels = sorted(set(bins) - {-1})
    X = np.column_stack([np.ones(len(gap))] + [(bins == b).astype(float) for b in labels])
    fit = sm.OLS(gap, X).fit()
    V = cov_hac(fit, nlags=stats.default_maxlags(len(gap)), use_correction=True)
    pre = [i + 1 for i, b in enumerate(labels) if b < -1]
    rb = fit.params[pre]
    f = float(rb @ np.linalg.solve(V[np.ix_(pre, pre)], rb)) / len(pre)
    assert es.attrs["pretrend_f"] == pytest.approx(f, rel=1e-9)
    assert es.attrs["pretrend_df"] == (len(pre), len(gap) - X.shape[1])
    assert es.attrs["pretrend_slope"] == pytest.approx(2.0, abs=0.3)
    with pytest.raises(ValueError, match="bin_width >= 2"):
        stats.event_study(panel, outcome="share", treated_unit="JPN", post_start=2011, bin_width=1)


def test_its_with_two_post_points_has_no_error_for_the_post_segment():
    rng = np.random.default_rng(4)
    t = np.arange(2000, 2025)
    y = 60 - 0.2 * (t - 2000) + rng.normal(0, 2, t.size)
    res = stats.segmented_regression(pd.Series(t), pd.Series(y), 2023)
    # two points after 2023 are fitted exactly: a sandwich error would find the level change precise
    assert res.loc[["post", "time_since"], ["se", "ci_low", "ci_high", "p"]].isna().all().all()
    assert res.loc[["const", "time"], "se"].notna().all()
    assert "Only two points after the interruption" in res.attrs["note"]
    assert not np.isnan(stats.segmented_regression(pd.Series(t), pd.Series(y), 2022).loc["post", "se"])


def test_a_single_year_left_at_the_start_joins_the_next_bin():
    years = np.arange(2000, 2025)  # eleven pre-period years: 2000 would be alone in its two-year bin
    rng = np.random.default_rng(9)
    panel = _panel(
        {
            "A": dict(zip(years, 40 + rng.normal(0, 2, years.size))),
            "JPN": dict(zip(years, 60 + rng.normal(0, 2, years.size))),
        }
    )
    es = stats.event_study(panel, outcome="share", treated_unit="JPN", post_start=2011)
    first = es.iloc[0]
    assert (first["first"], first["last"], first["periods"]) == (2000, 2002, 3)
    assert (es["periods"] >= 2).all()
    gap = panel.pivot(index="year", columns="unit", values="share").pipe(lambda w: w["JPN"] - w["A"])
    assert first["coef"] == pytest.approx(gap.loc[2000:2002].mean() - gap.loc[2009:2010].mean(), abs=1e-9)
