"""Check a Parquet data file against its sidecar, as :func:`evalkit.data.table.check_table` does for CSV.

Large tables (the 1.26 million BACI rows fetched by :mod:`evalkit.data.fetched`)
are stored as Parquet: typed, compressed, and scanned in place by DuckDB. The
sidecar is the same as for a CSV; the checks are the same too, run as DuckDB
queries over the whole file rather than cell by cell: the checksum and row
count, the column names in sidecar order, each column's physical type against
its declared type, and every ``required``, ``min``, ``max``, ``enum`` and
``pattern`` rule. A problem names the row (1-based, in file order) and the
value, and at most :data:`MAX_PER_RULE` rows are listed per rule with the
total counted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from evalkit.data.frozen import freeze_meta
from evalkit.data.sidecar import citation, read_sidecar, sidecar_path
from evalkit.errors import Problem
from evalkit.paths import relative

MAX_PER_RULE = 20
_TYPES = {
    "integer": ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"),
    "number": ("float", "double", "int8", "int16", "int32", "int64"),
    "string": ("string", "large_string"),
    "boolean": ("bool",),
    "date": ("date32[day]", "date64"),
}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: Any) -> str:
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return repr(value)


def check_parquet(path: Path) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read a Parquet file with its sidecar; return the frame and every problem.

    Parameters
    ----------
    path : pathlib.Path
        A ``.parquet`` file with a ``.parquet.meta.yaml`` sidecar.

    Returns
    -------
    frame : pandas.DataFrame or None
        The table (``None`` when it cannot be read); ``attrs`` as for CSV
        tables (``meta``, ``path``, ``source``).
    problems : list of Problem
    """
    import duckdb
    import pyarrow.parquet as pq

    name = relative(path)
    meta, problems = read_sidecar(path)
    try:
        schema = pq.read_schema(path)
        n_rows = pq.ParquetFile(path).metadata.num_rows
    except Exception as exc:  # pyarrow raises several types for a damaged file
        problems.append(Problem(name, None, None, None, "parquet:unreadable", f"not a readable Parquet file: {exc}"))
        return None, problems
    columns = (meta or {}).get("columns") if isinstance((meta or {}).get("columns"), dict) else None
    if meta is not None and isinstance(meta.get("rows"), int) and meta["rows"] != n_rows:
        problems.append(
            Problem(
                relative(sidecar_path(path)),
                None,
                "rows",
                str(meta["rows"]),
                "sidecar:rows",
                f"sidecar says {meta['rows']} rows, the file has {n_rows}",
            )
        )
    if columns is not None:
        if list(columns) != list(schema.names):
            problems.append(
                Problem(
                    name,
                    None,
                    None,
                    ",".join(schema.names),
                    "header:schema",
                    f"columns do not match the sidecar's; expected {list(columns)}",
                )
            )
        else:
            for field in schema:
                kind = columns[field.name].get("type")
                if str(field.type) not in _TYPES.get(kind, ()):
                    problems.append(
                        Problem(
                            name,
                            None,
                            field.name,
                            str(field.type),
                            f"type:{kind}",
                            f"Parquet type {field.type} does not hold the declared type {kind}",
                        )
                    )
            if not problems:
                problems += _rules(duckdb, path, name, columns)
    try:
        frame = pq.read_table(path).to_pandas()
    except Exception as exc:
        problems.append(Problem(name, None, None, None, "parquet:unreadable", f"cannot read the rows: {exc}"))
        return None, problems
    pk = (meta or {}).get("primary_key")
    if isinstance(pk, list) and set(pk) <= set(frame.columns) and not problems:
        dup = frame.duplicated(subset=pk, keep=False)
        for idx in frame.index[dup][:MAX_PER_RULE]:
            shown = ", ".join(f"{k}={frame.at[idx, k]!s}" for k in pk)
            problems.append(
                Problem(
                    name,
                    int(idx) + 1,
                    ",".join(pk),
                    shown,
                    "primary-key:duplicate",
                    "this key appears on more than one row",
                )
            )
    frame.attrs.update({"meta": freeze_meta(meta), "path": name, "source": citation(meta or {}, name), "lines": None})
    return frame, problems


def _rules(duckdb, path: Path, name: str, columns: dict[str, dict[str, Any]]) -> list[Problem]:
    """Every row breaking a column rule, found by one DuckDB query per rule."""
    tests = []
    for col, spec in columns.items():
        q = _quote(col)
        if spec.get("required"):
            tests.append((col, f"{q} IS NULL", "required", "a value is required here"))
        if "min" in spec:
            tests.append((col, f"{q} < {_literal(spec['min'])}", "min", f"expected at least {spec['min']}"))
        if "max" in spec:
            tests.append((col, f"{q} > {_literal(spec['max'])}", "max", f"expected at most {spec['max']}"))
        if "enum" in spec and isinstance(spec["enum"], list):
            allowed = ", ".join(_literal(v) for v in spec["enum"])
            tests.append((col, f"{q} NOT IN ({allowed})", "enum", f"expected one of {spec['enum']}"))
        if "pattern" in spec:
            tests.append(
                (
                    col,
                    f"NOT regexp_full_match({q}, {_literal(spec['pattern'])})",
                    "pattern",
                    f"expected to match {spec['pattern']!r}",
                )
            )
        if spec.get("type") == "number":
            tests.append((col, f"NOT isfinite({q})", "type:number", "expected a finite number"))
    if not tests:
        return []
    out = []
    con = duckdb.connect()
    try:
        src = f"read_parquet({_literal(str(path))}, file_row_number = true)"
        for col, cond, rule, message in tests:
            hits = con.execute(
                f"SELECT file_row_number + 1, CAST({_quote(col)} AS VARCHAR), count(*) OVER () "
                f"FROM {src} WHERE {cond} ORDER BY file_row_number LIMIT {MAX_PER_RULE}"
            ).fetchall()
            for row, value, _total in hits:
                out.append(Problem(name, int(row), col, value, rule, f"{message} (row {row} of the Parquet file)"))
            if hits and hits[0][2] > MAX_PER_RULE:
                out.append(
                    Problem(
                        name,
                        None,
                        col,
                        None,
                        "problems:truncated",
                        f"{hits[0][2] - MAX_PER_RULE} further row(s) break the same rule",
                    )
                )
    finally:
        con.close()
    return out
