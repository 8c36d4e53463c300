"""Corrupt each shipped data file in turn, as a new user's edit might: every corruption is named precisely."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import yaml

from evalkit.data.table import check_table

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "data").rglob("*.csv"))


def corrupt(path: Path, how: str) -> int | None:
    """Apply one corruption; return the physical line touched where there is one."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    if how == "truncate":
        path.write_bytes(text.encode("utf-8")[: len(text.encode("utf-8")) // 2])
        return None
    if how == "reencode":
        if text.isascii():
            pytest.skip(f"{path.name} is pure ASCII: its CP932 bytes are identical")
        raw = text.encode("cp932", errors="replace")
        path.write_bytes(raw)
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return -1  # every non-ASCII character was outside CP932 and became '?': the bytes are still UTF-8
    if how == "duplicate_row":
        path.write_text(text + ("" if text.endswith("\n") else "\n") + lines[-1].rstrip("\n") + "\n", encoding="utf-8")
        return len(lines) + 1
    if how == "number_to_text":
        meta = yaml.safe_load(path.with_name(path.name + ".meta.yaml").read_text(encoding="utf-8"))
        numeric = [c for c, s in meta["columns"].items() if s["type"] in ("integer", "number")]
        rows = list(csv.reader(io.StringIO(text)))
        header = rows[0]
        for r, row in enumerate(rows[1:], start=2):
            for col in numeric:
                if row[header.index(col)] != "":
                    row[header.index(col)] = "twelve"
                    out = io.StringIO()
                    csv.writer(out, lineterminator="\n").writerows(rows)
                    path.write_text(out.getvalue(), encoding="utf-8")
                    return r
        pytest.skip(f"{path.name} has no numeric cell")
    raise AssertionError(how)


@pytest.fixture
def one_file(tmp_path, monkeypatch, request):
    """A project holding only the file under test and its sidecar (the sweep touches one file at a time)."""
    import shutil

    rel = request.node.callspec.params["rel"]
    dest = tmp_path / "project"
    (dest / "data").mkdir(parents=True)
    shutil.copy2(ROOT / "pyproject.toml", dest / "pyproject.toml")
    for name in (rel, rel + ".meta.yaml"):
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, dest / name)
    monkeypatch.setenv("EVALKIT_ROOT", str(dest))
    return dest


@pytest.mark.parametrize("how", ["truncate", "reencode", "duplicate_row", "number_to_text"])
@pytest.mark.parametrize("rel", FILES)
def test_corruption_is_named(one_file, rel, how):
    path = one_file / rel
    line = corrupt(path, how)
    _, problems = check_table(path)  # what validate and every loader run on this file
    mine = [p for p in problems if p.file.startswith(rel)]
    assert mine, f"no problem names {rel}"
    rules = {p.rule for p in mine}
    assert "sidecar:checksum" in rules  # a changed file never passes as the sealed one
    if how == "number_to_text":
        assert any(p.line == line and p.value == "twelve" and p.rule.startswith("type:") for p in mine)
    if how == "duplicate_row":
        assert rules & {"primary-key:duplicate", "sidecar:rows"}
    if how == "reencode" and line != -1:
        assert "encoding:utf-8" in rules
    if how == "truncate":
        assert rules - {"sidecar:checksum"}, "a truncated file must also fail a structural check"
