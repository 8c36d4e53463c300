"""Japan's import dependence per designated item, computed from a BACI panel (derived).

Notebook 40 asks whether Japan's external dependence fell, above all on a few
countries. This module answers it with figures computed from real trade data:
for every designated item whose HS codes are in the panel (the fetched BACI
extract, HS 1992, 1995-2024, by default), Japan's imports by partner per
year, by value and by quantity, summarised by :func:`evalkit.trade_panel.importer_year`
(HHI, effective number of suppliers, top-1 and top-3 shares, China's share,
the EU CRMA 65% test; definitions in :mod:`evalkit.indicators`).

The item's codes in the panel's HS edition come from
:func:`evalkit.hs_revisions.item_codes` (principal counterparts only); a code
whose series breaks (germanium's HS 1992 8112.30 is empty from 2007) is used
only up to its last year, so a series is never continued by a code that no
longer holds the goods. Items whose codes are not in the panel say so
(:func:`coverage`) and name the download that would cover them.

Results keys (a public interface, see the README):
``trade.<product>.<item>.<measure>.<indicator>.<year>`` with ``measure`` in
:data:`MEASURES`, ``indicator`` in :data:`INDICATORS` and ``year`` in
:func:`key_years`; :func:`result_key` builds them and nothing else should.

References
----------
.. [1] Gaulier & Zignago (2010), BACI: International Trade Database at the
   Product-Level, CEPII WP 2010-23.
.. [2] Regulation (EU) 2024/1252 (CRMA), Art. 5(1)(c): the 65% benchmark.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from evalkit import hs_revisions, indicators, thresholds, trade_panel
from evalkit.data import baci
from evalkit.dependence import ALL, FULL_DOWNLOAD
from evalkit.i18n import t
from evalkit.registry import check_product, product_names
from evalkit.results import record
from evalkit.years import parse_years

MEASURES = ("value", "quantity")
#: The recorded indicators and their units: one entry per indicator, read by the result keys, the recording
#: loop and the chart. Each is a column of :func:`japan_indicators` (China's share is importer_year's
#: ``named_share``); its label is the key of the same name in translations.yaml.
INDICATORS: dict[str, str] = {
    "china_share": "share (0-1)",
    "hhi": "index (0-1)",
    "top1_share": "share (0-1)",
    "n_eff": "countries",
}
#: Units drawn on the 0-1 axis of :func:`chart`.
ZERO_ONE = ("share (0-1)", "index (0-1)")
#: Years recorded besides the panel's latest: before China's 2010 rare-earth restrictions, after them, and the
#: year the products were designated (Cabinet Order of 2022-12-23).
KEY_YEARS = (2009, 2012, 2022)
REFERENCE_YEAR = 2009
DEFAULT_YEARS = "1995-2024"
JAPAN = trade_panel.JAPAN


def result_key(product: str, item: str, measure: str, indicator: str, year: int) -> str:
    """The results.json key of one figure: ``trade.<product>.<item>.<measure>.<indicator>.<year>``.

    Examples
    --------
    >>> result_key("critical_minerals", "rare_earths", "quantity", "china_share", 2012)
    'trade.critical_minerals.rare_earths.quantity.china_share.2012'
    """
    if measure not in MEASURES or indicator not in INDICATORS:
        raise ValueError(f"result_key: measure {measure!r} / indicator {indicator!r} not defined")
    return f"trade.{product}.{item}.{measure}.{indicator}.{int(year)}"


def key_years(latest: int) -> list[int]:
    """The years recorded: :data:`KEY_YEARS` and the panel's latest year."""
    return sorted({*KEY_YEARS, int(latest)})


# --------------------------------------------------------------------------------------------------
# The panel and the items it can measure


def panel_for(source: str = "baci", path: str = "") -> baci.Panel:
    """The BACI panel to use: ``path`` when ``source`` is ``baci`` and a path is given, else the fetched extract."""
    if source == "baci" and path:
        return baci.panel(path)
    return baci.panel(trade_panel.default_panel())


def _revision(found: baci.Panel) -> str:
    from evalkit.errors import UsageError

    revision = found.revision or "HS22"
    if revision not in hs_revisions.REVISIONS:
        raise UsageError(f"{found.name} is {revision}: the designated codes are traced to HS92, HS17 and HS22 only")
    return revision


@lru_cache(maxsize=8)
def _codes_in(files: tuple[str, ...], fmt: str) -> frozenset[str]:
    import duckdb

    src = ", ".join(f"'{f}'" for f in files)
    read = (
        f"read_parquet([{src}])"
        if fmt == "parquet"
        else f"read_csv([{src}], header = true, types = {{'k': 'VARCHAR'}})"
    )
    con = duckdb.connect()
    try:
        return frozenset(r[0] for r in con.execute(f"SELECT DISTINCT k FROM {read}").fetchall())
    finally:
        con.close()


def items(product: str = ALL, source: str = "baci", path: str = "") -> pd.DataFrame:
    """Every designated item of ``product`` with its codes in the panel's HS edition and which the panel holds.

    Returns
    -------
    pandas.DataFrame
        ``product``, ``item_no``, ``item``, ``hs22`` (HS 2022 codes), ``codes`` (the principal codes of the
        panel's edition), ``in_panel``, ``missing`` (lists), ``breaks`` (code -> last year), ``described`` (the
        codes in the panel with their text) and ``status``:
        ``computed``, ``partial``, ``not_in_panel`` or ``no_hs_code``.
    """
    check_product(product)
    found = panel_for(source, path)
    revision = _revision(found)
    rows = hs_revisions.map_for(revision)
    hs22 = hs_revisions.map_for("HS22")
    from evalkit.data import read_table, reference_path

    texts = read_table(reference_path("hs_map"))[["product", "item_no", "hs6", "hs_description"]]
    hs22 = hs22.merge(
        texts.rename(columns={"hs6": "hs22", "hs_description": "description"}),
        on=["product", "item_no", "hs22"],
        how="left",
    )
    hs22["description"] = hs22["description"].fillna("")
    if product != ALL:
        rows, hs22 = rows[rows["product"] == product], hs22[hs22["product"] == product]
    held = _codes_in(tuple(str(f) for f in found.files), found.fmt)
    own = _own_descriptions(found)
    out = []
    for (prod, item_no, item), grp in rows.groupby(["product", "item_no", "item"], sort=False):
        principal = grp[grp["principal"] & grp["hs6"].notna()]
        codes = sorted(set(principal["hs6"]))
        breaks = {c: int(y) for c, y in zip(principal["hs6"], principal["data_until"]) if not pd.isna(y)}
        in_panel = [c for c in codes if c in held]
        missing = [c for c in codes if c not in held]
        g22 = hs22[(hs22["product"] == prod) & (hs22["item_no"] == item_no)]
        said = dict(zip(g22["hs22"], g22["description"]))
        described = [
            f"{_dotted([c])} {own.get(c) or said.get(h, '')}".strip()
            for c, h in zip(principal["hs6"], principal["hs22"])
        ]
        if not codes:
            status = "no_hs_code"
        elif not in_panel:
            status = "not_in_panel"
        elif missing or any(c in breaks for c in in_panel):
            status = "partial"
        else:
            status = "computed"
        out.append(
            {
                "product": prod,
                "item_no": int(item_no),
                "item": item,
                "hs22": sorted(set(g22["hs6"].dropna())),
                "codes": codes,
                "in_panel": in_panel,
                "missing": missing,
                "breaks": breaks,
                "status": status,
                "described": [d for c, d in zip(principal["hs6"], described) if c in held],
            }
        )
    frame = pd.DataFrame(out)
    frame.attrs.update(revision=revision, panel=found.name, source=rows.attrs["source"])
    return frame


def _own_descriptions(found: baci.Panel) -> dict[str, str]:
    """The panel's own code texts (BACI's ``product_codes_HSxx_*.csv`` beside it), shortened; empty without one."""
    folder = found.path if found.path.is_dir() else found.path.parent
    lists = sorted(folder.glob("product_codes_HS*.csv"))
    if not lists:
        return {}
    codes = baci.read_product_codes(lists[-1])
    return {c: d if len(d) <= 90 else d[:87].rstrip() + "..." for c, d in zip(codes["code"], codes["description"])}


def _names(lang: str) -> dict[tuple[str, int], str]:
    from evalkit.data import read_table, reference_path

    table = read_table(reference_path("product_items"))
    return {(p, int(n)): name for p, n, name in zip(table["product"], table["item_no"], table[f"item_{lang}"])}


def _dotted(codes) -> str:
    return ", ".join(f"{c[:4]}.{c[4:]}" for c in codes) or "—"


def coverage(product: str = ALL, source: str = "baci", path: str = "", lang: str = "ja") -> pd.DataFrame:
    """Which designated items the panel can measure, with which codes, and what would cover the rest.

    Returns
    -------
    pandas.DataFrame
        One row per item: ``product_name``, ``item_name``, ``hs2022`` and ``hs_panel`` (codes, dotted),
        ``codes_used`` (with the code's text from BACI's product code list, or the HS 2022 scope; English),
        ``codes_missing``, ``coverage`` (what
        the figures cover, in ``lang``).
    """
    table = items(product, source, path)
    names, prods = _names(lang), product_names(lang)
    rows = []
    for r in table.to_dict("records"):
        breaks = "; ".join(t("coverage_break", lang, code=_dotted([c]), year=str(y)) for c, y in r["breaks"].items())
        status = t(f"coverage_{r['status']}", lang)
        if r["status"] in ("not_in_panel", "partial") and not (source == "baci" and path):
            status += " " + t("coverage_full_download", lang, where=FULL_DOWNLOAD)
        rows.append(
            {
                "product_name": prods.get(r["product"], r["product"]),
                "item_name": names.get((r["product"], r["item_no"]), r["item"]),
                "hs2022": _dotted(r["hs22"]),
                "hs_panel": _dotted(r["codes"]),
                "codes_used": "; ".join(dict.fromkeys(r["described"])) or "—",
                "codes_missing": _dotted(r["missing"]),
                "coverage": status + (f" {breaks}" if breaks else ""),
            }
        )
    out = pd.DataFrame(rows)
    out.attrs.update(
        title=t("table_coverage_title", lang, revision=table.attrs["revision"]),
        sources=[table.attrs["source"], f"CEPII BACI [{table.attrs['panel']}]"],
        note=t("note_coverage", lang),
    )
    return out


# --------------------------------------------------------------------------------------------------
# Indicators


def _spans(in_panel: list[str], breaks: dict[str, int], lo: int, hi: int) -> list[tuple[list[str], int, int]]:
    """Year spans over which the same codes hold the goods (a code leaves after its last year)."""
    cuts = sorted({y for c, y in breaks.items() if c in in_panel and lo <= y < hi})
    edges = [lo - 1, *cuts, hi]
    spans = []
    for a, b in zip(edges[:-1], edges[1:]):
        codes = [c for c in in_panel if breaks.get(c, 10_000) >= b]
        if codes:
            spans.append((codes, a + 1, b))
    return spans


def _computed(product: str, source: str, path: str, years: str) -> pd.DataFrame:
    """The indicator table (cached per panel file state, so a notebook computes it once)."""
    found = panel_for(source, path)
    stamp = tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in found.files)
    return _computed_at(product, str(found.path), stamp, years)


@lru_cache(maxsize=8)
def _computed_at(product: str, panel_path: str, stamp: tuple, years: str) -> pd.DataFrame:
    table = items(product, "baci", panel_path)
    found = panel_for("baci", panel_path)
    lo, hi = parse_years(years, default=(None, None))
    lo, hi = lo or 1900, hi or 2100
    parts = []
    for order, r in enumerate(table[table["status"].isin(["computed", "partial"])].to_dict("records")):
        for codes, a, b in _spans(r["in_panel"], r["breaks"], lo, hi):
            for measure in MEASURES:
                got = trade_panel.importer_year(
                    codes, measure=measure, importers=[JAPAN], years=(a, b), panel=found.path
                )
                if got.empty:
                    continue
                got = got.assign(
                    order=order, product=r["product"], item_no=r["item_no"], item=r["item"], hs6=", ".join(codes)
                )
                parts.append(got)
    columns = [
        "product",
        "item_no",
        "item",
        "year",
        "measure",
        "imports",
        "unit",
        "n_partners",
        "hhi",
        "n_eff",
        "top1_partner",
        "top1_share",
        "top3_share",
        "named_share",
        "crma_65_breach",
        "quantity_coverage",
        "hs6",
    ]
    if parts:
        out = pd.concat(parts, ignore_index=True)
        out = out.sort_values(["order", "measure", "year"], kind="mergesort")[columns].reset_index(drop=True)
    else:
        out = pd.DataFrame(columns=columns)
    out = out.rename(columns={"named_share": "china_share"})
    out.attrs.update(
        source=f"derived by evalkit from CEPII BACI [{found.name}] ({table.attrs['revision']} codes of "
        "data/reference/hs_concordance.csv), Japan's imports",
        panel=found.name,
        revision=table.attrs["revision"],
    )
    return out


def japan_indicators(
    product: str = ALL, source: str = "baci", path: str = "", years: str = DEFAULT_YEARS, lang: str = "ja"
) -> pd.DataFrame:
    """Japan's import concentration per designated item, year and measure (derived).

    Parameters
    ----------
    product : str
        Product slug or ``all``.
    source, path : str
        ``baci`` and a BACI panel (file or folder); otherwise the fetched extract.
    years : str
        ``YYYY-YYYY``.
    lang : {"ja", "en"}
        Language of the item and partner names.

    Returns
    -------
    pandas.DataFrame
        ``product_name``, ``item_name``, ``year``, ``measured_by`` (by value / by quantity), ``imports``
        (USD thousand or t), ``unit``,
        ``n_partners``, ``hhi`` (0-1), ``n_eff``, ``top1_partner`` (name), ``top1_share``, ``top3_share``,
        ``china_share``, ``crma_65_breach``, ``quantity_coverage``, ``hs6`` (codes summed).
    """
    table = _computed(product, source, path, years).copy()
    names, prods = _names(lang), product_names(lang)
    partners = _partner_names(source, path)
    out = table.assign(
        product_name=table["product"].map(prods),
        item_name=[names.get((p, int(n)), i) for p, n, i in zip(table["product"], table["item_no"], table["item"])],
        top1_partner=table["top1_partner"].map(lambda c: partners.get(c, c)),
        measured_by=table["measure"].map(lambda m: t(f"by_{m}", lang)),
    )
    keep = [c for c in table.columns if c not in ("product", "item_no", "item")]
    out = out[["product_name", "item_name", *["measured_by" if c == "measure" else c for c in keep]]]
    out.attrs.update(
        title=t("table_japan_indicators_title", lang),
        source=table.attrs["source"],
        as_of=t("as_of_baci_years", lang, years=years),
        note=t("note_japan_indicators", lang),
    )
    return out


def _partner_names(source: str, path: str) -> dict[str, str]:
    found = panel_for(source, path)
    codes = baci.read_country_codes(found.country_codes) if found.country_codes else None
    if codes is None:
        return {}
    # an ISO code that BACI gives to a former entity too (DEU: 276 Germany and 280 "Fed. Rep. of Germany (...1990)")
    # is named after the current one
    current = codes.assign(former=codes["name"].str.contains("(...", regex=False)).sort_values("former")
    names: dict[str, str] = {}
    for code, iso, name in zip(current["code"], current["iso3"], current["name"]):
        if iso and iso not in names:
            names[iso] = f"{name} (Taiwan)" if code == baci.TAIWAN_CODE else name
    return names


def summary(
    product: str = ALL,
    source: str = "baci",
    path: str = "",
    years: str = DEFAULT_YEARS,
    reference_year: int = REFERENCE_YEAR,
    lang: str = "ja",
) -> pd.DataFrame:
    """Did dependence fall? Each item's indicators in ``reference_year`` and in the latest year, side by side.

    Returns
    -------
    pandas.DataFrame
        One row per item and measure: ``codes_used``, ``years_with_data``, ``measured_by``,
        ``china_share_ref`` / ``_latest`` and ``_change`` (percentage points),
        ``hhi_ref`` / ``_latest``, ``n_eff_ref`` / ``_latest``, ``top1_ref`` / ``_latest`` (name and share),
        ``crma_latest``; a missing year shows as empty.
    """
    table = _computed(product, source, path, years)
    if table.empty:
        return _nothing(lang, table)
    latest = int(table["year"].max())
    names, prods = _names(lang), product_names(lang)
    partners = _partner_names(source, path)
    rows = []
    for (prod, item_no, item, measure), grp in table.groupby(["product", "item_no", "item", "measure"], sort=False):
        by_year = grp.set_index("year")
        ref = by_year.loc[reference_year] if reference_year in by_year.index else None
        now = by_year.loc[latest] if latest in by_year.index else None

        def top(r):
            return None if r is None else f"{partners.get(r['top1_partner'], r['top1_partner'])} {r['top1_share']:.0%}"

        def pct(r, col):
            return None if r is None else round(100 * float(r[col]), 1)

        def num(r, col, digits):
            return None if r is None else round(float(r[col]), digits)

        change = None if ref is None or now is None else round(pct(now, "china_share") - pct(ref, "china_share"), 1)
        rows.append(
            {
                "product_name": prods.get(prod, prod),
                "item_name": names.get((prod, int(item_no)), item),
                "codes_used": _dotted(sorted({c for s in grp["hs6"] for c in s.split(", ")})),
                "years_with_data": year_ranges(grp["year"]),
                "measured_by": t(f"by_{measure}", lang),
                "china_share_ref": pct(ref, "china_share"),
                "china_share_latest": pct(now, "china_share"),
                "china_share_change": change,
                "hhi_ref": num(ref, "hhi", 3),
                "hhi_latest": num(now, "hhi", 3),
                "n_eff_ref": num(ref, "n_eff", 2),
                "n_eff_latest": num(now, "n_eff", 2),
                "top1_ref": top(ref),
                "top1_latest": top(now),
                "crma_latest": None if now is None else t("yes" if bool(now["crma_65_breach"]) else "no", lang),
            }
        )
    out = pd.DataFrame(rows)
    out.attrs.update(
        title=t("table_summary_title", lang, ref=str(reference_year), latest=str(latest)),
        source=table.attrs["source"],
        as_of=t("as_of_baci_years", lang, years=years),
        note=t("note_summary", lang),
    )
    return out


def year_ranges(years) -> str:
    """Years as compact ranges: ``1995-2006`` or ``1999-2011, 2018-2020``.

    Examples
    --------
    >>> year_ranges([1999, 2000, 2001, 2018, 2019, 2020, 2022])
    '1999-2001, 2018-2020, 2022'
    """
    ys = sorted({int(y) for y in years})
    out, start = [], None
    for a, b in zip(ys, ys[1:] + [None]):
        start = a if start is None else start
        if b != a + 1:
            out.append(f"{start}-{a}" if a != start else f"{a}")
            start = None
    return ", ".join(out)


def _nothing(lang: str, table: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame([{"status": t("no_item_in_panel", lang, where=FULL_DOWNLOAD)}])
    out.attrs.update(source=table.attrs.get("source", ""))
    return out


def suppliers(
    product: str = ALL,
    source: str = "baci",
    path: str = "",
    years: str = DEFAULT_YEARS,
    reference_year: int = REFERENCE_YEAR,
    top: int = 5,
    lang: str = "ja",
) -> pd.DataFrame:
    """Japan's largest suppliers of each item in ``reference_year`` and in the latest year: who replaced whom.

    Returns
    -------
    pandas.DataFrame
        One row per item and rank (1 = largest by value): ``partner_ref``, ``value_share_ref``,
        ``quantity_share_ref``, then the same for the latest year; shares in %.
    """
    table = items(product, source, path)
    computed = _computed(product, source, path, years)
    if computed.empty:
        return _nothing(lang, computed)
    latest = int(computed["year"].max())
    found = panel_for(source, path)
    names, prods = _names(lang), product_names(lang)
    partners = _partner_names(source, path)
    rows = []
    for r in table[table["status"].isin(["computed", "partial"])].to_dict("records"):
        ranked = {}
        for year in (reference_year, latest):
            spans = _spans(r["in_panel"], r["breaks"], year, year)
            if not spans:
                ranked[year] = pd.DataFrame(columns=["partner", "value_share", "quantity_share"])
                continue
            ranked[year] = _shares(spans[0][0], year, found)
        for rank in range(top):
            row = {
                "product_name": prods.get(r["product"], r["product"]),
                "item_name": names.get((r["product"], r["item_no"]), r["item"]),
                "rank": rank + 1,
            }
            for year, tag in ((reference_year, "ref"), (latest, "latest")):
                got = ranked[year]
                if rank < len(got):
                    g = got.iloc[rank]
                    row[f"partner_{tag}"] = partners.get(g["partner"], g["partner"])
                    row[f"value_share_{tag}"] = round(100 * float(g["value_share"]), 1)
                    row[f"quantity_share_{tag}"] = (
                        None if pd.isna(g["quantity_share"]) else round(100 * float(g["quantity_share"]), 1)
                    )
                else:
                    row.update({f"partner_{tag}": None, f"value_share_{tag}": None, f"quantity_share_{tag}": None})
            if row["partner_ref"] is None and row["partner_latest"] is None:
                continue
            rows.append(row)
    out = pd.DataFrame(rows)
    out.attrs.update(
        title=t("table_suppliers_title", lang, ref=str(reference_year), latest=str(latest), top=str(top)),
        source=computed.attrs["source"],
        as_of=t("as_of_baci_years", lang, years=f"{reference_year}, {latest}"),
        note=t("note_suppliers", lang),
    )
    return out


def _shares(codes: list[str], year: int, found: baci.Panel) -> pd.DataFrame:
    """Each partner's share of Japan's imports of ``codes`` in ``year``, by value and by quantity, largest first."""
    flows = trade_panel.partner_flows(codes, importers=[JAPAN], years=(year, year), panel=found.path)
    countries = flows[~flows["exporter_is_aggregate"]].copy()
    countries["partner"] = countries["exporter_iso3"].fillna("baci:" + countries["exporter"].astype(str))
    by_value = indicators.partner_shares(countries, measure="value", partner="partner", by=())
    by_qty = indicators.partner_shares(
        countries.dropna(subset=["quantity"]), measure="quantity", partner="partner", by=()
    )
    out = by_value.rename(columns={"share": "value_share"})[["partner", "value_share"]].merge(
        by_qty.rename(columns={"share": "quantity_share"})[["partner", "quantity_share"]], on="partner", how="left"
    )
    return out.sort_values(["value_share", "partner"], ascending=[False, True], kind="mergesort").reset_index(drop=True)


# --------------------------------------------------------------------------------------------------
# Charts


def chart(
    indicator: str = "china_share",
    product: str = ALL,
    source: str = "baci",
    path: str = "",
    years: str = DEFAULT_YEARS,
    lang: str = "ja",
):
    """One indicator over the years, one small panel per item; solid by value, dashed by quantity.

    Parameters
    ----------
    indicator : {"china_share", "hhi", "top1_share"}
        The share or index to draw (0-1 scale; the CRMA 65% line is drawn for shares).
    product, source, path, years, lang
        As for :func:`japan_indicators`.

    Returns
    -------
    matplotlib.figure.Figure
        Captioned with the BACI panel, its years and what is derived.
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    from evalkit import plotting

    if INDICATORS.get(indicator) not in ZERO_ONE:
        raise ValueError(f"chart: indicator {indicator!r} is not drawn on a 0-1 scale")
    table = _computed(product, source, path, years)
    plotting.setup()
    groups = list(table.groupby(["product", "item_no", "item"], sort=False)) if not table.empty else []
    if not groups:
        fig, ax = plt.subplots(figsize=(7.5, 2.5))
        ax.axis("off")
        ax.text(0, 0.5, t("no_item_in_panel", lang, where=FULL_DOWNLOAD), fontsize=8, wrap=True)
        plotting.caption(fig, table.attrs.get("source", ""), as_of=t("not_applicable", lang), lang=lang)
        plt.close(fig)
        return fig
    ncols = 3
    nrows = int(np.ceil(len(groups) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(9, 2.1 * nrows + 0.8), sharex=True, sharey=True, squeeze=False)
    names = _names(lang)
    lo, hi = parse_years(years, default=(None, None))
    for ax, ((prod, item_no, item), grp) in zip(axes.flat, groups):
        for measure, style in (("value", "-"), ("quantity", "--")):
            sub = grp[grp["measure"] == measure].set_index("year")[indicator].astype(float)
            if len(sub):  # a year without imports is a gap in the line, never bridged
                sub = sub.reindex(range(int(sub.index.min()), int(sub.index.max()) + 1))
            ax.plot(
                sub.index.astype(int),
                sub.to_numpy(),
                linestyle=style,
                color=plotting.PALETTE[0 if measure == "value" else 5],
                linewidth=1.4,
                label=t(f"by_{measure}", lang),
            )
        if indicator != "hhi":
            ax.axhline(thresholds.value("crma_single_country"), color="#888888", linestyle=":", linewidth=0.8)
        ax.set_title(_panel_title(prod, int(item_no), item, grp, names, lang), fontsize=8)
        ax.set_ylim(0, 1.02)
        ax.set_xlim((lo or 1995) - 0.5, (hi or 2024) + 0.5)
        ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))
        ax.tick_params(labelsize=7)
    spare = list(axes.flat)[len(groups) :]
    for ax in spare:
        ax.axis("off")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    (spare[0] if spare else axes.flat[0]).legend(handles, labels, fontsize=8, frameon=False, loc="center")
    fig.suptitle(t(f"chart_items_{indicator}_title", lang), fontsize=10.5, y=0.995)
    plotting.caption(
        fig,
        table.attrs["source"],
        as_of=t("as_of_baci_years", lang, years=years),
        note=t("note_items_chart", lang),
        lang=lang,
    )
    height = fig.get_size_inches()[1]
    lines = fig.texts[-1].get_text().count("\n") + 1
    fig.subplots_adjust(top=1 - 0.8 / height, bottom=(0.45 + 0.14 * lines) / height, hspace=0.6, wspace=0.12)
    plt.close(fig)
    return fig


def _panel_title(product: str, item_no: int, item: str, grp: pd.DataFrame, names: dict, lang: str) -> str:
    """An item's short name (without the slide's bracketed examples), its product when not a mineral, and codes."""
    import re

    name = re.split(r"（| \(", names.get((product, item_no), item))[0].strip()
    prod = product_names(lang).get(product, product)
    if product != "critical_minerals" and not prod.lower().startswith(name.lower()):
        name = f"{prod}: {name}"
    codes = sorted({c for s in grp["hs6"] for c in s.split(", ")})
    return f"{name}\n{_dotted(codes)}"


# --------------------------------------------------------------------------------------------------
# Headline figures


def record_indicators(
    product: str = ALL, source: str = "baci", path: str = "", years: str = DEFAULT_YEARS
) -> pd.DataFrame:
    """Record every item's indicators of :func:`key_years` under :func:`result_key` keys, and list what was recorded.

    A year without imports of the item is recorded as None (a stated gap). Every record carries its unit and a
    derived source naming the BACI panel, the HS revision and codes.

    Returns
    -------
    pandas.DataFrame
        One row per item: ``key_prefix``, ``years``, ``records`` (how many), ``gaps`` (how many None).
    """
    table = _computed(product, source, path, years)
    covered = items(product, source, path)
    covered = covered[covered["status"].isin(["computed", "partial"])]
    if table.empty:
        return _nothing("en", table)
    wanted = key_years(int(table["year"].max()))
    rows = []
    for r in covered.to_dict("records"):
        grp = table[(table["product"] == r["product"]) & (table["item_no"] == r["item_no"])]
        n = gaps = 0
        for measure in MEASURES:
            sub = grp[grp["measure"] == measure].set_index("year")
            for year in wanted:
                hit = sub.loc[year] if year in sub.index else None
                for indicator in INDICATORS:
                    value = None if hit is None else float(hit[indicator])
                    note = "" if hit is not None else "no imports of these codes in this year in the panel"
                    if measure == "quantity":
                        note = "; ".join(x for x in (note, "gross tonnes of the codes summed") if x)
                    if r["status"] == "partial" and r["missing"]:
                        note = "; ".join(x for x in (note, f"codes not in the panel: {', '.join(r['missing'])}") if x)
                    codes = hit["hs6"] if hit is not None else ", ".join(r["in_panel"])
                    record(
                        result_key(r["product"], r["item"], measure, indicator, year),
                        value,
                        unit=INDICATORS[indicator],
                        source=f"derived: evalkit from {table.attrs['panel']} (CEPII BACI), Japan's imports of "
                        f"{table.attrs['revision']} {codes}",
                        note=note,
                    )
                    n += 1
                    gaps += value is None
        rows.append(
            {
                "key_prefix": f"trade.{r['product']}.{r['item']}.*",
                "years": ", ".join(map(str, wanted)),
                "records": n,
                "gaps": gaps,
            }
        )
    out = pd.DataFrame(rows)
    out.attrs.update(
        source=table.attrs["source"], note="keys trade.<product>.<item>.<value|quantity>.<indicator>.<year>"
    )
    return out


def figure(
    product: str, item: str, measure: str, indicator: str, year: int, *, source: str = "baci", path: str = ""
) -> float | None:
    """One computed figure of :func:`japan_indicators` (None when the panel has no imports of the item that year)."""
    table = _computed(product, source, path, DEFAULT_YEARS)
    hit = table[
        (table["product"] == product)
        & (table["item"] == item)
        & (table["measure"] == measure)
        & (table["year"] == year)
    ]
    return None if hit.empty else float(hit.iloc[0][indicator])
