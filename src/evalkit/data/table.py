"""Read one data file against its sidecar, reporting every problem.

A table is read with the :mod:`csv` module rather than ``pandas.read_csv`` so
that each problem can name the physical line, and so that ragged rows and
duplicate headers are errors instead of being padded or renamed silently.
Values are then converted column by column according to the sidecar's types.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import math
import re
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

import pandas as pd

from evalkit.data.frozen import FrozenLines, freeze_meta
from evalkit.data.parquet import check_parquet
from evalkit.data.sidecar import CITED_AS_OF, CITED_UNDATED, citation, read_sidecar, sidecar_path
from evalkit.errors import DataValidationError, MissingInputError, Problem
from evalkit.paths import relative

_INT = re.compile(r"^-?\d+$")
_NUM = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")


def _decode(raw: bytes, name: str) -> tuple[str | None, list[Problem]]:
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        hint = ""
        try:
            raw.decode("cp932")
            hint = " (the bytes decode as CP932/Shift_JIS: re-save the file as UTF-8)"
        except UnicodeDecodeError:
            pass
        return None, [
            Problem(
                name,
                line,
                None,
                raw[exc.start : exc.start + 4].hex(),
                "encoding:utf-8",
                f"not UTF-8 at byte offset {exc.start}{hint}",
            )
        ]


def _convert(value: str, spec: dict[str, Any]) -> tuple[Any, str | None]:
    """Convert one cell; return (value, error message or None)."""
    kind = spec.get("type")
    if value == "":
        return None, None
    if kind == "integer":
        if not _INT.match(value):
            return None, "expected a whole number (digits only, no separators or units)"
        return int(value), None
    if kind == "number":
        if not _NUM.match(value):
            return None, "expected a number (plain digits and '.', no separators, units or text)"
        number = float(value)
        if math.isinf(number) or math.isnan(number):
            return None, "expected a finite number"
        return number, None
    if kind == "date":
        try:
            return dt.date.fromisoformat(value).isoformat(), None
        except ValueError:
            return None, "expected an ISO date YYYY-MM-DD"
    if kind == "boolean":
        if value not in ("true", "false"):
            return None, "expected true or false"
        return value == "true", None
    return value, None


def check_table(path: Path) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read ``path`` with its sidecar and return the frame and all problems.

    Parameters
    ----------
    path : pathlib.Path
        A CSV data file with a ``.meta.yaml`` sidecar, or a Parquet file
        (checked by :func:`evalkit.data.parquet.check_parquet`).

    Returns
    -------
    frame : pandas.DataFrame or None
        The typed table (``None`` if it could not be read at all). Its
        ``attrs`` hold ``meta`` (the sidecar), ``path`` and ``source`` (a
        one-line citation).
    problems : list of Problem
        Every problem in the sidecar and the table.
    """
    name = relative(path)
    if not path.is_file():
        raise MissingInputError(f"{name}: data file not found")
    if path.suffix == ".parquet":
        return check_parquet(path)
    meta, problems = read_sidecar(path)
    raw = path.read_bytes()
    if not raw.strip():
        problems.append(Problem(name, None, None, None, "file:empty", "file is empty"))
        return None, problems
    text, decode_problems = _decode(raw, name)
    problems += decode_problems
    if text is None:
        return None, problems
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        problems.append(Problem(name, 1, None, None, "csv:syntax", str(exc)))
        return None, problems
    seen: set[str] = set()
    for col in header:
        if col in seen:
            problems.append(Problem(name, 1, col, col, "header:duplicate", "the same column name appears twice"))
        seen.add(col)
    columns = (meta or {}).get("columns") if isinstance((meta or {}).get("columns"), dict) else None
    if columns is not None and list(columns) != header:
        missing = [c for c in columns if c not in header]
        extra = [c for c in header if c not in columns]
        detail = []
        if missing:
            detail.append(f"missing {missing}")
        if extra:
            detail.append(f"not declared {extra}")
        if not detail:
            detail.append("same names in another order")
        problems.append(
            Problem(
                name,
                1,
                None,
                ",".join(header),
                "header:schema",
                f"header does not match the sidecar's columns ({'; '.join(detail)}); expected {list(columns)}",
            )
        )
        columns = None
    records: list[list[Any]] = []
    lines: list[int] = []
    line_end = 1
    while True:
        start = line_end + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(name, start, None, None, "csv:syntax", str(exc)))
            break
        line_end = reader.line_num
        if not row or all(cell == "" for cell in row) and len(row) <= 1:
            problems.append(Problem(name, start, None, None, "row:blank", "blank line inside the table"))
            continue
        if len(row) != len(header):
            problems.append(
                Problem(
                    name,
                    start,
                    None,
                    ",".join(row)[:60],
                    "row:ragged",
                    f"expected {len(header)} cells, found {len(row)}",
                )
            )
            continue
        converted: list[Any] = []
        for col, cell in zip(header, row):
            spec = columns.get(col, {}) if columns else {}
            value, err = _convert(cell, spec)
            if err:
                problems.append(Problem(name, start, col, cell, f"type:{spec.get('type')}", err))
            elif value is None and spec.get("required"):
                problems.append(Problem(name, start, col, cell, "required", "a value is required here"))
            elif value is not None:
                err = check_constraints(value, spec)
                if err:
                    problems.append(Problem(name, start, col, cell, err[0], err[1]))
            converted.append(value)
        records.append(converted)
        lines.append(start)
    if (
        meta is not None
        and isinstance(meta.get("rows"), int)
        and meta["rows"] != len(records)
        and not any(p.rule.startswith(("row:", "csv:")) for p in problems)
    ):
        problems.append(
            Problem(
                relative(path.with_name(path.name + ".meta.yaml")),
                None,
                "rows",
                str(meta["rows"]),
                "sidecar:rows",
                f"sidecar says {meta['rows']} rows, the file has {len(records)}",
            )
        )
    frame = _to_frame(header, records, columns)
    frame.attrs.update(
        {"meta": freeze_meta(meta), "path": name, "source": citation(meta or {}, name), "lines": FrozenLines(lines)}
    )
    if meta and isinstance(meta.get("primary_key"), list) and columns:
        problems += _check_unique(frame, meta["primary_key"], lines, name)
    return frame, problems


def check_constraints(value: Any, spec: dict[str, Any]) -> tuple[str, str] | None:
    """The (rule, message) a single typed value breaks in a column spec, or None."""
    enum = spec.get("enum")
    if enum is not None and value not in enum:
        return "enum", f"expected one of {enum}"
    if "min" in spec and isinstance(value, (int, float)) and value < spec["min"]:
        return "min", f"expected at least {spec['min']}"
    if "max" in spec and isinstance(value, (int, float)) and value > spec["max"]:
        return "max", f"expected at most {spec['max']}"
    if "pattern" in spec and isinstance(value, str) and not re.fullmatch(spec["pattern"], value):
        return "pattern", f"expected to match {spec['pattern']!r}"
    return None


def _check_unique(frame: pd.DataFrame, key: list[str], lines: list[int], name: str) -> list[Problem]:
    if frame.empty or not set(key) <= set(frame.columns):
        return []
    dup = frame.duplicated(subset=key, keep=False)
    out = []
    for idx in frame.index[dup]:
        shown = ", ".join(f"{k}={frame.at[idx, k]!s}" for k in key)
        out.append(
            Problem(
                name,
                lines[idx],
                ",".join(key),
                shown,
                "primary-key:duplicate",
                "this key appears on more than one line",
            )
        )
    return out


def _to_frame(header: list[str], records: list[list[Any]], columns: dict | None) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=header) if records else pd.DataFrame(columns=header)
    for col in header:
        kind = (columns or {}).get(col, {}).get("type", "string")
        if kind == "integer":
            frame[col] = pd.array(frame[col].tolist(), dtype="Int64")
        elif kind == "number":
            frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
        elif kind == "boolean":
            frame[col] = pd.array(frame[col].tolist(), dtype="boolean")
        else:
            frame[col] = (
                frame[col].astype("str").where(frame[col].notna(), None) if len(frame) else frame[col].astype("str")
            )
    return frame


def read_table(path: Path) -> pd.DataFrame:
    """Read a data file, refusing it on any problem.

    Parameters
    ----------
    path : pathlib.Path
        A CSV data file with its sidecar.

    Returns
    -------
    pandas.DataFrame
        Typed table; ``attrs["meta"]`` is the sidecar, ``attrs["source"]`` a
        citation for captions.

    Raises
    ------
    DataValidationError
        Listing every problem found in the file and its sidecar.
    """
    path = Path(path)
    key = _fingerprint(path)
    with _CACHE_LOCK:
        cached = _CACHE.get(key) if key is not None else None
        if cached is not None:
            _CACHE.move_to_end(key)
    if cached is not None:
        return cached.copy()
    frame, problems = check_table(path)
    if problems or frame is None:
        raise DataValidationError(problems)
    if key is not None:
        with _CACHE_LOCK:
            _CACHE[key] = frame.copy()
            while len(_CACHE) > _CACHE_SIZE:
                _CACHE.popitem(last=False)
    return frame


#: Tables already read and found valid in this process, by content (see :func:`_fingerprint`). A notebook reads
#: the same few tables many times (notebook 45 the mine-production table once per commodity table it shows); each
#: read used to parse and check the file again. Callers get a copy, so a caller that changes its frame changes
#: nobody else's.
_CACHE: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
_CACHE_SIZE = 32
_CACHE_LOCK = threading.Lock()


def _fingerprint(path: Path) -> tuple | None:
    """What a read of ``path`` depends on: its name in messages, its bytes (hashed) and its sidecar's bytes.

    Content, not modification times, so a file rewritten within one clock tick (as tests do) is read afresh.
    None when the file cannot be read (the uncached path then reports why).
    """
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        side = sidecar_path(path).read_bytes()
    except OSError:
        side = None
    return (str(path.resolve()), relative(path), hashlib.blake2b(data, digest_size=20).digest(), side)


# citation() and its phrases are defined with the sidecar (evalkit.data.sidecar) and re-exported here.
__all__ = ["CITED_AS_OF", "CITED_UNDATED", "check_constraints", "check_table", "citation", "read_table"]
