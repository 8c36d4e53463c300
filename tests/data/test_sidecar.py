"""Sidecars: every malformed sidecar is refused with the file and key named."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from evalkit.data.sidecar import check_sidecar, read_sidecar, seal, sha256_of, sidecar_path

GOOD = {
    "schema_version": 1,
    "title": "t",
    "producer": "p",
    "url": None,
    "source_reference": "slide X",
    "date_published": None,
    "date_published_note": "undated",
    "date_accessed": "2026-11-28",
    "licence": {"name": "CC BY 4.0", "url": None},
    "as_of": "2024-10-31",
    "processing": "transcribed",
    "confidence": "high",
    "columns": {"a": {"type": "integer", "unit": "count", "description": "a"}},
    "sha256": "0" * 64,
    "rows": 1,
}


def write(tmp_path: Path, meta, body: str = "a\n1\n") -> Path:
    data = tmp_path / "t.csv"
    data.write_text(body, encoding="utf-8")
    text = meta if isinstance(meta, str) else yaml.safe_dump(meta, allow_unicode=True)
    sidecar_path(data).write_text(text, encoding="utf-8")
    return data


def test_a_good_sidecar_has_only_the_checksum_problem_until_sealed(tmp_path):
    data = write(tmp_path, GOOD)
    _, problems = read_sidecar(data)
    assert [p.rule for p in problems] == ["sidecar:checksum"]
    seal(data, 1)
    _, problems = read_sidecar(data)
    assert problems == []
    assert yaml.safe_load(sidecar_path(data).read_text())["sha256"] == sha256_of(data)


def test_missing_sidecar_is_named(tmp_path):
    data = tmp_path / "t.csv"
    data.write_text("a\n1\n")
    _, problems = read_sidecar(data)
    assert problems[0].rule == "sidecar:missing" and "t.csv.meta.yaml" in problems[0].message


@pytest.mark.parametrize("key", ["title", "licence", "columns", "sha256", "date_accessed", "source_reference"])
def test_each_required_key_is_checked(key):
    meta = {k: v for k, v in GOOD.items() if k != key}
    problems = check_sidecar(meta, "x.meta.yaml")
    assert any(p.column == key and p.rule == "sidecar:required" for p in problems)


def test_null_as_of_needs_a_note():
    meta = dict(GOOD, as_of=None)
    problems = check_sidecar(meta, "x.meta.yaml")
    assert any(p.column == "as_of_note" for p in problems)
    assert check_sidecar(dict(meta, as_of_note="undated slide"), "x") == []


def test_bad_values_are_all_reported_together():
    meta = dict(
        GOOD,
        processing="guessed",
        confidence="sure",
        as_of="2024-13-01",
        columns={"a": {"type": "float", "unit": None, "description": "a"}},
    )
    rules = {(p.column, p.rule) for p in check_sidecar(meta, "x.meta.yaml")}
    assert ("processing", "sidecar:enum") in rules
    assert ("confidence", "sidecar:enum") in rules
    assert ("as_of", "sidecar:date") in rules
    assert ("columns.a.type", "sidecar:column-type") in rules


def test_python_tags_are_refused_not_executed(tmp_path):
    data = write(tmp_path, "title: !!python/object/apply:os.system ['touch pwned']\n")
    meta, problems = read_sidecar(data)
    assert meta is None and problems[0].rule == "sidecar:yaml"
    assert not (tmp_path / "pwned").exists()


def test_yaml_syntax_error_names_the_line(tmp_path):
    data = write(tmp_path, "title: ok\ncolumns: [unclosed\n")
    _, problems = read_sidecar(data)
    assert problems[0].rule == "sidecar:yaml" and problems[0].line is not None


def test_edited_data_fails_the_checksum(tmp_path):
    data = write(tmp_path, GOOD)
    seal(data, 1)
    data.write_text("a\n2\n", encoding="utf-8")
    _, problems = read_sidecar(data)
    assert [p.rule for p in problems] == ["sidecar:checksum"]
    assert "changed since it was sealed" in problems[0].message
