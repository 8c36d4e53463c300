"""``tables.xlsx``: every table of a report, one sheet each, with source and units.

Notebook tables carry a machine-readable copy (MIME type
:data:`evalkit.notebook.TABLE_MIME`) next to their HTML; the runner gathers
them here so an official can forward the figures as a spreadsheet.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import nbformat

from evalkit.notebook import TABLE_MIME

_BAD = re.compile(r"[\\\\/*?:\\[\\]]")


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
    index.append(["sheet", "notebook", "title", "source"])
    used: set[str] = {"index"}
    counters: dict[str, int] = {}
    for table in tables:
        counters[table["notebook"]] = counters.get(table["notebook"], 0) + 1
        name = _sheet_name(table["notebook"], counters[table["notebook"]], used)
        sheet = wb.create_sheet(name)
        sheet.append([table.get("title") or f"{table['notebook']} table {counters[table['notebook']]}"])
        sheet.append([f"{table['source']} (report as of {as_of_label})"])
        sheet.append(["unit"] + table["units"][1:] if table["units"] and not table["units"][0] else table["units"])
        sheet.append(table["columns"])
        for row in table["rows"]:
            sheet.append(row)
        for cell in sheet[4]:
            cell.font = Font(bold=True)
        sheet["A1"].font = Font(bold=True)
        index.append([name, table["notebook"], table.get("title") or "", table["source"]])
    wb.save(path)
