"""World mine production concentration per commodity and year, from World Mining Data.

World Mining Data (Austrian Federal Ministry of Finance) gives each commodity's
mine production per country and year in the unit its sheet states: metric
tonnes of metal or oxide *content* for most sheets (the sheet name says which
content, e.g. ``Rare Earths (REO)``, ``Lithium (Li2O)``), kilograms for the
precious metals, carats for diamonds and million cubic metres for natural gas.
Shares are unit-free, so the concentration of one sheet needs no conversion;
figures of two sheets are never added.

Rules
-----
* The sheets' ``Total`` rows (country code ``DELETE``) are not countries and
  never enter a share.
* An empty cell is a year the source leaves blank: it is not a zero, and a
  commodity × year whose every cell is empty (or zero) is a stated gap.
* HHI, top-1 share and China's share come from :mod:`evalkit.indicators`.

References
----------
.. [1] Reichl, C. and Schatz, M., World Mining Data 2025, Austrian Federal
   Ministry of Finance, https://www.world-mining-data.info (tables "Production
   of Mineral Raw Materials of individual Countries by Minerals").
.. [2] Herfindahl-Hirschman index as in :func:`evalkit.indicators.hhi`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from evalkit import indicators
from evalkit.data import fetched
from evalkit.data.table import read_table

#: Country code of the sheets' "Total" rows (not a country).
TOTAL_CODE = "DELETE"
#: World Mining Data's ISO3 code of China, for ``china_share``.
CHINA = "CHN"


def load(path=None) -> pd.DataFrame:
    """World Mining Data production, one row per sheet, country and year (countries only).

    Parameters
    ----------
    path : path-like, optional
        ``wmd_production.csv`` with its sidecar (default: the fetched table).

    Returns
    -------
    pandas.DataFrame
        ``commodity`` (sheet name), ``country``, ``country_code`` (text, BACI
        style), ``country_iso3``, ``year``, ``value`` (NaN where the source is
        blank), ``unit`` (as the sheet states it), ``data_source``. ``attrs``
        carry the table's citation.
    """
    frame = read_table(path or fetched.table_path("wmd_production"))
    out = frame[frame["country_code"] != TOTAL_CODE].reset_index(drop=True)
    out["year"] = out["year"].astype(int)
    out.attrs = {"source": frame.attrs["source"], "meta": frame.attrs.get("meta", {})}
    return out


def concentration(
    table: pd.DataFrame | None = None,
    *,
    commodities: Sequence[str] | None = None,
    years: tuple[int, int] | None = None,
) -> pd.DataFrame:
    """Concentration of world mine production per commodity (sheet) and year (derived).

    Parameters
    ----------
    table : pandas.DataFrame, optional
        As returned by :func:`load` (default: the fetched table).
    commodities : sequence of str, optional
        World Mining Data sheet names; all when None.
    years : (int, int), optional
        Inclusive range; all years of the table when None.

    Returns
    -------
    pandas.DataFrame
        One row per sheet and year: ``commodity``, ``year``, ``unit``,
        ``world_production`` (sum over countries, in ``unit``),
        ``n_producers`` (countries with positive production), ``hhi`` (0-1),
        ``top1_country`` (ISO3), ``top1_share``, ``china_share``, and ``gap``
        (empty when computed, else why not). A blank or all-zero year is a
        gap, never a zero.
    """
    table = load() if table is None else table
    rows = table[table["country_code"] != TOTAL_CODE]
    if commodities is not None:
        rows = rows[rows["commodity"].isin(list(commodities))]
    if years is not None:
        rows = rows[rows["year"].between(int(years[0]), int(years[1]))]
    out = []
    for (sheet, year), grp in rows.groupby(["commodity", "year"], sort=True):
        units = sorted(set(grp["unit"].dropna()))
        values = pd.to_numeric(grp["value"], errors="coerce")
        known = grp[values.notna()]
        vals = values[values.notna()].to_numpy(dtype=float)
        total = float(vals.sum()) if vals.size else 0.0
        rec = {
            "commodity": sheet,
            "year": int(year),
            "unit": units[0] if len(units) == 1 else " | ".join(units),
            "world_production": total if vals.size else np.nan,
            "n_producers": int((vals > 0).sum()),
            "hhi": np.nan,
            "top1_country": None,
            "top1_share": np.nan,
            "china_share": np.nan,
            "gap": "",
        }
        if len(units) > 1:
            rec["gap"] = f"the sheet mixes units {units}: no share computed"
        elif not vals.size:
            rec["gap"] = "World Mining Data leaves every country blank this year"
        elif total <= 0:
            rec["gap"] = "World Mining Data gives no positive production this year"
        else:
            order = np.argsort(-vals, kind="stable")
            rec["hhi"] = indicators.hhi(vals)
            rec["top1_country"] = known["country_iso3"].to_numpy()[order[0]]
            rec["top1_share"] = indicators.top_share(vals, 1)
            rec["china_share"] = float(vals[(known["country_iso3"] == CHINA).to_numpy()].sum() / total)
        out.append(rec)
    frame = pd.DataFrame(
        out,
        columns=[
            "commodity",
            "year",
            "unit",
            "world_production",
            "n_producers",
            "hhi",
            "top1_country",
            "top1_share",
            "china_share",
            "gap",
        ],
    )
    frame.attrs = {
        "source": f"derived by evalkit from World Mining Data: {table.attrs.get('source', 'wmd_production.csv')}",
        "note": "mine production of countries ('Total' rows excluded), each sheet in its own unit; shares unit-free",
    }
    return frame


def country_value(table: pd.DataFrame, sheet: str, year: int, iso3: str) -> tuple[float | None, str | None]:
    """One country's production of one sheet and year, and the sheet's unit.

    Returns
    -------
    (float or None, str or None)
        The value (``None`` when the country is not listed or the cell is
        blank) and the unit of the sheet (``None`` when the sheet has no row
        that year).
    """
    rows = table[(table["commodity"] == sheet) & (table["year"] == int(year))]
    unit = rows["unit"].dropna().iloc[0] if rows["unit"].notna().any() else None
    mine = rows[rows["country_iso3"] == iso3]
    if mine.empty or mine["value"].isna().all():
        return None, unit
    return float(mine["value"].dropna().iloc[0]), unit
