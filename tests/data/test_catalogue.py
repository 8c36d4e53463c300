"""Release selection never turns the undated slide into a dated one."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from evalkit.data.catalogue import parse_as_of, parse_release, release_for, today
from evalkit.errors import MissingInputError, UsageError


def test_parse_release_names():
    assert parse_release("2024-10-31").date.isoformat() == "2024-10-31"
    undated = parse_release("undated-after-2024-10-31")
    assert undated.date is None and undated.after.isoformat() == "2024-10-31"
    assert parse_release("2024-02-30") is None and parse_release("misc") is None
    assert parse_release("2024-10-31") < undated < parse_release("2024-11-01")


def test_latest_is_the_undated_123_snapshot(project):
    assert release_for("cao", "approvals_by_product", "latest").name == "undated-after-2024-10-31"


@pytest.mark.parametrize("day", ["2024-10-31", "2025-06-30", "2026-01-01"])
def test_dated_queries_take_the_newest_dated_release(project, day):
    assert release_for("cao", "approvals_by_product", day).name == "2024-10-31"


def test_before_any_release_is_a_missing_input(project):
    with pytest.raises(MissingInputError, match="no release"):
        release_for("cao", "approvals_by_product", "2024-06-30")


@pytest.mark.parametrize("bad", ["2024-13-01", "2024-3-1", "24-03-01", "yesterday", "../x"])
def test_bad_as_of_is_a_usage_error(bad):
    with pytest.raises(UsageError):
        parse_as_of(bad)


@pytest.mark.parametrize(
    "bad,words",
    [
        ("2024-02-30", "the day 2024-02-30 does not exist (February 2024 has 29 days)"),
        ("2023-02-29", "February 2023 has 28 days"),
        ("2024-04-31", "April 2024 has 30 days"),
        ("2024-13-01", "there is no month 13"),
        ("2024-00-10", "there is no month 00"),
    ],
)
def test_a_day_that_does_not_exist_says_so(bad, words):
    with pytest.raises(UsageError, match=re.escape(words)):
        parse_as_of(bad)


def test_a_future_as_of_is_refused():
    # 2099-01-01 used to publish reports/2099-01-01 from the 2024-10-31 data and move reports/latest to it
    with pytest.raises(UsageError, match=r"later than today \(\d{4}-\d{2}-\d{2} in Japan\)"):
        parse_as_of("2099-01-01")
    tomorrow = (today() + dt.timedelta(days=1)).isoformat()
    with pytest.raises(UsageError, match="later than today"):
        parse_as_of(tomorrow)
    assert parse_as_of(today().isoformat()) == today().isoformat()
