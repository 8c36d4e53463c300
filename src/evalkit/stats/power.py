"""How large a change a short post-period could detect: the minimum detectable change of a level shift.

A level shift after ``start`` is estimated as the mean, over the post years,
of the observed value minus the pre-period trend extended (or minus the
pre-period mean). With independent annual noise of standard deviation σ
around the trend, that estimate has variance σ²·c, where for ``n`` pre
years t_1..t_n and ``m`` post years

* against the pre-period mean: c = 1/m + 1/n;
* against the extended linear pre-trend: c = 1/m + 1/n + (t̄_post −
  t̄_pre)² / Σ (t_i − t̄_pre)² (the variance of a prediction of the mean of
  m new points from a fitted line).

The minimum detectable change at significance α (two-sided) and power
1 − β is (z_{1−α/2} + z_{1−β})·σ·√c: a true shift of that size is found
with probability 1 − β (ignoring the far tail). Positive autocorrelation of
the noise makes the true figure larger, and σ estimated from ten points is
itself uncertain, so read the result as a lower bound.

References
----------
.. [1] Bloom (1995), "Minimum detectable effects: a simple way to report the
   statistical power of experimental designs", Evaluation Review 19(5).
.. [2] Zhang, Wagner & Ross-Degnan (2011), "Simulation-based power
   calculation for designing interrupted time series analyses of health
   policy interventions", J. Clin. Epidemiol. 64(11).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import norm


def mde_multiplier(alpha: float = 0.05, power: float = 0.8) -> float:
    """z_{1−α/2} + z_{power}: 2.80 for 5% two-sided and 80% power."""
    if not (0 < alpha < 1 and 0 < power < 1):
        raise ValueError(f"alpha={alpha!r}, power={power!r}: both must be between 0 and 1")
    return float(norm.ppf(1 - alpha / 2) + norm.ppf(power))


def variance_factor(pre_times, post_times, *, trend: bool = True) -> float:
    """The factor c in Var(level shift) = σ²·c, for the given pre and post times (see the module notes)."""
    pre = np.asarray(pre_times, dtype=float)
    post = np.asarray(post_times, dtype=float)
    if len(pre) < (3 if trend else 2) or len(post) < 1:
        raise ValueError(f"variance_factor: {len(pre)} pre and {len(post)} post times are too few")
    c = 1.0 / len(post) + 1.0 / len(pre)
    if trend:
        c += (post.mean() - pre.mean()) ** 2 / float(((pre - pre.mean()) ** 2).sum())
    return float(c)


def mde(sigma: float, pre_times, post_times, *, trend: bool = True, alpha: float = 0.05, power: float = 0.8) -> float:
    """Minimum detectable level shift, in the unit of ``sigma``.

    Parameters
    ----------
    sigma : float
        Standard deviation of the annual noise (around the pre-trend when
        ``trend``), in the outcome's unit.
    pre_times, post_times : array-like
        The pre-period and post-period times.
    trend : bool
        Against the extended linear pre-trend (True) or the pre-period mean.
    alpha, power : float
        Two-sided significance level and power.
    """
    factor = variance_factor(pre_times, post_times, trend=trend)
    return mde_multiplier(alpha, power) * float(sigma) * float(np.sqrt(factor))


@dataclass(frozen=True)
class LevelShift:
    """The observed level shift after ``start`` and the noise it is compared with.

    Attributes
    ----------
    estimate : float
        Mean over the post years of (observed − pre-period trend or mean).
    se : float
        σ·√c.
    sigma : float
        Residual standard deviation of the pre-period fit (n − 2 degrees of
        freedom with a trend, n − 1 without).
    pre_times, post_times : tuple of float
        The years used.
    trend : bool
        Whether the pre-period trend was extended.
    """

    estimate: float
    se: float
    sigma: float
    pre_times: tuple
    post_times: tuple
    trend: bool

    @property
    def z(self) -> float:
        """The estimate divided by its standard error."""
        return self.estimate / self.se if self.se > 0 else float("nan")

    def mde(self, n_post: int | None = None, *, alpha: float = 0.05, power: float = 0.8) -> float:
        """The MDE with ``n_post`` consecutive post years (default: the years observed)."""
        post = np.asarray(self.post_times, dtype=float)
        if n_post is not None:
            post = post.min() + np.arange(int(n_post), dtype=float)
        return mde(self.sigma, self.pre_times, post, trend=self.trend, alpha=alpha, power=power)


def level_shift(times, y, start: float, *, pre_years: int | None = None, trend: bool = True) -> LevelShift:
    """Estimate the level shift from ``start`` on against the last ``pre_years`` years before it.

    Parameters
    ----------
    times, y : array-like
        The series (missing values dropped).
    start : float
        First post year.
    pre_years : int, optional
        Length of the pre-period window (default: every year before ``start``).
    trend : bool
        Extend a linear pre-trend (True) or compare with the pre-period mean.

    Returns
    -------
    LevelShift
    """
    frame = pd.DataFrame({"t": np.asarray(times, dtype=float), "y": np.asarray(y, dtype=float)}).dropna()
    frame = frame.sort_values("t")
    pre = frame[frame["t"] < start]
    if pre_years is not None:
        pre = pre[pre["t"] >= start - int(pre_years)]
    post = frame[frame["t"] >= start]
    need = 3 if trend else 2
    if len(pre) < need or post.empty:
        raise ValueError(f"level_shift: {len(pre)} pre years and {len(post)} post years; need {need} and 1")
    t_pre, y_pre = pre["t"].to_numpy(), pre["y"].to_numpy()
    if trend:
        slope, intercept = np.polyfit(t_pre - t_pre.mean(), y_pre, 1)
        fitted_pre = intercept + slope * (t_pre - t_pre.mean())
        expected = intercept + slope * (post["t"].to_numpy() - t_pre.mean())
        dof = len(pre) - 2
    else:
        fitted_pre = np.full(len(pre), y_pre.mean())
        expected = np.full(len(post), y_pre.mean())
        dof = len(pre) - 1
    sigma = float(np.sqrt(((y_pre - fitted_pre) ** 2).sum() / dof))
    estimate = float(np.mean(post["y"].to_numpy() - expected))
    se = sigma * float(np.sqrt(variance_factor(t_pre, post["t"].to_numpy(), trend=trend)))
    return LevelShift(
        estimate=estimate,
        se=se,
        sigma=sigma,
        pre_times=tuple(float(x) for x in t_pre),
        post_times=tuple(float(x) for x in post["t"]),
        trend=trend,
    )
