"""Release selection never turns the undated slide into a dated one."""

from __future__ import annotations

import pytest

from evalkit.data.catalogue import parse_as_of, parse_release, release_for
from evalkit.errors import MissingInputError, UsageError


def test_parse_release_names():
    assert parse_release("2024-10-31").date.isoformat() == "2024-10-31"
    undated = parse_release("undated-after-2024-10-31")
    assert undated.date is None and undated.after.isoformat() == "2024-10-31"
    assert parse_release("2024-02-30") is None and parse_release("misc") is None
    assert parse_release("2024-10-31") < undated < parse_release("2024-11-01")


def test_latest_is_the_undated_123_snapshot(project):
    assert release_for("cao", "approvals_by_product", "latest").name == "undated-after-2024-10-31"


@pytest.mark.parametrize("day", ["2024-10-31", "2025-06-30", "2030-01-01"])
def test_dated_queries_take_the_newest_dated_release(project, day):
    assert release_for("cao", "approvals_by_product", day).name == "2024-10-31"


def test_before_any_release_is_a_missing_input(project):
    with pytest.raises(MissingInputError, match="no release"):
        release_for("cao", "approvals_by_product", "2024-06-30")


@pytest.mark.parametrize("bad", ["2024-13-01", "2024-3-1", "24-03-01", "yesterday", "../x"])
def test_bad_as_of_is_a_usage_error(bad):
    with pytest.raises(UsageError):
        parse_as_of(bad)
