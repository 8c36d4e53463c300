"""The normalised trade table that every trade loader returns, and its sidecar.

Each source loader (:mod:`evalkit.data.customs`, :mod:`evalkit.data.baci`,
:mod:`evalkit.data.comtrade`) reads one download in its exact published
format, reports *every* problem as a :class:`evalkit.errors.Problem` (file,
line, column, value, what was expected) and returns the same long table:

==========================  ==============================================
column                      meaning
==========================  ==============================================
``source``                  ``customs``, ``baci`` or ``comtrade``
``reporter``                importing economy (ISO alpha-3; ``JPN`` for Customs)
``flow``                    ``import`` or ``export`` (reporter's view)
``year``                    calendar year (integer)
``hs``                      commodity code as a string (HS6, or Japan's 9-digit code)
``hs6``                     first six digits of ``hs``
``partner``                 partner key as the source codes it (string)
``partner_iso3``            ISO 3166-1 alpha-3 of the partner, empty when unknown or an aggregate
``partner_name``            partner name when the source gives one
``partner_is_aggregate``    true for World, "areas nes", EU and other groupings
``value``                   trade value, in ``value_unit``
``value_unit``              ``JPY thousand`` (Customs), ``USD thousand`` (BACI), ``USD`` (Comtrade)
``quantity``                quantity, in ``quantity_unit`` (mass converted to t when the source unit is a mass)
``quantity_unit``           ``t`` or the source's own unit code; empty when no quantity
==========================  ==============================================

Aggregates are kept, flagged, so a reader can compare World with the sum of
partners; :mod:`evalkit.indicators` drops them before computing any share.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from evalkit.data.sidecar import sha256_of
from evalkit.errors import Problem

COLUMNS = [
    "source",
    "reporter",
    "flow",
    "year",
    "hs",
    "hs6",
    "partner",
    "partner_iso3",
    "partner_name",
    "partner_is_aggregate",
    "value",
    "value_unit",
    "quantity",
    "quantity_unit",
]

#: Conversion of source mass units to tonnes.
MASS_TO_T = {"KG": 1e-3, "KGM": 1e-3, "MT": 1.0, "TNE": 1.0, "T": 1.0, "GR": 1e-6, "GRM": 1e-6}

#: Upper bound on problems listed for one file (the count is always exact).
MAX_PROBLEMS = 200


class ProblemLog:
    """Collects problems for one file; keeps the first :data:`MAX_PROBLEMS` and counts the rest."""

    def __init__(self, name: str):
        self.name = name
        self.items: list[Problem] = []
        self.total = 0

    def add(self, line: int | None, column: str | None, value: Any, rule: str, message: str) -> None:
        """Count one problem, and keep it while fewer than :data:`MAX_PROBLEMS` are kept."""
        self.total += 1
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(Problem(self.name, line, column, None if value is None else str(value), rule, message))

    def result(self) -> list[Problem]:
        """The kept problems, and one line saying how many more were found but not listed."""
        out = list(self.items)
        if self.total > len(out):
            out.append(
                Problem(
                    self.name,
                    None,
                    None,
                    None,
                    "problems:truncated",
                    f"{self.total - len(out)} further problem(s) not listed",
                )
            )
        return out


def decode(
    raw: bytes, name: str, *, encodings: tuple[str, ...] = ("utf-8-sig",)
) -> tuple[str | None, str | None, Problem | None]:
    """Decode ``raw`` with the first encoding that works.

    Returns
    -------
    text, encoding, problem
        ``problem`` names the line and byte offset where the first encoding
        failed when none works.
    """
    first_error = None
    for enc in encodings:
        try:
            return raw.decode(enc), enc, None
        except UnicodeDecodeError as exc:
            first_error = first_error or exc
    exc = first_error
    line = raw[: exc.start].count(b"\n") + 1
    return (
        None,
        None,
        Problem(
            name,
            line,
            None,
            raw[exc.start : exc.start + 4].hex(),
            "encoding",
            f"cannot decode as {' or '.join(encodings)} (byte offset {exc.start})",
        ),
    )


def empty() -> pd.DataFrame:
    """An empty normalised trade table with the right columns."""
    return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})


def to_frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    """Build the normalised table with stable dtypes."""
    frame = pd.DataFrame.from_records(records, columns=COLUMNS) if records else empty()
    frame["year"] = pd.array(frame["year"].tolist(), dtype="Int64")
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype("float64")
    frame["quantity"] = pd.to_numeric(frame["quantity"], errors="coerce").astype("float64")
    frame["partner_is_aggregate"] = frame["partner_is_aggregate"].astype(bool)
    for col in (
        "source",
        "reporter",
        "flow",
        "hs",
        "hs6",
        "partner",
        "partner_iso3",
        "partner_name",
        "value_unit",
        "quantity_unit",
    ):
        frame[col] = frame[col].astype("object")
    return frame


def countries_only(frame: pd.DataFrame) -> pd.DataFrame:
    """Partner rows only (aggregates removed)."""
    return frame[~frame["partner_is_aggregate"].astype(bool)]


def aggregates_only(frame: pd.DataFrame) -> pd.DataFrame:
    """Aggregate rows only (World, areas nes, EU, ...)."""
    return frame[frame["partner_is_aggregate"].astype(bool)]


def download_digest(path: Path) -> tuple[str, list[tuple[str, str]]]:
    """sha256 of a user's download and the files it covers.

    A file: its own sha256. A folder (yearly BACI files with their code
    lists): the sha256 of its data files' names and sha256 (``.csv``,
    ``.csv.gz``, ``.parquet``, in name order), so the same files give the same
    digest wherever the folder is.

    Returns
    -------
    digest, files
        ``files`` lists ``(name, sha256)`` of every file covered.
    """
    import hashlib

    path = Path(path)
    if path.is_file():
        return sha256_of(path), [(path.name, sha256_of(path))]
    files = sorted(f for f in path.iterdir() if f.is_file() and f.name.endswith((".csv", ".csv.gz", ".parquet")))
    listed = [(f.name, sha256_of(f)) for f in files]
    return hashlib.sha256("\n".join(f"{n} {s}" for n, s in listed).encode("utf-8")).hexdigest(), listed


_SIDE_COLUMNS = {
    "source": ("string", None, "source format: customs, baci or comtrade"),
    "reporter": ("string", None, "importing economy, ISO alpha-3"),
    "flow": ("string", None, "import or export, reporter's view"),
    "year": ("integer", "year", "calendar year"),
    "hs": ("string", None, "commodity code as published (HS6 or Japan 9-digit statistical code), a string"),
    "hs6": ("string", None, "first six digits of hs"),
    "partner": ("string", None, "partner code as the source gives it"),
    "partner_iso3": ("string", None, "ISO 3166-1 alpha-3 of the partner; empty when unknown or an aggregate"),
    "partner_name": ("string", None, "partner name where the source gives one"),
    "partner_is_aggregate": ("boolean", None, "true for World, areas nes, EU and other groupings"),
    "value": ("number", "see column value_unit", "trade value"),
    "value_unit": ("string", None, "unit of value"),
    "quantity": ("number", "see column quantity_unit", "quantity"),
    "quantity_unit": ("string", None, "unit of quantity (t for masses)"),
}


def write_normalised(
    frame: pd.DataFrame,
    out_dir: Path,
    *,
    source_file: Path,
    producer: str,
    title: str,
    url: str,
    licence: dict[str, str],
    extra_note: str = "",
) -> Path:
    """Write the normalised table and its sidecar (sha256, rows, units, source, date accessed).

    Parameters
    ----------
    frame : pandas.DataFrame
        A table from one of the loaders.
    out_dir : pathlib.Path
        Folder to write ``trade.csv`` and ``trade.csv.meta.yaml`` into.
    source_file : pathlib.Path
        The user's download, a file or a folder of yearly files (sha256 recorded, see :func:`download_digest`).
    producer, title, url, licence
        Sidecar fields describing the source.

    Returns
    -------
    pathlib.Path
        The CSV written.
    """
    digest, listed = download_digest(Path(source_file))
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "trade.csv"
    body = frame[COLUMNS].copy()
    body["partner_is_aggregate"] = body["partner_is_aggregate"].map({True: "true", False: "false"})
    body.to_csv(path, index=False, lineterminator="\n", float_format="%.10g")
    units = sorted(set(frame["value_unit"].dropna())) or ["n/a"]
    years = sorted(int(y) for y in frame["year"].dropna().unique())
    meta = {
        "schema_version": 1,
        "title": title,
        "producer": producer,
        "url": url,
        "source_reference": f"{producer} download "
        + "; ".join(f"{name} (sha256 {sha})" for name, sha in listed)
        + (f" in folder {source_file.name} (digest {digest})" if source_file.is_dir() else ""),
        "date_published": None,
        "date_published_note": "not stated in the downloaded file",
        "date_accessed": dt.date.today().isoformat(),
        "licence": licence,
        "as_of": None,
        "as_of_note": (f"trade flows for years {years[0]}-{years[-1]}" if years else "no rows")
        + "; the file states no release date",
        "processing": "transcribed",
        "confidence": "high",
        "note": (
            "Normalised by evalkit ingest from the user's download; values in " + ", ".join(units) + ". " + extra_note
        ).strip(),
        "primary_key": ["flow", "year", "hs", "partner", "reporter"],
        "columns": {name: {"type": t, "unit": u, "description": d} for name, (t, u, d) in _SIDE_COLUMNS.items()},
        "sha256": sha256_of(path),
        "rows": int(len(frame)),
        "ingest": {"source_file": str(source_file), "source_sha256": digest},
    }
    side = path.with_name(path.name + ".meta.yaml")
    side.write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
