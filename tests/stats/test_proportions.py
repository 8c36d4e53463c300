"""evalkit.stats: Wilson intervals and the two-proportion test match statsmodels."""

import pytest
from statsmodels.stats import proportion as sm_prop

from evalkit.stats import compare_shares, wilson_share


def test_wilson_matches_statsmodels_for_the_deck():
    est = wilson_share(65, 74)
    low, high = sm_prop.proportion_confint(65, 74, alpha=0.05, method="wilson")
    assert est.share == pytest.approx(65 / 74)
    assert (est.ci_low, est.ci_high) == pytest.approx((low, high), abs=1e-12)
    assert 0.78 < est.ci_low < 0.79 and 0.93 < est.ci_high < 0.94
    assert est.summary() == "65 of 74 (87.8%); 95% Wilson interval 78.5% to 93.5%."
    assert any("census" in c for c in est.caveats) and any("Fewer than 10" in c for c in est.caveats)


def test_level_changes_the_interval():
    narrow, wide = wilson_share(65, 74, level=0.80), wilson_share(65, 74, level=0.99)
    assert wide.ci_low < narrow.ci_low and wide.ci_high > narrow.ci_high


def test_edge_counts():
    assert wilson_share(0, 5).ci_low == pytest.approx(0.0, abs=1e-12)
    assert wilson_share(5, 5).ci_high == pytest.approx(1.0)


@pytest.mark.parametrize(
    "count,nobs,text",
    [
        (1, 0, "at least one observation"),
        (5, 4, "between 0 and nobs"),
        (-1, 4, "between 0 and nobs"),
        (1.5, 4, "whole number"),
    ],
)
def test_bad_counts(count, nobs, text):
    with pytest.raises(ValueError, match=text):
        wilson_share(count, nobs)


def test_bad_level():
    with pytest.raises(ValueError, match="level"):
        wilson_share(1, 2, level=1.0)


def test_compare_matches_statsmodels():
    cmp = compare_shares(65, 74, 74, 80)
    ref = sm_prop.test_proportions_2indep(74, 80, 65, 74, compare="diff", method="score")
    low, high = sm_prop.confint_proportions_2indep(74, 80, 65, 74, compare="diff", method="agresti-caffo")
    assert cmp.difference == pytest.approx(74 / 80 - 65 / 74)
    assert cmp.pvalue == pytest.approx(ref.pvalue) and cmp.statistic == pytest.approx(ref.statistic)
    assert (cmp.ci_low, cmp.ci_high) == pytest.approx((low, high))
    assert "within what chance alone could produce" in cmp.summary()
    assert any("not independent" in c for c in cmp.caveats)


def test_compare_detects_a_large_change():
    cmp = compare_shares(10, 100, 60, 100)
    assert cmp.pvalue < 0.001 and "larger than chance" in cmp.summary()


def test_compare_refuses_empty_round():
    with pytest.raises(ValueError, match="second round"):
        compare_shares(1, 2, 0, 0)
