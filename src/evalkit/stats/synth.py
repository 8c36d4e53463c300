"""Synthetic control: a weighted average of donor units that tracks the treated unit before the interruption.

The weights are non-negative and sum to one, and minimise the mean squared
difference between the treated unit and the weighted donors over the
pre-period outcomes (no covariates, equal weight on every pre-period year).
The gap after the interruption is the estimate; its credibility rests on the
pre-period fit (RMSPE) and on how unusual it is among placebos in space:
every donor treated in turn, with the other donors as its pool.

The optimisation is deterministic: SLSQP (scipy.optimize) from equal weights,
with the analytic gradient and fixed tolerances, so a re-run gives the same
weights to the last printed digit.

References
----------
.. [1] Abadie, Diamond & Hainmueller (2010), "Synthetic control methods for
   comparative case studies", JASA 105(490): weights, RMSPE, placebo in
   space and the post/pre RMSPE ratio.
.. [2] Abadie (2021), "Using synthetic controls: feasibility, data
   requirements, and methodological aspects", J. Econ. Lit. 59(2): when the
   treated unit lies outside the donors' convex hull the fit is poor and the
   gap is not an estimate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import minimize

from evalkit.stats.designs import _wide

#: SLSQP settings: fixed so that the weights are reproducible.
TOLERANCE = 1e-12
MAX_ITERATIONS = 1000


def synth_weights(treated_pre: np.ndarray, donors_pre: np.ndarray) -> np.ndarray:
    """Convex weights minimising the mean squared pre-period gap.

    Parameters
    ----------
    treated_pre : numpy.ndarray
        Shape (T0,): the treated unit's pre-period outcomes.
    donors_pre : numpy.ndarray
        Shape (T0, J): the donors' pre-period outcomes, one column each.

    Returns
    -------
    numpy.ndarray
        Shape (J,): weights ≥ 0 summing to 1 (values below 1e-10 set to 0).

    Raises
    ------
    ValueError
        Without donors, with mismatched shapes or missing values, or when the
        optimiser does not converge.
    """
    y = np.asarray(treated_pre, dtype=float)
    X = np.asarray(donors_pre, dtype=float)
    if X.ndim != 2 or X.shape[0] != y.shape[0] or X.shape[1] == 0:
        raise ValueError(f"synth_weights: donors of shape {X.shape} for {y.shape[0]} pre-period values")
    if not (np.isfinite(y).all() and np.isfinite(X).all()):
        raise ValueError("synth_weights: missing or infinite pre-period values")
    n, j = X.shape
    if j == 1:
        return np.ones(1)
    # the loss on a unit scale, so that the tolerance means the same for shares in percent or in 0-1
    scale = float(max(np.abs(y).max(), np.abs(X).max())) or 1.0
    y, X = y / scale, X / scale

    def loss(w):
        r = y - X @ w
        return float(r @ r) / n

    def grad(w):
        return -2.0 * (X.T @ (y - X @ w)) / n

    res = minimize(
        loss,
        np.full(j, 1.0 / j),
        jac=grad,
        method="SLSQP",
        bounds=[(0.0, 1.0)] * j,
        constraints=[{"type": "eq", "fun": lambda w: float(w.sum() - 1.0), "jac": lambda w: np.ones_like(w)}],
        options={"ftol": TOLERANCE, "maxiter": MAX_ITERATIONS},
    )
    # status 8 ("positive directional derivative in line search") is SLSQP stopping at the optimum's precision
    feasible = abs(float(res.x.sum()) - 1.0) < 1e-8 and float(res.x.min()) > -1e-8
    if not (res.success or (res.status == 8 and feasible)):
        raise ValueError(f"synth_weights: the optimiser did not converge ({res.message})")
    w = np.clip(res.x, 0.0, None)
    w[w < 1e-10] = 0.0
    return w / w.sum()


@dataclass(frozen=True)
class SynthFit:
    """A fitted synthetic control.

    Attributes
    ----------
    treated : str
        The treated unit.
    weights : pandas.Series
        Weight of each donor (index = donor), ≥ 0, summing to 1.
    path : pandas.DataFrame
        Index = time; ``treated``, ``synthetic``, ``gap`` (treated −
        synthetic), ``post`` (bool), in the unit of the outcome.
    pre_rmspe, post_rmspe : float
        Root mean squared gap before and after ``post_start``.
    gap_post_mean : float
        Mean gap after ``post_start`` (the estimate).
    """

    treated: str
    weights: pd.Series
    path: pd.DataFrame
    pre_rmspe: float
    post_rmspe: float
    gap_post_mean: float

    @property
    def ratio(self) -> float:
        """Post/pre RMSPE ratio (infinite when the pre-period fit is exact)."""
        return self.post_rmspe / self.pre_rmspe if self.pre_rmspe > 0 else float("inf")

    @property
    def n_pre(self) -> int:
        """Pre-period length."""
        return int((~self.path["post"]).sum())

    @property
    def n_post(self) -> int:
        """Post-period length."""
        return int(self.path["post"].sum())


def synthetic_control(
    panel: pd.DataFrame,
    *,
    outcome: str,
    unit: str = "unit",
    time: str = "year",
    treated_unit: str,
    post_start: float,
    donors: list[str] | None = None,
) -> SynthFit:
    """Fit a synthetic control for ``treated_unit`` on the pre-period (times before ``post_start``).

    Parameters
    ----------
    panel : pandas.DataFrame
        Long and balanced: ``unit``, ``time``, ``outcome``.
    treated_unit : str
        The treated unit.
    post_start : float
        First time of the post period.
    donors : list of str, optional
        Donor pool (default: every other unit of the panel).

    Returns
    -------
    SynthFit
    """
    wide = _wide(panel, outcome=outcome, unit=unit, time=time)
    if treated_unit not in wide.columns:
        raise ValueError(f"treated unit {treated_unit!r} is not in the panel")
    pool = [c for c in (donors if donors is not None else wide.columns) if c != treated_unit]
    unknown = [d for d in pool if d not in wide.columns]
    if unknown:
        raise ValueError(f"donors {unknown} are not in the panel")
    if not pool:
        raise ValueError("synthetic_control: no donors")
    post = wide.index.to_numpy(dtype=float) >= post_start
    if post.all() or not post.any() or (~post).sum() < 2:
        raise ValueError(f"synthetic_control: need at least 2 periods before {post_start} and 1 after")
    y = wide[treated_unit].to_numpy(dtype=float)
    X = wide[pool].to_numpy(dtype=float)
    w = synth_weights(y[~post], X[~post])
    synthetic = X @ w
    gap = y - synthetic
    path = pd.DataFrame({"treated": y, "synthetic": synthetic, "gap": gap, "post": post}, index=wide.index)
    return SynthFit(
        treated=str(treated_unit),
        weights=pd.Series(w, index=[str(p) for p in pool], name="weight"),
        path=path,
        pre_rmspe=float(np.sqrt(np.mean(gap[~post] ** 2))),
        post_rmspe=float(np.sqrt(np.mean(gap[post] ** 2))),
        gap_post_mean=float(np.mean(gap[post])),
    )


def placebo_rank(ratios: pd.Series, treated: str) -> int:
    """Rank of the treated unit's post/pre RMSPE ratio among all units: 1 = the largest.

    Ties count against the treated unit (a placebo as large as it ranks above
    it), so ``rank / len(ratios)`` is a conservative permutation p-value.
    """
    if treated not in ratios.index:
        raise ValueError(f"{treated!r} has no ratio")
    values = ratios.astype(float)
    return int((values >= values[treated]).sum())


def placebo_in_space(
    panel: pd.DataFrame,
    *,
    outcome: str,
    unit: str = "unit",
    time: str = "year",
    treated_unit: str,
    post_start: float,
    donors: list[str] | None = None,
) -> pd.DataFrame:
    """Synthetic controls for the treated unit and for every donor treated in turn.

    Each placebo's pool is the other donors (never the treated unit), as in
    Abadie, Diamond & Hainmueller (2010).

    Returns
    -------
    pandas.DataFrame
        One row per unit, the treated unit first: ``unit``, ``treated``
        (bool), ``pre_rmspe``, ``post_rmspe``, ``ratio``, ``gap_post_mean``
        (unit of the outcome), ``rank`` (by ratio, 1 = largest, ties
        against the unit). ``attrs`` hold ``rank`` and ``n_units`` of the
        treated unit and ``p`` = rank / n_units.
    """
    wide = _wide(panel, outcome=outcome, unit=unit, time=time)
    pool = [c for c in (donors if donors is not None else wide.columns) if c != treated_unit]
    fits = [
        synthetic_control(
            panel, outcome=outcome, unit=unit, time=time, treated_unit=treated_unit, post_start=post_start, donors=pool
        )
    ]
    for d in pool:
        others = [c for c in pool if c != d]
        if not others:
            break
        fits.append(
            synthetic_control(
                panel, outcome=outcome, unit=unit, time=time, treated_unit=d, post_start=post_start, donors=others
            )
        )
    out = pd.DataFrame(
        {
            "unit": [f.treated for f in fits],
            "treated": [f.treated == str(treated_unit) for f in fits],
            "pre_rmspe": [f.pre_rmspe for f in fits],
            "post_rmspe": [f.post_rmspe for f in fits],
            "ratio": [f.ratio for f in fits],
            "gap_post_mean": [f.gap_post_mean for f in fits],
        }
    )
    ratios = pd.Series(out["ratio"].to_numpy(), index=out["unit"])
    out["rank"] = [placebo_rank(ratios, u) for u in out["unit"]]
    rank = int(out.loc[out["treated"], "rank"].iloc[0])
    out.attrs.update(rank=rank, n_units=len(out), p=rank / len(out))
    return out
