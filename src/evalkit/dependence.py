"""External dependence per product: published figures, and indicators from a trade file.

Answers notebook ``40_external_dependence``. Two kinds of evidence are kept
apart:

* **published figures** (``external_dependence_published.csv``): scattered
  shares and volumes from many publications. Rows are comparable only within
  one ``series_id``; different series (e.g. the 2009–2014 MOF figures relayed
  third-hand and the 2024 Customs/JOGMEC figures) are never joined into one
  line;
* **indicators computed by evalkit** (*derived*) from a Japan Customs, BACI
  or Comtrade file the user downloaded, per named item (via
  ``data/reference/hs_map.csv``) and for all items together, by value and by
  quantity (:mod:`evalkit.indicators`).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from evalkit import indicators, thresholds
from evalkit.data import LATEST, read_table, reference_path, table_path
from evalkit.data.sidecar import sidecar_path
from evalkit.errors import UsageError
from evalkit.i18n import header, t
from evalkit.paths import relative
from evalkit.registry import check_product, products
from evalkit.results import record
from evalkit.years import parse_years

SOURCES = ("published", "customs", "baci", "comtrade")
ALL = "all"


def _published_raw() -> pd.DataFrame:
    return read_table(table_path("compiled", "external_dependence_published", LATEST))


def items_and_codes(product: str) -> pd.DataFrame:
    """The product's named items and the HS6 codes they map to (or why none).

    Returns
    -------
    pandas.DataFrame
        ``product``, ``item_no``, ``item_ja``, ``item_en``, ``hs6`` (codes
        joined with ', '), ``confidence`` (per code), ``no_hs_equivalent``
        and ``note``; sourced from ``hs_map.csv`` and ``product_items.csv``.
    """
    check_product(product)
    hs_map = read_table(reference_path("hs_map"))
    items = read_table(reference_path("product_items"))
    if product != ALL:
        hs_map = hs_map[hs_map["product"] == product]
        items = items[items["product"] == product]
    hs_map = hs_map.assign(
        code_conf=np.where(
            hs_map["no_hs_equivalent"].astype(bool), "—", hs_map["hs6"].fillna("") + " (" + hs_map["confidence"] + ")"
        )
    )
    grouped = hs_map.groupby(["product", "item_no"], sort=False).agg(
        hs6=("code_conf", ", ".join),
        no_hs_equivalent=("no_hs_equivalent", "all"),
        note=("note", lambda s: "; ".join(x for x in s.dropna() if x)),
    )
    out = items.merge(grouped.reset_index(), on=["product", "item_no"], how="left")
    out = out[["product", "item_no", "item_ja", "item_en", "hs6", "no_hs_equivalent", "note"]]
    out = out.reset_index(drop=True)
    out.attrs.update(
        sources=[read_table(reference_path("hs_map")).attrs["source"], items.attrs["source"]],
        note="HS 2022 subheadings; confidence per code in brackets",
    )
    return out


def published(product: str = ALL) -> pd.DataFrame:
    """Published dependence figures for ``product`` (or all), one row per figure.

    Returns
    -------
    pandas.DataFrame
        ``series_id``, ``material``, ``indicator``, ``partner``, ``period``,
        ``value``, ``value_qualifier``, ``unit``, ``confidence``, ``source``;
        ordered by series and period. Rows are comparable only within one
        ``series_id``. A figure that is not available shows as empty.
    """
    check_product(product)
    raw = _published_raw()
    rows = raw if product == ALL else raw[raw["product"].isin([product, ALL])]
    cols = [
        "row_id",
        "product",
        "series_id",
        "material",
        "indicator",
        "partner",
        "period",
        "value",
        "value_qualifier",
        "unit",
        "confidence",
        "source",
    ]
    out = rows[cols].sort_values(["product", "series_id", "period"], kind="mergesort").reset_index(drop=True)
    out.attrs.update(
        source=raw.attrs["source"],
        as_of="rows carry their own periods",
        note="published figures, not evalkit's; compare rows only within one series_id",
    )
    return out


def _position(row) -> float | None:
    if row["year"] is not None and not pd.isna(row["year"]):
        return float(row["year"])
    m = re.fullmatch(r"(\d{4})H([12])", str(row["period"] or ""))
    if m:
        return int(m.group(1)) + (0.25 if m.group(2) == "1" else 0.75)
    return None


def published_chart(product: str = "critical_minerals", lang: str = "ja"):
    """China's share (%) in the published series of ``product``: one line per series, never joined.

    Parameters
    ----------
    product : str
        Product slug (or ``all``).
    lang : {"ja", "en"}
        Language of title, axis, messages and caption (series ids and
        materials are shown as the data package spells them).

    Returns
    -------
    matplotlib.figure.Figure
        Each ``series_id`` is drawn separately (a one-point series as a
        marker); figures with an approximate period are left out (they are in
        the table). Captioned with the compiled table's source.
    """
    import matplotlib.pyplot as plt

    from evalkit import plotting

    check_product(product)
    raw = _published_raw()
    rows = raw if product == ALL else raw[raw["product"] == product]
    rows = rows[(rows["unit"] == "%") & (rows["partner_iso3"] == "CHN") & rows["value"].notna()].copy()
    rows["x"] = [_position(r) for _, r in rows.iterrows()]
    rows = rows.dropna(subset=["x"])
    plotting.setup()
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    for i, (series, grp) in enumerate(rows.groupby("series_id", sort=True)):
        grp = grp.sort_values("x")
        color = plotting.PALETTE[i % len(plotting.PALETTE)]
        ax.plot(
            grp["x"],
            grp["value"],
            linestyle=":" if len(grp) > 1 else "none",
            color=color,
            marker="o",
            label=f"{series} ({grp['material'].iloc[0]})",
        )
        exact = grp["value_qualifier"] == "exact"
        ax.scatter(grp.loc[~exact, "x"], grp.loc[~exact, "value"], facecolors="white", edgecolors=color, zorder=3)
        for _, r in grp.iterrows():
            label = r["value_text"] if isinstance(r["value_text"], str) and r["value_text"] else f"{r['value']:g}"
            ax.annotate(label, (r["x"], r["value"]), textcoords="offset points", xytext=(0, 5), fontsize=7, ha="center")
    ax.set_ylim(0, 100)
    ax.set_ylabel(t("axis_china_share", lang))
    ax.set_xlabel(t("axis_year", lang))
    ax.set_title(t("chart_published_china_title", lang))
    if len(rows):
        ax.legend(fontsize=6.5, frameon=False, loc="lower left")
    else:
        ax.text(0.5, 0.5, t("no_published_china_share", lang), ha="center", va="center", transform=ax.transAxes)
    plotting.caption(
        fig, raw.attrs["source"], as_of=t("as_of_own_periods", lang), note=t("note_published_chart", lang), lang=lang
    )
    plt.close(fig)
    return fig


def headline_results() -> pd.DataFrame:
    """Which published figures are headline results: ``data/reference/headline_results.csv``.

    Returns
    -------
    pandas.DataFrame
        ``key`` (the results.json key, a public interface), ``table``, ``row_id`` (the compiled-table row
        holding the figure), ``note_en``, ``note_ja`` (the caveat shown with it).
    """
    return read_table(reference_path("headline_results"))


def record_published(product: str = ALL, lang: str = "ja") -> pd.DataFrame:
    """Record the headline published figures (the rows of :func:`headline_results`) and list them.

    Parameters
    ----------
    product : str
        ``all`` or a product slug.
    lang : {'ja', 'en'}
        Language of the ``note`` column shown; results.json keeps the English note.

    Returns
    -------
    pandas.DataFrame
        key, value, unit, note, source: what was recorded.
    """
    check_product(product)
    raw = _published_raw().set_index("row_id")
    results, notes = [], []
    for head in headline_results().itertuples():
        row = raw.loc[head.row_id]
        if product != ALL and row["product"] != product:
            continue
        value = None if pd.isna(row["value"]) else float(row["value"])
        src = f"{row['source']} (compiled table row {head.row_id}, series {row['series_id']}, period {row['period']})"
        note_en = head.note_en if isinstance(head.note_en, str) else ""
        results.append(record(head.key, value, unit=str(row["unit"]), source=src, note=note_en))
        shown = head.note_ja if lang == "ja" else head.note_en
        notes.append(shown if isinstance(shown, str) else "")
    out = pd.DataFrame([r.to_dict() for r in results]).reindex(columns=["key", "value", "unit", "note", "source"])
    out["note"] = notes
    out.attrs.update(source=raw.attrs["source"], as_of="rows carry their own periods")
    return out


# --------------------------------------------------------------------------------------------------
# Indicators from a trade file


def load_trade(source: str, path: str, *, hs: list[str] | None = None) -> pd.DataFrame:
    """Load a trade file: an ingested ``trade.csv`` (with sidecar) or a raw download of ``source``."""
    from evalkit.data.ingest import load

    p = Path(path)
    if sidecar_path(p).is_file():
        frame = read_table(p)
        frame["partner_is_aggregate"] = frame["partner_is_aggregate"].astype(bool)
        if hs:
            frame = frame[frame["hs6"].str.startswith(tuple(hs))]
        return frame
    return load(source, p, hs=hs)


def _partner_key(frame: pd.DataFrame) -> pd.Series:
    iso = frame["partner_iso3"].astype("object")
    fallback = frame["source"].astype(str) + ":" + frame["partner"].astype(str)
    return iso.where(iso.notna() & (iso.astype(str).str.fullmatch(r"[A-Z]{3}")), fallback)


def indicator_rows(
    frame: pd.DataFrame,
    *,
    measure: str = "value",
    by: tuple[str, ...] = ("year",),
    named: str = indicators.DEFAULT_NAMED,
) -> pd.DataFrame:
    """Concentration indicators of import rows (aggregates excluded).

    Partners are identified by ISO alpha-3 where known (else ``source:code``).
    By quantity, only rows measured in tonnes are used.

    Returns
    -------
    pandas.DataFrame
        As :func:`evalkit.indicators.concentration`, plus ``unit``.
    """
    rows = frame[frame["flow"] == "import"].copy()
    if measure == "quantity":
        rows = rows[rows["quantity_unit"] == "t"]
        unit = "t"
    else:
        units = sorted(set(rows["value_unit"].dropna()))
        if len(units) > 1:
            raise UsageError(f"trade rows mix value units {units}; ingest one source at a time")
        unit = units[0] if units else ""
    rows["partner_key"] = _partner_key(rows)
    out = indicators.concentration(
        rows, measure=measure, partner="partner_key", by=list(by), named=named, named_column="partner_key"
    )
    if not rows["partner_key"].str.fullmatch(r"[A-Z]{3}").any():
        out["named_share"] = np.nan  # partners not identifiable: a 0 would be a false statement
    out = out.rename(columns={"named_share": f"{named.lower()}_share"})
    out.insert(len(by), "measure", measure)
    out.insert(len(by) + 2, "unit", unit)
    return out


def _user_file_codes(product: str, source: str, path: str) -> pd.DataFrame:
    """``product``'s item codes in the edition of the user's file (BACI: the panel's; others: HS 2022)."""
    from evalkit import hs_revisions

    revision = "HS22"
    if source == "baci":
        from evalkit.data.baci import panel

        revision = panel(path).revision or "HS22"
    rows = hs_revisions.item_codes(hs_revisions.check_revision(revision))
    rows = rows[rows["product"] == product]
    rows.attrs["revision"] = revision
    return rows


def trade_indicators(
    product: str, source: str = "published", path: str = "", years: str = "", lang: str = "ja"
) -> pd.DataFrame:
    """The full indicator table per named item and year, by value and by quantity, from the user's trade file.

    Parameters
    ----------
    product : str
        Product slug, or ``all`` (every product with an HS code, one after the other).
    source : str
        ``customs``, ``baci`` or ``comtrade`` (``published``: no trade file).
    path : str
        The downloaded file (BACI: also a folder of yearly files), or an ingested ``trade.csv``.
    years : str
        ``YYYY-YYYY`` (inclusive) or empty for all years.
    lang : {"ja", "en"}
        Language of the messages.

    Returns
    -------
    pandas.DataFrame
        ``item`` (item number and name, or ``all items``), ``hs6``, ``year``,
        ``measure``, ``imports``, ``unit``, ``n_partners``, ``hhi``,
        ``hhi_10000``, ``n_eff``, ``top1_partner``, ``top1_share``,
        ``top3_share``, ``chn_share``, ``crma_65_breach`` (with ``product``
        first for ``all``). BACI files are read with the item codes of their
        own HS edition (:mod:`evalkit.hs_revisions`). Without a trade file, or
        for items with no HS equivalent, a table saying why there is no trade
        measure.
    """
    check_product(product)
    if source not in SOURCES:
        raise UsageError(f"source {source!r}: expected one of {SOURCES}")
    hs_source = read_table(reference_path("hs_map")).attrs["source"]
    if source == "published" or not path:
        out = pd.DataFrame([{"status": t("user_file_none", lang), "why": t("user_file_why", lang)}])
        out.attrs.update(source=hs_source)
        return out
    if product == ALL:
        parts = []
        for slug in products()["product"]:
            one = trade_indicators(slug, source, path, years, lang)
            if "year" in one.columns and not one.empty:
                parts.append(one.assign(product=slug)[["product", *one.columns]])
        out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
        out.attrs.update(source=parts[0].attrs["source"] if parts else hs_source)
        return out
    items = items_and_codes(product)
    codes = _user_file_codes(product, source, path)
    if codes.empty:
        out = items[["item_no", "item_en", "note"]].rename(columns={"note": "why no trade measure"})
        out.attrs.update(source=hs_source, note=t("note_no_hs_code_product", lang))
        return out
    lo, hi = parse_years(years, default=(None, None))
    frame = load_trade(source, path, hs=sorted(set(codes["hs6"])))
    if lo is not None:
        frame = frame[(frame["year"] >= lo) & (frame["year"] <= hi)]
    for hs6, last in zip(codes["hs6"], codes["data_until"]):  # a code that stops holding the goods
        if not pd.isna(last):
            frame = frame[~((frame["hs6"] == hs6) & (frame["year"] > int(last)))]
    names = dict(zip(items["item_no"], items["item_en"]))
    groups = [(f"{n}. {names.get(n, '')}", sorted(set(g["hs6"]))) for n, g in codes.groupby("item_no")]
    groups.append(("all items", sorted(set(codes["hs6"]))))
    parts = []
    for label, item_codes in groups:
        sel = frame[frame["hs6"].isin(item_codes)]
        for measure in ("value", "quantity"):
            rows = indicator_rows(sel, measure=measure)
            rows.insert(0, "hs6", ", ".join(item_codes))
            rows.insert(0, "item", label)
            parts.append(rows)
    out = pd.concat(parts, ignore_index=True)
    out.attrs.update(
        source=f"derived by evalkit from {frame.attrs.get('source') or relative(Path(path))}",
        note=f"{codes.attrs['revision']} codes; aggregates (World, areas nes, EU) excluded; shares by value and by "
        "quantity (t); codes shared between items are counted once in 'all items'",
    )
    return out


def trade_chart(product: str, source: str = "published", path: str = "", years: str = "", lang: str = "ja"):
    """China's share, top-1 share and HHI per year for all of the product's items, by value and quantity.

    Parameters
    ----------
    product, source, path, years : str
        As for :func:`trade_indicators`.
    lang : {"ja", "en"}
        Language of titles, legend, messages and caption.

    Returns
    -------
    matplotlib.figure.Figure
        Or a figure that says there is nothing to draw (no trade file, or no
        HS equivalent).
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    from evalkit import plotting

    table = trade_indicators(product, source, path, years, lang)
    fig, axes = _trade_axes(table, lang, product)
    if fig is None:
        return axes
    combined = table[table["item"] == "all items"]
    for ax, measure in zip(axes, ("value", "quantity")):
        sub = combined[combined["measure"] == measure].sort_values("year")
        for j, (col, label) in enumerate(
            (
                ("chn_share", t("label_china_share", lang)),
                ("top1_share", t("label_top1_share", lang)),
                ("hhi", "HHI (0-1)"),
            )
        ):
            ax.plot(sub["year"].astype(int), sub[col].astype(float), marker="o", label=label, color=plotting.PALETTE[j])
        ax.axhline(thresholds.value("crma_single_country"), color="#888888", linestyle=":", linewidth=1)
        ax.set_title(t(f"by_{measure}", lang), fontsize=10)
        ax.set_ylim(0, 1.02)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes[0].legend(fontsize=7, frameon=False)
    fig.suptitle(t("chart_trade_title", lang), fontsize=11, y=0.99)
    fig.subplots_adjust(top=0.82)
    plotting.caption(
        fig,
        table.attrs["source"],
        as_of=t("as_of_years_in_file", lang),
        note=t("note_derived_by_evalkit", lang),
        lang=lang,
    )
    plt.close(fig)
    return fig


# --------------------------------------------------------------------------------------------------
# Scheduled pipelines: ``evalkit dependence``


def read_production(path: str) -> pd.DataFrame:
    """Read a domestic-production table (``product``, ``year``, ``value``, ``unit``, ``source``).

    Every problem is reported with file, line, column and value. A file with
    a sidecar is read through :func:`evalkit.data.read_table`.
    """
    from evalkit.data.table import check_table
    from evalkit.errors import DataValidationError, MissingInputError, Problem

    p = Path(path)
    if not p.is_file():
        raise MissingInputError(f"{path}: production file not found")
    name = relative(p)
    if sidecar_path(p).is_file():
        frame, problems = check_table(p)
        if problems:
            raise DataValidationError(problems)
    else:
        frame = pd.read_csv(p, dtype=str, keep_default_na=False)
    need = ["product", "year", "value", "unit", "source"]
    missing = [c for c in need if c not in frame.columns]
    if missing:
        raise DataValidationError(
            [Problem(name, 1, ",".join(missing), None, "header:schema", f"production table needs columns {need}")]
        )
    problems = []
    out = frame[need].copy()
    for col in ("year", "value"):
        num = pd.to_numeric(out[col], errors="coerce")
        for idx in out.index[num.isna() | (num < 0)]:
            problems.append(
                Problem(name, int(idx) + 2, col, str(out.at[idx, col]), "type:number", "expected a non-negative number")
            )
        out[col] = num
    for idx in out.index[out["source"].astype(str).str.strip() == ""]:
        problems.append(Problem(name, int(idx) + 2, "source", "", "required", "every production figure needs a source"))
    if problems:
        raise DataValidationError(problems)
    out["year"] = out["year"].astype(int)
    out.attrs["source"] = f"production [{name}]"
    return out


#: Where a user finds the trade data evalkit does not ship (README section).
FULL_DOWNLOAD = (
    "the full CEPII BACI release (http://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=37) or Japan "
    "Customs 品別国別表 (https://www.customs.go.jp/toukei/info/index_e.htm); see the README, 'Trade data'"
)


def _importer_for(source: str, importer: str, frame_codes=None) -> tuple[str, int | None]:
    """The importer as ISO alpha-3 (and BACI code) for ``source``; unknown codes are a usage error."""
    text = str(importer or "JPN").strip()
    if source == "customs":
        if text.upper() not in ("JPN", "392"):
            raise UsageError(
                f"importer {importer!r}: Japan Customs statistics are Japan's own trade; use --importer JPN "
                "or a BACI or Comtrade file for another importer"
            )
        return "JPN", 392
    if source == "comtrade":
        if not (len(text) == 3 and text.isalpha()):
            raise UsageError(f"importer {importer!r}: a Comtrade file is selected by reporter ISO alpha-3, e.g. JPN")
        return text.upper(), None
    from evalkit.data.baci import resolve_importer

    code, iso = resolve_importer(text, frame_codes)
    return iso, code


def _codes_for(product: str, revision: str) -> tuple[list[str], dict[str, int]]:
    """HS codes measuring ``product`` in ``revision`` and the last year of codes with a known series break."""
    from evalkit import hs_revisions

    rows = hs_revisions.item_codes(revision)
    rows = rows[rows["product"] == product]
    breaks = {c: int(y) for c, y in zip(rows["hs6"], rows["data_until"]) if not pd.isna(y)}
    return sorted(set(rows["hs6"])), breaks


def dependence_rows(
    *,
    source: str,
    path: str,
    product: str | None = None,
    hs: list[str] | None = None,
    importer: str = "JPN",
    years: str = "",
    measure: str = "value",
    production: str | None = None,
) -> dict:
    """Indicator rows per year over the selected HS codes combined (the ``evalkit dependence`` output).

    Parameters
    ----------
    source : str
        ``customs``, ``baci``, ``comtrade`` or ``published``.
    path : str
        Trade file (ignored for ``published``). For ``baci``: a BACI CSV, a
        Parquet panel, or a folder of yearly ``BACI_HSxx_Yyyyy_V*.csv`` files
        with ``country_codes_*.csv`` beside them; empty = the fetched BACI
        extract (HS 1992, 74 codes, ``evalkit fetch``).
    product, hs
        A product slug (its codes in the file's HS revision, through
        :func:`evalkit.hs_revisions.item_codes`) or explicit HS codes/prefixes.
    importer : str
        Importer: ISO alpha-3 in any case, or (BACI) the BACI numeric code;
        Customs is always Japan. An unknown code is a usage error (exit 2).
    years : str
        ``YYYY-YYYY`` or empty.
    measure : str
        ``value`` or ``quantity``.
    production : str, optional
        Production table (:func:`read_production`) in the unit of ``measure``;
        adds ``exports``, ``import_reliance``, ``self_sufficiency`` and the
        基本指針 ratios to each row.

    Returns
    -------
    dict
        ``{"importer", "importer_code", "measure", "unit", "hs", "hs_revision",
        "panel", "codes_without_rows", "years_without_rows", "rows": [...]}``
        (by quantity each row adds ``quantity_coverage``, the share of the
        import value whose flows have a quantity in tonnes); partners as ISO
        alpha-3 (or ``source:code`` when the source's code has no ISO
        mapping). A product no HS code isolates gives ``rows: []`` and a
        ``gap`` stating why.

    Raises
    ------
    UsageError
        Unknown importer, measure, years or product (exit 2).
    MissingInputError
        The file holds no imports of the codes by the importer in the years
        asked for (exit 66): a gap, stated with what the file does hold.
    """
    from evalkit.errors import MissingInputError

    if measure not in ("value", "quantity"):
        raise UsageError(f"measure {measure!r}: expected value or quantity")
    if bool(product) == bool(hs):
        raise UsageError("give exactly one of --product or --hs")
    if product:
        check_product(product)
    lo, hi = parse_years(years, default=(None, None))
    if source == "published":
        table = published(product or ALL)
        rows = table[table["value"].notna()]
        return {
            "importer": "JPN",
            "measure": "published",
            "hs": hs or [],
            "rows": [
                {k: (None if pd.isna(v) else v) for k, v in r.items()}
                for r in rows[["series_id", "period", "partner", "value", "unit", "source"]].to_dict("records")
            ],
        }
    if source not in SOURCES:
        raise UsageError(f"source {source!r}: expected one of {SOURCES}")
    revision_note = None
    breaks: dict[str, int] = {}
    if source == "baci":
        from evalkit.data import baci
        from evalkit.trade_panel import default_panel

        found = baci.panel(path or default_panel())
        codes_table = baci.read_country_codes(found.country_codes) if found.country_codes else None
        iso, code = _importer_for(source, importer, codes_table)
        revision = found.revision
        if revision is None:
            revision, revision_note = "HS22", "the file states no HS revision; HS 2022 codes assumed"
        panel_name = found.name
    else:
        iso, code = _importer_for(source, importer)
        revision, panel_name = "HS22", relative(Path(path))
        revision_note = "codes of HS 2022 (data/reference/hs_map.csv); a file in an earlier edition may use others"
    if product:
        from evalkit import hs_revisions

        if revision not in hs_revisions.REVISIONS:
            raise UsageError(
                f"{panel_name} is {revision}; evalkit traces the designated codes to HS92, HS17 and HS22 only: "
                "give --hs codes of that edition"
            )
        hs, breaks = _codes_for(product, revision)
        if not hs:
            return {
                "importer": iso,
                "importer_code": code,
                "measure": measure,
                "hs": [],
                "hs_revision": revision,
                "rows": [],
                "gap": f"{product}: no named item has an HS goods code; trade statistics cannot measure it",
            }
    if source == "baci":
        frame = baci.read_panel(found.path, involving=str(code), hs=hs)
        exports = frame[frame["partner"] == str(code)].assign(flow="export")
        frame = pd.concat([frame[frame["reporter"] == iso], exports], ignore_index=True)
    else:
        frame = load_trade(source, path, hs=hs)
        frame = frame[frame["reporter"] == iso] if source == "comtrade" else frame
    for hs6, last in breaks.items():  # a code whose series stops carrying the goods (e.g. germanium's HS92 8112.30)
        frame = frame[~((frame["hs6"] == hs6) & (frame["year"] > last))]
    if lo is not None:
        frame = frame[(frame["year"] >= lo) & (frame["year"] <= hi)]
    imports = frame[(frame["flow"] == "import") & ~frame["partner_is_aggregate"].astype(bool)]
    if imports.empty:
        span = f"{lo}-{hi}" if lo is not None else "any year"
        held = sorted({int(y) for y in frame["year"].dropna()})
        raise MissingInputError(
            f"{panel_name}: no imports by {iso} of HS {', '.join(hs)} ({revision}) in {span}"
            + (f" (the file has other flows of these codes in {held[0]}-{held[-1]})" if held else "")
            + (
                f"; the fetched BACI extract holds 74 HS6 codes only: for other codes use {FULL_DOWNLOAD}"
                if not path and source == "baci"
                else ""
            )
        )
    with_rows = set(imports["hs6"])
    without = [c for c in hs if not any(h.startswith(c) for h in with_rows)]
    held_years = {int(y) for y in imports["year"].dropna()}
    years_without = [y for y in range(lo, hi + 1) if y not in held_years] if lo is not None else []
    weighed = imports.assign(w=imports["value"].where(imports["quantity_unit"] == "t", 0.0)).groupby("year")
    coverage = (weighed["w"].sum() / weighed["value"].sum()).to_dict()
    table = indicator_rows(frame, measure=measure)
    unit = table["unit"].iloc[0] if len(table) else ""
    out_rows = []
    exp = frame[frame["flow"] == "export"]
    if measure == "quantity":
        exp = exp[exp["quantity_unit"] == "t"]
    exp_by_year = exp[~exp["partner_is_aggregate"].astype(bool)].groupby("year")[measure].sum()
    prod = read_production(production) if production else None
    for _, r in table.iterrows():
        row = {
            "year": int(r["year"]),
            "imports": float(r["imports"]),
            "unit": unit,
            "n_partners": int(r["n_partners"]),
            "hhi": float(r["hhi"]),
            "hhi_10000": float(r["hhi_10000"]),
            "n_eff": float(r["n_eff"]),
            "top1_partner": r["top1_partner"],
            "top1_share": float(r["top1_share"]),
            "top3_share": float(r["top3_share"]),
            "china_share": None if pd.isna(r["chn_share"]) else float(r["chn_share"]),
            "crma_65_breach": None if r["crma_65_breach"] is None else bool(r["crma_65_breach"]),
        }
        if measure == "quantity":  # flows without a quantity in tonnes are left out: say how much value that is
            row["quantity_coverage"] = float(coverage.get(r["year"], float("nan")))
        if prod is not None:
            p_rows = prod[(prod["year"] == row["year"]) & ((prod["product"] == product) if product else True)]
            units = set(p_rows["unit"])
            if units and units != {unit}:
                raise UsageError(
                    f"production unit {sorted(units)} differs from the trade unit {unit!r} for "
                    f"{row['year']}; convert one of them first"
                )
            if len(p_rows):
                year_rows = frame[(frame["year"] == row["year"]) & (frame["flow"] == "import")]
                year_rows = year_rows[~year_rows["partner_is_aggregate"].astype(bool)]
                if measure == "quantity":
                    year_rows = year_rows[year_rows["quantity_unit"] == "t"]
                by_partner = year_rows.assign(key=_partner_key(year_rows)).groupby("key")[measure].sum()
                ratios = indicators.guideline_ratios(
                    by_partner,
                    production=float(p_rows["value"].sum()),
                    exports=float(exp_by_year.get(row["year"], 0.0)),
                    k=3,
                )
                row.update(
                    exports=float(exp_by_year.get(row["year"], 0.0)),
                    production=float(p_rows["value"].sum()),
                    demand=ratios["demand"],
                    import_reliance=ratios["import_reliance"],
                    self_sufficiency=ratios["self_sufficiency"],
                    dependence_top3_of_demand=ratios["dependence_few"],
                    top1_of_demand=ratios["top1_of_demand"],
                    top1_of_imports=ratios["top1_of_imports"],
                )
            else:
                row.update(production=None, import_reliance=None, self_sufficiency=None)
        out_rows.append({k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in row.items()})
    doc = {
        "importer": iso,
        "importer_code": code,
        "measure": measure,
        "unit": unit,
        "hs": hs,
        "hs_revision": revision,
        "panel": panel_name,
        "codes_without_rows": without,
        "years_without_rows": years_without,
        "rows": out_rows,
    }
    if revision_note:
        doc["hs_revision_note"] = revision_note
    if breaks:
        doc["series_breaks"] = {
            c: f"rows after {y} left out (see data/reference/hs_concordance.csv)" for c, y in breaks.items()
        }
    return doc


def item_chart(
    product: str,
    source: str = "published",
    path: str = "",
    years: str = "",
    column: str = "chn_share",
    lang: str = "ja",
):
    """One indicator (China's share by default) per named item and year, by value and by quantity.

    Parameters
    ----------
    product, source, path, years : str
        As for :func:`trade_indicators`.
    column : str
        The indicator column to draw.
    lang : {"ja", "en"}
        Language of titles, messages and caption.

    Returns
    -------
    matplotlib.figure.Figure
        One line per item (``all items`` included); a figure saying there is
        nothing to draw without a trade file.
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    from evalkit import plotting

    table = trade_indicators(product, source, path, years, lang)
    fig, axes = _trade_axes(table, lang, product)
    if fig is None:
        return axes
    for ax, measure in zip(axes, ("value", "quantity")):
        sub = table[table["measure"] == measure]
        for j, (item, grp) in enumerate(sub.groupby("item", sort=True)):
            grp = grp.sort_values("year")
            ax.plot(
                grp["year"].astype(int),
                grp[column].astype(float),
                marker="o",
                label=item,
                color=plotting.PALETTE[j % len(plotting.PALETTE)],
            )
        ax.set_title(t(f"by_{measure}", lang), fontsize=10)
        ax.set_ylim(0, 1.02)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes[0].legend(fontsize=7, frameon=False)
    fig.suptitle(t("chart_item_title", lang, indicator=header(column, lang)), fontsize=11, y=0.99)
    fig.subplots_adjust(top=0.82)
    plotting.caption(
        fig,
        table.attrs["source"],
        as_of=t("as_of_years_in_file", lang),
        note=t("note_derived_by_evalkit", lang),
        lang=lang,
    )
    plt.close(fig)
    return fig


def _trade_axes(table, lang: str, product: str = ""):
    """Two side-by-side axes (value, quantity) for a trade chart, or a captioned empty figure.

    Returns ``(fig, axes)``; when the table holds no trade (or covers all products), ``(None, message_figure)``.
    """
    import matplotlib.pyplot as plt

    from evalkit import plotting

    plotting.setup()
    has_trade = "year" in table.columns and not table.empty
    if has_trade and product != ALL:
        fig, axes = plt.subplots(1, 2, figsize=(9, 3.8), sharey=True)
        return fig, axes
    fig, ax = plt.subplots(figsize=(9, 1.6))
    ax.axis("off")
    ax.text(0, 0.5, t("choose_product_to_draw" if has_trade else "no_trade_to_draw", lang), fontsize=9)
    plotting.caption(fig, table.attrs.get("source", ""), as_of=t("not_applicable", lang), lang=lang)
    plt.close(fig)
    return None, fig
