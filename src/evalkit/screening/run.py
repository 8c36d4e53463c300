"""Run the screen on a BACI panel: check the inputs, execute, return or write the result.

:func:`screen` is the one entry point the CLI and the notebook use. It checks
the panel's header, the year range and the importer before running anything,
then executes the engine-neutral expression on DuckDB or Spark, and either
returns a pandas table (one importer) or streams the result to a Parquet or
CSV file (``--importer all`` on a full BACI release is tens of millions of
rows).
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from evalkit.errors import DataValidationError, MissingInputError, Problem, UsageError
from evalkit.paths import relative
from evalkit.screening.criteria import CODE_SPAN, OUTPUT_SCHEMA, Thresholds, screen_expr
from evalkit.screening.engine import connect, panel_files, read_panel

#: BACI's numeric codes of a few economies often compared (BACI country_codes file;
#: France 251 and the USA 842 differ from ISO 3166 numeric). Other ISO3 codes need the
#: release's country_codes_*.csv beside the panel.
BACI_CODES = {
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

SOURCE = "CEPII BACI (Gaulier & Zignago 2010), screened by evalkit with the EC 2021 / CEPII GeoDep criteria; derived"


class Progress:
    """Stage messages on stderr: one rewritten line on a terminal, plain lines otherwise.

    Parameters
    ----------
    enabled : bool
        Whether to print at all.
    stream : file-like, optional
        Where to write (default ``sys.stderr``).
    """

    def __init__(self, enabled: bool = True, stream=None):
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.start = time.monotonic()

    def __call__(self, message: str) -> None:
        """Print ``message`` with the seconds elapsed since the start."""
        if not self.enabled:
            return
        line = f"[{time.monotonic() - self.start:7.1f}s] {message}"
        if self.tty:
            self.stream.write("\r\033[K" + line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def done(self, message: str) -> None:
        """Final message (ends the rewritten line on a terminal)."""
        self(message)
        if self.enabled and self.tty:
            self.stream.write("\n")
            self.stream.flush()


def parse_years(text: str) -> tuple[int, int]:
    """Parse ``A-B`` (or a single year ``A``) into an inclusive range.

    Raises
    ------
    UsageError
        Not ``YYYY-YYYY``, or the first year is after the last.
    """
    m = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", str(text))
    if not m:
        raise UsageError(f"years {text!r}: expected A-B with four-digit years, e.g. 2019-2022")
    first, last = int(m.group(1)), int(m.group(2) or m.group(1))
    if first > last:
        raise UsageError(f"years {text!r}: the first year {first} is after the last year {last}")
    return first, last


def _country_codes(files: list[Path]) -> dict[str, int]:
    folder = files[0].parent
    found = sorted(folder.glob("country_codes*.csv"))
    if not found:
        return {}
    codes = pd.read_csv(found[-1], dtype=str, keep_default_na=False)
    if {"country_code", "country_iso3"} <= set(codes.columns):
        return {
            iso.strip().upper(): int(code)
            for code, iso in zip(codes["country_code"], codes["country_iso3"])
            if code.strip().isdigit() and iso.strip()
        }
    return {}


def resolve_importer(code: str, files: list[Path]) -> int | None:
    """``all`` → ``None``; a BACI numeric code → int; an ISO3 code → its BACI code.

    ISO3 codes are looked up in the release's ``country_codes_*.csv`` beside
    the panel, else in :data:`BACI_CODES`.

    Raises
    ------
    UsageError
        The code is neither numeric, ``all`` nor a known ISO3 code.
    """
    text = str(code).strip()
    if text.lower() == "all":
        return None
    if text.isdigit():
        return int(text)
    table = _country_codes(files) or BACI_CODES
    iso = text.upper()
    if re.fullmatch(r"[A-Z]{3}", iso) and iso in table:
        return table[iso]
    raise UsageError(
        f"importer {code!r}: expected 'all', a BACI numeric country code (e.g. 392) or an ISO3 code "
        f"known from the release's country_codes_*.csv (none found beside the panel; built-in: "
        f"{', '.join(sorted(BACI_CODES))})"
    )


def _load_hs_map(hs_map) -> pd.DataFrame | None:
    if hs_map is None or isinstance(hs_map, pd.DataFrame):
        frame = hs_map
    else:
        path = Path(hs_map)
        if not path.is_file():
            raise MissingInputError(f"{hs_map}: HS map not found")
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    if frame is None:
        return None
    missing = [c for c in ("product", "hs6") if c not in frame.columns]
    if missing:
        raise DataValidationError(
            [
                Problem(
                    str(hs_map) if not isinstance(hs_map, pd.DataFrame) else "<hs_map>",
                    1,
                    ",".join(missing),
                    None,
                    "columns:missing",
                    "the HS map needs columns product and hs6",
                )
            ]
        )
    return frame


def _read_errors() -> tuple[type[BaseException], ...]:
    """Engine exceptions that mean the panel's content could not be read (bad values, damaged file)."""
    import duckdb

    errors: list[type[BaseException]] = [duckdb.ConversionException, duckdb.InvalidInputException, duckdb.IOException]
    try:
        from py4j.protocol import Py4JJavaError
        from pyspark.errors import PySparkException

        errors += [PySparkException, Py4JJavaError]
    except ImportError:  # pragma: no cover - Spark is optional
        pass
    return tuple(errors)


def _engine_error(exc: Exception, files) -> DataValidationError:
    text = str(exc).strip().splitlines()
    message = text[0] if text else type(exc).__name__
    for line in text[1:6]:
        if "line" in line.lower() or "column" in line.lower():
            message += " | " + line.strip()
    return DataValidationError(
        [
            Problem(
                relative(files.files[0]) + ("" if len(files.files) == 1 else " (and others)"),
                None,
                None,
                None,
                "panel:read",
                f"the engine could not read the panel: {message[:400]}",
            )
        ]
    )


def _probe(con, table, importer: int | None) -> tuple[int | None, int | None, bool]:
    """Min year, max year and whether the importer occurs (one small query)."""
    import ibis

    has = (table.j == importer).any() if importer is not None else ibis.literal(True)
    row = (
        table.aggregate(
            lo=table.t.min(),
            hi=table.t.max(),
            has=has,
            code_lo=ibis.least(table.i.min(), table.j.min()),
            code_hi=ibis.greatest(table.i.max(), table.j.max()),
        )
        .to_pyarrow()
        .to_pylist()[0]
    )
    return row["lo"], row["hi"], bool(row["has"]), row["code_lo"], row["code_hi"]


def screen(
    baci: str | os.PathLike,
    *,
    importer: str | int = "JPN",
    years: str | tuple[int, int] = "2019-2022",
    thresholds: Thresholds | None = None,
    hs_map=None,
    demand: pd.DataFrame | None = None,
    engine: str = "duckdb",
    out: str | os.PathLike | None = None,
    progress: Callable[[str], None] | None = None,
) -> pd.DataFrame | Path:
    """Screen every HS6 product of one importer (or all) for dependence.

    Parameters
    ----------
    baci : path
        BACI panel: CSV (``t,i,j,k,v,q``), Parquet with those columns, or a
        folder of either.
    importer : str or int
        BACI numeric code, ISO3 code, or ``all``.
    years : str or (int, int)
        ``A-B`` inclusive.
    thresholds : Thresholds, optional
        Cut-offs (default ``Thresholds()``: EC 2021 / CEPII GeoDep values).
    hs_map : path or pandas.DataFrame, optional
        Product → HS6 map (columns ``product``, ``hs6``), e.g.
        ``data/reference/hs_map.csv``.
    demand : pandas.DataFrame, optional
        Demand proxy for criterion C2 (see :func:`screen_expr`).
    engine : {'duckdb', 'spark'}
        Execution engine; the result is the same on both.
    out : path, optional
        Write the result to this ``.parquet`` or ``.csv`` file instead of
        returning it (streamed; the file appears only when complete).
    progress : callable, optional
        Called with a short message at each stage.

    Returns
    -------
    pandas.DataFrame or pathlib.Path
        The screen (columns :data:`OUTPUT_SCHEMA`, sorted by importer, hs6,
        year; ``attrs`` carry ``source``, ``note`` and ``thresholds``), or the
        path written.

    Raises
    ------
    MissingInputError
        Panel or HS map not found (exit 66).
    DataValidationError
        Missing columns, unreadable values (exit 65).
    UsageError
        Bad year range, unknown importer or engine, no panel year in range,
        bad output suffix (exit 2).
    """
    say = progress or (lambda message: None)
    thresholds = thresholds or Thresholds()
    first, last = parse_years(years) if isinstance(years, str) else (int(years[0]), int(years[1]))
    if first > last:
        raise UsageError(f"years {first}-{last}: the first year is after the last")
    if out is not None and not str(out).lower().endswith((".parquet", ".csv")):
        raise UsageError(f"--out {out}: expected a file name ending in .parquet or .csv")
    files = panel_files(baci)
    code = resolve_importer(importer, files.files)
    hs = _load_hs_map(hs_map)

    say(f"opening {len(files.files)} {files.fmt} file(s) on {engine}")
    con = connect(engine)
    try:
        table = read_panel(con, engine, files)
        say("checking years and importer")
        lo, hi, has, code_lo, code_hi = _probe(con, table, code)
    except _read_errors() as exc:
        raise _engine_error(exc, files) from exc
    if lo is None:
        raise DataValidationError(
            [Problem(relative(files.files[0]), None, None, None, "panel:empty", "the panel has no rows")]
        )
    if code_lo is not None and (code_lo < 0 or code_hi >= CODE_SPAN):
        bad = code_lo if code_lo < 0 else code_hi
        raise DataValidationError(
            [
                Problem(
                    relative(files.files[0]),
                    None,
                    "i/j",
                    str(bad),
                    "panel:country-code",
                    f"country codes must be BACI's numeric codes 0-{CODE_SPAN - 1}",
                )
            ]
        )
    if last < lo or first > hi:
        raise UsageError(f"years {first}-{last}: the panel covers {lo}-{hi}; choose years inside it")
    if not has:
        raise UsageError(
            f"importer {importer!r} (BACI code {code}) does not occur as an importer (column j) "
            f"in {relative(Path(baci))}"
        )

    def build(one_row_per_flow: bool):
        return screen_expr(
            table,
            years=(first, last),
            importers=None if code is None else [code],
            thresholds=thresholds,
            hs_map=hs,
            demand=demand,
            one_row_per_flow=one_row_per_flow,
        )

    note = (
        f"Derived by evalkit from the BACI panel {Path(baci).name}, years {first}-{last}, engine {engine}. "
        f"{thresholds.describe()}."
    )
    # One pass assuming one row per flow, as in BACI; if the panel repeats a flow, a second pass sums them.
    again = (
        "the panel has several rows for one flow (year, exporter, importer, product) in {n:,} "
        "importer x product x year groups; summing them by partner (second pass)"
    )
    try:
        if out is None:
            say(f"screening importer {importer} {first}-{last}")
            arrow = build(True).to_pyarrow()
            repeated = _count_true(arrow.column("repeated_flows"))
            if repeated:
                say(again.format(n=repeated))
                arrow = build(False).to_pyarrow()
            frame = _to_frame(arrow)
            frame.attrs.update(
                source=SOURCE,
                note=note,
                thresholds=thresholds.as_dict(),
                years=(first, last),
                importer=code,
                engine=engine,
            )
            say(f"screened {len(frame):,} importer x product x year rows")
            return frame
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(f".{out.name}.partial{out.suffix}")
        try:
            rows, repeated = _write(build(True), tmp, out.name, note, say, con=con, engine=engine)
            if repeated:
                say(again.format(n=repeated))
                rows, _ = _write(build(False), tmp, out.name, note, say, con=con, engine=engine)
            os.replace(tmp, out)
        finally:
            if tmp.exists():
                tmp.unlink()
        say(f"wrote {rows:,} rows to {out}")
        return out
    except _read_errors() as exc:
        raise _engine_error(exc, files) from exc


def _count_true(column) -> int:
    """Number of true values of a pyarrow boolean column (nulls count as false)."""
    import pyarrow.compute as pc

    return int(pc.sum(pc.fill_null(column, False).cast("int64")).as_py() or 0)


def _to_frame(arrow) -> pd.DataFrame:
    frame = arrow.to_pandas()
    return standardise(frame)


def standardise(frame: pd.DataFrame) -> pd.DataFrame:
    """Fixed column order and dtypes (nullable booleans, plain ints), whatever the engine."""
    frame = frame[list(OUTPUT_SCHEMA)].copy()
    for name, kind in OUTPUT_SCHEMA.items():
        if kind == "boolean":
            frame[name] = frame[name].astype("boolean")
        elif kind.startswith("int"):
            frame[name] = frame[name].astype(kind)
        elif kind == "string":
            frame[name] = frame[name].astype("string")
        else:
            frame[name] = frame[name].astype("float64")
    return frame.reset_index(drop=True)


def _write(expr, tmp: Path, name: str, note: str, say, con=None, engine: str = "duckdb") -> tuple[int, int]:
    """Write the result to ``tmp`` (.parquet or .csv by its suffix) on its way to the file ``name``.

    Returns the number of rows written and how many of them are marked
    ``repeated_flows``. The caller moves ``tmp`` into place when the result
    is final, so a reader never sees a half-written file.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    parquet = tmp.suffix.lower() == ".parquet"
    meta = {"evalkit_note": note, "evalkit_source": SOURCE}
    if engine == "duckdb":
        # DuckDB streams its own COPY: no round trip through Python, constant memory.
        say(f"screening and writing {name} (DuckDB COPY)")
        if parquet:
            con.to_parquet(expr, tmp, kv_metadata={k: v.replace("'", "") for k, v in meta.items()})
            return pq.read_metadata(tmp).num_rows, _count_true(pq.read_table(tmp, columns=["repeated_flows"]).column(0))
        con.to_csv(expr, tmp)
        import duckdb

        rows, repeated = (
            duckdb.connect()
            .execute(
                "SELECT count(*), count(*) FILTER (WHERE repeated_flows) FROM read_csv(?, header = true)", [str(tmp)]
            )
            .fetchone()
        )
        return int(rows), int(repeated)
    rows = repeated = 0
    reader = expr.to_pyarrow_batches(chunk_size=500_000)
    schema = reader.schema
    if parquet:
        schema = schema.with_metadata({k.encode(): v.encode() for k, v in meta.items()})
        writer = pq.ParquetWriter(tmp, schema)
    else:
        writer = pacsv.CSVWriter(tmp, schema)
    with writer:
        for batch in reader:
            if parquet:
                writer.write_table(pa.Table.from_batches([batch]).cast(schema))
            else:
                writer.write_batch(batch)
            rows += batch.num_rows
            repeated += _count_true(batch.column("repeated_flows"))
            say(f"written {rows:,} rows")
    return rows, repeated
