"""Tables and chart of notebook ``60_risk_screening``: one importer's dependent products, and who shares its suppliers.

:func:`run` screens a BACI panel: by default the extract fetched from the
package registry (``baci="fetched"``, :func:`evalkit.data.fetched.table_path`
``("baci_trade")``: CEPII BACI HS 1992, release V202401b, every importer ×
74 HS6 codes of ores, metals and fuels × 1995–2024), or a file or folder the
user gives (a full BACI release under ``external/baci/``). It screens every
importer once; the importer of interest is a slice of that screen, and the
others answer "who else depends on the same supplier". Every other function
takes the :class:`ScreeningRun` and returns one table (or the chart):

* :func:`flagged`: the importer's products dependent or persistent in the
  latest years, inside or outside the designated products, with BACI's
  product description, partner concentration and top supplier;
* :func:`designation_split` and :func:`churn` (+ :func:`churn_chart`): counts
  per year and how the flagged set changes over the years;
* :func:`peers`: for each product persistent in the last year, the other
  importers dependent on it whose top supplier is the same, ranked;
* :func:`revision_check`: which of the panel's codes the HS map (HS 2022 by
  default, the panel HS 1992) marks, and which it may miss;
* :func:`published_comparison` and :func:`record_headlines`.

Counts on the fetched extract cover 74 HS6 codes, not the ~5,000 of a full
BACI release: they are not comparable with counts published over all
products (通商白書 2024; 内閣府 世界経済の潮流 2021年II), which are shown beside
them as a comparison, never as a check. Every sentence a reader sees exists
in Japanese and English (``translations.yaml``).

References
----------
CEPII BACI: Gaulier, G. & Zignago, S. (2010), CEPII Working Paper 2010-23,
https://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=37. Criteria:
European Commission SWD(2021) 352; Lefebvre & Wibaux (2024), CEPII Policy
Brief 47 (GeoDep). Churn: Vicard & Wibaux (2023), CEPII Policy Brief 41.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from evalkit import thresholds as cutoffs
from evalkit.data import read_table, reference_path, table_path
from evalkit.errors import MissingInputError
from evalkit.i18n import t
from evalkit.paths import data_dir, project_root, relative
from evalkit.results import record
from evalkit.screening.checks import ScreenWarning
from evalkit.screening.criteria import OUTPUT_SCHEMA, Thresholds
from evalkit.screening.engine import panel_files, panel_nomenclature, product_codes
from evalkit.screening.run import SOURCE, importer_in_result, resolve_importer, screen
from evalkit.years import parse_years

__all__ = [
    "FETCHED",
    "Thresholds",
    "ScreeningRun",
    "churn",
    "churn_chart",
    "data_status",
    "default_hs_map",
    "designation_map",
    "designation_split",
    "flagged",
    "peers",
    "published_comparison",
    "record_headlines",
    "revision_check",
    "run",
    "summary",
    "thresholds_table",
]

CHINA = 156  #: BACI code of China
#: The value of the notebook's ``baci`` parameter that means the BACI extract fetched by ``make data``.
FETCHED = "fetched"
#: Where the notebook suggests putting a full BACI release (outside data/, which holds only sidecar-carrying files).
BACI_HOME = "external/baci"
BACI_URL = "https://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=37"


def default_hs_map() -> Path | None:
    """``data/reference/hs_map.csv`` (HS 2022) when it exists, else ``None``."""
    path = data_dir() / "reference" / "hs_map.csv"
    return path if path.is_file() else None


def designation_map(hs_map: str | Path | None = None, panel_revision: str | None = None) -> Path | pd.DataFrame | None:
    """The product → HS6 map that marks a screened product ``designated``.

    Parameters
    ----------
    hs_map : path, optional
        A map the user gives (CSV with ``product``, ``hs6`` and, ideally,
        ``hs_version``); relative paths are taken from the project root.
    panel_revision : str, optional
        The panel's HS revision (``HS1992`` for the fetched extract).

    Returns
    -------
    pathlib.Path, pandas.DataFrame or None
        ``hs_map`` when given; for a panel in HS 1992 or HS 2017, the
        designated items' principal codes in that edition
        (:func:`evalkit.hs_revisions.map_for`, from the sourced
        concordance); else ``data/reference/hs_map.csv`` (HS 2022), and
        :func:`revision_check` says which of the panel's codes a map in
        another edition may mislabel.
    """
    if hs_map:
        path = Path(hs_map)
        return path if path.is_absolute() else project_root() / path
    concordance = {"HS1992": "HS92", "HS2017": "HS17"}.get(panel_revision or "")
    if concordance:
        # The designated items' codes in the panel's own edition, from the sourced concordance: only the
        # principal counterparts (where the item itself is classified) mark a product designated.
        from evalkit.hs_revisions import map_for

        rows = map_for(concordance)
        rows = rows[rows["principal"] & rows["hs6"].notna()]
        out = rows[["product", "item_no", "hs6", "relation", "hs22"]].assign(hs_version=panel_revision)
        out = out.reset_index(drop=True)
        out.attrs["source"] = rows.attrs.get("source", "")
        out.attrs["label"] = f"data/reference/hs_map.csv -> {panel_revision} (data/reference/hs_concordance.csv)"
        return out
    return default_hs_map()


def resolve_panel(baci: str) -> Path | None:
    """The panel a ``baci`` parameter names: '' none, ``fetched`` the fetched extract, else a path.

    Raises
    ------
    MissingInputError
        ``fetched`` before ``make data`` has run (exit 66, naming the command).
    """
    if not baci:
        return None
    if baci == FETCHED:
        from evalkit.data import fetched

        return fetched.table_path("baci_trade")
    path = Path(baci)
    return path if path.is_absolute() else project_root() / path


def _empty() -> pd.DataFrame:
    return pd.DataFrame(
        {
            name: pd.Series([], dtype={"boolean": "boolean", "string": "string"}.get(kind, kind))
            for name, kind in OUTPUT_SCHEMA.items()
        }
    )


@dataclass
class ScreeningRun:
    """The result of :func:`run`: the screen of every importer and the importer of interest, or why there is none.

    Attributes
    ----------
    table : pandas.DataFrame
        The importer's screen (:data:`evalkit.screening.criteria.OUTPUT_SCHEMA`); empty without a panel.
    everyone : pandas.DataFrame
        The screen of every importer (the same columns); empty without a panel.
    available : bool
        Whether a panel was screened.
    importer : str
        Importer as given; ``importer_code`` its BACI code.
    years : (int, int)
    thresholds : Thresholds
    baci : str
        The panel as given (``fetched``, a path, or '').
    panel : str
        The panel file or folder, relative to the project where it lies inside it.
    hs_map : str
        Which HS map marked the designated products (or why none did).
    revisions : dict
        ``{"map": ..., "panel": ...}``: HS revisions of the map and the panel (None where unknown).
    warnings : list of ScreenWarning
        Caveats of the run (:mod:`evalkit.screening.checks`).
    products : pandas.DataFrame or None
        BACI's code list beside the panel (``code``, ``description``).
    countries : pandas.DataFrame or None
        BACI's country codes beside the panel (``code``, ``name``, ``iso3``).
    lang : str
        Language of the tables ('ja' or 'en').
    """

    table: pd.DataFrame
    everyone: pd.DataFrame
    available: bool
    importer: str
    importer_code: int | None
    years: tuple[int, int]
    thresholds: Thresholds
    baci: str
    panel: str
    hs_map: str
    hs_frame: pd.DataFrame | None = None
    revisions: dict = field(default_factory=dict)
    warnings: list[ScreenWarning] = field(default_factory=list)
    products: pd.DataFrame | None = None
    countries: pd.DataFrame | None = None
    lang: str = "ja"

    @property
    def key(self) -> str:
        """The importer's part of a result key: ``jpn`` (an ISO3 code in lower case) or ``c<BACI code>``."""
        text = str(self.importer).strip()
        return text.lower() if text.isalpha() else f"c{self.importer_code}"

    @property
    def iso3(self) -> str | None:
        """The importer's ISO3 code, where it is known."""
        text = str(self.importer).strip().upper()
        if text.isalpha():
            return text
        from evalkit.data.baci import WELL_KNOWN

        return {v: k for k, v in WELL_KNOWN.items()}.get(self.importer_code)

    @property
    def summary(self) -> pd.DataFrame:
        """What was screened (see :func:`summary`), in the run's language."""
        return summary(self, self.lang)


def run(
    baci: str = FETCHED,
    importer: str = "JPN",
    years: str = "1995-2024",
    import_hhi: float | None = None,
    import_export_ratio: float | None = None,
    world_export_hhi: float | None = None,
    persistence_k: int | None = None,
    persistence_n: int | None = None,
    engine: str = "duckdb",
    hs_map: str | Path | None = None,
    lang: str = "ja",
) -> ScreeningRun:
    """Screen every importer of ``baci`` and keep ``importer`` in view (or record that no panel was given).

    Parameters
    ----------
    baci : str
        ``fetched`` (default): the BACI extract fetched by ``make data``; a
        BACI CSV, Parquet file or folder (relative paths from the project
        root); '' for none (every table then says so).
    importer, years : str
        As for :func:`evalkit.screening.screen`.
    import_hhi, import_export_ratio, world_export_hhi : float, optional
        Cut-offs (see :class:`Thresholds`); ``None`` = the value in ``data/reference/thresholds.csv``.
    persistence_k, persistence_n : int, optional
        Persistence rule; ``None`` likewise.
    engine : str
        ``duckdb`` or ``spark``.
    hs_map : path, optional
        Product -> HS6 map; default :func:`designation_map`.
    lang : {'ja', 'en'}
        Language of the tables.

    Returns
    -------
    ScreeningRun

    Raises
    ------
    MissingInputError
        ``fetched`` before the data are fetched, or a path that does not exist (exit 66).
    UsageError
        Bad years or importer, or an importer with no rows in the years (exit 2).
    """
    from evalkit.i18n import check_lang

    check_lang(lang)
    th = Thresholds(
        import_hhi=import_hhi,
        import_export_ratio=import_export_ratio,
        world_export_hhi=world_export_hhi,
        persistence_k=persistence_k,
        persistence_n=persistence_n,
    )
    span = parse_years(years)
    path = resolve_panel(baci)
    if path is None:
        hs = designation_map(hs_map)
        code = resolve_importer(importer, [project_root() / "none"])
        hs_text = relative(hs) if hs else t("screen_no_hs_map", lang)
        return ScreeningRun(_empty(), _empty(), False, importer, code, span, th, "", "", hs_text, lang=lang)
    files = panel_files(path)
    nomenclature = panel_nomenclature(files)
    hs = designation_map(hs_map, nomenclature.revision)
    code = resolve_importer(importer, files.files)
    caveats: list[ScreenWarning] = []
    everyone = screen(path, importer="all", years=span, thresholds=th, hs_map=hs, engine=engine, warn=caveats.append)
    caveats += importer_in_result(everyone, code, importer, span)
    mine = everyone[everyone["importer"] == code].reset_index(drop=True)
    mine.attrs = dict(everyone.attrs)
    if isinstance(hs, Path):
        hs_text = relative(hs)
    elif hs is not None:
        hs_text = hs.attrs.get("label", "<DataFrame>")
    else:
        hs_text = t("screen_no_hs_map", lang)
    return ScreeningRun(
        table=mine,
        everyone=everyone,
        available=True,
        importer=importer,
        importer_code=code,
        years=span,
        thresholds=th,
        baci=baci,
        panel=relative(path),
        hs_map=hs_text,
        hs_frame=_hs_frame(hs),
        revisions=dict(everyone.attrs.get("hs_revisions") or {}),
        warnings=caveats,
        products=product_codes(nomenclature.codes_file) if nomenclature.codes_file else None,
        countries=_countries(files.files[0]),
        lang=lang,
    )


def _hs_frame(hs) -> pd.DataFrame | None:
    if hs is None:
        return None
    if isinstance(hs, pd.DataFrame):
        return hs.astype(str)
    return pd.read_csv(hs, dtype=str, keep_default_na=False)


def _countries(panel: Path) -> pd.DataFrame | None:
    from evalkit.trade_panel import country_codes

    try:
        frame = country_codes(panel)
    except MissingInputError:
        return None
    return frame.assign(code=frame["code"].astype(int))


def _lang(res: ScreeningRun, lang: str | None) -> str:
    return lang or res.lang


def _coverage_note(res: ScreeningRun, lang: str) -> str:
    """The sentence every count carries: how many codes were screened, and that counts are not comparable."""
    codes = res.everyone["hs6"].nunique() if res.available else 0
    listed = len(res.products) if res.products is not None else None
    return t(
        "screen_note_coverage",
        lang,
        codes=f"{codes:,}",
        listed=f"{listed:,}" if listed else "—",
        revision=res.revisions.get("panel") or "?",
    )


def _source(res: ScreeningRun) -> str:
    return f"{SOURCE} [{res.panel}]"


def _unavailable(columns: list[str], what_key: str, lang: str) -> pd.DataFrame:
    out = pd.DataFrame({c: pd.Series([], dtype="object") for c in columns})
    out.attrs.update(source="evalkit", note=t("screen_note_unavailable", lang, what=t(what_key, lang)))
    return out


def _supplier(res: ScreeningRun, code) -> str:
    """``CHN China`` for a BACI country code (the code itself when the country list is not beside the panel)."""
    if code is None or pd.isna(code):
        return "—"
    code = int(code)
    if res.countries is None:
        return str(code)
    row = res.countries[res.countries["code"] == code]
    if row.empty:
        return str(code)
    iso3, name = row.iloc[0]["iso3"], row.iloc[0]["name"]
    return f"{iso3} {name}" if iso3 else str(name)


def _description(res: ScreeningRun) -> dict[str, str]:
    if res.products is None:
        return {}
    return dict(zip(res.products["code"], res.products["description"]))


def _designated_names(slugs, lang: str) -> str:
    """``batteries;critical_minerals`` as the products' names in ``lang``."""
    from evalkit.registry import product_names

    if slugs is None or pd.isna(slugs) or not str(slugs):
        return "—"
    names = product_names(lang)
    sep = "・" if lang == "ja" else "; "
    return sep.join(names.get(s, s) for s in str(slugs).split(";"))


# --- what was screened ------------------------------------------------------------


def summary(res: ScreeningRun, lang: str | None = None) -> pd.DataFrame:
    """What was screened: panel, importer, years, criteria, HS map, rows and the last year's counts.

    Returns
    -------
    pandas.DataFrame
        ``item``, ``value``.
    """
    lang = _lang(res, lang)
    na = t("screen_not_computed", lang)
    t_ = res.table
    last = t_[t_["year"] == res.years[1]] if res.available else t_
    who = f"{res.importer} (BACI {res.importer_code})" if res.importer_code else str(res.importer)
    rows = [
        (t("screen_item_panel", lang), res.panel or t("screen_no_panel", lang)),
        (t("screen_item_importer", lang), who),
        (t("screen_item_years", lang), f"{res.years[0]}-{res.years[1]}"),
        (t("screen_item_criteria", lang), res.thresholds.describe()),
        (t("screen_item_hs_map", lang), res.hs_map),
        (t("screen_item_rows", lang), f"{len(res.everyone):,}" if res.available else na),
        (t("screen_item_importers", lang), f"{res.everyone['importer'].nunique():,}" if res.available else na),
        (t("screen_item_codes", lang), f"{res.everyone['hs6'].nunique():,}" if res.available else na),
        (t("screen_item_imported", lang, year=res.years[1]), f"{len(last):,}" if res.available else na),
        (
            t("screen_item_dependent", lang, year=res.years[1]),
            f"{int(last['dependent'].sum()):,}" if res.available else na,
        ),
        (
            t("screen_item_persistent", lang, year=res.years[1]),
            f"{int(last['persistent'].sum()):,}" if res.available else na,
        ),
        (t("screen_item_warnings", lang), str(len(res.warnings))),
    ]
    out = pd.DataFrame(rows, columns=["item", "value"])
    out.attrs.update(
        source=_source(res) if res.available else "evalkit",
        note=_coverage_note(res, lang) if res.available else t("screen_note_unavailable", lang, what=na),
    )
    return out


def data_status(res: ScreeningRun, lang: str | None = None) -> pd.DataFrame:
    """The panel used (producer, release, revision, coverage), the HS map and its revision, and every caveat.

    Without a panel: what to download and where to put it.

    Returns
    -------
    pandas.DataFrame
        ``item``, ``value``.
    """
    lang = _lang(res, lang)
    if not res.available:
        rows = [
            (t("screen_item_panel", lang), t("screen_no_panel", lang)),
            (t("screen_item_download", lang), t("screen_download", lang, url=BACI_URL)),
            (t("screen_item_where", lang), t("screen_where", lang, home=BACI_HOME)),
            (t("screen_item_how", lang), t("screen_how", lang, home=BACI_HOME)),
            (t("screen_item_hs_map", lang), res.hs_map),
        ]
        out = pd.DataFrame(rows, columns=["item", "value"])
        out.attrs.update(source=f"CEPII BACI ({BACI_URL})")
        return out
    fetched = res.baci == FETCHED
    rows = [
        (t("screen_item_panel", lang), res.panel),
        (t("screen_item_origin", lang), t("screen_origin_fetched" if fetched else "screen_origin_user", lang)),
        (t("screen_item_panel_revision", lang), res.revisions.get("panel") or t("screen_unknown", lang)),
        (t("screen_item_coverage", lang), _coverage_note(res, lang)),
        (t("screen_item_hs_map", lang), res.hs_map),
        (t("screen_item_map_revision", lang), res.revisions.get("map") or t("screen_unknown", lang)),
    ]
    rows += [(t("screen_item_caveat", lang, n=n), w.text(lang)) for n, w in enumerate(res.warnings, start=1)]
    out = pd.DataFrame(rows, columns=["item", "value"])
    source = _source(res)
    if fetched:
        from evalkit.data import fetched as fetched_data

        source = (
            f"CEPII BACI HS92 V202401b via {fetched_data.GEOPOLRISK.name} {fetched_data.GEOPOLRISK.version} "
            f"({fetched_data.GEOPOLRISK.url}) [{res.panel}]"
        )
    out.attrs.update(source=source)
    return out


def thresholds_table(thresholds: Thresholds | None = None, lang: str = "ja") -> pd.DataFrame:
    """The cut-offs in use, each with its default and the source of that default.

    Returns
    -------
    pandas.DataFrame
        ``criterion``, ``cutoff_rule``, ``value``, ``default_value``, ``source``.
    """
    th = thresholds or Thresholds()
    d = Thresholds()
    rows = [
        ("c1", th.import_hhi, d.import_hhi, cutoffs.source("import_hhi")),
        ("c2", th.demand_share, d.demand_share, cutoffs.source("demand_share")),
        ("c3", th.import_export_ratio, d.import_export_ratio, cutoffs.source("import_export_ratio")),
        ("world", th.world_export_hhi, d.world_export_hhi, cutoffs.source("world_export_hhi")),
        (
            "persistence",
            f"{th.persistence_k} / {th.persistence_n}",
            f"{d.persistence_k} / {d.persistence_n}",
            cutoffs.source("persistence_k"),
        ),
    ]
    out = pd.DataFrame(
        {
            "criterion": [t(f"screen_criterion:{r[0]}", lang) for r in rows],
            "cutoff_rule": [t(f"screen_rule:{r[0]}", lang) for r in rows],
            "value": [str(r[1]) for r in rows],
            "default_value": [str(r[2]) for r in rows],
            "source": [r[3] for r in rows],
        }
    )
    out.attrs.update(
        source="European Commission SWD(2021) 352; Lefebvre & Wibaux (2024), CEPII Policy Brief 47 (GeoDep)",
        note=t("screen_note_c2", lang),
    )
    return out


# --- the importer's flagged products ------------------------------------------------------------


def _flag_text(dependent: bool, persistent: bool, lang: str) -> str:
    if dependent and persistent:
        return t("screen_flag:both", lang)
    if dependent:
        return t("screen_flag:dependent", lang)
    if persistent:
        return t("screen_flag:persistent", lang)
    return "—"


def flagged(
    res: ScreeningRun, designated: bool | None = None, lang: str | None = None, limit: int = 50
) -> pd.DataFrame:
    """The importer's products dependent or persistent in any of the latest years, with their supplier.

    The latest years are the persistence window (``persistence_n`` years to
    the last screened year). Partner concentration and the top supplier are
    those of the last year in which the product was imported.

    Parameters
    ----------
    designated : bool, optional
        True: only products the HS map marks designated; False: only the
        others; None: both.
    limit : int
        Rows shown at most (the caption counts all).

    Returns
    -------
    pandas.DataFrame
        ``hs6``, ``hs_description`` (BACI's, in the panel's revision),
        ``designated_products``, one column per latest year with the flags,
        then for the last year imported: ``values_year``, ``imports`` (thousand USD),
        ``n_partners``, ``import_hhi``, ``top_supplier``, ``top1_share``,
        ``import_export_ratio``, ``world_export_hhi``.
    """
    lang = _lang(res, lang)
    first = res.years[1] - res.thresholds.persistence_n + 1
    latest = [y for y in range(max(first, res.years[0]), res.years[1] + 1)]
    cols = [
        "hs6",
        "hs_description",
        "designated_products",
        *latest,
        "values_year",
        "imports",
        "n_partners",
        "import_hhi",
        "top_supplier",
        "top1_share",
        "import_export_ratio",
        "world_export_hhi",
    ]
    if not res.available:
        return _unavailable(cols, "screen_what_flagged", lang)
    t_ = res.table[res.table["year"].isin(latest)]
    if designated is not None:
        t_ = t_[t_["designated"].fillna(False).astype(bool) == designated]
    hit = t_[t_["dependent"].fillna(False) | t_["persistent"].fillna(False)]
    codes = sorted(set(hit["hs6"]))
    names = _description(res)
    rows = []
    for code in codes:
        mine = t_[t_["hs6"] == code].set_index("year")
        last = mine.iloc[-1]
        row = {
            "hs6": code,
            "hs_description": names.get(code, "—"),
            "designated_products": _designated_names(last["designated_products"], lang),
        }
        for y in latest:
            row[y] = _flag_text(
                bool(mine.at[y, "dependent"]) if y in mine.index else False,
                bool(mine.at[y, "persistent"]) if y in mine.index else False,
                lang,
            )
        row.update(
            values_year=int(mine.index[-1]),
            imports=float(last["imports"]),
            n_partners=int(last["n_partners"]),
            import_hhi=float(last["import_hhi"]),
            top_supplier=_supplier(res, last["top1_partner"]),
            top1_share=float(last["top1_share"]),
            import_export_ratio=float(last["import_export_ratio"]),
            world_export_hhi=float(last["world_export_hhi"]),
            _order=(not bool(last["persistent"]), not bool(last["dependent"]), -float(last["import_hhi"])),
        )
        rows.append(row)
    out = pd.DataFrame(rows, columns=[*cols, "_order"])
    if len(out):
        out = out.sort_values("_order", kind="stable")
    out = out.drop(columns="_order").head(limit).reset_index(drop=True)
    which = {None: "screen_which_all", True: "screen_which_designated", False: "screen_which_not_designated"}
    out.attrs.update(
        source=_source(res),
        as_of=f"{latest[0]}-{latest[-1]}",
        units={"imports": t("screen_unit_kusd", lang)},
        note=t(
            "screen_note_flagged",
            lang,
            n=len(codes),
            shown=len(out),
            which=t(which[designated], lang),
            years=f"{latest[0]}-{latest[-1]}",
            map=res.hs_map,
        )
        + " "
        + _coverage_note(res, lang),
    )
    return out


def designation_split(res: ScreeningRun, lang: str | None = None) -> pd.DataFrame:
    """Dependent and persistent products per year, inside and outside the designated products.

    Returns
    -------
    pandas.DataFrame
        ``year``, ``hs6_imported`` (HS6 codes imported), ``dependent``,
        ``dependent_designated``, ``dependent_not_designated``,
        ``persistent``, ``persistent_designated``, ``persistent_not_designated``.
    """
    lang = _lang(res, lang)
    cols = [
        "year",
        "hs6_imported",
        "dependent",
        "dependent_designated",
        "dependent_not_designated",
        "persistent",
        "persistent_designated",
        "persistent_not_designated",
    ]
    if not res.available:
        return _unavailable(cols, "screen_what_split", lang)
    out = pd.DataFrame({"year": range(res.years[0], res.years[1] + 1)})
    counts = _counts(res.table)
    out = out.merge(counts, on="year", how="left").fillna(0)
    out = out.astype({c: "int64" for c in cols})
    out.attrs.update(
        source=_source(res),
        note=t("screen_note_split", lang, map=res.hs_map) + " " + _coverage_note(res, lang),
    )
    return out[cols]


def _counts(table: pd.DataFrame) -> pd.DataFrame:
    """Per-year counts of one importer's screen (the numbers :func:`record_headlines` records)."""
    d = table["dependent"].fillna(False).astype(bool)
    p = table["persistent"].fillna(False).astype(bool)
    g = table["designated"].fillna(False).astype(bool)
    frame = pd.DataFrame(
        {
            "year": table["year"],
            "hs6_imported": 1,
            "dependent": d,
            "dependent_designated": d & g,
            "dependent_not_designated": d & ~g,
            "persistent": p,
            "persistent_designated": p & g,
            "persistent_not_designated": p & ~g,
        }
    )
    return frame.groupby("year").sum().astype("int64").reset_index()


def churn(res: ScreeningRun, flag: str = "dependent", lang: str | None = None) -> pd.DataFrame:
    """Entries to and exits from the flagged set between consecutive years.

    Parameters
    ----------
    flag : {'dependent', 'persistent'}
        Which flag to follow.

    Returns
    -------
    pandas.DataFrame
        ``year``, ``flagged_products``, ``stayed``, ``entered``, ``exited`` (relative
        to the year before), ``exit_rate`` (exited / flagged the year before;
        empty when none was).
    """
    lang = _lang(res, lang)
    cols = ["year", "flagged_products", "stayed", "entered", "exited", "exit_rate"]
    if not res.available:
        return _unavailable(cols, "screen_what_churn", lang)
    t_ = res.table
    sets = {y: set(t_.loc[(t_["year"] == y) & t_[flag].fillna(False), "hs6"]) for y in range(*_span(res))}
    rows = []
    prev = None
    for y, cur in sets.items():
        if prev is None:
            rows.append((y, len(cur), None, None, None, None))
        else:
            exited = len(prev - cur)
            rows.append((y, len(cur), len(prev & cur), len(cur - prev), exited, exited / len(prev) if prev else None))
        prev = cur
    out = pd.DataFrame(rows, columns=cols)
    for c in ("stayed", "entered", "exited"):
        out[c] = _whole_or_gap(out[c])
    out.attrs.update(
        source=_source(res),
        note=t("screen_note_churn", lang, flag=t(f"screen_flag:{flag}", lang)) + " " + _coverage_note(res, lang),
    )
    return out


def _whole_or_gap(column: pd.Series) -> pd.Series:
    """Counts with gaps: float, so the report shows 3 (its number format) and the gap mark, not None or <NA>."""
    return pd.to_numeric(column, errors="coerce").astype("float64")


def _span(res: ScreeningRun) -> tuple[int, int]:
    return res.years[0], res.years[1] + 1


def churn_chart(res: ScreeningRun, lang: str | None = None):
    """Dependent and persistent products per year, with the products entering and leaving the dependent set.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    from evalkit import plotting

    lang = _lang(res, lang)
    plotting.setup()
    fig, ax = plt.subplots(figsize=(7.5, 3.6))
    if res.available:
        dep = churn(res, "dependent", lang)
        per = churn(res, "persistent", lang)
        ax.bar(
            dep["year"] - 0.2,
            dep["entered"].fillna(0),
            width=0.4,
            color="#9ecae1",
            label=t("screen_label_entered", lang),
        )
        ax.bar(
            dep["year"] + 0.2, dep["exited"].fillna(0), width=0.4, color="#fdae6b", label=t("screen_label_exited", lang)
        )
        ax.plot(
            dep["year"],
            dep["flagged_products"],
            color=plotting.PALETTE[0],
            marker="o",
            ms=3,
            label=t("screen_flag:dependent", lang),
        )
        ax.plot(
            per["year"],
            per["flagged_products"],
            color=plotting.PALETTE[1],
            marker="s",
            ms=3,
            label=t("screen_flag:persistent", lang),
        )
        ax.legend(fontsize=8, frameon=False, ncols=2, loc="upper left")
    else:
        ax.text(0.5, 0.5, t("screen_note_unavailable", lang, what=t("screen_what_churn", lang)), ha="center")
    ax.set_xlabel(t("axis_year", lang))
    ax.set_ylabel(t("screen_axis_products", lang))
    ax.set_title(t("screen_chart_churn_title", lang, importer=res.importer), fontsize=11)
    ax.yaxis.get_major_locator().set_params(integer=True)
    plotting.caption(
        fig,
        _source(res) if res.available else "evalkit",
        as_of=f"{res.years[0]}-{res.years[1]}",
        note=_coverage_note(res, lang) if res.available else "",
        lang=lang,
    )
    plotting.make_room(fig, left=0.1, extra_height=0.9, bottom=0.3)
    plt.close(fig)
    return fig


# --- who else depends on the same supplier ------------------------------------------------------------


def peers(res: ScreeningRun, lang: str | None = None, limit: int = 5) -> pd.DataFrame:
    """For each product the importer is persistently dependent on, the other importers dependent on the same supplier.

    In the last screened year: for every product persistent for the
    importer, the other importers for which the product is dependent (all
    criteria that year) or persistent, and whose top supplier is the
    importer's own top supplier, ranked by that supplier's share of their
    imports (then by import value).

    Parameters
    ----------
    limit : int
        Other importers shown per product (the count of all is in ``peers_total``).

    Returns
    -------
    pandas.DataFrame
        ``hs6``, ``hs_description``, ``top_supplier``, ``own_top1_share``,
        ``peer_rank``, ``peers_total``, ``peer_importer``, ``top1_share``,
        ``import_hhi``, ``imports`` (thousand USD), ``dependent``, ``persistent``.
    """
    lang = _lang(res, lang)
    cols = [
        "hs6",
        "hs_description",
        "top_supplier",
        "own_top1_share",
        "peer_rank",
        "peers_total",
        "peer_importer",
        "top1_share",
        "import_hhi",
        "imports",
        "dependent",
        "persistent",
    ]
    if not res.available:
        return _unavailable(cols, "screen_what_peers", lang)
    year = res.years[1]
    mine = res.table[(res.table["year"] == year) & res.table["persistent"].fillna(False)]
    others = res.everyone[(res.everyone["year"] == year) & (res.everyone["importer"] != res.importer_code)]
    others = others[others["dependent"].fillna(False) | others["persistent"].fillna(False)]
    names = _description(res)
    rows = []
    for _, own in mine.sort_values(["import_hhi", "hs6"], ascending=[False, True]).iterrows():
        same = others[(others["hs6"] == own["hs6"]) & (others["top1_partner"] == own["top1_partner"])]
        same = same.sort_values(["top1_share", "imports", "importer"], ascending=[False, False, True])
        base = {
            "hs6": own["hs6"],
            "hs_description": names.get(own["hs6"], "—"),
            "top_supplier": _supplier(res, own["top1_partner"]),
            "own_top1_share": float(own["top1_share"]),
            "peers_total": len(same),
        }
        if same.empty:
            rows.append({**base, "peer_rank": None, "peer_importer": t("screen_no_peer", lang)})
            continue
        for rank, (_, other) in enumerate(same.head(limit).iterrows(), start=1):
            rows.append(
                {
                    **base,
                    "peer_rank": rank,
                    "peer_importer": _supplier(res, other["importer"]),
                    "top1_share": float(other["top1_share"]),
                    "import_hhi": float(other["import_hhi"]),
                    "imports": float(other["imports"]),
                    "dependent": t("screen_yes" if bool(other["dependent"]) else "screen_no", lang),
                    "persistent": t("screen_yes" if bool(other["persistent"]) else "screen_no", lang),
                }
            )
    out = pd.DataFrame(rows, columns=cols)
    out["peer_rank"] = _whole_or_gap(out["peer_rank"])
    out["peers_total"] = out["peers_total"].astype("int64")
    out.attrs.update(
        source=_source(res),
        as_of=str(year),
        units={"imports": t("screen_unit_kusd", lang)},
        note=t("screen_note_peers", lang, importer=res.importer, year=year, limit=limit)
        + " "
        + _coverage_note(res, lang),
    )
    return out


# --- HS revisions ------------------------------------------------------------


def _items() -> pd.DataFrame:
    frame = read_table(reference_path("product_items"))
    return frame.astype({"product": str, "item_no": str})


def revision_check(res: ScreeningRun, lang: str | None = None) -> pd.DataFrame:
    """Which of the panel's HS6 codes the HS map marks designated, and which it may miss across revisions.

    Two kinds of row:

    * ``same_code``: the code is in the map and is written the same in the
      panel's revision; it is marked, but whether the subheading covers the
      same goods in both revisions is not checked here (no concordance on
      this branch).
    * ``may_be_missed``: the code is not in the map, but it shares its HS
      heading (first four digits) with a map code that does not exist in the
      panel's code list, and BACI's description of it names that code's
      item (e.g. HS 1992 8105.10 cobalt, where the HS 2022 map gives 8105.20).

    Every other code of the panel is not marked, and neither rule points at
    it; the caption counts them.

    Returns
    -------
    pandas.DataFrame
        ``hs6``, ``hs_description``, ``revision_status``,
        ``designated_products`` (as marked, or the products of the map code it
        may stand for), ``map_codes`` (the map codes concerned),
        ``imported_last_year`` (whether the importer imported it then).
    """
    lang = _lang(res, lang)
    cols = ["hs6", "hs_description", "revision_status", "designated_products", "map_codes", "imported_last_year"]
    if not res.available:
        return _unavailable(cols, "screen_what_revisions", lang)
    names = _description(res)
    panel_codes = sorted(set(res.everyone["hs6"]))
    last = set(res.table.loc[res.table["year"] == res.years[1], "hs6"])
    hs = res.hs_frame if res.hs_frame is not None else pd.DataFrame(columns=["product", "hs6"])
    hs = hs[hs["hs6"].astype(str).str.fullmatch(r"\d{6}")]
    # Without BACI's code list beside the panel nothing says which map codes the panel's revision lacks.
    absent = hs[~hs["hs6"].isin(set(res.products["code"]))] if res.products is not None else hs.iloc[0:0]
    if "item_no" in absent.columns:
        items = _items()
        absent = absent.merge(items[["product", "item_no", "item_en"]], on=["product", "item_no"], how="left")
    else:
        absent = absent.assign(item_en=None)
    rows = []
    concordance = "relation" in hs.columns and "hs22" in hs.columns
    for code in panel_codes:
        marked = hs[hs["hs6"] == code]
        if len(marked):
            slugs = ";".join(sorted(set(marked["product"])))
            if concordance:
                relation = "/".join(sorted(set(marked["relation"])))
                rows.append((code, f"concordance:{relation}", slugs, ", ".join(sorted(set(marked["hs22"])))))
            else:
                rows.append((code, "same_code", slugs, code))
            continue
        description = names.get(code, "").lower()
        hits = absent[absent["hs6"].str[:4] == code[:4]]
        hits = hits[[_names_item(description, item) for item in hits["item_en"]]]
        if len(hits):
            slugs = ";".join(sorted(set(hits["product"])))
            rows.append((code, "may_be_missed", slugs, ", ".join(sorted(set(hits["hs6"])))))
    out = pd.DataFrame(rows, columns=["hs6", "revision_status", "designated_products", "map_codes"])
    out.insert(1, "hs_description", [names.get(c, "—") for c in out["hs6"]])
    out["designated_products"] = [_designated_names(s, lang) for s in out["designated_products"]]
    out["imported_last_year"] = [t("screen_yes" if c in last else "screen_no", lang) for c in out["hs6"]]
    order = {"may_be_missed": 0, "same_code": 1}
    out = out.sort_values("hs6").sort_values(
        "revision_status", key=lambda s: s.map(lambda v: order.get(v, 1)), kind="stable"
    )
    out["revision_status"] = [
        t("screen_status:concordance", lang, relation=t(f"relation:{s.split(':', 1)[1]}", lang))
        if s.startswith("concordance:")
        else t(f"screen_status:{s}", lang)
        for s in out["revision_status"]
    ]
    out = out.reset_index(drop=True)
    out.attrs.update(
        source=_source(res) + " | data/reference/hs_map.csv | data/reference/product_items.csv",
        note=t(
            "screen_note_revisions_concordance" if concordance else "screen_note_revisions",
            lang,
            map_revision=res.revisions.get("map") or t("screen_unknown", lang),
            panel_revision=res.revisions.get("panel") or t("screen_unknown", lang),
            n=len(panel_codes),
            others=len(panel_codes) - len(out),
            absent=", ".join(sorted(set(absent["hs6"]))) or "—",
        ),
    )
    return out[cols]


def _names_item(description: str, item) -> bool:
    """Whether BACI's description names the item (its name as a whole word, singular or plural)."""
    if item is None or pd.isna(item):
        return False
    name = re.sub(r"\s*\(.*\)", "", str(item)).strip().lower()
    return bool(name) and re.search(rf"\b{re.escape(name)}s?\b", description) is not None


# --- published figures and headline results ------------------------------------------------------------


def published_comparison(res: ScreeningRun, lang: str | None = None) -> pd.DataFrame:
    """Published counts for the importer beside evalkit's counts on the same definitions.

    evalkit's columns are computed for the year the publication describes
    when it was screened (else the last screened year), with the
    publication's own thresholds (HHI >= 0.5; China's share > 50%). Item
    definitions, coverage and years differ (on the fetched extract: 74 HS6
    codes against the publications' ~4,300-5,000 items): a comparison, not a
    check of either number.

    Returns
    -------
    pandas.DataFrame
        ``publication``, ``period``, ``measure``, ``published``, ``qualifier``,
        ``unit``, ``published_items``, ``confidence``, ``evalkit_year``,
        ``evalkit_value``, ``evalkit_items``, ``source``.
    """
    lang = _lang(res, lang)
    pub = read_table(table_path("compiled", "screening_counts_published", "latest"))
    iso = res.iso3
    rows = pub[pub["economy_iso3"] == iso] if iso else pub.iloc[0:0]
    t_ = res.table
    out = []
    for _, r in rows.iterrows():
        year = (
            int(r["year"])
            if pd.notna(r["year"]) and res.available and res.years[0] <= int(r["year"]) <= res.years[1]
            else res.years[1]
        )
        value, items = None, None
        if res.available:
            sel = t_[t_["year"] == year]
            items = len(sel)
            if r["measure"] == "share_items_hhi_ge_50":
                value = round(100 * float((sel["import_hhi"] >= 0.5).mean()), 1) if items else None
            else:
                value = int(((sel["top1_partner"] == CHINA) & (sel["top1_share"] > 0.5)).sum())
        out.append(
            {
                "publication": r["publication"],
                "period": r["period"],
                "measure": r["indicator"],
                "published": r["value"],
                "qualifier": r["value_qualifier"],
                "unit": r["unit"],
                "published_items": r["items_basis"],
                "confidence": r["confidence"],
                "evalkit_year": year if res.available else None,
                "evalkit_value": value,
                "evalkit_items": items,
                "source": r["source"],
            }
        )
    frame = pd.DataFrame(out)
    note = t("screen_note_published", lang)
    if res.available:
        note += " " + _coverage_note(res, lang)
    else:
        note += " " + t("screen_note_unavailable", lang, what=t("screen_what_evalkit_values", lang))
    frame.attrs.update(
        sources=[pub.attrs["source"], _source(res) if res.available else "evalkit"],
        note=note,
    )
    return frame


#: Counts recorded for each of the latest years (the persistence window); see the README.
HEADLINE_COUNTS = (
    "dependent",
    "dependent_designated",
    "dependent_not_designated",
    "persistent",
    "persistent_designated",
    "persistent_not_designated",
)


def record_headlines(res: ScreeningRun, lang: str | None = None) -> pd.DataFrame:
    """Record the importer's headline counts for ``results.json`` (``None`` when no panel was screened).

    Keys (``<iso>`` = ``jpn`` by default; HS6 codes of the panel):

    * ``screening.<iso>.<count>.<year>`` for every count of
      :data:`HEADLINE_COUNTS` and each of the latest ``persistence_n`` years;
    * ``screening.<iso>.dependent_products``, ``.persistent_products`` and
      ``.persistent_outside_designated``: the last screened year (kept from
      before; the last equals ``persistent_not_designated.<last year>``).

    Returns
    -------
    pandas.DataFrame
        ``key``, ``value``, ``unit``.
    """
    lang = _lang(res, lang)
    last = res.years[1]
    latest = list(range(max(res.years[0], last - res.thresholds.persistence_n + 1), last + 1))
    counts = _counts(res.table).set_index("year") if res.available else None

    def count(name: str, year: int):
        if counts is None:
            return None
        return int(counts.at[year, name]) if year in counts.index else 0

    values = {f"{name}.{year}": count(name, year) for year in latest for name in HEADLINE_COUNTS}
    values.update(
        dependent_products=count("dependent", last),
        persistent_products=count("persistent", last),
        persistent_outside_designated=count("persistent_not_designated", last),
    )
    if res.available:
        codes = res.everyone["hs6"].nunique()
        source = (
            f"derived: evalkit screen (EC 2021 / CEPII GeoDep criteria) of {res.panel}, CEPII BACI "
            f"{res.revisions.get('panel') or ''}, {codes} HS6 codes, importer {res.importer}"
        )
        note = f"{codes} HS6 codes screened, not all products: not comparable with counts over a full nomenclature"
    else:
        source, note = "not available: no BACI panel given", "not computed"
    rows = []
    for name, value in values.items():
        key = f"screening.{res.key}.{name}"
        record(key, value, unit="HS6 products", source=source, note=note)
        rows.append({"key": key, "value": value, "unit": "HS6 products"})
    out = pd.DataFrame(rows)
    out.attrs.update(source=source, note=note)
    return out
