"""tests/golden.py: golden files of the shipped reports, and how a difference is shown and written."""

from __future__ import annotations

from tests import golden
from tests.conftest import shipped_reports


def test_every_shipped_report_has_a_golden_file():
    names = {p.stem for p in golden.HERE.glob("*.json") if not p.stem.endswith("-actual")}
    assert names == {name for name, _ in shipped_reports()}, f"run the comparison, review, then `{golden.ACCEPT}`"


def test_golden_files_hold_value_and_unit_of_every_key():
    for name, _ in shipped_reports():
        data = golden.load(golden.expected_path(name))
        assert data["report"] == name and data["command"].startswith("evalkit report")
        assert data["results"] and all(set(v) == {"value", "unit"} for v in data["results"].values())
        assert list(data["results"]) == sorted(data["results"])


def test_a_changed_value_is_reported_and_written(tmp_path, monkeypatch):
    base = {"results": {"a": {"value": 1, "unit": "plans"}, "b": {"value": 0.5, "unit": "ratio"}}}
    assert golden.differences(base, base) == []
    changed = {"results": {"a": {"value": 1.0, "unit": "plans"}, "c": {"value": None, "unit": "ratio"}}}
    assert golden.differences(base, changed) == [
        "new key c: {'value': None, 'unit': 'ratio'}",
        "key gone b (was {'value': 0.5, 'unit': 'ratio'})",
        "a: expected {'value': 1, 'unit': 'plans'}, got {'value': 1.0, 'unit': 'plans'}",
    ]
    assert golden.differences(base, {"results": {**base["results"], "b": {"value": 0.5, "unit": "share"}}})
    monkeypatch.setattr(golden, "HERE", tmp_path)
    golden.dump(changed, golden.actual_path("x"))
    assert golden.load(tmp_path / "x-actual.json") == changed
