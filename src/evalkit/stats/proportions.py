"""Thin wrappers around statsmodels for shares of plans.

The counts in this programme are small (74 reports, single-digit statuses),
so every result carries a plain-language summary and the caveats a reader
needs: the intervals describe uncertainty *as if* the reporting plans were a
random sample of a larger population of similar plans, which they are not
(they are all the plans that had to report). Read them as a guide to how
much a share could move with a few plans more or less, not as sampling error.

References
----------
Wilson, E. B. (1927), "Probable inference, the law of succession, and
statistical inference", JASA 22, 209-212.
Agresti, A. and Caffo, B. (2000), "Simple and effective confidence intervals
for proportions and differences of proportions", The American Statistician 54.
statsmodels: ``statsmodels.stats.proportion.proportion_confint``,
``test_proportions_2indep``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CAVEAT_CENSUS = (
    "The plans are a census of those that had to report, not a random sample; the interval shows how "
    "uncertain a share of this size is, not sampling error in the usual sense."
)
CAVEAT_SMALL = "Fewer than 10 plans fall in one of the two outcomes: treat the interval as rough."


def _check_counts(count: int, nobs: int, what: str) -> tuple[int, int]:
    for name, v in (("count", count), ("nobs", nobs)):
        if isinstance(v, bool) or not float(v).is_integer():
            raise ValueError(f"{what}: {name}={v!r} must be a whole number")
    count, nobs = int(count), int(nobs)
    if nobs <= 0:
        raise ValueError(f"{what}: nobs={nobs}: a share needs at least one observation")
    if not 0 <= count <= nobs:
        raise ValueError(f"{what}: count={count} must lie between 0 and nobs={nobs}")
    return count, nobs


@dataclass(frozen=True)
class ShareEstimate:
    """A share with its Wilson confidence interval.

    Attributes
    ----------
    count, nobs : int
        Plans with the outcome, and plans counted.
    share : float
        ``count / nobs`` (ratio, 0-1).
    ci_low, ci_high : float
        Wilson interval bounds (ratio, 0-1).
    level : float
        Confidence level, e.g. 0.95.
    caveats : tuple of str
        What a reader must keep in mind.
    """

    count: int
    nobs: int
    share: float
    ci_low: float
    ci_high: float
    level: float
    method: str = "wilson"
    caveats: tuple[str, ...] = field(default_factory=tuple)

    def summary(self) -> str:
        """One plain sentence, such as: 65 of 74 (87.8%); 95% Wilson interval 78.5% to 93.5%."""
        return (
            f"{self.count} of {self.nobs} ({self.share:.1%}); {self.level:.0%} Wilson interval "
            f"{self.ci_low:.1%} to {self.ci_high:.1%}."
        )


def wilson_share(count: int, nobs: int, *, level: float = 0.95) -> ShareEstimate:
    """Share of ``nobs`` with its Wilson score interval.

    Parameters
    ----------
    count : int
        Plans with the outcome (e.g. on track).
    nobs : int
        Plans counted (> 0).
    level : float
        Confidence level (0-1), default 0.95.

    Returns
    -------
    ShareEstimate

    Raises
    ------
    ValueError
        ``nobs`` ≤ 0, ``count`` outside 0..nobs, non-integer counts, or a
        level outside (0, 1).
    """
    from statsmodels.stats.proportion import proportion_confint

    count, nobs = _check_counts(count, nobs, "wilson_share")
    if not 0 < level < 1:
        raise ValueError(f"wilson_share: level={level} must lie strictly between 0 and 1")
    low, high = proportion_confint(count, nobs, alpha=1 - level, method="wilson")
    caveats = [CAVEAT_CENSUS]
    if min(count, nobs - count) < 10:
        caveats.append(CAVEAT_SMALL)
    return ShareEstimate(count, nobs, count / nobs, float(low), float(high), level, "wilson", tuple(caveats))


@dataclass(frozen=True)
class ShareComparison:
    """Two shares compared (round-over-round).

    Attributes
    ----------
    first, second : ShareEstimate
        The earlier and the later round.
    difference : float
        ``second.share - first.share`` (ratio points).
    ci_low, ci_high : float
        Confidence interval of the difference (Agresti-Caffo).
    statistic, pvalue : float
        Test of equal shares (statsmodels ``test_proportions_2indep``,
        two-sided, score method).
    caveats : tuple of str
    """

    first: ShareEstimate
    second: ShareEstimate
    difference: float
    ci_low: float
    ci_high: float
    statistic: float
    pvalue: float
    level: float
    caveats: tuple[str, ...] = field(default_factory=tuple)

    def summary(self) -> str:
        """Plain sentence on the change and whether chance alone could explain it."""
        verdict = (
            "larger than chance alone would readily produce"
            if self.pvalue < 1 - self.level
            else "within what chance alone could produce"
        )
        return (
            f"The share moved from {self.first.share:.1%} ({self.first.count}/{self.first.nobs}) to "
            f"{self.second.share:.1%} ({self.second.count}/{self.second.nobs}), a change of "
            f"{self.difference * 100:+.1f} points ({self.level:.0%} interval {self.ci_low * 100:+.1f} to "
            f"{self.ci_high * 100:+.1f}); p = {self.pvalue:.3f}, {verdict}."
        )


def compare_shares(count1: int, nobs1: int, count2: int, nobs2: int, *, level: float = 0.95) -> ShareComparison:
    """Compare two shares with a two-proportion test.

    Parameters
    ----------
    count1, nobs1 : int
        Earlier round: plans with the outcome, plans counted.
    count2, nobs2 : int
        Later round.
    level : float
        Confidence level for the interval of the difference.

    Returns
    -------
    ShareComparison

    Notes
    -----
    The two rounds largely describe the *same* plans, so they are not
    independent samples; the test treats them as independent and is
    therefore conservative about small changes. This is stated in the caveats.
    """
    from statsmodels.stats.proportion import confint_proportions_2indep, test_proportions_2indep

    count1, nobs1 = _check_counts(count1, nobs1, "compare_shares (first round)")
    count2, nobs2 = _check_counts(count2, nobs2, "compare_shares (second round)")
    first, second = wilson_share(count1, nobs1, level=level), wilson_share(count2, nobs2, level=level)
    test = test_proportions_2indep(count2, nobs2, count1, nobs1, compare="diff", method="score")
    low, high = confint_proportions_2indep(
        count2, nobs2, count1, nobs1, compare="diff", method="agresti-caffo", alpha=1 - level
    )
    caveats = (
        CAVEAT_CENSUS,
        "Most plans appear in both rounds, so the rounds are not independent samples; the test treats them "
        "as if they were.",
    )
    return ShareComparison(
        first,
        second,
        second.share - first.share,
        float(low),
        float(high),
        float(test.statistic),
        float(test.pvalue),
        level,
        caveats,
    )
