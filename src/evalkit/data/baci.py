"""CEPII BACI bilateral trade files (``BACI_HSxx_Yyyyy_V202xx.csv``) and their code lists.

Format: a header ``t,i,j,k,v,q`` (older releases: ``t,k,i,j,v,q``) — year,
exporter, importer (BACI numeric country codes), HS6 product (a *string*:
CEPII warns that reading it as a number removes leading zeros), value ``v``
in thousand current USD and quantity ``q`` in metric tonnes (``NA`` or blank
when unknown). BACI records only strictly positive flows. The companion
``country_codes_V202xx.csv`` maps the numeric codes to ISO alpha-3 and
``product_codes_HSxx_V202xx.csv`` gives HS6 descriptions.

Rows are read one at a time with :mod:`csv` and validated as they stream, and
only the rows of the selected importer(s) and HS codes are kept, so a file of
millions of rows is never held whole in memory.

Aggregate partners: a country-code name containing "nes", "n.e.s.",
"World", "Free Zones", "Bunkers" or "Special Categories" is an aggregate,
except code 490 ("Other Asia, nes"), which trade statistics use for Taiwan
and is therefore kept as a partner.

References
----------
Gaulier & Zignago (2010), "BACI: International Trade Database at the
Product-Level", CEPII WP 2010-23; BACI description:
http://www.cepii.fr/DATA_DOWNLOAD/baci/doc/DescriptionBACI.html
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd

from evalkit.data import trade
from evalkit.errors import DataValidationError, MissingInputError, Problem
from evalkit.paths import relative

REQUIRED = ("t", "i", "j", "k", "v", "q")
VALUE_UNIT = "USD thousand"
_DIGITS = re.compile(r"^\d+$")
_NUMBER = re.compile(r"^-?\d+(\.\d*)?([eE][-+]?\d+)?$")
_AGGREGATE = re.compile(r"\bnes\b|n\.e\.s|\bworld\b|free zones|bunkers|special categories", re.I)
TAIWAN_CODE = "490"


def _open_text(path: Path, name: str):
    if not path.is_file():
        raise MissingInputError(f"{name}: file not found")
    return open(path, encoding="utf-8-sig", newline="")


def read_country_codes(path: Path) -> pd.DataFrame:
    """Read ``country_codes_V202xx.csv``.

    Accepts the current header (``country_code,country_name,country_iso2,
    country_iso3``) and the older one (``country_code,country_name_abbreviation,
    country_name_full,iso_2digit_alpha,iso_3digit_alpha``). ISO-2 ``NA``
    (Namibia) stays a string.

    Returns
    -------
    pandas.DataFrame
        ``code`` (string), ``name``, ``iso3``, ``is_aggregate``.
    """
    path = Path(path)
    name = relative(path)
    log = trade.ProblemLog(name)
    with _open_text(path, name) as handle:
        try:
            rows = list(csv.reader(handle))
        except UnicodeDecodeError as exc:
            raise DataValidationError([Problem(name, None, None, None, "encoding", f"not UTF-8: {exc}")]) from exc
    if not rows:
        raise DataValidationError([Problem(name, None, None, None, "file:empty", "file is empty")])
    header = [h.strip() for h in rows[0]]
    if {"country_code", "country_name", "country_iso3"} <= set(header):
        cols = ("country_code", "country_name", "country_iso3")
    elif {"country_code", "country_name_full", "iso_3digit_alpha"} <= set(header):
        cols = ("country_code", "country_name_full", "iso_3digit_alpha")
    else:
        raise DataValidationError(
            [
                Problem(
                    name,
                    1,
                    None,
                    ",".join(header),
                    "header:schema",
                    "expected a BACI country_codes header with country_code, country_name and country_iso3",
                )
            ]
        )
    idx = [header.index(c) for c in cols]
    out, seen = [], {}
    for n, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            log.add(n, None, ",".join(row)[:60], "row:ragged", f"expected {len(header)} cells, found {len(row)}")
            continue
        code, cname, iso3 = (row[i].strip() for i in idx)
        if not _DIGITS.match(code):
            log.add(n, "country_code", code, "type:integer", "expected a numeric country code")
            continue
        if code in seen:
            log.add(n, "country_code", code, "primary-key:duplicate", f"code also on line {seen[code]}")
            continue
        seen[code] = n
        aggregate = bool(_AGGREGATE.search(cname)) and code != TAIWAN_CODE
        out.append({"code": str(int(code)), "name": cname, "iso3": iso3 or None, "is_aggregate": aggregate})
    if log.total:
        raise DataValidationError(log.result())
    frame = pd.DataFrame(out, columns=["code", "name", "iso3", "is_aggregate"])
    frame.attrs["source"] = f"CEPII BACI country codes [{name}]"
    return frame


def read_product_codes(path: Path) -> pd.DataFrame:
    """Read ``product_codes_HSxx_V202xx.csv`` (``code,description``); codes kept as 6-digit strings.

    Raises
    ------
    DataValidationError
        For a code that is not 6 digits (e.g. lost its leading zero).
    """
    path = Path(path)
    name = relative(path)
    log = trade.ProblemLog(name)
    with _open_text(path, name) as handle:
        reader = csv.reader(handle)
        header = [h.strip() for h in next(reader, [])]
        if header[:2] != ["code", "description"]:
            raise DataValidationError(
                [Problem(name, 1, None, ",".join(header), "header:schema", "expected the header code,description")]
            )
        out = []
        for row in reader:
            n = reader.line_num
            if len(row) != 2:
                log.add(n, None, ",".join(row)[:60], "row:ragged", f"expected 2 cells, found {len(row)}")
                continue
            code = row[0].strip()
            if not (_DIGITS.match(code) and len(code) == 6):
                rule = "hs:leading-zeros" if _DIGITS.match(code) and len(code) == 5 else "hs:digits"
                log.add(n, "code", code, rule, "expected a 6-digit HS code kept as text (e.g. '010121')")
                continue
            out.append({"code": code, "description": row[1]})
    if log.total:
        raise DataValidationError(log.result())
    frame = pd.DataFrame(out, columns=["code", "description"])
    frame.attrs["source"] = f"CEPII BACI product codes [{name}]"
    return frame


def iter_baci(
    path: Path,
    *,
    importers: Iterable[str] | None = None,
    hs: Iterable[str] | None = None,
    log: trade.ProblemLog | None = None,
) -> Iterator[tuple[int, int, str, str, str, float, float | None]]:
    """Stream validated BACI rows, keeping only the selected importers and HS codes.

    Parameters
    ----------
    path : pathlib.Path
        A BACI CSV.
    importers : iterable of str, optional
        BACI numeric importer codes (``j``) to keep; all when None.
    hs : iterable of str, optional
        HS6 codes or prefixes (2, 4 or 6 digits) to keep; all when None.
    log : ProblemLog, optional
        Collects problems (every row is validated, kept or not).

    Yields
    ------
    tuple
        ``(line, t, i, j, k, v, q)`` with ``v`` in thousand USD and ``q`` in
        tonnes (None when not available).
    """
    path = Path(path)
    name = relative(path)
    log = log if log is not None else trade.ProblemLog(name)
    keep_j = None if importers is None else {str(int(c)) for c in importers}
    prefixes = None if hs is None else tuple(str(c) for c in hs)
    with _open_text(path, name) as handle:
        reader = csv.reader(handle)
        try:
            header = [h.strip() for h in next(reader)]
        except StopIteration:
            log.add(None, None, None, "file:empty", "file is empty")
            return
        except UnicodeDecodeError as exc:
            log.add(1, None, None, "encoding", f"not UTF-8: {exc}")
            return
        missing = [c for c in REQUIRED if c not in header]
        if missing or len(header) != len(set(header)):
            log.add(
                1,
                None,
                ",".join(header)[:60],
                "header:schema",
                f"a BACI file needs the columns t,i,j,k,v,q once each; missing {missing}",
            )
            return
        pos = {c: header.index(c) for c in REQUIRED}
        width = len(header)
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except UnicodeDecodeError as exc:
                log.add(reader.line_num + 1, None, None, "encoding", f"not UTF-8: {exc}")
                break
            n = reader.line_num
            if len(row) != width:
                if row:
                    log.add(n, None, ",".join(row)[:60], "row:ragged", f"expected {width} cells, found {len(row)}")
                continue
            t, i, j, k, v, q = (row[pos[c]].strip() for c in REQUIRED)
            bad = False
            if not (_DIGITS.match(t) and len(t) == 4):
                log.add(n, "t", t, "type:year", "expected a 4-digit year")
                bad = True
            for col, code in (("i", i), ("j", j)):
                if not _DIGITS.match(code):
                    log.add(n, col, code, "country:code", "expected a numeric BACI country code")
                    bad = True
            if not _DIGITS.match(k):
                log.add(n, "k", k, "hs:digits", "expected a 6-digit HS code kept as text")
                bad = True
            elif len(k) != 6:
                log.add(
                    n,
                    "k",
                    k,
                    "hs:leading-zeros" if len(k) == 5 else "hs:digits",
                    f"{len(k)} digits; expected 6 (a code read as a number loses its leading zero: {k.zfill(6)!r})",
                )
                bad = True
            if not _NUMBER.match(v):
                log.add(n, "v", v, "type:number", "expected a number (thousand USD)")
                bad = True
            elif float(v) <= 0:
                log.add(
                    n,
                    "v",
                    v,
                    "amount>0",
                    "BACI records only strictly positive flows; a value <= 0 means a corrupt or different file",
                )
                bad = True
            qty = None
            if q not in ("", "NA"):
                if not _NUMBER.match(q):
                    log.add(n, "q", q, "type:number", "expected a number (tonnes) or NA")
                    bad = True
                elif float(q) < 0:
                    log.add(n, "q", q, "amount>=0", "negative quantity")
                    bad = True
                else:
                    qty = float(q)
            if not bad and i == j and i.isdigit():
                log.add(n, "i,j", f"{i},{j}", "self-trade", "exporter equals importer")
                bad = True
            if bad:
                continue
            j_key = str(int(j))
            if keep_j is not None and j_key not in keep_j:
                continue
            if prefixes is not None and not k.startswith(prefixes):
                continue
            yield n, int(t), str(int(i)), j_key, k, float(v), qty


def read_baci(
    path: Path,
    *,
    country_codes: pd.DataFrame | None = None,
    importer: str | None = "JPN",
    hs: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Read, validate and filter a BACI file into the normalised trade table.

    Parameters
    ----------
    path : pathlib.Path
        The BACI CSV.
    country_codes : pandas.DataFrame, optional
        From :func:`read_country_codes`; when given, partners get ISO alpha-3
        codes and aggregates are flagged, and ``importer`` may be ISO alpha-3.
    importer : str or None
        Importer to keep (ISO alpha-3 with ``country_codes``, else the BACI
        numeric code); None keeps all importers.
    hs : iterable of str, optional
        HS codes or prefixes to keep.

    Returns
    -------
    pandas.DataFrame
        Normalised trade table: ``reporter`` = importer, ``partner`` =
        exporter code, ``value`` in thousand USD, ``quantity`` in tonnes.

    Raises
    ------
    DataValidationError
        Every problem in the file (all rows are checked, kept or not), and
        duplicate (t, i, j, k) keys among the kept rows.
    """
    path = Path(path)
    name = relative(path)
    log = trade.ProblemLog(name)
    iso = {} if country_codes is None else dict(zip(country_codes["code"], country_codes["iso3"]))
    cname = {} if country_codes is None else dict(zip(country_codes["code"], country_codes["name"]))
    agg = {} if country_codes is None else dict(zip(country_codes["code"], country_codes["is_aggregate"]))
    importers = None
    if importer is not None:
        if country_codes is not None and not importer.isdigit():
            importers = [c for c, i3 in iso.items() if i3 == importer]
            if not importers:
                raise DataValidationError(
                    [
                        Problem(
                            relative(Path(path)),
                            None,
                            "j",
                            importer,
                            "importer:unknown",
                            "importer not in the country code table",
                        )
                    ]
                )
        else:
            importers = [importer]
    records, seen = [], {}
    for n, t, i, j, k, v, q in iter_baci(path, importers=importers, hs=hs, log=log):
        key = (t, i, j, k)
        if key in seen:
            log.add(
                n,
                "t,i,j,k",
                ",".join(map(str, key)),
                "primary-key:duplicate",
                f"the same year, exporter, importer and product also on line {seen[key]}",
            )
            continue
        seen[key] = n
        records.append(
            {
                "source": "baci",
                "reporter": iso.get(j) or j,
                "flow": "import",
                "year": t,
                "hs": k,
                "hs6": k,
                "partner": i,
                "partner_iso3": None if agg.get(i) else iso.get(i),
                "partner_name": cname.get(i),
                "partner_is_aggregate": bool(agg.get(i, False)),
                "value": v,
                "value_unit": VALUE_UNIT,
                "quantity": q,
                "quantity_unit": "t" if q is not None else None,
            }
        )
    if log.total:
        raise DataValidationError(log.result())
    frame = trade.to_frame(records)
    frame.attrs.update(source=f"CEPII BACI [{name}]", path=name)
    return frame
