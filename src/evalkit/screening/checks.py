"""What the screen checks in its inputs before it runs, and how it reports what it finds.

A BACI panel's rows must be whole flows: a year, two country codes, an HS6
code and a value in thousand USD that is finite and not negative (BACI lists
traded flows: every one of the 1,264,888 rows of the fetched extract has
v >= 0.001), and, where the file has a
quantity ``q``, a quantity in tonnes that is finite and not negative, or
missing. A row that breaks a rule would otherwise pass into the sums
unnoticed or unexplained: a negative value makes a world-export HHI above
1, a missing value silently drops its row, a NaN is dropped on Spark (where
ibis counts NaN as null) but stops DuckDB with an error naming no row, a
seven-digit code (an HS8 line, say) passes as a product of its own.

The checks are folded into the one aggregate query (:func:`probe`) that the
screen already ran over the whole panel for its year range and importer, as
counts, minima and maxima (a breach shows as a count short of the rows, a
minimum below 0, a maximum that is not finite, a NaN counted), so a valid
panel is still read by one query before the screen itself. On a CSV that
query read every row anyway; on Parquet it used to be answered from the
files' statistics, and now reads the checked columns once (see the README
for what that costs). Only when it shows a breach does :func:`locate` read
the panel again to name each problem's file, line (CSV, header = line 1) or
row (Parquet, 1-based in file order), column and value; nothing is written.

Caveats that leave the result computable but that a reader must know (years
without rows, an HS map in another HS revision than the panel, ...) are
:class:`ScreenWarning` objects whose text exists in Japanese and English.
"""

from __future__ import annotations

import csv
import gzip
import math
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from evalkit.errors import Problem
from evalkit.paths import relative

#: The largest finite double. ``abs(x) > DBL_MAX`` holds for an infinite x and, on DuckDB and Spark alike
#: (both order NaN above every number), for NaN: ibis' own ``isinf`` compiles to FALSE on PySpark.
DBL_MAX = sys.float_info.max
#: HS6 codes as integers: a code written without its leading zero (10121 for 010121) has five digits.
HS6_MIN, HS6_MAX = 10_000, 999_999
#: Problems listed before the rest are only counted.
MAX_LISTED = 200
_NULL_TEXT = ("", "NA")

#: rule -> (column, what was expected). The order is the order problems of one row are listed in.
RULES: dict[str, tuple[str, str]] = {
    "t:missing": ("t", "the year is missing"),
    "i:missing": ("i", "the exporter code is missing"),
    "j:missing": ("j", "the importer code is missing"),
    "k:missing": ("k", "the HS6 code is missing"),
    "k:digits": ("k", "expected a 6-digit HS code, e.g. '010121' (5 digits when the leading zero was lost)"),
    "v:missing": ("v", "the value is missing; BACI gives a value (thousand USD) for every flow"),
    "v:not-finite": ("v", "expected a finite value in thousand USD, not NaN or infinity"),
    "v:negative": ("v", "expected a value >= 0 in thousand USD; BACI stores only positive flows"),
    "q:unreadable": ("q", "expected a quantity in tonnes, or NA"),
    "q:not-finite": ("q", "expected a finite quantity in tonnes (or NA), not NaN or infinity"),
    "q:negative": ("q", "expected a quantity >= 0 tonnes (or NA)"),
}


class ScreenWarning(UserWarning):
    """A caveat of a screen that ran: the result stands, but must be read with this in mind.

    Parameters
    ----------
    code : str
        Which caveat (``years_outside_panel``, ``hs_map_revision``, ...); its
        text is ``screen_warning:<code>`` in ``translations.yaml``.
    **params
        Values the text names (years, codes, revisions).
    """

    def __init__(self, code: str, params: dict | None = None, **more):
        self.code = code
        self.params = {k: str(v) for k, v in {**(params or {}), **more}.items()}
        # args are (code, params) so that ``ScreenWarning(*w.args)`` rebuilds it, as pytest-xdist does
        # when it carries a warning from a worker to the controller.
        super().__init__(self.code, self.params)

    def __str__(self) -> str:
        return self.text("en")

    def __reduce__(self):
        # pandas deep-copies a frame's attrs on every operation; rebuild from the code and the values.
        return (_rebuild, (self.code, self.params))

    def text(self, lang: str = "en") -> str:
        """The caveat in ``lang`` ('ja' or 'en')."""
        from evalkit.i18n import t

        return t(f"screen_warning:{self.code}", lang, **self.params)


def _rebuild(code: str, params: dict) -> ScreenWarning:
    return ScreenWarning(code, **params)


def years_text(years) -> str:
    """Years as short ranges: ``1995-1997, 2001``."""
    years = sorted({int(y) for y in years})
    runs: list[list[int]] = []
    for y in years:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else f"{r[0]}" for r in runs)


def _numeric(column, kind: str):
    """A column as ``kind`` (float64/int64): strings are trimmed and try-cast (unreadable -> null)."""
    if column.type().is_string():
        return column.strip().try_cast(kind)
    return column.cast(kind)


def row_rules(table) -> dict:
    """Per-row conditions of every rule of :data:`RULES` (true where a row breaks it), as ibis expressions.

    ``q`` rules apply only when the table has a ``q`` column; ``q:unreadable``
    only when it is text (BACI CSVs pad it, e.g. ``'         NA'``).
    """
    k = _numeric(table.k, "int64")
    v = table.v.cast("float64")
    v_non_finite = v.isnan().fill_null(False) | (v.abs() > DBL_MAX).fill_null(False)
    rules = {
        "t:missing": table.t.isnull(),
        "i:missing": table.i.isnull(),
        "j:missing": table.j.isnull(),
        "k:missing": table.k.isnull(),
        "k:digits": table.k.notnull() & (k.isnull() | (k < HS6_MIN) | (k > HS6_MAX)),
        "v:missing": v.isnull() & ~v.isnan().fill_null(False),
        "v:not-finite": v_non_finite,
        "v:negative": (v < 0).fill_null(False) & ~v_non_finite,
    }
    if "q" in table.columns:
        q = _numeric(table.q, "float64")
        if table.q.type().is_string():
            text = table.q.strip()
            rules["q:unreadable"] = (
                table.q.notnull() & (text != "") & (text.upper() != "NA") & q.isnull() & ~q.isnan().fill_null(False)
            )
        q_non_finite = q.isnan().fill_null(False) | (q.abs() > DBL_MAX).fill_null(False)
        rules["q:not-finite"] = q_non_finite
        rules["q:negative"] = (q < 0).fill_null(False) & ~q_non_finite
    return rules


@dataclass(frozen=True)
class Probe:
    """What one aggregate query over the whole panel found.

    Attributes
    ----------
    lo, hi : int or None
        First and last year of the panel (None: no rows).
    years_in_range : int
        Distinct panel years inside the screened range.
    has_importer : bool
        Whether the importer occurs in column ``j`` (True when screening all).
    importer_years_in_range : int or None
        Distinct years inside the range in which the importer has a row (None: all importers).
    code_lo, code_hi : int or None
        Smallest and largest country code in ``i`` and ``j``.
    self_trade : int
        Rows whose exporter is the importer (left out of the screen).
    breached : list of str
        Rules of :data:`RULES` that some row breaks (empty: every row is fine).
    """

    lo: int | None
    hi: int | None
    years_in_range: int
    has_importer: bool
    importer_years_in_range: int | None
    code_lo: int | None
    code_hi: int | None
    self_trade: int
    breached: list[str]


def _check_aggregates(table) -> dict:
    """Aggregates that reveal a breach of any rule of :data:`RULES` without testing each row against each rule.

    Counts, minima and maxima cost almost nothing next to a per-row OR of
    eleven conditions (DuckDB answers some of them from Parquet statistics).
    NaN is the exception: Parquet statistics leave it out (pyarrow writes
    them so), so it is counted row by row.
    """
    import ibis

    k = table.k.try_cast("int64") if table.k.type().is_string() else table.k.cast("int64")
    v = table.v.cast("float64")
    agg = dict(
        n=table.count(),
        t_n=table.t.count(),
        i_n=table.i.count(),
        j_n=table.j.count(),
        k_n=table.k.count(),
        k_num=k.count(),
        k_lo=k.min(),
        k_hi=k.max(),
        v_n=v.count(),
        v_lo=v.min(),
        v_hi=v.max(),
        v_nan=table.count(where=v.isnan().fill_null(False)),
    )
    if "q" in table.columns:
        if table.q.type().is_string():
            agg["q_bad"] = table.count(where=ibis.or_(*(r for n, r in row_rules(table).items() if n.startswith("q:"))))
        else:
            q = table.q.cast("float64")
            agg.update(q_lo=q.min(), q_hi=q.max(), q_nan=table.count(where=q.isnan().fill_null(False)))
    return agg


def _breached(row: dict) -> list[str]:
    """Rules of :data:`RULES` that the aggregates of :func:`_check_aggregates` show broken somewhere."""

    def not_finite(x) -> bool:
        return x is not None and not math.isfinite(x)

    out = [f"{c}:missing" for c in "tijkv" if row[f"{c}_n"] < row["n"]]
    if row["k_num"] < row["k_n"] or (row["k_lo"] is not None and (row["k_lo"] < HS6_MIN or row["k_hi"] > HS6_MAX)):
        out.append("k:digits")
    if row["v_nan"] or not_finite(row["v_lo"]) or not_finite(row["v_hi"]):
        out.append("v:not-finite")
    if row["v_lo"] is not None and row["v_lo"] < 0:
        out.append("v:negative")
    if row.get("q_bad"):
        out.append("q:unreadable")
    if row.get("q_nan") or not_finite(row.get("q_lo")) or not_finite(row.get("q_hi")):
        out.append("q:not-finite")
    if row.get("q_lo") is not None and row["q_lo"] < 0:
        out.append("q:negative")
    return out


def probe(table, importer: int | None, years: tuple[int, int]) -> Probe:
    """Years, importer, code range, self-trade and rule breaches of the panel, in one aggregate query.

    Parameters
    ----------
    table : ibis.expr.types.Table
        The panel as read (BACI columns), on DuckDB or Spark.
    importer : int or None
        BACI code of the importer screened (None: all).
    years : (int, int)
        Screened range, inclusive.
    """
    import ibis

    first, last = years
    in_range = table.t.between(first, last)
    agg = dict(
        lo=table.t.min(),
        hi=table.t.max(),
        years_in_range=table.t.nunique(where=in_range),
        code_lo=ibis.least(table.i.min(), table.j.min()),
        code_hi=ibis.greatest(table.i.max(), table.j.max()),
        self_trade=table.count(where=table.i == table.j),
        **_check_aggregates(table),
    )
    if importer is not None:
        mine = table.j == importer
        agg.update(has=mine.any(), importer_years=table.t.nunique(where=mine & in_range))
    row = table.aggregate(**agg).to_pyarrow().to_pylist()[0]
    return Probe(
        lo=row["lo"],
        hi=row["hi"],
        years_in_range=int(row["years_in_range"] or 0),
        has_importer=True if importer is None else bool(row["has"]),
        importer_years_in_range=None if importer is None else int(row["importer_years"] or 0),
        code_lo=row["code_lo"],
        code_hi=row["code_hi"],
        self_trade=int(row["self_trade"] or 0),
        breached=_breached(row),
    )


def years_present(table, importer: int | None = None) -> list[int]:
    """Distinct years of the panel (or of one importer's rows); a small query run only to name missing years."""
    rows = table if importer is None else table.filter(table.j == importer)
    return sorted(int(y) for y in rows.select(year=rows.t).distinct().to_pyarrow().column("year").to_pylist())


# --- where the problems are ------------------------------------------------------------


@dataclass
class _Listing:
    """Problems found so far: the first :data:`MAX_LISTED` kept, the rest counted."""

    items: list[Problem] = field(default_factory=list)
    total: int = 0
    more_rows: int = 0

    def add(self, problem: Problem) -> None:
        self.total += 1
        if len(self.items) < MAX_LISTED:
            self.items.append(problem)

    def result(self, where: str) -> list[Problem]:
        out = list(self.items)
        if self.total > len(out):
            out.append(
                Problem(where, None, None, None, "problems:truncated", f"{self.total - len(out)} further problem(s)")
            )
        if self.more_rows > 0:
            message = f"{self.more_rows:,} further row(s) with problems"
            out.append(Problem(where, None, None, None, "problems:truncated", message))
        return out


def locate(files, fmt: str) -> list[Problem]:
    """Every rule breach of a panel, each with its file, line or row, column and value.

    Run only after :func:`probe` counted bad rows (or the engine could not
    read a CSV): it reads the panel a second time. Parquet rows are found by
    DuckDB (``file_row_number``, 1-based in the problem); CSV lines by
    reading the file with Python's csv module, so the line is the physical
    line (header = 1) even when a field holds a line break.

    Parameters
    ----------
    files : list of pathlib.Path
        The panel's files.
    fmt : {'csv', 'parquet'}

    Returns
    -------
    list of Problem
        At most :data:`MAX_LISTED`, then one line counting the rest.
    """
    listing = _Listing()
    if fmt == "parquet":
        _locate_parquet(files, listing)
    else:
        for path in files:
            _locate_csv(Path(path), listing)
    where = relative(files[0]) + ("" if len(files) == 1 else " (and others)")
    return listing.result(where)


def _locate_parquet(files, listing: _Listing) -> None:
    import ibis

    con = ibis.duckdb.connect()
    # DuckDB 2.0 prunes row groups by their Parquet min/max, which pyarrow writes without NaN: `WHERE isnan(v)`
    # then finds no row although one is NaN. This connection only runs the query below, so switch that off.
    con.raw_sql("SET disabled_optimizers = 'filter_pushdown,statistics_propagation'")
    table = con.read_parquet([str(f) for f in files], filename=True, file_row_number=True)
    rules = row_rules(table)
    columns = [c for c in ("t", "i", "j", "k", "v", "q") if c in table.columns]
    hits = table.filter(ibis.or_(*rules.values()))
    hits = hits.select(
        "filename", "file_row_number", *[hits[c].cast("string").name(c) for c in columns], **rules
    ).order_by(["filename", "file_row_number"])
    rows = hits.limit(MAX_LISTED).to_pyarrow().to_pylist()
    names = {str(Path(f).resolve()): relative(f) for f in files}
    for row in rows:
        file = names.get(str(Path(row["filename"]).resolve()), row["filename"])
        number = int(row["file_row_number"]) + 1
        for rule, (column, message) in RULES.items():
            if row.get(rule):
                shown = _shown(row[column])
                listing.add(Problem(file, number, column, shown, rule, f"{message} (row {number} of the file)"))
    if len(rows) == MAX_LISTED:
        listing.more_rows = int(hits.count().to_pyarrow().as_py()) - MAX_LISTED


def _shown(value) -> str:
    return "null" if value is None else str(value)


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _csv_row(row: dict[str, str]) -> list[tuple[str, str]]:
    """(rule, raw value) of every rule a CSV row breaks; the same rules as :func:`row_rules`, on text.

    Empty and ``NA`` cells are missing, as the engines read them.
    """
    out = []
    for col in ("t", "i", "j"):
        text = row[col].strip()
        if text in _NULL_TEXT:
            out.append((f"{col}:missing", row[col]))
        elif not re.fullmatch(r"[+-]?\d+", text):
            out.append((f"{col}:unreadable", row[col]))
    k = row["k"].strip()
    if k in _NULL_TEXT:
        out.append(("k:missing", row["k"]))
    elif not (k.isdigit() and HS6_MIN <= int(k) <= HS6_MAX):
        out.append(("k:digits", row["k"]))
    v_text = row["v"].strip()
    v = _number(v_text)
    if v_text in _NULL_TEXT:
        out.append(("v:missing", row["v"]))
    elif v is None:
        out.append(("v:unreadable", row["v"]))
    elif not math.isfinite(v):
        out.append(("v:not-finite", row["v"]))
    elif v < 0:
        out.append(("v:negative", row["v"]))
    if "q" in row and row["q"] is not None:
        q_text = row["q"].strip()
        if q_text.upper() not in _NULL_TEXT:
            q = _number(q_text)
            if q is None:
                out.append(("q:unreadable", row["q"]))
            elif not math.isfinite(q):
                out.append(("q:not-finite", row["q"]))
            elif q < 0:
                out.append(("q:negative", row["q"]))
    return out


_UNREADABLE = {
    "t:unreadable": ("t", "expected a four-digit year"),
    "i:unreadable": ("i", "expected a numeric BACI country code"),
    "j:unreadable": ("j", "expected a numeric BACI country code"),
    "v:unreadable": ("v", "expected a number (thousand USD)"),
}


def _locate_csv(path: Path, listing: _Listing) -> None:
    name = relative(path)
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = [h.strip() for h in next(reader, [])]
        index = {c: header.index(c) for c in ("t", "i", "j", "k", "v", "q") if c in header}
        for cells in reader:
            if not cells:
                continue
            line = reader.line_num
            if len(cells) != len(header):
                listing.add(
                    Problem(name, line, None, ",".join(cells)[:60], "row:ragged", f"expected {len(header)} cells")
                )
                continue
            row = {c: cells[n] for c, n in index.items()}
            for rule, value in _csv_row(row):
                column, message = RULES.get(rule) or _UNREADABLE[rule]
                listing.add(Problem(name, line, column, value, rule, message))
            if listing.total >= 10 * MAX_LISTED:
                return


# --- the HS map ------------------------------------------------------------


def hs_map_problems(frame: pd.DataFrame, name: str, *, from_file: bool) -> list[Problem]:
    """Rows of an HS map that cannot mark a designated product.

    An ``hs6`` must be six digits written as text; it may be empty (an item
    no HS6 code isolates, e.g. ``no_hs_equivalent`` rows of
    ``data/reference/hs_map.csv``). A row with a code needs a ``product``.

    Parameters
    ----------
    frame : pandas.DataFrame
        The map, read as text.
    name : str
        File name shown in problems.
    from_file : bool
        Lines are counted with the header as line 1 (a CSV); otherwise the
        problem names the frame's row position.
    """
    out = []
    for pos, (product, hs6) in enumerate(zip(frame["product"], frame["hs6"])):
        line = pos + 2 if from_file else pos + 1
        code = "" if hs6 is None or (isinstance(hs6, float) and math.isnan(hs6)) else str(hs6).strip()
        slug = "" if product is None or (isinstance(product, float) and math.isnan(product)) else str(product).strip()
        if code and not re.fullmatch(r"\d{6}", code):
            rule = "hs:leading-zeros" if re.fullmatch(r"\d{5}", code) else "hs:digits"
            out.append(
                Problem(name, line, "hs6", code, rule, "expected a 6-digit HS code kept as text (e.g. '010121')")
            )
        elif code and not slug:
            out.append(Problem(name, line, "product", slug, "product:missing", "a row with an HS code needs a product"))
    return out


_REVISION = re.compile(r"HS\s*(\d{4}|\d{2})(?!\d)", re.I)


def hs_revision(text: str | None) -> str | None:
    """``HS1992`` ... ``HS2022`` from text naming a revision (``HS92``, ``HS 2022``, ``BACI_HS17_...``); else None."""
    m = _REVISION.search(str(text or ""))
    if not m:
        return None
    year = int(m.group(1))
    if year < 100:
        year += 1900 if year >= 88 else 2000
    return f"HS{year}"
