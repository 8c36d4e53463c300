"""``evalkit diff``: keys added, removed and changed between two reports' results.json."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from evalkit.errors import DataValidationError, MissingInputError
from evalkit.report.diff import compare, text_table


def _report(folder, results, as_of="latest"):
    folder.mkdir(parents=True)
    (folder / "results.json").write_text(json.dumps({"as_of": as_of, "results": results}), encoding="utf-8")
    return folder


@pytest.fixture
def pair(tmp_path):
    old = _report(
        tmp_path / "old",
        [
            {"key": "plans_approved_total", "value": 106, "unit": "plans", "source": "CAO slide C"},
            {"key": "commitment_ratio", "value": 0.590909, "unit": "ratio", "source": "derived"},
            {"key": "gone", "value": 1.0, "unit": "t", "source": "x"},
            {"key": "same_float", "value": 0.1 + 0.2, "unit": "ratio", "source": "derived"},
            {"key": "unit_moves", "value": 5, "unit": "億円", "source": "s"},
        ],
    )
    new = _report(
        tmp_path / "new",
        [
            {"key": "plans_approved_total", "value": 123, "unit": "plans", "source": "CAO slide A"},
            {"key": "commitment_ratio", "value": 0.590909, "unit": "ratio", "source": "derived"},
            {"key": "same_float", "value": 0.3, "unit": "ratio", "source": "derived"},
            {"key": "unit_moves", "value": 5, "unit": "兆円", "source": "s"},
            {"key": "trade.x.china_share.2024", "value": None, "unit": "share", "source": "derived"},
        ],
    )
    return old, new


def test_added_removed_and_changed_are_found_and_nothing_else(pair):
    old, new = pair
    changes = {(c.change, c.key): c for c in compare(old, new)}
    assert set(changes) == {
        ("added", "trade.x.china_share.2024"),
        ("removed", "gone"),
        ("changed", "plans_approved_total"),
        ("changed", "unit_moves"),
    }
    moved = changes[("changed", "plans_approved_total")]
    assert (moved.old_value, moved.new_value, moved.old_source, moved.new_source) == (
        106,
        123,
        "CAO slide C",
        "CAO slide A",
    )
    assert changes[("changed", "unit_moves")].old_unit == "億円"
    assert compare(old, old) == []


def test_the_table_states_counts_and_old_to_new(pair):
    old, new = pair
    text = text_table(compare(old, new), "old", "new")
    assert text.splitlines()[0] == "old -> new: 1 added, 1 removed, 2 changed"
    assert "106" in text and "123" in text and "億円 -> 兆円" in text and "CAO slide C -> CAO slide A" in text


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_the_command_exits_0_with_differences_in_every_format(pair, fmt):
    old, new = pair
    run = subprocess.run(
        [sys.executable, "-m", "evalkit", "diff", str(old), str(new), "--format", fmt],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    if fmt == "json":
        assert {c["key"] for c in json.loads(run.stdout)} == {
            "trade.x.china_share.2024",
            "gone",
            "plans_approved_total",
            "unit_moves",
        }
    elif fmt == "csv":
        assert run.stdout.splitlines()[0].startswith("change,key,old_value,new_value")
        assert len(run.stdout.splitlines()) == 5


def test_missing_and_malformed_results_are_named(tmp_path, pair):
    old, _ = pair
    with pytest.raises(MissingInputError, match="results.json"):
        compare(old, tmp_path / "nowhere")
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "results.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(DataValidationError, match="not valid JSON"):
        compare(old, bad)
    twice = _report(tmp_path / "twice", [{"key": "a", "value": 1, "unit": "u", "source": "s"}] * 2)
    with pytest.raises(DataValidationError, match="key listed twice"):
        compare(old, twice)
    run = subprocess.run(
        [sys.executable, "-m", "evalkit", "diff", str(old), str(tmp_path / "nowhere")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 66
