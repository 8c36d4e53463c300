"""Engines the screen runs on, and reading a BACI panel without loading it.

Two engines run the same ibis expression (:func:`evalkit.screening.criteria.screen_expr`):

* ``duckdb`` (default): embedded and out of core; scans BACI CSV or Parquet in
  place, so a panel larger than memory is fine.
* ``spark``: PySpark, for a panel that outgrows one machine. Here it starts a
  local session (``local[*]``) unless one is already active; on a cluster,
  create the session first (``SparkSession.builder.master(...)``) and evalkit
  uses it.

A panel is a BACI file (``t,i,j,k,v,q``; CEPII BACI, v in thousand USD), a
Parquet file with those columns, or a folder of either (e.g. one file per
year). Its header is checked before anything runs.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from evalkit.errors import DataValidationError, MissingInputError, Problem, UsageError
from evalkit.paths import relative

ENGINES = ("duckdb", "spark")
REQUIRED = ("t", "i", "j", "k", "v")
#: Types the CSV reader is told, so HS codes stay text and nothing is guessed.
CSV_TYPES = {"t": "INTEGER", "i": "INTEGER", "j": "INTEGER", "k": "VARCHAR", "v": "DOUBLE", "q": "VARCHAR"}
SPARK_TYPES = {"t": "INT", "i": "INT", "j": "INT", "k": "STRING", "v": "DOUBLE", "q": "STRING"}


@dataclass(frozen=True)
class PanelFiles:
    """The files of a panel and their format.

    Attributes
    ----------
    files : list of pathlib.Path
        Data files, sorted.
    fmt : str
        ``csv`` or ``parquet``.
    columns : list of str
        Header (CSV) or schema names (Parquet) of the first file.
    """

    files: list[Path]
    fmt: str
    columns: list[str]


def _format_of(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith(".parquet") or name.endswith(".pq"):
        return "parquet"
    if name.endswith(".csv") or name.endswith(".csv.gz"):
        return "csv"
    return None


def _columns(path: Path, fmt: str) -> list[str]:
    if fmt == "parquet":
        import pyarrow.parquet as pq

        try:
            return list(pq.read_schema(path).names)
        except Exception as exc:  # pyarrow raises several types for a damaged file
            raise DataValidationError(
                [
                    Problem(
                        relative(path), None, None, None, "parquet:unreadable", f"not a readable Parquet file ({exc})"
                    )
                ]
            ) from exc
    import gzip

    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle), None)
    if header is None:
        raise DataValidationError(
            [Problem(relative(path), 1, None, None, "csv:empty", "the file is empty; expected a header t,i,j,k,v,q")]
        )
    return [h.strip() for h in header]


def panel_files(path: str | os.PathLike) -> PanelFiles:
    """Find and check the files of a BACI panel.

    Parameters
    ----------
    path : str or path-like
        A ``.csv``/``.csv.gz``/``.parquet`` file, or a folder of them.

    Returns
    -------
    PanelFiles

    Raises
    ------
    MissingInputError
        The path does not exist or the folder holds no panel file (exit 66).
    DataValidationError
        A file's header lacks a required column ``t, i, j, k, v`` or the
        folder mixes formats (exit 65).
    """
    p = Path(path)
    if not p.exists():
        raise MissingInputError(
            f"{path}: BACI panel not found (expected a BACI CSV, a Parquet file or a folder of them)"
        )
    if p.is_dir():
        files = sorted(
            f
            for f in p.iterdir()
            if f.is_file() and _format_of(f) and not f.name.startswith(("country_codes", "product_codes"))
        )
        if not files:
            raise MissingInputError(f"{path}: no BACI .csv or .parquet file in this folder")
    else:
        files = [p]
    fmts = {_format_of(f) for f in files}
    if None in fmts:
        raise DataValidationError(
            [Problem(relative(p), None, None, None, "panel:format", "expected a .csv, .csv.gz or .parquet file")]
        )
    if len(fmts) > 1:
        raise DataValidationError(
            [
                Problem(
                    relative(p),
                    None,
                    None,
                    None,
                    "panel:format",
                    "the folder mixes CSV and Parquet files; keep one format",
                )
            ]
        )
    fmt = fmts.pop()
    problems = []
    columns: list[str] = []
    for f in files:
        cols = _columns(f, fmt)
        columns = columns or cols
        missing = [c for c in REQUIRED if c not in cols]
        if missing:
            problems.append(
                Problem(
                    relative(f),
                    1 if fmt == "csv" else None,
                    ",".join(missing),
                    ",".join(cols),
                    "columns:missing",
                    f"missing column(s) {', '.join(missing)}; a BACI file has the header t,i,j,k,v,q "
                    "(year, exporter, importer, HS6 product, value in thousand USD, quantity in tonnes)",
                )
            )
    if problems:
        raise DataValidationError(problems)
    return PanelFiles(files, fmt, columns)


def spark_session():
    """The active Spark session, or a new local one (``local[*]``, no UI, few shuffle partitions)."""
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    builder = (
        SparkSession.builder.appName("evalkit-screen")
        .master(os.environ.get("EVALKIT_SPARK_MASTER", "local[*]"))
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", os.environ.get("EVALKIT_SPARK_PARTITIONS", "8"))
        .config("spark.sql.session.timeZone", "UTC")
    )
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def connect(engine: str):
    """An ibis connection to ``engine`` (``duckdb`` or ``spark``)."""
    import ibis

    if engine == "duckdb":
        return ibis.duckdb.connect()
    if engine == "spark":
        return ibis.pyspark.connect(spark_session())
    raise UsageError(f"engine {engine!r}: expected one of {', '.join(ENGINES)}")


def read_panel(con, engine: str, files: PanelFiles):
    """Register the panel on the connection; returns an ibis table with BACI columns."""
    paths = [str(f) for f in files.files]
    if engine == "duckdb":
        if files.fmt == "parquet":
            return con.read_parquet(paths)
        types = {c: t for c, t in CSV_TYPES.items() if c in files.columns}
        return con.read_csv(paths, types=types, header=True, nullstr=["", "NA"])
    # Spark: read the listed files (not the whole folder, which may hold BACI's code tables) into a view.
    session = spark_session()
    if files.fmt == "parquet":
        frame = session.read.parquet(*paths)
    else:
        schema = ", ".join(f"`{c}` {SPARK_TYPES.get(c, 'STRING')}" for c in files.columns)
        frame = session.read.csv(paths, schema=schema, header=True, nullValue="NA", mode="FAILFAST")
    name = f"evalkit_panel_{abs(hash(tuple(paths))) % 10**12}"
    frame.createOrReplaceTempView(name)
    return con.table(name)


@dataclass(frozen=True)
class Nomenclature:
    """The HS revision of a panel and, where BACI's code list is beside it, that list.

    Attributes
    ----------
    revision : str or None
        ``HS1992`` ... ``HS2022``, from the name of BACI's
        ``product_codes_HSxx_*.csv`` beside the panel or of a
        ``BACI_HSxx_*`` data file; ``None`` when neither names one.
    codes_file : pathlib.Path or None
        ``product_codes_HSxx_*.csv`` beside the panel (code, description).
    """

    revision: str | None
    codes_file: Path | None


def panel_nomenclature(files: PanelFiles) -> Nomenclature:
    """Which HS revision a panel is in, from BACI's file names (nothing is read)."""
    from evalkit.screening.checks import hs_revision

    folder = files.files[0].parent
    found = sorted(folder.glob("product_codes_HS*.csv"))
    codes_file = found[-1] if found else None
    revision = hs_revision(codes_file.name) if codes_file else None
    if revision is None:
        named = {hs_revision(f.name) for f in files.files if f.name.upper().startswith("BACI_HS")}
        revision = named.pop() if len(named) == 1 else None
    return Nomenclature(revision, codes_file)


def product_codes(codes_file: Path) -> pd.DataFrame:
    """BACI's code list (``code``, ``description``) as text, HS6 codes only.

    BACI's lists end with the non-HS code ``9999AA`` (commodities not
    specified), which :func:`evalkit.data.baci.read_product_codes` refuses;
    the screen only needs the six-digit codes, so rows of any other code are
    left out here rather than failing the run.
    """
    frame = pd.read_csv(codes_file, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    if not {"code", "description"} <= set(frame.columns):
        raise DataValidationError(
            [
                Problem(
                    relative(codes_file),
                    1,
                    None,
                    ",".join(frame.columns),
                    "header:schema",
                    "expected BACI's product code header code,description",
                )
            ]
        )
    frame = frame[["code", "description"]]
    return frame[frame["code"].str.fullmatch(r"\d{6}")].reset_index(drop=True)
