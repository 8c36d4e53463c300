"""evalkit.ratios: hand-computed quotients and stated gaps, never NaN or inf."""

import math

import pytest

from evalkit.ratios import ratio, rounded


def test_hand_computed():
    assert ratio(57, 60).value == pytest.approx(0.95)
    assert rounded(ratio(2.1, 3).value) == 0.7
    assert ratio(3, 3).value == 1.0
    assert ratio(0, 5).value == 0.0


def test_zero_denominator_is_a_stated_gap():
    r = ratio(1, 0, what="commitment ratio")
    assert r.value is None and not r.defined
    assert r.note == "commitment ratio undefined: the denominator is zero"
    assert ratio(0, 0).value is None


@pytest.mark.parametrize(
    "num,den,missing",
    [
        (None, 2, "numerator"),
        (2, None, "denominator"),
        (float("nan"), 2, "numerator"),
        (None, None, "numerator and denominator"),
    ],
)
def test_missing_inputs_are_stated(num, den, missing):
    r = ratio(num, den, what="x")
    assert r.value is None and r.note == f"x undefined: the {missing} is not available"


def test_infinite_input_is_an_error():
    with pytest.raises(ValueError, match="infinite"):
        ratio(math.inf, 2)


def test_rounded_keeps_none():
    assert rounded(None) is None and rounded(0.123456789, 4) == 0.1235
