"""``tables.xlsx``: every table of a report, one sheet each, with source and units.

Notebook tables carry a machine-readable copy (MIME type
:data:`evalkit.notebook.TABLE_MIME`) next to their HTML; the runner gathers
them here so an official can forward the figures as a spreadsheet.

Every string is a text cell, never a formula, whatever it starts with (a plan
name ``=HYPERLINK(...)`` from a user's ledger, a DDE payload ``=cmd|...``):
the workbook is a hand-off of figures, and a spreadsheet must not run
anything in it (CSV or formula injection, OWASP). The value is kept verbatim
and no quote is added to it; a string that begins with a character a
spreadsheet reads as the start of a formula (:data:`FORMULA_STARTS`) also
gets the cell style *quotePrefix*, the spreadsheet's own "this is text" flag,
so that it stays text even when a reader edits the cell. Two byte-level
details keep values exact: a carriage return is written as the character
reference ``&#13;`` (a raw one is read back as a line feed, because XML
normalises line ends), and the control characters XML 1.0 cannot carry are
written in the OOXML escape ``_xHHHH_`` (a spreadsheet shows the character; a
reader that does not unescape sees the escape).
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import nbformat

from evalkit.notebook import TABLE_MIME

_BAD = re.compile(r"[\\\\/*?:\\[\\]]")
#: First characters that make a spreadsheet read typed text as a formula or a DDE call
#: (= + - @, tab, CR, LF), and the full-width forms a Japanese input method produces.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def collect_tables(nb: nbformat.NotebookNode, notebook: str) -> list[dict[str, Any]]:
    """Tables displayed by an executed notebook, in order, tagged with the notebook."""
    out = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            payload = output.get("data", {}).get(TABLE_MIME)
            if payload:
                out.append(dict(payload, notebook=notebook))
    return out


def _sheet_name(notebook: str, n: int, used: set[str]) -> str:
    base = _BAD.sub("_", f"{notebook[:2]}_{n:02d} {notebook[3:]}")[:31]
    name, k = base, 1
    while name in used:
        k += 1
        name = f"{base[:28]}~{k}"
    used.add(name)
    return name


def write_workbook(tables: list[dict[str, Any]], path: Path, *, as_of_label: str) -> None:
    """Write ``tables`` to ``path``: per sheet a title row, a source row, a unit row, then the table."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    index = wb.create_sheet("index")
    _append(index, ["sheet", "notebook", "title", "source"])
    used: set[str] = {"index"}
    counters: dict[str, int] = {}
    for table in tables:
        counters[table["notebook"]] = counters.get(table["notebook"], 0) + 1
        name = _sheet_name(table["notebook"], counters[table["notebook"]], used)
        sheet = wb.create_sheet(name)
        _append(sheet, [table.get("title") or f"{table['notebook']} table {counters[table['notebook']]}"])
        _append(sheet, [f"{table['source']} (report as of {as_of_label})"])
        _append(sheet, ["unit"] + table["units"][1:] if table["units"] and not table["units"][0] else table["units"])
        _append(sheet, table["columns"])
        for row in table["rows"]:
            _append(sheet, row)
        for cell in sheet[4]:
            cell.font = Font(bold=True)
        sheet["A1"].font = Font(bold=True)
        _append(index, [name, table["notebook"], table.get("title") or "", table["source"]])
    wb.save(path)
    _keep_carriage_returns(path)


def _append(sheet: Any, values: list[Any]) -> None:
    """Append a row in which every string is a text cell (see the module docstring)."""
    sheet.append([_ILLEGAL.sub(_escape, v) if isinstance(v, str) else v for v in values])
    for cell in sheet[sheet.max_row]:
        as_text(cell)


def _escape(match: re.Match) -> str:
    return f"_x{ord(match.group(0)):04X}_"


def as_text(cell: Any) -> None:
    """Make a cell holding a string a text cell: never a formula, its value verbatim.

    openpyxl types a string that starts with ``=`` as a formula when it is
    assigned, so the type is set back to string afterwards; a string starting
    with one of :data:`FORMULA_STARTS` also gets the *quotePrefix* style.
    """
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if cell.value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True


def _keep_carriage_returns(path: Path) -> None:
    """Rewrite raw carriage returns in the workbook's XML parts as ``&#13;`` (see the module docstring)."""
    with zipfile.ZipFile(path) as src:
        parts = [(info, src.read(info)) for info in src.infolist()]
    if not any(info.filename.endswith(".xml") and b"\r" in data for info, data in parts):
        return
    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".xlsx", delete=False) as handle:
        tmp = Path(handle.name)
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
            for info, data in parts:
                out.writestr(info, data.replace(b"\r", b"&#13;") if info.filename.endswith(".xml") else data)
        shutil.move(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
