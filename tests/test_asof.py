"""evalkit.asof: which compiled rows an as-of date may use."""

import datetime as dt

import pandas as pd
import pytest

from evalkit.asof import filter_rows, fiscal_year_limit, fiscal_year_of, present, row_known_by


@pytest.mark.parametrize(
    "date,upper,as_of,expected",
    [
        ("2024-09-06", None, "2024-10-31", True),
        ("2024-11-29", None, "2024-10-31", False),
        ("2024-10-31", None, "2024-10-31", True),
        (None, "2024-07-30", "2024-10-31", True),  # only an upper bound, before as_of
        (None, "2025-12-31", "2024-10-31", False),  # upper bound after as_of: cannot be shown to precede
        (None, None, "2024-10-31", False),  # undated: left out for a dated as_of
        (None, None, "latest", True),  # ... but counts for latest
        ("2030-01-01", None, "latest", True),
    ],
)
def test_row_known_by(date, upper, as_of, expected):
    assert row_known_by(date, upper, as_of) is expected


def test_filter_rows_keeps_attrs_and_handles_nan():
    frame = pd.DataFrame({"date": ["2024-01-01", float("nan"), None], "upper": [None, "2024-02-01", None]})
    frame.attrs["source"] = "s"
    out = filter_rows(frame, "2024-06-30", upper="upper")
    assert len(out) == 2 and out.attrs["source"] == "s"


def test_fiscal_year():
    assert fiscal_year_of(dt.date(2024, 3, 31)) == 2023
    assert fiscal_year_of(dt.date(2024, 4, 1)) == 2024
    assert fiscal_year_limit("2024-10-31") == 2024 and fiscal_year_limit("latest") is None


def test_present():
    assert not present(None) and not present(float("nan")) and not present("") and present("x") and present(0)
