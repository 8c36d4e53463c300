"""Japanese notation (checklist C3–C8, C10, D1–D9, E1): declared rules or a clear error, never a silent NaN."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evalkit.data.jpnotation import NotationError, fiscal_year_of, header_unit, parse_number, parse_period


@pytest.mark.parametrize(
    "raw,value,status",
    [
        ("△56", -56.0, "value"),
        ("▲56", -56.0, "value"),
        ("\u221256", -56.0, "value"),
        ("－56", -56.0, "value"),
        ("１２３", 123.0, "value"),
        ("１，２３４", 1234.0, "value"),
        ("1,234.5", 1234.5, "value"),
        ("x", None, "suppressed"),
        ("X", None, "suppressed"),
        ("ｘ", None, "suppressed"),
        ("…", None, "unknown"),
        ("...", None, "unknown"),
        ("・・・", None, "unknown"),
        ("-", 0.0, "nil"),
        ("―", 0.0, "nil"),
        ("‐", 0.0, "nil"),
        ("－", 0.0, "nil"),
        ("p1,234", 1234.0, "preliminary"),
        ("1,234r", 1234.0, "revised"),
        ("#12", 12.0, "inner"),
        ("15*", 15.0, "low_sample"),
        ("", None, "empty"),
        ("  ", None, "empty"),
        ("0", 0.0, "value"),
    ],
)
def test_declared_notation(raw, value, status):
    cell = parse_number(raw)
    assert (cell.value, cell.status) == (value, status)


@pytest.mark.parametrize("raw", ["1,23,4", "1,5", "abc", "¥100", "12.3%", "***", "1..2", "△"])
def test_anything_else_is_an_error_naming_the_value(raw):
    with pytest.raises(NotationError) as err:
        parse_number(raw)
    assert repr(raw) in str(err.value) or raw.strip() in str(err.value)


def test_percent_only_when_declared_and_dash_per_source():
    assert parse_number("12.3%", allow_percent=True).value == 12.3
    with pytest.raises(NotationError):
        parse_number("-", dash_means="error")


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_full_width_and_grouped_forms_read_back(n):
    grouped = f"{abs(n):,}"
    full = grouped.translate(str.maketrans("0123456789,", "０１２３４５６７８９，"))
    text = ("△" if n < 0 else "") + full
    assert parse_number(text).value == float(n)


@pytest.mark.parametrize(
    "header,expected",
    [
        ("金額（千円）", ("金額", "千円", 1e3, "JPY")),
        ("金額(百万円)", ("金額", "百万円", 1e6, "JPY")),
        ("数量（単位：MT）", ("数量", "MT", 1e3, "kg")),
        ("Value-Year", ("Value-Year", None, None, None)),
    ],
)
def test_units_in_headers(header, expected):
    assert header_unit(header) == expected


def test_unknown_unit_is_an_error():
    with pytest.raises(NotationError, match="unknown unit"):
        header_unit("金額（千ポンド）")


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("令和6年度", ("FY2024", "fiscal_year")),
        ("令和元年", ("2019", "calendar_year")),
        ("R6.3", ("2024-03", "month")),
        ("2024年3月", ("2024-03", "month")),
        ("2023年度", ("FY2023", "fiscal_year")),
        ("2024/3", ("2024-03", "month")),
        ("平成30年度", ("FY2018", "fiscal_year")),
        ("FY2027", ("FY2027", "fiscal_year")),
    ],
)
def test_periods(raw, expected):
    assert parse_period(raw) == expected


@pytest.mark.parametrize("raw", ["2024-13", "24-03", "令和6年13月", "yesterday"])
def test_bad_periods(raw):
    with pytest.raises(NotationError):
        parse_period(raw)


def test_fiscal_year_boundary():
    assert fiscal_year_of(dt.date(2024, 3, 31)) == 2023 and fiscal_year_of(dt.date(2024, 4, 1)) == 2024
