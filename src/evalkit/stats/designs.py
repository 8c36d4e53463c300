"""Did dependence change? Segmented regression (interrupted time series) and difference-in-differences.

Both designs are estimated by OLS (statsmodels). Interrupted time series uses
heteroskedasticity- and autocorrelation-consistent (HAC, Newey–West) standard
errors; difference-in-differences clusters by unit. Both return a tidy
coefficient table whose ``attrs["note"]`` states what the estimate cannot
show (few points, autocorrelation, mean reversion, co-occurring shocks).

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
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import statsmodels.api as sm

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
    times: pd.Series, y: pd.Series, interruption: float, *, maxlags: int | None = None
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

    Returns
    -------
    pandas.DataFrame
        Index = term (``const``, ``time``, ``post``, ``time_since``); columns
        ``coef`` (unit of ``y``, per period for slopes), ``se``, ``t``, ``p``,
        ``meaning``. When the model has no residual degrees of freedom (as
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
        robust = fit.get_robustcov_results(cov_type="HAC", maxlags=lags, use_correction=True)
        se, tval, pval = robust.bse, robust.tvalues, robust.pvalues
    else:
        se = tval = pval = np.full(len(X.columns), np.nan)
    out = pd.DataFrame(
        {
            "coef": np.asarray(fit.params),
            "se": np.asarray(se),
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
        note=its_caveat(n, df_resid),
    )
    return out


def its_caveat(n: int, df_resid: int) -> str:
    """The limits of a segmented regression on ``n`` points, in words."""
    parts = [f"{n} points, {df_resid} residual degree(s) of freedom."]
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
