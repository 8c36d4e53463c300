"""Did dependence change? Interrupted time series, difference-in-differences and event study.

Every design here is estimated by OLS (statsmodels) and returns a tidy table
whose ``attrs["note"]`` states what the estimate cannot show (few points,
autocorrelation, mean reversion, co-occurring shocks).

- :func:`segmented_regression`: one series against its own pre-trend
  (``y = b0 + b1·t + b2·post + b3·time_since``), Newey–West HAC errors, and
  :func:`residual_autocorrelation` for what autocorrelation the model leaves.
- :func:`gap_did` and :func:`event_study`: one treated unit against the
  equal-weighted mean of comparison units. Both work on the *gap* series
  (treated minus comparison mean), so with a balanced panel the point
  estimates equal those of a two-way fixed-effects regression, and the errors
  are Newey–West over time: with a single treated unit, errors clustered by
  unit are not available (the treated unit's residuals carry no information
  about its own noise), and pooling the comparison units' noise would borrow
  the noise of smaller, more erratic importers.
- :func:`did`: two-way fixed effects with errors clustered by unit, for a
  panel with several treated units (designated products).

References
----------
.. [1] Wagner, Soumerai, Zhang & Ross-Degnan (2002), "Segmented regression
   analysis of interrupted time series studies in medication use research",
   J. Clin. Pharm. Ther. 27(4): the model y = b0 + b1·time + b2·post +
   b3·time_since + e.
.. [2] Newey & West (1987), Econometrica 55(3); statsmodels
   ``RegressionResults.get_robustcov_results(cov_type="HAC")``.
.. [3] Turner et al. (2021), BMC Med. Res. Methodol. 21:181 — short series
   underestimate autocorrelation; OLS preferred below about 12 points.
.. [4] Angrist & Pischke (2009), Mostly Harmless Econometrics, ch. 5
   (two-way fixed-effects difference-in-differences).
.. [5] Ljung & Box (1978), Biometrika 65(2); Breusch (1978), Australian
   Economic Papers 17; Godfrey (1978), Econometrica 46(6): tests for
   autocorrelation left in regression residuals (statsmodels
   ``acorr_ljungbox``, ``acorr_breusch_godfrey``).
.. [6] Freyaldenhoven, Hansen, Pérez & Shapiro (2021), "Visualization,
   identification, and estimation in the linear panel event-study design",
   NBER WP 29170: pre-period coefficients shown and tested jointly.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.stats.diagnostic import acorr_breusch_godfrey, acorr_ljungbox
from statsmodels.stats.stattools import durbin_watson

ITS_TERMS = {
    "const": "level at the first period (b0)",
    "time": "pre-period slope per period (b1)",
    "post": "level change at the interruption (b2)",
    "time_since": "slope change after it (b3)",
}


def default_maxlags(n: int) -> int:
    """Newey–West default lag length, floor(4·(n/100)^(2/9)) (statsmodels' rule)."""
    return int(math.floor(4 * (n / 100.0) ** (2.0 / 9.0)))


def its_design(times: pd.Series, interruption: float) -> pd.DataFrame:
    """Design matrix of the segmented regression.

    Parameters
    ----------
    times : pandas.Series
        Time of each observation (e.g. year), increasing.
    interruption : float
        First time of the post period (e.g. 2011 for a shock in late 2010).

    Returns
    -------
    pandas.DataFrame
        ``const`` (1), ``time`` (periods since the first observation),
        ``post`` (1 from ``interruption`` on) and ``time_since`` (periods since
        ``interruption``, 0 before).
    """
    t = pd.to_numeric(times).astype(float).to_numpy()
    post = (t >= interruption).astype(float)
    return pd.DataFrame(
        {"const": 1.0, "time": t - t.min(), "post": post, "time_since": np.where(post > 0, t - interruption, 0.0)}
    )


def segmented_regression(
    times: pd.Series, y: pd.Series, interruption: float, *, maxlags: int | None = None, level: float = 0.95
) -> pd.DataFrame:
    """Interrupted time series by OLS with HAC (Newey–West) standard errors.

    Parameters
    ----------
    times : pandas.Series
        Observation times (years or months as numbers); gaps are allowed and
        enter through ``time``.
    y : pandas.Series
        Outcome, in its own unit (e.g. % share).
    interruption : float
        First time of the post period.
    maxlags : int, optional
        HAC lag length (default :func:`default_maxlags`); small-sample
        correction on.
    level : float
        Confidence level of ``ci_low``/``ci_high`` (Student t with the
        residual degrees of freedom).

    Returns
    -------
    pandas.DataFrame
        Index = term (``const``, ``time``, ``post``, ``time_since``); columns
        ``coef`` (unit of ``y``, per period for slopes), ``se``, ``ci_low``,
        ``ci_high``, ``t``, ``p``, ``meaning``. When the model has no residual degrees of freedom (as
        many points as terms) coefficients are exact and ``se``/``p`` are NaN.
        ``attrs`` hold ``n``, ``df_resid``, ``maxlags``, ``post_slope`` and
        ``note``.

    Raises
    ------
    ValueError
        With fewer than 4 points or without points on both sides.
    """
    frame = (
        pd.DataFrame(
            {"t": pd.to_numeric(times).astype(float).to_numpy(), "y": pd.to_numeric(y).astype(float).to_numpy()}
        )
        .dropna()
        .sort_values("t")
    )
    n = len(frame)
    X = its_design(frame["t"], interruption)
    n_pre, n_post = int((X["post"] == 0).sum()), int((X["post"] == 1).sum())
    if n < 4 or n_pre < 2 or n_post < 2:
        raise ValueError(
            f"segmented_regression: need at least 2 points before and 2 after the interruption "
            f"(have {n_pre} before, {n_post} after)"
        )
    model = sm.OLS(frame["y"].to_numpy(), X)
    fit = model.fit()
    lags = default_maxlags(n) if maxlags is None else int(maxlags)
    df_resid = int(round(fit.df_resid))
    if df_resid > 0:
        robust = _hac(fit, lags)
        se, tval, pval = (np.array(robust.bse), np.array(robust.tvalues), np.array(robust.pvalues))
        ci = np.asarray(robust.conf_int(alpha=1 - level)).copy()
        if n_post < 3 or n_pre < 3:
            # a segment of two points is fitted exactly (leverage 1, residuals 0), so a sandwich error that sums
            # residuals would call its level and slope change precise; with two pre points nothing is left
            exact = [2, 3] if n_post < 3 else []
            exact = [0, 1, 2, 3] if n_pre < 3 else exact
            se[exact] = tval[exact] = pval[exact] = np.nan
            ci[exact] = np.nan
    else:
        se = tval = pval = np.full(len(X.columns), np.nan)
        ci = np.full((len(X.columns), 2), np.nan)
    out = pd.DataFrame(
        {
            "coef": np.asarray(fit.params),
            "se": np.asarray(se),
            "ci_low": ci[:, 0],
            "ci_high": ci[:, 1],
            "t": np.asarray(tval),
            "p": np.asarray(pval),
            "meaning": [ITS_TERMS[c] for c in X.columns],
        },
        index=X.columns,
    )
    out.index.name = "term"
    out.attrs.update(
        n=n,
        n_pre=n_pre,
        n_post=n_post,
        df_resid=df_resid,
        maxlags=lags,
        post_slope=float(fit.params["time"] + fit.params["time_since"]),
        level=level,
        note=its_caveat(n, df_resid, n_pre=n_pre, n_post=n_post),
    )
    return out


def _hac(fit, lags: int):
    """Newey–West covariance (Bartlett kernel, ``lags`` lags, small-sample factor n/(n-k)), t-based inference."""
    return fit.get_robustcov_results(cov_type="HAC", maxlags=int(lags), use_correction=True, use_t=True)


def _series(times: pd.Series, y: pd.Series) -> pd.DataFrame:
    return (
        pd.DataFrame(
            {"t": pd.to_numeric(times).astype(float).to_numpy(), "y": pd.to_numeric(y).astype(float).to_numpy()}
        )
        .dropna()
        .sort_values("t")
        .reset_index(drop=True)
    )


def residual_autocorrelation(
    times: pd.Series, y: pd.Series, interruption: float, *, lags: int | None = None
) -> pd.DataFrame:
    """Autocorrelation left in the residuals of the segmented regression.

    Parameters
    ----------
    times, y, interruption
        As for :func:`segmented_regression`.
    lags : int, optional
        Lags tested (default: the HAC lag of :func:`default_maxlags`, at least 1).

    Returns
    -------
    pandas.DataFrame
        One row per check: ``test`` (``Ljung-Box``, ``Breusch-Godfrey``,
        ``Durbin-Watson``), ``lags``, ``statistic``, ``p`` (none for
        Durbin–Watson, whose value near 2 means no first-order
        autocorrelation), ``n``, ``reading`` (what the result means, and how
        little a test on ``n`` points can detect).

    Notes
    -----
    Ljung–Box tests the residual autocorrelations up to ``lags`` jointly
    (Q statistic, χ² with ``lags`` degrees of freedom, not corrected for the
    regressors); Breusch–Godfrey regresses the residuals on the regressors
    and ``lags`` lagged residuals (LM statistic, χ²) and is valid with
    regressors. With 25–30 annual points either test detects only strong
    autocorrelation (a first-order coefficient of about 0.4 or more), and
    short series understate it [3]_; a p above 0.05 is not evidence of
    independence.
    """
    frame = _series(times, y)
    n = len(frame)
    X = its_design(frame["t"], interruption)
    fit = sm.OLS(frame["y"].to_numpy(), X).fit()
    if int(round(fit.df_resid)) < 2:
        raise ValueError(f"residual_autocorrelation: {n} points leave no residuals to test")
    lags = max(1, default_maxlags(n)) if lags is None else int(lags)
    lb = acorr_ljungbox(fit.resid, lags=[lags], return_df=True)
    with warnings.catch_warnings():  # statsmodels 0.15 announces a result object; the tuple works in 0.14 and 0.15
        warnings.simplefilter("ignore", FutureWarning)
        bg = acorr_breusch_godfrey(fit, nlags=lags)
    bg_stat, bg_p = bg[0], bg[1]
    rows = [
        ("Ljung-Box", lags, float(lb["lb_stat"].iloc[0]), float(lb["lb_pvalue"].iloc[0])),
        ("Breusch-Godfrey", lags, float(bg_stat), float(bg_p)),
        ("Durbin-Watson", 1, float(durbin_watson(fit.resid)), float("nan")),
    ]
    out = pd.DataFrame(rows, columns=["test", "lags", "statistic", "p"])
    out["n"] = n
    out["reading"] = [_autocorrelation_reading(test, stat, p, n) for test, _, stat, p in rows]
    out.attrs["note"] = (
        f"residuals of the segmented regression on {n} points; with so few points these tests detect only strong "
        "autocorrelation, and short series understate it (Turner et al. 2021)"
    )
    return out


def _autocorrelation_reading(test: str, stat: float, p: float, n: int) -> str:
    if test == "Durbin-Watson":
        if stat < 1.5:
            return "below 2: positive first-order autocorrelation"
        if stat > 2.5:
            return "above 2: negative first-order autocorrelation"
        return "near 2: little first-order autocorrelation"
    if p < 0.05:
        return "autocorrelation left in the residuals (p < 0.05): HAC errors allow for it only approximately"
    return f"none detected at 5%; with {n} points only strong autocorrelation would be"


def _wide(panel: pd.DataFrame, *, outcome: str, unit: str, time: str) -> pd.DataFrame:
    """The panel as time x unit, refusing repeated or missing cells (the designs need a balanced panel)."""
    missing = [c for c in (outcome, unit, time) if c not in panel.columns]
    if missing:
        raise KeyError(f"panel lacks columns {missing}")
    d = panel[[unit, time, outcome]].copy()
    d[outcome] = pd.to_numeric(d[outcome], errors="coerce")
    if d.duplicated([unit, time]).any():
        dup = d[d.duplicated([unit, time], keep=False)].iloc[0]
        raise ValueError(f"panel has more than one row for {unit}={dup[unit]!r}, {time}={dup[time]!r}")
    wide = d.pivot(index=time, columns=unit, values=outcome).sort_index()
    holes = wide.isna()
    if holes.any().any():
        first = holes.stack()
        u_t = first[first].index[0]
        raise ValueError(
            f"panel is not balanced: {unit}={u_t[1]!r} has no {outcome} in {time}={u_t[0]!r} "
            f"({int(holes.to_numpy().sum())} missing cells); the designs compare complete series only"
        )
    return wide


def gap_series(
    panel: pd.DataFrame, *, outcome: str, unit: str = "unit", time: str = "year", treated_unit: str
) -> pd.DataFrame:
    """The treated unit's outcome, the comparison units' equal-weighted mean, and their difference.

    Parameters
    ----------
    panel : pandas.DataFrame
        Long and balanced: one row per unit and time, columns ``unit``,
        ``time`` and ``outcome``.
    treated_unit : str
        The treated unit; every other unit is a comparison unit.

    Returns
    -------
    pandas.DataFrame
        Index = time; ``treated``, ``comparison`` (mean of the comparison
        units), ``gap`` (treated − comparison), all in the unit of
        ``outcome``; ``attrs["comparison_units"]`` lists them.
    """
    wide = _wide(panel, outcome=outcome, unit=unit, time=time)
    if treated_unit not in wide.columns:
        raise ValueError(f"treated unit {treated_unit!r} is not in the panel")
    comparison = [c for c in wide.columns if c != treated_unit]
    if not comparison:
        raise ValueError("gap_series: the panel has no comparison unit")
    out = pd.DataFrame({"treated": wide[treated_unit], "comparison": wide[comparison].mean(axis=1)})
    out["gap"] = out["treated"] - out["comparison"]
    out.index.name = time
    out.attrs["comparison_units"] = [str(c) for c in comparison]
    return out


def gap_did(
    panel: pd.DataFrame,
    *,
    outcome: str,
    unit: str = "unit",
    time: str = "year",
    treated_unit: str,
    post_start: float,
    maxlags: int | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Difference-in-differences of one treated unit against the mean of comparison units, HAC errors.

    gap_t = a + β·post_t + e_t, gap_t = y_treated,t − mean_c y_c,t,
    post_t = 1 from ``post_start`` on. β is the change of the gap: the
    treated unit's before/after change minus the comparison mean's (with a
    balanced panel, the two-way fixed-effects estimate). Its error is
    Newey–West over time, so it allows for the autocorrelation of annual
    shares; it does not allow for the comparison units being a sample.

    Parameters
    ----------
    panel : pandas.DataFrame
        Long and balanced (see :func:`gap_series`).
    outcome, unit, time, treated_unit
        Column names and the treated unit.
    post_start : float
        First time of the post period.
    maxlags : int, optional
        HAC lag length (default :func:`default_maxlags` of the series length).
    level : float
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        One row ``treated_x_post``: ``coef`` (unit of ``outcome``), ``se``,
        ``ci_low``, ``ci_high``, ``t``, ``p``, ``gap_pre`` and ``gap_post``
        (mean gaps), ``n_pre``, ``n_post``, ``n_comparison``, ``maxlags``.
    """
    g = gap_series(panel, outcome=outcome, unit=unit, time=time, treated_unit=treated_unit)
    post = (g.index.to_numpy(dtype=float) >= post_start).astype(float)
    n_pre, n_post = int((post == 0).sum()), int((post == 1).sum())
    if n_pre < 2 or n_post < 2:
        raise ValueError(f"gap_did: need 2 periods before and after {post_start} (have {n_pre} and {n_post})")
    X = pd.DataFrame({"const": 1.0, "treated_x_post": post}, index=g.index)
    fit = sm.OLS(g["gap"].to_numpy(), X).fit()
    lags = default_maxlags(len(g)) if maxlags is None else int(maxlags)
    robust = _hac(fit, lags)
    ci = np.asarray(robust.conf_int(alpha=1 - level))
    out = pd.DataFrame(
        [
            {
                "coef": float(robust.params[1]),
                "se": float(robust.bse[1]),
                "ci_low": float(ci[1, 0]),
                "ci_high": float(ci[1, 1]),
                "t": float(robust.tvalues[1]),
                "p": float(robust.pvalues[1]),
                "gap_pre": float(g["gap"][post == 0].mean()),
                "gap_post": float(g["gap"][post == 1].mean()),
                "n_pre": n_pre,
                "n_post": n_post,
                "n_comparison": len(g.attrs["comparison_units"]),
                "maxlags": lags,
            }
        ],
        index=pd.Index(["treated_x_post"], name="term"),
    )
    out.attrs.update(
        level=level,
        note=f"one treated unit against the mean of {len(g.attrs['comparison_units'])} comparison units; "
        f"Newey-West errors with {lags} lag(s) over {len(g)} periods. Parallel trends are assumed: see the "
        "event study's pre-period coefficients.",
    )
    return out


def event_bins(times, post_start: float, width: int) -> np.ndarray:
    """Event-time bin of each time: ``floor((t - post_start) / width)``; -1 = the ``width`` periods just before."""
    if int(width) < 1:
        raise ValueError(f"event bin width {width!r}: expected a whole number of periods, at least 1")
    rel = np.asarray(times, dtype=float) - float(post_start)
    return np.floor(rel / int(width)).astype(int)


def _merge_single_bins(bins: np.ndarray) -> np.ndarray:
    """Join each bin of one period to the nearest bin on its side of the reference (towards the interruption on a tie).

    A one-point bin is fitted exactly, so its sandwich error would be too small. The reference bin (-1) is never
    merged into, and a single bin with no neighbour on its side stays as it is (its error is then left out).
    """
    out = bins.copy()
    for pre in (True, False):
        side = (out < -1) if pre else (out >= 0)
        for b in sorted(set(out[side]), reverse=pre):
            mask = out == b
            if mask.sum() != 1:
                continue
            others = sorted(set(out[(out < -1) if pre else (out >= 0)]) - {b})
            if not others:
                continue
            toward = max if pre else min
            nearest = min(abs(o - b) for o in others)
            out[mask] = toward(o for o in others if abs(o - b) == nearest)
    return out


def event_study(
    panel: pd.DataFrame,
    *,
    outcome: str,
    unit: str = "unit",
    time: str = "year",
    treated_unit: str,
    post_start: float,
    bin_width: int = 2,
    maxlags: int | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Event study of the gap (treated − comparison mean) in bins of event time, with the pre-trend tests.

    gap_t = a + Σ_{b ≠ -1} β_b·1[bin(t) = b] + e_t, bin(t) = floor((t −
    ``post_start``) / ``bin_width``). Bin −1 (the ``bin_width`` periods
    just before ``post_start``) is the reference, so β_b is the mean gap in
    bin b minus the mean gap in the reference bin: the panel event-study
    estimate with treated-unit × bin indicators and unit and time fixed
    effects. Bins of more than one period leave residual degrees of freedom
    for Newey–West errors; one-period bins would fit every point exactly, so
    a single period left at either end joins the bin next to it.

    Parameters
    ----------
    panel : pandas.DataFrame
        Long and balanced (see :func:`gap_series`).
    outcome, unit, time, treated_unit, post_start
        As for :func:`gap_did`.
    bin_width : int
        Periods per bin (at least 2).
    maxlags : int, optional
        HAC lag length (default :func:`default_maxlags`).
    level : float
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        One row per bin, in time order: ``bin`` (event-time index),
        ``first``, ``last``, ``periods``, ``period`` (``pre``, ``reference``,
        ``post``), ``coef`` (unit of ``outcome``; 0 for the reference),
        ``se``, ``ci_low``, ``ci_high``, ``p``. ``attrs`` hold the joint test
        of the pre-period coefficients (``pretrend_f``, ``pretrend_df``
        (numerator, denominator), ``pretrend_p``: Wald F with the HAC
        covariance, H0 every pre-period bin equals the reference) and a linear
        pre-trend of the gap (``pretrend_slope`` per period with
        ``pretrend_slope_ci`` and ``pretrend_slope_p``, Newey–West, fitted on
        the pre-period only), ``maxlags`` and ``note``.
    """
    if int(bin_width) < 2:
        raise ValueError("event_study: bins of one period fit every point exactly; use bin_width >= 2")
    g = gap_series(panel, outcome=outcome, unit=unit, time=time, treated_unit=treated_unit)
    t = g.index.to_numpy(dtype=float)
    bins = _merge_single_bins(event_bins(t, post_start, bin_width))
    if not (bins == -1).any() or not (bins < -1).any() or not (bins >= 0).any():
        raise ValueError(
            f"event_study: need periods in the reference bin (the {bin_width} before {post_start}), earlier and later"
        )
    labels = sorted(set(bins) - {-1})
    X = pd.DataFrame({"const": 1.0}, index=g.index)
    for b in labels:
        X[f"bin_{b}"] = (bins == b).astype(float)
    fit = sm.OLS(g["gap"].to_numpy(), X).fit()
    if int(round(fit.df_resid)) < 1:
        raise ValueError("event_study: as many bins as periods; use wider bins")
    lags = default_maxlags(len(g)) if maxlags is None else int(maxlags)
    robust = _hac(fit, lags)
    params = pd.Series(robust.params, index=X.columns)
    bse = pd.Series(robust.bse, index=X.columns)
    pvals = pd.Series(robust.pvalues, index=X.columns)
    ci = pd.DataFrame(np.asarray(robust.conf_int(alpha=1 - level)), index=X.columns)
    single = {int(b) for b in set(bins) if b != -1 and (bins == b).sum() == 1}  # fitted exactly: no error
    rows = []
    for b in sorted(set(bins)):
        in_bin = t[bins == b]
        name = f"bin_{b}"
        ref = b == -1
        exact = int(b) in single
        rows.append(
            {
                "bin": int(b),
                "first": int(in_bin.min()) if float(in_bin.min()).is_integer() else float(in_bin.min()),
                "last": int(in_bin.max()) if float(in_bin.max()).is_integer() else float(in_bin.max()),
                "periods": int(len(in_bin)),
                "period": "reference" if ref else ("pre" if b < -1 else "post"),
                "coef": 0.0 if ref else float(params[name]),
                "se": np.nan if ref or exact else float(bse[name]),
                "ci_low": np.nan if ref or exact else float(ci.loc[name, 0]),
                "ci_high": np.nan if ref or exact else float(ci.loc[name, 1]),
                "p": np.nan if ref or exact else float(pvals[name]),
            }
        )
    out = pd.DataFrame(rows)
    pre_names = [f"bin_{b}" for b in labels if b < -1 and int(b) not in single]
    if pre_names:
        restriction = np.zeros((len(pre_names), len(X.columns)))
        for i, name in enumerate(pre_names):
            restriction[i, list(X.columns).index(name)] = 1.0
        joint = robust.f_test(restriction)
        f_value, f_p = float(np.squeeze(joint.fvalue)), float(joint.pvalue)
        f_df = (int(joint.df_num), int(round(joint.df_denom)))
    else:  # no pre-period bin with an error: nothing to test jointly
        f_value, f_p, f_df = float("nan"), float("nan"), (0, int(round(fit.df_resid)))
    pre = g[bins < 0]
    slope_fit = _hac(
        sm.OLS(pre["gap"].to_numpy(), sm.add_constant(pre.index.to_numpy(dtype=float) - float(post_start))).fit(),
        default_maxlags(len(pre)) if maxlags is None else int(maxlags),
    )
    slope_ci = np.asarray(slope_fit.conf_int(alpha=1 - level))[1]
    out.attrs.update(
        pretrend_f=f_value,
        pretrend_df=f_df,
        pretrend_p=f_p,
        pretrend_slope=float(slope_fit.params[1]),
        pretrend_slope_ci=(float(slope_ci[0]), float(slope_ci[1])),
        pretrend_slope_p=float(slope_fit.pvalues[1]),
        maxlags=lags,
        level=level,
        bin_width=int(bin_width),
        comparison_units=g.attrs["comparison_units"],
        note=f"bins of {bin_width} periods, reference = the {bin_width} before {post_start:g}; Newey-West errors "
        f"with {lags} lag(s). Joint test of the {len(pre_names)} pre-period bins: F = "
        f"{f_value:.2f}, p = {f_p:.3f}; linear pre-trend of the gap "
        f"{float(slope_fit.params[1]):+.2f} per period (p = {float(slope_fit.pvalues[1]):.3f}).",
    )
    return out


def its_caveat(n: int, df_resid: int, *, n_pre: int | None = None, n_post: int | None = None) -> str:
    """The limits of a segmented regression on ``n`` points, in words."""
    parts = [f"{n} points, {df_resid} residual degree(s) of freedom."]
    if df_resid > 0 and ((n_post is not None and n_post < 3) or (n_pre is not None and n_pre < 3)):
        side = "after" if n_post is not None and n_post < 3 else "before"
        parts.append(
            f"Only two points {side} the interruption: that segment is fitted exactly, so its level and slope "
            "change have no standard error."
        )
    if df_resid <= 0:
        parts.append(
            "The model passes through every point: coefficients describe the points, no standard "
            "error or test is possible."
        )
    elif n < 12:
        parts.append("Fewer than 12 points: autocorrelation is underestimated and HAC intervals are too narrow.")
    parts.append(
        "No counterfactual: the change cannot be attributed to a policy; mean reversion and "
        "co-occurring shocks are not separated."
    )
    return " ".join(parts)


def did(
    panel: pd.DataFrame,
    *,
    outcome: str,
    unit: str = "product",
    time: str = "year",
    treated: str = "treated",
    post_start: float,
) -> pd.DataFrame:
    """Two-way fixed-effects difference-in-differences with unit-clustered errors.

    y_ut = α_u + γ_t + β·(treated_u × post_t) + ε_ut

    Parameters
    ----------
    panel : pandas.DataFrame
        One row per unit and time, with ``outcome`` (any unit), ``unit``,
        ``time`` and a 0/1 ``treated`` column (designated products = 1,
        comparison products = 0).
    post_start : float
        First time of the post period (e.g. 2023, the first full year after
        designation in December 2022).

    Returns
    -------
    pandas.DataFrame
        One row ``treated_x_post``: ``coef`` (unit of ``outcome``), ``se``
        (clustered by unit), ``t``, ``p``, ``n_units``, ``n_treated``,
        ``n_obs``; ``attrs["note"]`` states the caveats (staggered
        designation, few clusters, parallel trends untested).
    """
    need = [outcome, unit, time, treated]
    missing = [c for c in need if c not in panel.columns]
    if missing:
        raise KeyError(f"did: panel lacks columns {missing}")
    d = panel[need].dropna().copy()
    d["_tp"] = d[treated].astype(float) * (d[time].astype(float) >= post_start).astype(float)
    if d["_tp"].sum() == 0 or d[treated].nunique() < 2:
        raise ValueError("did: need treated and comparison units with post-period observations")
    X = pd.concat(
        [
            d[["_tp"]].rename(columns={"_tp": "treated_x_post"}),
            pd.get_dummies(d[unit].astype(str), prefix="u", drop_first=True, dtype=float),
            pd.get_dummies(d[time].astype(str), prefix="t", drop_first=True, dtype=float),
        ],
        axis=1,
    )
    X = sm.add_constant(X)
    groups = pd.factorize(d[unit])[0]
    fit = sm.OLS(d[outcome].astype(float).to_numpy(), X).fit(cov_type="cluster", cov_kwds={"groups": groups})
    n_units = int(d[unit].nunique())
    out = pd.DataFrame(
        [
            {
                "term": "treated_x_post",
                "coef": float(fit.params["treated_x_post"]),
                "se": float(fit.bse["treated_x_post"]),
                "t": float(fit.tvalues["treated_x_post"]),
                "p": float(fit.pvalues["treated_x_post"]),
                "n_units": n_units,
                "n_treated": int(d.loc[d[treated] == 1, unit].nunique()),
                "n_obs": int(len(d)),
            }
        ]
    ).set_index("term")
    out.attrs["note"] = (
        f"{n_units} units (clusters). Designation was staggered (Dec 2022, Feb 2024): plain "
        "two-way fixed effects can be biased; with few clusters use a wild cluster bootstrap. "
        "Parallel pre-trends are assumed, not shown."
    )
    return out
