"""Thin statsmodels wrappers returning small results with plain-language caveats.

- :mod:`evalkit.stats.proportions`: shares of plans with Wilson intervals, and
  the two-proportion comparison of reporting rounds.
- :mod:`evalkit.stats.designs`: did dependence change? Segmented regression
  (interrupted time series, HAC errors) and difference-in-differences.
"""

from evalkit.stats.designs import (
    ITS_TERMS,
    default_maxlags,
    did,
    its_caveat,
    its_design,
    segmented_regression,
)
from evalkit.stats.proportions import ShareComparison, ShareEstimate, compare_shares, wilson_share

__all__ = [
    "ITS_TERMS",
    "ShareComparison",
    "ShareEstimate",
    "compare_shares",
    "default_maxlags",
    "did",
    "its_caveat",
    "its_design",
    "segmented_regression",
    "wilson_share",
]
