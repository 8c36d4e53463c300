"""The series notebook 50's designs compare: Japan's dependence on China per item, and its comparison units.

Everything comes from a BACI panel (the fetched HS92 extract by default)
through :func:`evalkit.trade_panel.importer_year`, which defines every share.
Three kinds of unit are built here, each chosen by a rule stated in the table
that lists them:

* **Japan**, for one item (``rare_earths``, ``graphite``, ...): China's share
  of Japan's imports of the item's codes (percent), and the HHI (0-1).
* **Comparison importers** (:func:`comparison_importers`): other importers of
  the same codes facing the same supplier, the largest by pre-period import
  value, with a complete series.
* **Comparison materials** (:func:`comparison_materials`): other codes of the
  extract that Japan imported mostly from China in the pre-period.

A series counts only where it is usable: by quantity an importer-year counts
only when BACI gives a quantity for at least :data:`MIN_QUANTITY_COVERAGE` of
its value (before 2000 most rare-earth flows have no quantity), and a unit is
used only with a value in every year of the study window.

HS revisions: ``data/reference/hs_map.csv`` is in HS 2022 and the fetched
extract in HS 1992. :func:`revision_codes` carries each item's codes to the
panel's own revision through the sourced concordance
(:func:`evalkit.hs_revisions.item_codes`: the principal counterpart of each
code, where the item itself is classified), and :func:`item_codes` says which
of them the panel holds.

References
----------
.. [1] CEPII BACI HS92 V202401b (Gaulier & Zignago 2010, CEPII WP 2010-23),
   http://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=37
.. [2] UN Statistics Division, Comtrade: "Other Asia, nes" (code 490) holds
   the trade of Taiwan, Province of China.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from evalkit import hs_revisions, trade_panel
from evalkit.data import baci, read_table, reference_path
from evalkit.errors import MissingInputError, UsageError
from evalkit.trade_panel import JAPAN

#: By quantity, an importer-year counts only when this share of its value has a quantity.
MIN_QUANTITY_COVERAGE = 0.8
#: Importers never used as comparison units, and why.
EXCLUDED_IMPORTERS = {
    392: "the treated unit",
    156: "China: the supplier whose share is measured",
    344: "Hong Kong SAR: imports from mainland China are largely entrepôt trade",
    446: "Macao SAR: as Hong Kong",
}
EXCLUDED_CODES = {392: "treated", 156: "supplier", 344: "hong_kong", 446: "macao"}
#: Display label of BACI importer codes whose ISO3 field is not a country code.
LABELS = {490: "TWN"}
#: Comparison materials: Japan's pre-period China share by value above this (percent) ...
MATERIAL_MIN_SHARE = 50.0
#: ... and pre-period imports of at least this much a year on average (USD thousand).
MATERIAL_MIN_IMPORTS = 1000.0
#: Designation of the first 11 specified critical products (Cabinet Order, December 2022): from the
#: following year every designated item is treated, so none can serve as a comparison material.
DESIGNATION_YEAR = 2022


OUTCOMES = {
    "china_share": "China's share of imports, percent (named_share x 100)",
    "hhi": "HHI of import partners, 0-1",
}


def _panel_path(panel: Path | str | None) -> Path:
    return Path(panel) if panel else trade_panel.default_panel()


def item_slugs() -> dict[tuple[str, int], str]:
    """(product, item_no) → item slug, from the ``item`` column of ``product_items.csv`` (unique across products)."""
    items = read_table(reference_path("product_items"))
    return {(p, int(n)): s for p, n, s in zip(items["product"], items["item_no"], items["item"]) if s}


@lru_cache(maxsize=8)
def _distinct(panel: str, column: str) -> tuple:
    import duckdb

    path = Path(panel)
    if path.suffix == ".parquet":
        source = f"read_parquet('{path}')"
    else:
        source = f"read_csv('{path}', header = true, types = {{'k': 'VARCHAR'}})"
    con = duckdb.connect()
    try:
        return tuple(sorted(con.execute(f"SELECT DISTINCT {column} AS x FROM {source}").df()["x"].tolist()))
    finally:
        con.close()


def panel_codes(panel: Path | str | None = None) -> frozenset[str]:
    """The HS6 codes present in a BACI panel."""
    return frozenset(str(c) for c in _distinct(str(_panel_path(panel)), "k"))


def panel_years(panel: Path | str | None = None) -> list[int]:
    """The years present in a BACI panel."""
    return [int(y) for y in _distinct(str(_panel_path(panel)), "t")]


@lru_cache(maxsize=8)
def _revision_codes(panel: str) -> pd.DataFrame:
    found = baci.panel(panel)
    revision = found.revision or "HS22"
    if revision not in hs_revisions.REVISIONS:
        raise UsageError(f"{found.name} is {revision}: the designated codes are traced to HS92, HS17 and HS22 only")
    return hs_revisions.item_codes(revision)


def revision_codes(panel: Path | str | None = None) -> pd.DataFrame:
    """Each designated item's principal codes in the panel's HS revision (:func:`evalkit.hs_revisions.item_codes`)."""
    return _revision_codes(str(_panel_path(panel)))


@dataclass(frozen=True)
class ItemCodes:
    """The codes of one item in the panel's HS revision, and which of them the panel holds.

    Attributes
    ----------
    item, product : str
        Item slug and product slug.
    item_no : int
        Item number within the product.
    hs_map : tuple of str
        The item's principal codes in the panel's revision (``hs_map.csv``'s HS 2022 codes carried over by
        ``data/reference/hs_concordance.csv``).
    used : tuple of str
        Those the panel holds.
    missing : tuple of str
        Those it does not.
    revision : str
        The panel's HS revision.
    """

    item: str
    product: str
    item_no: int
    hs_map: tuple
    used: tuple
    missing: tuple
    revision: str = "HS92"

    @property
    def note(self) -> str:
        """What was used and what was not, in words."""
        text = (
            f"the item's HS 2022 codes carried to {self.revision} (data/reference/hs_concordance.csv), found in the "
            f"panel: {', '.join(self.used)}"
        )
        if self.missing:
            text += f"; not in the panel: {', '.join(self.missing)}"
        return text


def item_codes(item: str, panel: Path | str | None = None) -> ItemCodes:
    """The codes of ``item`` in the panel's revision and those the panel holds.

    Raises
    ------
    UsageError
        Unknown item slug, or an item with no code in the panel.
    """
    slugs = {v: k for k, v in item_slugs().items()}
    if item not in slugs:
        raise UsageError(f"item {item!r}: expected one of {', '.join(sorted(slugs))}")
    product, item_no = slugs[item]
    rows = revision_codes(panel)
    rows = rows[(rows["product"] == product) & (rows["item_no"].astype(int) == item_no)]
    mapped = tuple(sorted({str(c) for c in rows["hs6"]}))
    present = panel_codes(panel)
    used = tuple(c for c in mapped if c in present)
    revision = rows.attrs.get("revision", "")
    out = ItemCodes(item, product, item_no, mapped, used, tuple(c for c in mapped if c not in present), revision)
    if not used:
        raise UsageError(f"item {item!r}: none of its HS codes ({', '.join(mapped) or 'none'}) is in the panel")
    return out


def covered_items(panel: Path | str | None = None) -> pd.DataFrame:
    """Every designated item with HS codes, and which of its codes (in the panel's revision) the panel holds.

    Returns
    -------
    pandas.DataFrame
        ``item`` (slug, blank without one), ``product``, ``item_no``,
        ``item_ja``, ``item_en``, ``hs2022`` (the map's HS 2022 codes), ``in_panel`` (their principal
        counterparts in the panel's revision that the panel holds), ``not_in_panel``, ``covered`` (bool: at
        least one code in the panel and a slug).
    """
    codes = revision_codes(panel)
    items = read_table(reference_path("product_items"))
    slugs = item_slugs()
    present = panel_codes(panel)
    rows = []
    for (product, item_no), group in codes.groupby(["product", "item_no"], sort=False):
        mine = sorted({str(c) for c in group["hs6"]})
        name = items[(items["product"] == product) & (items["item_no"] == item_no)]
        used = [c for c in mine if c in present]
        slug = slugs.get((product, int(item_no)), "")
        rows.append(
            {
                "item": slug,
                "product": product,
                "item_no": int(item_no),
                "item_ja": name["item_ja"].iloc[0] if len(name) else "",
                "item_en": name["item_en"].iloc[0] if len(name) else "",
                "hs2022": ", ".join(sorted({str(c) for c in group["hs22"]})),
                "in_panel": ", ".join(used),
                "not_in_panel": ", ".join(c for c in mine if c not in present),
                "covered": bool(used) and bool(slug),
            }
        )
    out = pd.DataFrame(rows)
    out.attrs.update(
        sources=[codes.attrs.get("source", ""), items.attrs["source"], f"CEPII BACI [{_panel_path(panel).name}]"],
        note=f"the map's HS 2022 codes carried to {codes.attrs.get('revision', '')} through the sourced concordance "
        "(principal counterparts); a code that holds the goods only until some year (germanium's HS 1992 8112.30, "
        "to 2006) leaves the series short",
    )
    return out


@lru_cache(maxsize=256)
def _importer_year(codes: tuple, measure: str, importers: tuple | None, panel: str) -> pd.DataFrame:
    return trade_panel.importer_year(
        list(codes), measure=measure, importers=list(importers) if importers else None, panel=Path(panel)
    )


def indicators(
    codes, measure: str, *, importers=None, panel: Path | str | None = None, usable_only: bool = True
) -> pd.DataFrame:
    """Each importer's indicators per year for ``codes`` (summed), with the study outcomes added.

    Parameters
    ----------
    codes : sequence of str
        HS6 codes of the panel.
    measure : {"value", "quantity"}
        As for :func:`evalkit.trade_panel.importer_year`.
    importers : sequence of int, optional
        BACI importer codes (default: every importer).
    usable_only : bool
        By quantity, drop importer-years below :data:`MIN_QUANTITY_COVERAGE`.

    Returns
    -------
    pandas.DataFrame
        The :func:`~evalkit.trade_panel.importer_year` columns plus ``unit``
        (display label: ISO3, TWN for BACI 490), ``china_share`` (percent) and
        ``usable`` (bool).
    """
    key = tuple(sorted(str(c) for c in codes))
    imp = tuple(sorted(int(i) for i in importers)) if importers is not None else None
    out = _importer_year(key, measure, imp, str(_panel_path(panel))).copy()
    out.attrs = dict(_importer_year(key, measure, imp, str(_panel_path(panel))).attrs)
    out["unit"] = [LABELS.get(int(c), iso or f"baci:{c}") for c, iso in zip(out["importer"], out["importer_iso3"])]
    out["china_share"] = out["named_share"] * 100.0
    out["usable"] = (out["quantity_coverage"] >= MIN_QUANTITY_COVERAGE) if measure == "quantity" else True
    if usable_only:
        out = out[out["usable"]].reset_index(drop=True)
    return out


def window(item: str, measure: str, panel: Path | str | None = None) -> list[int]:
    """The study years: the last run of years, up to the panel's last, in which Japan's series is usable.

    Years are those the panel holds (a test slice may skip some); a year in
    which Japan has no imports of the item, or (by quantity) too little
    quantity coverage, ends the run.

    Raises
    ------
    UsageError
        When Japan has no usable year for the item.
    """
    codes = item_codes(item, panel).used
    all_years = panel_years(panel)
    jp = indicators(codes, measure, importers=[JAPAN], panel=panel, usable_only=False)
    ok = set(jp.loc[jp["usable"], "year"].astype(int))
    years: list[int] = []
    for y in reversed(all_years):
        if y not in ok:
            break
        years.append(int(y))
    if not years:
        raise UsageError(f"item {item!r}: Japan has no usable {measure} series in the last year of the panel")
    return sorted(years)


def japan(item: str, measure: str, panel: Path | str | None = None) -> pd.DataFrame:
    """Japan's series for ``item`` over the study window: ``year``, ``china_share`` (%), ``hhi``, ``imports``, ..."""
    codes = item_codes(item, panel)
    years = window(item, measure, panel)
    out = indicators(codes.used, measure, importers=[JAPAN], panel=panel)
    out = out[out["year"].isin(years)].sort_values("year").reset_index(drop=True)
    out.attrs.update(source=out.attrs.get("source", ""), note=codes.note, window=years)
    return out


def _pre_years(years: list[int], interruption: int) -> list[int]:
    pre = [y for y in years if y < interruption]
    if len(pre) < 2:
        raise UsageError(f"interruption {interruption}: the study window has {len(pre)} year(s) before it")
    return pre


def comparison_importers(
    item: str, interruption: int, measure: str, n: int, panel: Path | str | None = None
) -> pd.DataFrame:
    """The comparison importers of ``item``, chosen by a stated rule, and the candidates passed over.

    Rule: every importer of the item's codes, largest first by import value
    summed over the pre-period years of the study window; leave out the
    importers of :data:`EXCLUDED_IMPORTERS` and those without a usable
    ``measure`` value in every year of the window; take the first ``n``.

    Returns
    -------
    pandas.DataFrame
        One row per candidate down to the ``n``-th chosen: ``rank``,
        ``importer`` (BACI code), ``unit``, ``name``, ``pre_imports`` (USD
        thousand), ``pre_china_share`` (%, mean over the pre-period years,
        by ``measure``), ``years_usable``, ``chosen`` (bool), ``why_not`` and
        ``why_code`` (``treated``, ``supplier``, ``hong_kong``, ``macao``,
        ``aggregate``, ``incomplete``). ``attrs`` hold ``rule`` and the
        rule's parts (``codes``, ``pre``, ``window``, ``n``).
    """
    if int(n) < 1:
        raise UsageError(f"n={n!r}: expected at least one comparison importer")
    codes = item_codes(item, panel).used
    years = window(item, measure, panel)
    pre = _pre_years(years, interruption)
    value = indicators(codes, "value", panel=panel)
    series = indicators(codes, measure, panel=panel)
    names = trade_panel.country_codes(_panel_path(panel))
    name = dict(zip(names["code"].astype(int), names["name"]))
    aggregate = dict(zip(names["code"].astype(int), names["is_aggregate"]))
    ranked = (
        value[value["year"].isin(pre)]
        .groupby(["importer", "unit"], as_index=False)["imports"]
        .sum()
        .sort_values(["imports", "importer"], ascending=[False, True], kind="mergesort")
    )
    rows, chosen = [], 0
    for rank, rec in enumerate(ranked.itertuples(index=False), start=1):
        code = int(rec.importer)
        mine = series[(series["importer"] == code) & series["year"].isin(years)]
        why, why_code = EXCLUDED_IMPORTERS.get(code, ""), EXCLUDED_CODES.get(code, "")
        if not why and aggregate.get(code, False):
            why, why_code = "an aggregate, not a country", "aggregate"
        if not why and len(mine) < len(years):
            why = f"no usable value ({measure}) in {len(years) - len(mine)} of the {len(years)} study years"
            why_code = "incomplete"
        take = not why
        chosen += take
        rows.append(
            {
                "rank": rank,
                "importer": code,
                "unit": rec.unit,
                "name": name.get(code, ""),
                "pre_imports": float(rec.imports),
                "pre_china_share": float(mine.loc[mine["year"].isin(pre), "china_share"].mean())
                if len(mine)
                else float("nan"),
                "years_usable": int(len(mine)),
                "chosen": take,
                "why_not": why,
                "why_code": why_code,
            }
        )
        if chosen >= n:
            break
    out = pd.DataFrame(rows)
    rule = (
        f"importers of HS {', '.join(codes)} ranked by import value over {pre[0]}-{pre[-1]}; left out: Japan, "
        f"China, Hong Kong, Macao, aggregates, and importers without a usable {measure} value in every year "
        f"{years[0]}-{years[-1]}"
        + (f" (quantity known for at least {MIN_QUANTITY_COVERAGE:.0%} of the value)" if measure == "quantity" else "")
        + f"; the first {n} kept"
    )
    out.attrs.update(
        source=value.attrs.get("source", ""),
        note=rule + (f"; only {chosen} qualify" if chosen < n else ""),
        rule=rule,
        codes=list(codes),
        pre=(pre[0], pre[-1]),
        window=(years[0], years[-1]),
        n=int(n),
        n_chosen=int(chosen),
        measure=measure,
        units={"pre_imports": "USD thousand", "pre_china_share": "%"},
    )
    return out


def importer_panel(item: str, interruption: int, measure: str, n: int, panel: Path | str | None = None) -> pd.DataFrame:
    """Long panel of Japan and the chosen comparison importers: ``unit``, ``year``, ``china_share`` (%), ``hhi``.

    ``attrs`` hold ``treated_unit`` ("JPN"), ``comparison`` (the units, in
    rank order), ``window`` and ``rule``.
    """
    rule = comparison_importers(item, interruption, measure, n, panel)
    chosen = rule.loc[rule["chosen"], "importer"].astype(int).tolist()
    if not chosen:
        raise UsageError(f"item {item!r}: no importer qualifies as a comparison unit ({rule.attrs['rule']})")
    codes = item_codes(item, panel).used
    years = window(item, measure, panel)
    rows = indicators(codes, measure, importers=[JAPAN, *chosen], panel=panel)
    rows = rows[rows["year"].isin(years)]
    out = rows[["unit", "year", "china_share", "hhi"]].sort_values(["unit", "year"]).reset_index(drop=True)
    out.attrs.update(
        source=rows.attrs.get("source", ""),
        treated_unit="JPN",
        comparison=rule.loc[rule["chosen"], "unit"].tolist(),
        window=years,
        rule=rule.attrs["rule"],
    )
    return out


def _descriptions(panel: Path | str | None) -> dict[str, str]:
    found = sorted(_panel_path(panel).parent.glob("product_codes_*.csv"))
    if not found:
        raise MissingInputError(f"no BACI product_codes_*.csv beside {_panel_path(panel).name}")
    table = pd.read_csv(found[0], dtype=str, keep_default_na=False)
    return dict(zip(table["code"], table["description"]))


def designated_codes(panel: Path | str | None = None) -> frozenset[str]:
    """Codes of the panel that stand for a designated item in its HS revision (principal counterparts)."""
    return frozenset(str(c) for c in revision_codes(panel)["hs6"]) & panel_codes(panel)


def comparison_materials(
    item: str,
    interruption: int,
    measure: str,
    panel: Path | str | None = None,
    *,
    min_share: float = MATERIAL_MIN_SHARE,
    min_imports: float = MATERIAL_MIN_IMPORTS,
) -> pd.DataFrame:
    """Other codes of the panel that Japan imported mostly from China before ``interruption``, by a stated rule.

    Rule: every HS6 code of the panel except the item's own; Japan's China
    share by value averaged over the pre-period years above ``min_share``
    percent; Japan's imports at least ``min_imports`` (USD thousand) a year
    on average over those years; a usable ``measure`` value in every year of
    the study window. From the year after designation (2023) on, codes
    mapped to any designated item are left out too (they are treated).

    Returns
    -------
    pandas.DataFrame
        One row per code: ``hs6``, ``description_en`` (BACI's), ``pre_china_share`` (%),
        ``pre_imports_per_year`` (USD thousand), ``years_usable`` (checked only for
        codes that pass the share and size tests),
        ``chosen`` (bool), ``why_not``, ``why_code`` (``designated``,
        ``share``, ``no_imports``, ``size``, ``incomplete``); chosen codes first,
        then by share, largest first.
    """
    own = set(item_codes(item, panel).used)
    years = window(item, measure, panel)
    pre = _pre_years(years, interruption)
    treated_too = designated_codes(panel) if interruption > DESIGNATION_YEAR else frozenset()
    descriptions = _descriptions(panel)
    rows = []
    for code in sorted(panel_codes(panel) - own):
        value = indicators([code], "value", importers=[JAPAN], panel=panel)
        pre_rows = value[value["year"].isin(pre)]
        share = float(pre_rows["china_share"].mean()) if len(pre_rows) else float("nan")
        per_year = float(pre_rows["imports"].sum()) / len(pre)
        why, why_code = "", ""
        if code in treated_too:
            why, why_code = "mapped to a designated item (treated from 2023)", "designated"
        elif not share > min_share:
            why = f"China's share {share:.0f}% is not above {min_share:g}%" if share == share else "no imports"
            why_code = "share" if share == share else "no_imports"
        elif per_year < min_imports:
            why = f"imports of {per_year:,.0f} thousand USD a year are below {min_imports:,.0f}"
            why_code = "size"
        usable = None
        if not why:  # the series by the study's measure is needed only for codes that pass the other tests
            series = value if measure == "value" else indicators([code], measure, importers=[JAPAN], panel=panel)
            usable = int(series["year"].isin(years).sum())
            if usable < len(years):
                why = f"no usable value ({measure}) in {len(years) - usable} of the {len(years)} study years"
                why_code = "incomplete"
        rows.append(
            {
                "hs6": code,
                "description_en": descriptions.get(code, ""),
                "pre_china_share": share,
                "pre_imports_per_year": per_year,
                "years_usable": usable,
                "chosen": not why,
                "why_not": why,
                "why_code": why_code,
            }
        )
    out = pd.DataFrame(rows).sort_values(["chosen", "pre_china_share"], ascending=[False, False], kind="mergesort")
    out = out.reset_index(drop=True)
    out["years_usable"] = out["years_usable"].astype("Int64")
    rule = (
        f"HS6 codes of the extract other than {', '.join(sorted(own))}: Japan's China share by value averaged over "
        f"{pre[0]}-{pre[-1]} above {min_share:g}%, imports of at least {min_imports:,.0f} thousand USD a year, and a "
        f"usable {measure} value in every year {years[0]}-{years[-1]}"
        + ("; codes of designated items left out (treated from 2023)" if treated_too else "")
    )
    out.attrs.update(
        source=f"derived by evalkit from CEPII BACI [{_panel_path(panel).name}]",
        note=rule,
        rule=rule,
        own=sorted(own),
        pre=(pre[0], pre[-1]),
        window=(years[0], years[-1]),
        min_share=min_share,
        min_imports=min_imports,
        designated_out=bool(treated_too),
        measure=measure,
        units={"pre_china_share": "%", "pre_imports_per_year": "USD thousand"},
    )
    return out


def material_panel(item: str, interruption: int, measure: str, panel: Path | str | None = None) -> pd.DataFrame:
    """Long panel of Japan's item series and the chosen comparison materials: ``unit``, ``year``, ``china_share``.

    The treated unit is named after the item; each material after its code.
    """
    rule = comparison_materials(item, interruption, measure, panel)
    chosen = rule.loc[rule["chosen"], "hs6"].tolist()
    if not chosen:
        raise UsageError(f"item {item!r}: no comparison material qualifies ({rule.attrs['rule']})")
    years = window(item, measure, panel)
    frames = [japan(item, measure, panel).assign(unit=item)]
    for code in chosen:
        series = indicators([code], measure, importers=[JAPAN], panel=panel)
        frames.append(series[series["year"].isin(years)].assign(unit=code))
    out = pd.concat(frames)[["unit", "year", "china_share", "hhi"]].sort_values(["unit", "year"]).reset_index(drop=True)
    out.attrs.update(
        source=f"derived by evalkit from CEPII BACI [{_panel_path(panel).name}]",
        treated_unit=item,
        comparison=chosen,
        window=years,
        rule=rule.attrs["rule"],
    )
    return out
