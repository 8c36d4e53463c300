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
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from evalkit.data import baci
from evalkit.errors import DataValidationError, MissingInputError, Problem, UsageError
from evalkit.paths import relative
from evalkit.screening import checks
from evalkit.screening.checks import ScreenWarning, years_text
from evalkit.screening.criteria import CODE_SPAN, OUTPUT_SCHEMA, Thresholds, screen_expr
from evalkit.screening.engine import connect, panel_files, panel_nomenclature, product_codes, read_panel
from evalkit.years import parse_years

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


def resolve_importer(code: str, files: list[Path]) -> int | None:
    """``all`` → ``None``; else the BACI code of ``code``, read with the panel's own country codes.

    See :func:`evalkit.data.baci.resolve_importer`, which every command uses.
    """
    return baci.resolve_importer(code, baci.codes_beside(files[0]) if files else None, allow_all=True)[0]


def _load_hs_map(hs_map) -> tuple[pd.DataFrame | None, str | None]:
    """The HS map as text columns, checked, and the HS revision its ``hs_version`` column names (or None).

    Raises
    ------
    MissingInputError
        The file does not exist (exit 66).
    DataValidationError
        Columns ``product``/``hs6`` missing, or a code that is not six digits
        (exit 65), each problem with its line.
    """
    if hs_map is None:
        return None, None
    if isinstance(hs_map, pd.DataFrame):
        frame, name, from_file = hs_map, "<hs_map>", False
    else:
        path = Path(hs_map)
        if not path.is_file():
            raise MissingInputError(f"{hs_map}: HS map not found")
        frame, name, from_file = pd.read_csv(path, dtype=str, keep_default_na=False), relative(path), True
    missing = [c for c in ("product", "hs6") if c not in frame.columns]
    if missing:
        raise DataValidationError(
            [Problem(name, 1, ",".join(missing), None, "columns:missing", "the HS map needs columns product and hs6")]
        )
    problems = checks.hs_map_problems(frame, name, from_file=from_file)
    if problems:
        raise DataValidationError(problems)
    revisions = set()
    if "hs_version" in frame.columns:
        revisions = {checks.hs_revision(v) or str(v) for v in frame["hs_version"].dropna().astype(str) if v.strip()}
    if len(revisions) > 1:
        return frame, "mixed: " + ", ".join(sorted(revisions))
    return frame, revisions.pop() if revisions else None


def hs_map_warnings(hs: pd.DataFrame | None, map_revision: str | None, nomenclature) -> list[ScreenWarning]:
    """Caveats of marking designated products with ``hs`` on a panel in ``nomenclature``.

    The map's codes are matched to the panel's codes as written. When the
    map names another HS revision than the panel's, or holds codes that the
    panel's code list (BACI's ``product_codes_HSxx_*.csv``) does not, items
    under those codes are not marked designated, and a code kept across
    revisions may have changed scope: say so, naming the codes.
    """
    if hs is None or len(hs) == 0:
        return []
    codes = sorted({str(c).strip() for c in hs["hs6"] if str(c).strip()})
    unknown: list[str] = []
    if nomenclature.codes_file is not None:
        known = set(product_codes(nomenclature.codes_file)["code"])
        unknown = [c for c in codes if c not in known]
    panel_rev = nomenclature.revision
    out = []
    if map_revision and panel_rev and map_revision != panel_rev:
        out.append(
            ScreenWarning(
                "hs_map_revision",
                map_revision=map_revision,
                panel_revision=panel_rev,
                n_unknown=len(unknown),
                unknown=", ".join(unknown) or "-",
            )
        )
    elif unknown:
        out.append(
            ScreenWarning(
                "hs_map_codes_unknown",
                n_unknown=len(unknown),
                unknown=", ".join(unknown),
                codes_file=nomenclature.codes_file.name,
            )
        )
    return out


def _breach_without_row(found, files) -> Problem:
    """The aggregates showed a breach that no row could be found for (should not happen; say which rules)."""
    return Problem(
        relative(files.files[0]),
        None,
        None,
        None,
        "panel:rules",
        f"the panel breaks {', '.join(found.breached)}, but the rows could not be located",
    )


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


def importer_in_result(frame: pd.DataFrame, code: int | None, importer, years) -> list[ScreenWarning]:
    """Check one importer inside a screen of every importer: refuse it without any row, state the years it lacks.

    The notebook screens every importer once and follows one of them; this
    applies to that one the checks :func:`screen` makes for a single
    importer (years without a result for it count as not dependent in the
    persistence windows that hold them).

    Raises
    ------
    UsageError
        The importer has no result row in ``years`` (exit 2).
    """
    if code is None:
        return []
    first, last = years
    mine = set(frame.loc[frame["importer"] == code, "year"].astype(int))
    if not mine:
        raise UsageError(f"importer {importer!r} (BACI code {code}) has no import rows in {first}-{last}")
    missing = set(frame["year"].astype(int)) - mine
    return [ScreenWarning("importer_years_missing", importer=importer, years=years_text(missing))] if missing else []


def _coverage_warnings(table, found, code, importer, years) -> list[ScreenWarning]:
    """Years of the range the panel, or the importer, has no row in; an importer with none at all is refused.

    Such years have no result rows and count as not dependent in every
    persistence window that holds them; the counts of :func:`checks.probe`
    show whether any is missing, and only then a small query names them.

    Raises
    ------
    UsageError
        The importer has no row in any year of the range (exit 2).
    """
    first, last = years
    lo, hi = found.lo, found.hi
    out = []
    outside = [y for y in range(first, last + 1) if y < lo or y > hi]
    if outside:
        out.append(ScreenWarning("years_outside_panel", years=years_text(outside), panel=f"{lo}-{hi}"))
    inside = range(max(first, lo), min(last, hi) + 1)
    panel_years = set(inside)
    if found.years_in_range < len(inside):
        panel_years = set(checks.years_present(table)) & set(inside)
        out.append(ScreenWarning("panel_year_gaps", years=years_text(set(inside) - panel_years)))
    if code is None:
        return out
    if found.importer_years_in_range == 0:
        present = checks.years_present(table, code)
        raise UsageError(
            f"importer {importer!r} (BACI code {code}) has no rows in {first}-{last}; "
            f"it imports in {years_text(present)} of the panel: choose years among those"
        )
    if found.importer_years_in_range < len(panel_years):
        mine = set(checks.years_present(table, code))
        out.append(ScreenWarning("importer_years_missing", importer=importer, years=years_text(panel_years - mine)))
    return out


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
    warn: Callable[[ScreenWarning], None] | None = None,
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
    warn : callable, optional
        Called with each :class:`~evalkit.screening.checks.ScreenWarning`
        (years without rows, self-trade left out, an HS map in another
        revision, ...); by default each is issued with :func:`warnings.warn`.
        Either way they are also in the result's ``attrs["warnings"]``.

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
        Missing columns, unreadable values, or any row breaking a rule of
        :data:`evalkit.screening.checks.RULES` (a missing, negative or
        non-finite value or quantity, an HS code that is not six digits):
        every problem with its file, line or row, column and value (exit 65);
        nothing is written.
    UsageError
        Bad year range, unknown importer or engine, no panel year in range,
        an importer with no rows in the years, bad output suffix (exit 2).
    """
    say = progress or (lambda message: None)
    caveats: list[ScreenWarning] = []

    def caveat(w: ScreenWarning) -> None:
        caveats.append(w)
        if warn is None:
            warnings.warn(w, stacklevel=3)
        else:
            warn(w)

    thresholds = thresholds or Thresholds()
    first, last = parse_years(years) if isinstance(years, str) else (int(years[0]), int(years[1]))
    if first > last:
        raise UsageError(f"years {first}-{last}: the first year is after the last")
    if out is not None and not str(out).lower().endswith((".parquet", ".csv")):
        raise UsageError(f"--out {out}: expected a file name ending in .parquet or .csv")
    files = panel_files(baci)
    code = resolve_importer(importer, files.files)
    hs, map_revision = _load_hs_map(hs_map)
    nomenclature = panel_nomenclature(files)

    say(f"opening {len(files.files)} {files.fmt} file(s) on {engine}")
    con = connect(engine)
    try:
        table = read_panel(con, engine, files)
        say("checking every row, the years and the importer")
        found = checks.probe(table, code, (first, last))
    except _read_errors() as exc:
        # A CSV the engine cannot parse: name the line when a rule says what is wrong with it.
        located = checks.locate(files.files, files.fmt) if files.fmt == "csv" else []
        raise (DataValidationError(located) if located else _engine_error(exc, files)) from exc
    if found.breached:
        raise DataValidationError(checks.locate(files.files, files.fmt) or [_breach_without_row(found, files)])
    if found.lo is None:
        raise DataValidationError(
            [Problem(relative(files.files[0]), None, None, None, "panel:empty", "the panel has no rows")]
        )
    if found.code_lo is not None and (found.code_lo < 0 or found.code_hi >= CODE_SPAN):
        bad = found.code_lo if found.code_lo < 0 else found.code_hi
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
    lo, hi = found.lo, found.hi
    if last < lo or first > hi:
        raise UsageError(f"years {first}-{last}: the panel covers {lo}-{hi}; choose years inside it")
    if not found.has_importer:
        raise UsageError(
            f"importer {importer!r} (BACI code {code}) does not occur as an importer (column j) "
            f"in {relative(Path(baci))}"
        )
    for w in _coverage_warnings(table, found, code, importer, (first, last)):
        caveat(w)
    if found.self_trade:
        caveat(ScreenWarning("self_trade", n=f"{found.self_trade:,}"))
    if last - first + 1 < thresholds.persistence_n:
        caveat(ScreenWarning("window_short", years=f"{first}-{last}", n=thresholds.persistence_n))
    for w in hs_map_warnings(hs, map_revision, nomenclature):
        caveat(w)

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
                warnings=caveats,
                hs_revisions={"map": map_revision, "panel": nomenclature.revision},
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
