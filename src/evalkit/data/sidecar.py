"""Sidecar metadata (``<file>.meta.yaml``): schema, checks and sealing.

The sidecar format is documented in ``docs/data-format.md``. Every problem is
reported as a :class:`evalkit.errors.Problem` naming the sidecar file and the
key at fault; checks never stop at the first problem.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Any

import yaml

from evalkit import yamlload
from evalkit.errors import Problem
from evalkit.paths import relative

SIDECAR_SUFFIX = ".meta.yaml"
COLUMN_TYPES = ("string", "integer", "number", "date", "boolean")
PROCESSING = ("transcribed", "curated", "extracted", "derived")
CONFIDENCE = ("high", "medium-high", "medium", "low", "per-row")
ROW_CONFIDENCE = ("high", "medium-high", "medium", "low", "derived", "n/a")
COLUMN_KEYS = {"type", "unit", "description", "required", "enum", "min", "max", "pattern"}
REQUIRED_KEYS = (
    "schema_version",
    "title",
    "producer",
    "url",
    "source_reference",
    "date_published",
    "date_accessed",
    "licence",
    "as_of",
    "processing",
    "confidence",
    "columns",
    "sha256",
    "rows",
)
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def sidecar_path(data_file: Path) -> Path:
    """Return the sidecar path of ``data_file`` (``<file>.meta.yaml``)."""
    return data_file.with_name(data_file.name + SIDECAR_SUFFIX)


def sha256_of(path: Path) -> str:
    """Return the hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_sidecar(data_file: Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Read and check the sidecar of ``data_file``.

    Parameters
    ----------
    data_file : pathlib.Path
        The data file (not the sidecar).

    Returns
    -------
    meta : dict or None
        The parsed sidecar, or ``None`` when it is missing or not YAML.
    problems : list of Problem
        Everything wrong with the sidecar itself (the checksum included).
    """
    side = sidecar_path(data_file)
    name = relative(side)
    if not side.is_file():
        return None, [Problem(relative(data_file), None, None, None, "sidecar:missing", f"no sidecar; expected {name}")]
    try:
        # safe_load only: a sidecar can never construct Python objects.
        meta = yamlload.safe_load(side.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        return None, [
            Problem(
                name,
                None if line is None else line + 1,
                None,
                None,
                "sidecar:yaml",
                f"not valid YAML: {exc}".splitlines()[0],
            )
        ]
    if not isinstance(meta, dict):
        return None, [
            Problem(name, None, None, repr(meta)[:40], "sidecar:mapping", "a sidecar must be a YAML mapping of keys")
        ]
    problems = check_sidecar(meta, name)
    if isinstance(meta.get("sha256"), str) and _SHA256.match(meta["sha256"]) and data_file.is_file():
        actual = sha256_of(data_file)
        if actual != meta["sha256"]:
            problems.append(
                Problem(
                    name,
                    None,
                    "sha256",
                    actual,
                    "sidecar:checksum",
                    f"{relative(data_file)} has sha256 {actual}, sidecar says "
                    f"{meta['sha256']}: the file changed since it was sealed",
                )
            )
    return meta, problems


def _is_iso_date(value: Any) -> bool:
    if isinstance(value, dt.date):
        return True
    if isinstance(value, str):
        try:
            dt.date.fromisoformat(value)
            return True
        except ValueError:
            return False
    return False


def check_sidecar(meta: dict[str, Any], name: str) -> list[Problem]:
    """Check a parsed sidecar against the format; return every problem."""
    out: list[Problem] = []

    def bad(key: str, value: Any, rule: str, message: str) -> None:
        out.append(Problem(name, None, key, None if value is None else repr(value), rule, message))

    for key in REQUIRED_KEYS:
        if key not in meta:
            bad(key, None, "sidecar:required", f"key {key!r} is required")
    if meta.get("schema_version", 1) != 1:
        bad("schema_version", meta.get("schema_version"), "sidecar:version", "expected 1")
    for key in ("title", "producer", "source_reference"):
        if key in meta and not (isinstance(meta[key], str) and meta[key].strip()):
            bad(key, meta[key], "sidecar:text", "expected non-empty text")
    if "url" in meta and meta["url"] is not None and not isinstance(meta["url"], str):
        bad("url", meta["url"], "sidecar:url", "expected text or null")
    for key in ("date_published", "as_of"):
        if key in meta and meta[key] is not None and not _is_iso_date(meta[key]):
            bad(key, meta[key], "sidecar:date", "expected an ISO date (YYYY-MM-DD) or null")
        if key in meta and meta[key] is None and not meta.get(f"{key}_note"):
            bad(
                f"{key}_note",
                None,
                "sidecar:required",
                f"{key} is null, so {key}_note must say what is known about the date",
            )
    if "date_accessed" in meta and not _is_iso_date(meta["date_accessed"]):
        bad("date_accessed", meta["date_accessed"], "sidecar:date", "expected an ISO date")
    lic = meta.get("licence")
    if "licence" in meta and not (isinstance(lic, dict) and isinstance(lic.get("name"), str) and lic["name"]):
        bad("licence", lic, "sidecar:licence", "expected a mapping with a non-empty 'name'")
    if "processing" in meta and meta["processing"] not in PROCESSING:
        bad("processing", meta["processing"], "sidecar:enum", f"expected one of {PROCESSING}")
    if "confidence" in meta and meta["confidence"] not in CONFIDENCE:
        bad("confidence", meta["confidence"], "sidecar:enum", f"expected one of {CONFIDENCE}")
    if "sha256" in meta and not (isinstance(meta["sha256"], str) and _SHA256.match(meta["sha256"])):
        bad("sha256", meta["sha256"], "sidecar:sha256", "expected 64 lowercase hex digits (run `evalkit seal FILE`)")
    if "rows" in meta and not (
        isinstance(meta["rows"], int) and not isinstance(meta["rows"], bool) and meta["rows"] >= 0
    ):
        bad("rows", meta["rows"], "sidecar:rows", "expected the number of data rows")
    cols = meta.get("columns")
    if "columns" in meta:
        if not isinstance(cols, dict) or not cols:
            bad("columns", cols, "sidecar:columns", "expected a mapping of column name to spec")
        else:
            for col, spec in cols.items():
                key = f"columns.{col}"
                if not isinstance(spec, dict):
                    bad(key, spec, "sidecar:column", "expected a mapping with at least 'type'")
                    continue
                unknown = set(spec) - COLUMN_KEYS
                if unknown:
                    bad(key, sorted(unknown), "sidecar:column", f"unknown keys; allowed {sorted(COLUMN_KEYS)}")
                if spec.get("type") not in COLUMN_TYPES:
                    bad(f"{key}.type", spec.get("type"), "sidecar:column-type", f"expected one of {COLUMN_TYPES}")
                if "unit" not in spec:
                    bad(f"{key}.unit", None, "sidecar:column-unit", "state the unit (null if none)")
                if "enum" in spec and not isinstance(spec["enum"], list):
                    bad(f"{key}.enum", spec["enum"], "sidecar:column-enum", "expected a list")
            if meta.get("confidence") == "per-row" and "confidence" not in cols:
                bad(
                    "columns",
                    None,
                    "sidecar:confidence",
                    "confidence is per-row, so the table needs a 'confidence' column",
                )
            pk = meta.get("primary_key")
            if pk is not None:
                if not (isinstance(pk, list) and all(isinstance(c, str) for c in pk)):
                    bad("primary_key", pk, "sidecar:primary-key", "expected a list of column names")
                else:
                    for c in pk:
                        if c not in cols:
                            bad("primary_key", c, "sidecar:primary-key", "not a declared column")
    return out


def seal(data_file: Path, n_rows: int) -> Path:
    """Write the current sha256 and row count of ``data_file`` into its sidecar.

    Only the ``sha256`` and ``rows`` lines are rewritten, so comments and
    key order in the sidecar survive.

    Parameters
    ----------
    data_file : pathlib.Path
        The data file.
    n_rows : int
        Number of data rows (header excluded).

    Returns
    -------
    pathlib.Path
        The sidecar written.
    """
    side = sidecar_path(data_file)
    text = side.read_text(encoding="utf-8")
    digest = sha256_of(data_file)
    for key, value in (("sha256", digest), ("rows", str(n_rows))):
        pattern = re.compile(rf"^{key}:.*$", re.M)
        if pattern.search(text):
            text = pattern.sub(f"{key}: {value}", text, count=1)
        else:
            text = text.rstrip("\n") + f"\n{key}: {value}\n"
    tmp = side.with_name(side.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(side)
    return side


#: How a citation states its as-of date, or that the source states none. Captions in another language
#: replace these phrases (:func:`evalkit.notebook.caption_text`), so they are written in one place.
CITED_AS_OF = "as of {as_of}"
CITED_UNDATED = "no as-of date stated by the source"


def citation(meta: dict[str, Any], name: str) -> str:
    """One-line source citation for a table: reference, as-of (or that the source states none), file."""
    ref = str(meta.get("source_reference") or meta.get("producer") or "unknown source")
    when = CITED_AS_OF.format(as_of=meta["as_of"]) if meta.get("as_of") else CITED_UNDATED
    return f"{ref}; {when} [{name}]"
