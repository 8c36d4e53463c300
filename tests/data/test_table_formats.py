"""More malformed inputs for the data package reader (checklist A4, A5, A7, B4)."""

from __future__ import annotations

import yaml

from evalkit.data.sidecar import seal, sidecar_path
from evalkit.data.table import check_table

META = {
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
    "columns": {
        "品目": {"type": "string", "unit": None, "description": "item"},
        "金額": {"type": "number", "unit": "億円", "description": "amount"},
    },
    "sha256": "0" * 64,
    "rows": 1,
}


def make(tmp_path, body: bytes):
    data = tmp_path / "t.csv"
    data.write_bytes(body)
    sidecar_path(data).write_text(yaml.safe_dump(META, allow_unicode=True, sort_keys=False), encoding="utf-8")
    seal(data, 1)
    return data


def rules(path):
    return {p.rule for p in check_table(path)[1]}


def test_mojibake_header_fails_the_label_check(tmp_path):
    garbled = "品目,金額\n鉄鋼,1\n".encode("cp932").decode("latin-1").encode("utf-8")
    assert "header:schema" in rules(make(tmp_path, garbled))


def test_wrong_delimiter_is_a_header_problem(tmp_path):
    assert "header:schema" in rules(make(tmp_path, "品目\t金額\n鉄鋼\t1\n".encode()))


def test_empty_and_header_only_files(tmp_path):
    assert "file:empty" in rules(make(tmp_path, b""))
    frame, problems = check_table(make(tmp_path, "品目,金額\n".encode()))
    assert frame is not None and len(frame) == 0
    assert any(p.rule == "sidecar:rows" for p in problems)


def test_a_renamed_unit_in_the_header_is_refused(tmp_path):
    found = check_table(make(tmp_path, "品目,金額（千円）\n鉄鋼,1\n".encode()))[1]
    problem = next(p for p in found if p.rule == "header:schema")
    assert "金額（千円）" in problem.message and "'金額'" in problem.message
