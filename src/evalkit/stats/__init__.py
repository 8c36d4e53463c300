"""Thin statsmodels wrappers returning small results with plain-language caveats.

- :mod:`evalkit.stats.proportions`: shares of plans with Wilson intervals, and
  the two-proportion comparison of reporting rounds.
- :mod:`evalkit.stats.designs`: did dependence change? Segmented regression
  (interrupted time series, HAC errors) with residual autocorrelation checks,
  difference-in-differences and event study against comparison units.
- :mod:`evalkit.stats.synth`: synthetic control with placebos in space.
- :mod:`evalkit.stats.power`: minimum detectable change of a level shift.
"""

from evalkit.stats.designs import (
    ITS_TERMS,
    default_maxlags,
    did,
    event_bins,
    event_study,
    gap_did,
    gap_series,
    its_caveat,
    its_design,
    residual_autocorrelation,
    segmented_regression,
)
from evalkit.stats.power import LevelShift, level_shift, mde, mde_multiplier, variance_factor
from evalkit.stats.proportions import ShareComparison, ShareEstimate, compare_shares, wilson_share
from evalkit.stats.synth import SynthFit, placebo_in_space, placebo_rank, synth_weights, synthetic_control

__all__ = [
    "ITS_TERMS",
    "LevelShift",
    "ShareComparison",
    "ShareEstimate",
    "SynthFit",
    "compare_shares",
    "default_maxlags",
    "did",
    "event_bins",
    "event_study",
    "gap_did",
    "gap_series",
    "its_caveat",
    "its_design",
    "level_shift",
    "mde",
    "mde_multiplier",
    "placebo_in_space",
    "placebo_rank",
    "residual_autocorrelation",
    "segmented_regression",
    "synth_weights",
    "synthetic_control",
    "variance_factor",
    "wilson_share",
]
