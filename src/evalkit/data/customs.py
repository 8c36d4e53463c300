"""Japan Customs 品別国別表 (commodity by country) CSV, as downloaded from the Customs/e-Stat site.

Format (one row per export/import flag, year, 9-digit statistical code and
country; CP932 or UTF-8)::

    Exp or Imp,Year,HS,Country,Unit1,Unit2,Quantity1-Year,Quantity2-Year,Value-Year,
    Quantity1-Jan,Quantity2-Jan,Value-Jan, ... ,Quantity1-Dec,Quantity2-Dec,Value-Dec

``Exp or Imp`` is 1 (export) or 2 (import); ``HS`` is the 9-digit statistical
code (6-digit HS + 3 national digits), kept as a string — a code with fewer
than 9 digits has lost its leading zeros to a spreadsheet and is refused;
``Country`` is the 3-digit customs country code (China = 105), mapped to ISO
alpha-3 with ``data/reference/customs_country_codes.csv`` (codes not in that
table keep their customs code and an empty ``partner_iso3``); values are in
千円 (JPY thousand); quantities in ``Unit1``/``Unit2`` (masses are converted to
tonnes). Customs tables have no World row, so every row is a partner.

References
----------
Japan Customs, Trade Statistics of Japan, "Code lists" (9-digit statistical
code, country code): https://www.customs.go.jp/toukei/sankou/code/code_e.htm
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from evalkit.data import trade
from evalkit.data.catalogue import reference_path
from evalkit.data.table import read_table
from evalkit.errors import DataValidationError, MissingInputError
from evalkit.paths import relative

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
HEADER = ["Exp or Imp", "Year", "HS", "Country", "Unit1", "Unit2", "Quantity1-Year", "Quantity2-Year", "Value-Year"] + [
    f"{kind}-{m}" for m in MONTHS for kind in ("Quantity1", "Quantity2", "Value")
]
ENCODINGS = ("utf-8-sig", "cp932")
VALUE_UNIT = "JPY thousand"
_DIGITS = re.compile(r"^\d+$")
_NUMBER = re.compile(r"^\d+(\.\d+)?$")


def country_table() -> pd.DataFrame:
    """The shipped customs country code → ISO alpha-3 table (with its source caption)."""
    return read_table(reference_path("customs_country_codes"))


def _clean(cell: str) -> str:
    cell = cell.strip()
    if cell.startswith("'"):  # some downloads protect codes with a leading apostrophe
        cell = cell[1:]
    return cell


def read_customs(path: Path, *, codes: pd.DataFrame | None = None, monthly: bool = False) -> pd.DataFrame:
    """Read and validate a 品別国別表 CSV.

    Parameters
    ----------
    path : pathlib.Path
        The downloaded CSV (CP932 or UTF-8, with or without BOM).
    codes : pandas.DataFrame, optional
        Country code table (default: the shipped one).
    monthly : bool
        Return the monthly table instead (``year``, ``month``, ``flow``,
        ``hs``, ``partner``, ``value`` in 千円, ``quantity1`` in ``unit1``).

    Returns
    -------
    pandas.DataFrame
        The normalised trade table (:mod:`evalkit.data.trade`), annual values
        (``Value-Year``, 千円) and quantities (``Quantity1-Year``, converted to
        t when ``Unit1`` is a mass). ``attrs`` hold ``source`` and ``encoding``.

    Raises
    ------
    DataValidationError
        Listing every problem: encoding, header, ragged rows, codes that lost
        leading zeros, non-numeric or negative amounts, duplicate keys.
    """
    path = Path(path)
    name = relative(path)
    if not path.is_file():
        raise MissingInputError(f"{name}: file not found")
    raw = path.read_bytes()
    log = trade.ProblemLog(name)
    if not raw.strip():
        log.add(None, None, None, "file:empty", "file is empty")
        raise DataValidationError(log.result())
    text, encoding, problem = trade.decode(raw, name, encodings=ENCODINGS)
    if problem:
        raise DataValidationError([problem])
    codes = country_table() if codes is None else codes
    iso = dict(zip(codes["customs_code"], codes["iso3"]))
    names = dict(zip(codes["customs_code"], codes["name_en"]))
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader)]
    if header != HEADER:
        missing = [c for c in HEADER if c not in header]
        extra = [c for c in header if c not in HEADER]
        log.add(
            1,
            None,
            ",".join(header)[:60],
            "header:schema",
            f"not the 品別国別表 header (missing {missing[:5]}, unexpected {extra[:5]}); expected "
            f"'{','.join(HEADER[:9])},Quantity1-Jan,...,Value-Dec'",
        )
        raise DataValidationError(log.result())
    records, months, seen = [], [], {}
    line = 1
    for row in reader:
        line = reader.line_num
        if not row or all(c.strip() == "" for c in row):
            continue
        if len(row) != len(HEADER):
            log.add(line, None, ",".join(row)[:60], "row:ragged", f"expected {len(HEADER)} cells, found {len(row)}")
            continue
        cells = dict(zip(HEADER, (_clean(c) for c in row)))
        ok = True
        flag = cells["Exp or Imp"]
        if flag not in ("1", "2"):
            log.add(line, "Exp or Imp", flag, "enum", "expected 1 (export) or 2 (import)")
            ok = False
        year = cells["Year"]
        if not (_DIGITS.match(year) and len(year) == 4):
            log.add(line, "Year", year, "type:year", "expected a 4-digit year")
            ok = False
        hs = cells["HS"]
        if not _DIGITS.match(hs):
            log.add(line, "HS", hs, "hs:digits", "expected a 9-digit statistical code (digits only)")
            ok = False
        elif len(hs) < 9:
            log.add(
                line,
                "HS",
                hs,
                "hs:leading-zeros",
                f"{len(hs)} digits: the code lost its leading zeros (read as a number?); expected 9 digits, "
                f"e.g. {hs.zfill(9)!r}",
            )
            ok = False
        elif len(hs) > 9:
            log.add(line, "HS", hs, "hs:digits", "expected a 9-digit statistical code")
            ok = False
        country = cells["Country"]
        if not (_DIGITS.match(country) and len(country) == 3):
            log.add(
                line, "Country", country, "country:code", "expected a 3-digit customs country code (e.g. 105 = China)"
            )
            ok = False
        amounts = {}
        for col in HEADER[6:]:
            cell = cells[col]
            if cell == "":
                amounts[col] = None
                continue
            if cell.startswith("-") and _NUMBER.match(cell[1:]):
                log.add(line, col, cell, "amount>=0", "negative amount; trade values and quantities are >= 0")
                ok = False
            elif not _NUMBER.match(cell):
                log.add(line, col, cell, "type:number", "expected a plain number (no separators or units)")
                ok = False
            else:
                amounts[col] = float(cell)
        if not ok:
            continue
        key = (flag, year, hs, country)
        if key in seen:
            log.add(
                line,
                "Exp or Imp,Year,HS,Country",
                ",".join(key),
                "primary-key:duplicate",
                f"the same flow, year, code and country also on line {seen[key]}",
            )
            continue
        seen[key] = line
        unit1 = cells["Unit1"].upper()
        q = amounts["Quantity1-Year"]
        factor = trade.MASS_TO_T.get(unit1)
        records.append(
            {
                "source": "customs",
                "reporter": "JPN",
                "flow": "export" if flag == "1" else "import",
                "year": int(year),
                "hs": hs,
                "hs6": hs[:6],
                "partner": country,
                "partner_iso3": iso.get(country),
                "partner_name": names.get(country),
                "partner_is_aggregate": False,
                "value": amounts["Value-Year"],
                "value_unit": VALUE_UNIT,
                "quantity": (q * factor if factor and q is not None else q) if unit1 else None,
                "quantity_unit": ("t" if factor else unit1) if unit1 else None,
            }
        )
        for i, month in enumerate(MONTHS, start=1):
            months.append(
                {
                    "year": int(year),
                    "month": i,
                    "flow": records[-1]["flow"],
                    "hs": hs,
                    "partner": country,
                    "value": amounts[f"Value-{month}"],
                    "quantity1": amounts[f"Quantity1-{month}"],
                    "unit1": unit1 or None,
                }
            )
    if log.total:
        raise DataValidationError(log.result())
    frame = pd.DataFrame(months) if monthly else trade.to_frame(records)
    frame.attrs.update(source=f"Japan Customs 品別国別表 [{name}]", encoding=encoding, path=name)
    return frame
