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
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from evalkit.data import trade
from evalkit.errors import DataValidationError, MissingInputError, Problem, UsageError
from evalkit.paths import relative

REQUIRED = ("t", "i", "j", "k", "v", "q")
VALUE_UNIT = "USD thousand"
_DIGITS = re.compile(r"^\d+$")
_ISO3 = re.compile(r"^[A-Z]{3}$")
_NUMBER = re.compile(r"^-?\d+(\.\d*)?([eE][-+]?\d+)?$")
_AGGREGATE = re.compile(r"\bnes\b|n\.e\.s|\bworld\b|free zones|bunkers|special categories", re.I)
TAIWAN_CODE = "490"
#: BACI numeric codes of economies often compared, for panels that ship without the release's
#: ``country_codes_*.csv`` (synthetic test panels, hand-cut slices). From BACI's country_codes file;
#: France 251 and the USA 842 differ from ISO 3166 numeric. Other ISO3 codes need the code list.
WELL_KNOWN = {
    "JPN": 392,
    "USA": 842,
    "DEU": 276,
    "CHN": 156,
    "KOR": 410,
    "FRA": 251,
    "GBR": 826,
    "ITA": 381,
    "CAN": 124,
    "TWN": 490,
    "IND": 699,
}
#: The one non-HS code of CEPII's product lists (goods not specified according to kind).
LEGACY_CODE = "9999AA"


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

    CEPII's lists end with one code that is not an HS code, ``9999AA`` ("Commodities not specified according to
    kind **LEGACY NON-WCO CODE**"); it is kept as it is (:data:`LEGACY_CODE`).

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
            if not (_DIGITS.match(code) and len(code) == 6) and code != LEGACY_CODE:
                rule = "hs:leading-zeros" if _DIGITS.match(code) and len(code) == 5 else "hs:digits"
                log.add(n, "code", code, rule, "expected a 6-digit HS code kept as text (e.g. '010121')")
                continue
            out.append({"code": code, "description": row[1]})
    if log.total:
        raise DataValidationError(log.result())
    frame = pd.DataFrame(out, columns=["code", "description"])
    frame.attrs["source"] = f"CEPII BACI product codes [{name}]"
    return frame


def resolve_country(code: str, country_codes: pd.DataFrame | None, role: str = "country") -> list[str]:
    """BACI numeric code(s) of ``code``: an ISO alpha-3 code in any case, or a BACI numeric code.

    Parameters
    ----------
    code : str
        ``JPN``, ``jpn`` or ``392``.
    country_codes : pandas.DataFrame or None
        From :func:`read_country_codes` (its ``attrs["source"]`` names the
        file); without it numeric codes and the ISO3 codes of :data:`WELL_KNOWN` can be used.
    role : str
        What the code stands for in messages (``country``, ``importer``).

    Returns
    -------
    list of str
        The numeric codes (one, unless the code list gives one ISO code to
        several BACI codes).

    Raises
    ------
    UsageError
        The code is neither in the code list nor numeric (exit 2); the
        message names the code, the valid ISO3 codes and where they are listed.
    """
    text = str(code).strip()
    where = country_codes.attrs.get("source", "the BACI country_codes file") if country_codes is not None else None
    if country_codes is not None:
        valid = ", ".join(sorted({c for c in country_codes["iso3"].dropna().astype(str) if _ISO3.match(c)}))
    else:
        valid = ", ".join(sorted(WELL_KNOWN))
    if text.isdigit():
        numeric = str(int(text))
        if country_codes is None or numeric in set(country_codes["code"]):
            return [numeric]
        raise UsageError(
            f"{role} {code!r}: no BACI country has this numeric code; the valid codes are in {where} (ISO3: {valid})"
        )
    if country_codes is None:
        if text.upper() in WELL_KNOWN:
            return [str(WELL_KNOWN[text.upper()])]
        raise UsageError(
            f"{role} {code!r}: an ISO alpha-3 code other than {valid} needs BACI's country_codes_*.csv beside "
            "the file; give the BACI numeric code (e.g. 392 for Japan) or put the code list beside the file"
        )
    iso = country_codes["iso3"].fillna("").str.upper()
    found = country_codes.loc[iso == text.upper(), "code"].tolist()
    if not found:
        raise UsageError(
            f"{role} {code!r}: not an ISO alpha-3 code (any case) or numeric code of a BACI country; the valid "
            f"codes are in {where}: {valid}"
        )
    return found


def resolve_importer(code: str | int, country_codes: pd.DataFrame | None, *, allow_all: bool = False):
    """One importer as its BACI numeric code and ISO alpha-3: the resolver every command uses.

    Parameters
    ----------
    code : str or int
        ``JPN``, ``jpn``, ``392`` (or ``all`` when ``allow_all``).
    country_codes : pandas.DataFrame or None
        From :func:`read_country_codes` or :func:`codes_beside`; without it, numeric codes and the ISO3
        codes of :data:`WELL_KNOWN` are accepted.
    allow_all : bool
        Whether ``all`` (every importer) is a valid answer.

    Returns
    -------
    (int or None, str)
        The BACI code (``None`` for ``all``) and the ISO3 code (the numeric text when the code list gives none).

    Raises
    ------
    UsageError
        Unknown code (exit 2), naming the code and where the valid codes are listed.
    """
    text = str(code).strip()
    if allow_all and text.lower() == "all":
        return None, "all"
    numeric = int(resolve_country(text, country_codes, role="importer")[0])
    if country_codes is not None:
        iso = dict(zip(country_codes["code"], country_codes["iso3"])).get(str(numeric))
    else:
        iso = {v: k for k, v in WELL_KNOWN.items()}.get(numeric)
    return numeric, (iso or (text.upper() if text.isalpha() else str(numeric)))


def _codes_file(folder: Path) -> Path | None:
    found = sorted(folder.glob("*country_codes*.csv"))
    return found[-1] if found else None


def codes_beside(path: str | Path) -> pd.DataFrame | None:
    """The release's country codes beside a BACI file or in a BACI folder (newest release), or ``None``.

    Read by :func:`read_country_codes`, so a bad code list is the same error wherever it is met.
    """
    p = Path(path)
    found = _codes_file(p if p.is_dir() else p.parent)
    return read_country_codes(found) if found else None


#: A yearly file of a CEPII BACI release, e.g. ``BACI_HS92_Y2022_V202401b.csv``.
BACI_FILE = re.compile(r"^BACI_HS(\d{2})_Y(\d{4})_V(\w+)\.csv$", re.I)
_PRODUCT_CODES = re.compile(r"^product_codes_HS(\d{2})_", re.I)


@dataclass(frozen=True)
class Panel:
    """The files of a BACI panel: one CSV or Parquet file, or a folder of yearly CSVs (or Parquet files).

    Attributes
    ----------
    path : pathlib.Path
        What the user gave.
    files : list of pathlib.Path
        The data files, in year order for yearly files.
    fmt : {"csv", "parquet"}
    country_codes : pathlib.Path or None
        ``country_codes_*.csv`` beside the files (the newest release when several).
    revision : str or None
        ``HS92`` ... ``HS22`` from the file names or the ``product_codes_HSxx`` file beside; None when
        nothing states it.
    """

    path: Path
    files: list[Path]
    fmt: str
    country_codes: Path | None
    revision: str | None

    @property
    def name(self) -> str:
        """The panel as shown in messages and captions."""
        if len(self.files) == 1:
            return relative(self.files[0])
        return f"{relative(self.path)} ({len(self.files)} files: {self.files[0].name} ... {self.files[-1].name})"


def panel(path: str | Path) -> Panel:
    """Find the files of a BACI panel and the code list and HS revision that go with them.

    Parameters
    ----------
    path : str or pathlib.Path
        A BACI CSV, a Parquet file with BACI's columns, or a folder holding one
        ``BACI_HSxx_Yyyyy_V*.csv`` per year (or Parquet files) with
        ``country_codes_*.csv`` beside them.

    Raises
    ------
    MissingInputError
        The path does not exist, or the folder holds no BACI file (exit 66).
    DataValidationError
        The folder mixes HS revisions or holds a year twice (exit 65).
    """
    p = Path(path)
    if not p.exists():
        raise MissingInputError(f"{path}: BACI file or folder not found")
    folder = p if p.is_dir() else p.parent
    if p.is_dir():
        yearly = sorted(f for f in p.iterdir() if f.is_file() and BACI_FILE.match(f.name))
        files = yearly or sorted(f for f in p.iterdir() if f.is_file() and f.suffix == ".parquet")
        if not files:
            raise MissingInputError(
                f"{relative(p)}: no BACI_HSxx_Yyyyy_V*.csv (one per year) or .parquet file in this folder"
            )
    else:
        yearly = [p] if BACI_FILE.match(p.name) else []
        files = [p]
    fmt = "parquet" if files[0].suffix == ".parquet" else "csv"
    problems = []
    revisions = {BACI_FILE.match(f.name).group(1) for f in yearly}
    if len(revisions) > 1:
        problems.append(
            Problem(
                relative(p), None, None, ",".join(sorted(revisions)), "panel:revision", "the folder mixes HS revisions"
            )
        )
    first: dict[str, Path] = {}
    for f in yearly:
        year = BACI_FILE.match(f.name).group(2)
        if year in first:
            problems.append(
                Problem(
                    relative(f),
                    None,
                    None,
                    year,
                    "panel:year-twice",
                    f"year {year} is also in {first[year].name}: keep one release per year",
                )
            )
        else:
            first[year] = f
    if problems:
        raise DataValidationError(problems)
    codes = _codes_file(folder)
    if revisions:
        revision = "HS" + revisions.pop()
    else:
        stated = sorted(
            {m.group(1) for f in folder.glob("product_codes_HS*.csv") if (m := _PRODUCT_CODES.match(f.name))}
        )
        revision = "HS" + stated[0] if len(stated) == 1 else None
    return Panel(p, files, fmt, codes, revision)


def read_panel(
    path: str | Path,
    *,
    importer: str | None = "JPN",
    involving: str | None = None,
    hs: Iterable[str] | None = None,
    country_codes: Path | None = None,
) -> pd.DataFrame:
    """Read a BACI panel (:func:`panel`) into the normalised trade table, file by file.

    CSV files are validated row by row as they stream (:func:`read_baci`);
    Parquet files are filtered by DuckDB and must have BACI's columns.

    Parameters
    ----------
    path : str or pathlib.Path
        File or folder (see :func:`panel`).
    importer, involving, hs
        As for :func:`read_baci`.
    country_codes : pathlib.Path, optional
        Code list; default the one beside the files.

    Returns
    -------
    pandas.DataFrame
        The normalised table; ``attrs`` carry ``source``, ``path`` and ``hs_revision``.
    """
    found = panel(path)
    codes_file = country_codes or found.country_codes
    codes = read_country_codes(codes_file) if codes_file else None
    if found.fmt == "csv":
        parts = [read_baci(f, country_codes=codes, importer=importer, hs=hs, involving=involving) for f in found.files]
        frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    else:
        frame = _read_parquet(found.files, codes, importer=importer, involving=involving, hs=hs)
    frame.attrs.update(source=f"CEPII BACI [{found.name}]", path=found.name, hs_revision=found.revision)
    return frame


def _read_parquet(files, codes, *, importer, involving, hs) -> pd.DataFrame:
    import duckdb

    where = []
    if hs:
        prefixes = [str(c).strip() for c in hs]
        bad = [c for c in prefixes if not (c.isdigit() and 2 <= len(c) <= 6)]
        if bad:
            raise UsageError(f"HS codes {bad}: expected HS codes or prefixes of 2 to 6 digits")
        where.append("(" + " OR ".join(f"starts_with(k, '{c}')" for c in prefixes) + ")")
    if importer is not None:
        where.append(f"j IN ({', '.join(resolve_country(importer, codes))})")
    if involving is not None:
        both = ", ".join(resolve_country(involving, codes))
        where.append(f"(j IN ({both}) OR i IN ({both}))")
    sources = ", ".join(f"'{f}'" for f in files)
    con = duckdb.connect()
    try:
        cols = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet([{sources}])").fetchall()]
        missing = [c for c in REQUIRED if c not in cols]
        if missing:
            raise DataValidationError(
                [
                    Problem(
                        relative(files[0]),
                        None,
                        ",".join(missing),
                        ",".join(cols),
                        "header:schema",
                        "a BACI panel needs the columns t,i,j,k,v,q",
                    )
                ]
            )
        rows = con.execute(
            f"SELECT t, i, j, k, v, q FROM read_parquet([{sources}])"
            + (f" WHERE {' AND '.join(where)}" if where else "")
            + " ORDER BY t, j, i, k"
        ).df()
    finally:
        con.close()
    iso = {} if codes is None else dict(zip(codes["code"], codes["iso3"]))
    cname = {} if codes is None else dict(zip(codes["code"], codes["name"]))
    agg = {} if codes is None else dict(zip(codes["code"], codes["is_aggregate"]))
    i = rows["i"].astype(int).astype(str)
    j = rows["j"].astype(int).astype(str)
    q = pd.to_numeric(rows["q"], errors="coerce")
    records = pd.DataFrame(
        {
            "source": "baci",
            "reporter": [iso.get(c) or c for c in j],
            "flow": "import",
            "year": rows["t"].astype(int),
            "hs": rows["k"].astype(str),
            "hs6": rows["k"].astype(str),
            "partner": i,
            "partner_iso3": [None if agg.get(c) else iso.get(c) for c in i],
            "partner_name": [cname.get(c) for c in i],
            "partner_is_aggregate": [bool(agg.get(c, False)) for c in i],
            "value": rows["v"].astype(float),
            "value_unit": VALUE_UNIT,
            "quantity": q,
            "quantity_unit": ["t" if pd.notna(x) else None for x in q],
        }
    )
    return trade.to_frame(records.to_dict("records"))


def iter_baci(
    path: Path,
    *,
    importers: Iterable[str] | None = None,
    hs: Iterable[str] | None = None,
    log: trade.ProblemLog | None = None,
    involving: Iterable[str] | None = None,
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
    involving : iterable of str, optional
        BACI numeric codes: keep a row when its exporter *or* importer is one
        of them (a country's imports and exports in one pass); all when None.

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
    keep_ij = None if involving is None else {str(int(c)) for c in involving}
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
            if keep_ij is not None and j_key not in keep_ij and str(int(i)) not in keep_ij:
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
    involving: str | None = None,
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
        Importer to keep: ISO alpha-3 in any case (with ``country_codes``) or
        the BACI numeric code (see :func:`resolve_country`); None keeps all
        importers.
    hs : iterable of str, optional
        HS codes or prefixes to keep.
    involving : str, optional
        Keep the rows of this country as importer *or* exporter (same forms
        as ``importer``; use it instead of ``importer``).

    Returns
    -------
    pandas.DataFrame
        Normalised trade table: ``reporter`` = importer, ``partner`` =
        exporter code, ``value`` in thousand USD, ``quantity`` in tonnes.

    Raises
    ------
    UsageError
        ``importer`` or ``involving`` is not a country of the code list (exit 2).
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
    importers = None if importer is None else resolve_country(importer, country_codes)
    both = None if involving is None else resolve_country(involving, country_codes)
    records, seen = [], {}
    for n, t, i, j, k, v, q in iter_baci(path, importers=importers, hs=hs, log=log, involving=both):
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
