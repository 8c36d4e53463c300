"""Hostile or broken workbooks are refused before parsing (checklist A8, A10, A11)."""

from __future__ import annotations

import time
import zipfile

import openpyxl
import pytest

from evalkit.data.xlsx import open_workbook
from evalkit.errors import DataValidationError


def test_defusedxml_is_active():
    assert openpyxl.xml.DEFUSEDXML is True


def test_a_real_workbook_opens(tmp_path):
    path = tmp_path / "ok.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "品目"
    wb.save(path)
    assert open_workbook(path).active["A1"].value == "品目"


def test_html_error_page_saved_as_xlsx(tmp_path):
    path = tmp_path / "download.xlsx"
    path.write_text("<!DOCTYPE html><html><body>ログインしてください</body></html>", encoding="utf-8")
    with pytest.raises(DataValidationError, match="HTML page"):
        open_workbook(path)


def test_decompression_bomb_is_refused_fast(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (30 * 1024 * 1024))
    start = time.monotonic()
    with pytest.raises(DataValidationError, match="inflates"):
        open_workbook(path)
    assert time.monotonic() - start < 2


def test_truncated_workbook(tmp_path):
    good = tmp_path / "ok.xlsx"
    openpyxl.Workbook().save(good)
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(DataValidationError, match="damaged or truncated"):
        open_workbook(cut)


def test_xml_entities_are_refused(tmp_path):
    good = tmp_path / "ok.xlsx"
    openpyxl.Workbook().save(good)
    evil = tmp_path / "entities.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(evil, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>' + data
            dst.writestr(item, data)
    with pytest.raises(DataValidationError, match="parsing"):
        open_workbook(evil)
