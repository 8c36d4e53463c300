"""Tables: typed reading with every problem located by file, line, column and value."""

from __future__ import annotations

import pytest
import yaml

from evalkit.data.sidecar import seal, sidecar_path
from evalkit.data.table import check_table, read_table
from evalkit.errors import DataValidationError

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
    "primary_key": ["product"],
    "columns": {
        "product": {"type": "string", "unit": None, "description": "p", "required": True, "enum": ["a", "b", "c"]},
        "plans": {"type": "integer", "unit": "count", "description": "n", "required": True, "min": 0},
        "amount": {"type": "number", "unit": "億円", "description": "m"},
        "day": {"type": "date", "unit": None, "description": "d"},
    },
    "sha256": "0" * 64,
    "rows": 0,
}


def make(tmp_path, body: bytes | str):
    data = tmp_path / "t.csv"
    data.write_bytes(body.encode("utf-8") if isinstance(body, str) else body)
    sidecar_path(data).write_text(yaml.safe_dump(META, sort_keys=False), encoding="utf-8")
    seal(data, body.count("\n") - 1 if isinstance(body, str) else 0)
    return data


def test_typed_frame_with_provenance(tmp_path):
    frame = read_table(make(tmp_path, "product,plans,amount,day\na,2,1.5,2024-10-31\nb,0,,\n"))
    assert frame["plans"].tolist() == [2, 0]
    assert str(frame["plans"].dtype) == "Int64"
    assert frame["amount"].isna().tolist() == [False, True]
    assert frame.attrs["meta"]["as_of"] == "2024-10-31"
    assert "slide X" in frame.attrs["source"]


def test_every_bad_cell_is_reported_with_line_column_value(tmp_path):
    data = make(tmp_path, "product,plans,amount,day\na,two,1.5,2024-10-31\nz,-1,1,000,\nb,3,x,2024-02-30\n")
    _, problems = check_table(data)
    found = {(p.line, p.column, p.value, p.rule) for p in problems}
    assert (2, "plans", "two", "type:integer") in found
    assert (3, None, "z,-1,1,000,", "row:ragged") in found
    assert (4, "amount", "x", "type:number") in found
    assert (4, "day", "2024-02-30", "type:date") in found
    text = str(next(p for p in problems if p.column == "plans"))
    assert "t.csv:2" in text and "'plans'" in text and "'two'" in text


def test_enum_min_required_and_duplicate_keys(tmp_path):
    data = make(tmp_path, "product,plans,amount,day\nq,1,,\na,-1,,\na,,,\n")
    rules = {(p.line, p.rule) for p in check_table(data)[1]}
    assert (2, "enum") in rules
    assert (3, "min") in rules
    assert (4, "required") in rules
    assert {(3, "primary-key:duplicate"), (4, "primary-key:duplicate")} <= rules


def test_duplicate_and_unexpected_headers(tmp_path):
    data = make(tmp_path, "product,plans,plans,day\na,1,1,\n")
    rules = {p.rule for p in check_table(data)[1]}
    assert {"header:duplicate", "header:schema"} <= rules


def test_cp932_bytes_are_refused_with_a_hint(tmp_path):
    data = make(tmp_path, "product,plans,amount,day\n肥料,1,,\n".encode("cp932"))
    _, problems = check_table(data)
    problem = next(p for p in problems if p.rule == "encoding:utf-8")
    assert problem.line == 2 and "CP932" in problem.message


def test_utf8_bom_is_accepted(tmp_path):
    frame = read_table(make(tmp_path, "\ufeffproduct,plans,amount,day\na,1,,\n"))
    assert list(frame.columns)[0] == "product"


def test_read_table_raises_with_all_problems(tmp_path):
    data = make(tmp_path, "product,plans,amount,day\na,x,,\nb,y,,\n")
    with pytest.raises(DataValidationError) as err:
        read_table(data)
    assert len(err.value.problems) == 2
    assert err.value.exit_status == 65


def test_a_second_read_is_a_copy_and_a_changed_file_is_read_afresh(tmp_path):
    """Reads are remembered by content: the same bytes give an equal, independent frame; new bytes are re-checked."""
    data = make(tmp_path, "product,plans,amount,day\na,2,1.5,2024-10-31\n")
    first = read_table(data)
    first.loc[0, "plans"] = 99  # a caller changing its frame must not change the next caller's
    second = read_table(data)
    assert second["plans"].tolist() == [2]
    assert second.attrs["lines"] == (2,) and second.attrs["meta"]["as_of"] == "2024-10-31"
    # same size, same second: only the bytes differ, and the sidecar's sha256 is resealed
    data.write_text("product,plans,amount,day\na,3,1.5,2024-10-31\n", encoding="utf-8")
    seal(data, 1)
    assert read_table(data)["plans"].tolist() == [3]
    data.write_text("product,plans,amount,day\na,x,1.5,2024-10-31\n", encoding="utf-8")
    seal(data, 1)
    with pytest.raises(DataValidationError):
        read_table(data)  # a bad file is never answered from the earlier good read


def test_the_sidecar_of_a_read_table_is_read_only_and_shared_by_derived_frames(tmp_path):
    import copy

    frame = read_table(make(tmp_path, "product,plans,amount,day\na,2,1.5,2024-10-31\nb,0,,\n"))
    meta = frame.attrs["meta"]
    with pytest.raises(TypeError, match="read-only"):
        meta["as_of"] = "2025-01-01"
    assert copy.deepcopy(meta) is meta and dict(meta)["as_of"] == "2024-10-31"
    derived = frame[frame["plans"] > 0]  # pandas copies attrs into every derived frame: this one is not copied
    assert derived.attrs["meta"] is meta and derived.attrs["lines"] is frame.attrs["lines"]
