"""Tables of notebook ``60_risk_screening``: one importer's dependent products.

:func:`run` screens a BACI file the user supplies (BACI cannot ship with
evalkit: CEPII's licence and its size). Every other function takes the
:class:`ScreeningRun` it returns and gives one table: the flagged products
with their partner concentration, how many fall inside or outside the
designated products, the churn of flags between years, and the published
counts (通商白書 2024, 内閣府 2022) beside evalkit's own counts, as a
comparison, not a validation. Without a BACI file each table says so, and
:func:`data_status` says what to download and where to put it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from evalkit.data import read_table, table_path
from evalkit.paths import data_dir, project_root, relative
from evalkit.results import record
from evalkit.screening.criteria import OUTPUT_SCHEMA, Thresholds
from evalkit.screening.run import SOURCE, parse_years, resolve_importer

__all__ = [
    "Thresholds",
    "ScreeningRun",
    "churn",
    "data_status",
    "default_hs_map",
    "designation_split",
    "flagged",
    "published_comparison",
    "record_headlines",
    "run",
    "thresholds_table",
]

CHINA = 156  #: BACI code of China
#: Where the notebook suggests putting BACI (outside data/, which holds only sidecar-carrying files).
BACI_HOME = "external/baci"
BACI_URL = "https://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=37"
THRESHOLD_SOURCES = {
    "import_hhi": "EC SWD(2021) 352 criterion 1; CEPII GeoDep C1 (docs/methodology.md#screening-criteria)",
    "demand_share": (
        "EC SWD(2021) 352 criterion 2 (threshold unverified against the SWD text; "
        "docs/methodology.md#screening-criteria)"
    ),
    "import_export_ratio": (
        "EC SWD(2021) 352 criterion 3; CEPII GeoDep C3, 9999 when exports are 0 "
        "(docs/methodology.md#screening-criteria)"
    ),
    "world_export_hhi": "CEPII GeoDep C2, Lefebvre & Wibaux 2024 (docs/methodology.md#screening-criteria)",
    "persistence": "CEPII GeoDep C4: all criteria in >= 2 of 3 years (docs/methodology.md#screening-criteria)",
}


def default_hs_map() -> Path | None:
    """``data/reference/hs_map.csv`` when it exists, else ``None``."""
    path = data_dir() / "reference" / "hs_map.csv"
    return path if path.is_file() else None


def _empty() -> pd.DataFrame:
    return pd.DataFrame(
        {
            name: pd.Series([], dtype={"boolean": "boolean", "string": "string"}.get(kind, kind))
            for name, kind in OUTPUT_SCHEMA.items()
        }
    )


@dataclass
class ScreeningRun:
    """The result of :func:`run`: the screen of one importer, or why there is none.

    Attributes
    ----------
    table : pandas.DataFrame
        The screen (:data:`evalkit.screening.criteria.OUTPUT_SCHEMA`); empty without a BACI file.
    available : bool
        Whether a BACI file was screened.
    importer : str
        Importer as given; ``importer_code`` its BACI code (None if unresolved).
    years : (int, int)
    thresholds : Thresholds
    hs_map : str
        Which HS map marked the designated products (or why none did).
    """

    table: pd.DataFrame
    available: bool
    importer: str
    importer_code: int | None
    years: tuple[int, int]
    thresholds: Thresholds
    baci: str
    hs_map: str
    notes: list[str] = field(default_factory=list)

    @property
    def summary(self) -> pd.DataFrame:
        """What was screened, as a two-column table."""
        t = self.table
        last = t[t["year"] == self.years[1]] if self.available else t
        rows = [
            ("BACI file", self.baci or "none given (see the download instructions above)"),
            ("importer", f"{self.importer} (BACI code {self.importer_code})" if self.importer_code else self.importer),
            ("years", f"{self.years[0]}-{self.years[1]}"),
            ("criteria", self.thresholds.describe()),
            ("HS map (designated products)", self.hs_map),
            ("importer x HS6 x year rows screened", f"{len(t):,}" if self.available else "not computed"),
            (f"HS6 products imported in {self.years[1]}", f"{len(last):,}" if self.available else "not computed"),
            (
                f"dependent in {self.years[1]}",
                f"{int(last['dependent'].sum()):,}" if self.available else "not computed",
            ),
            (
                f"persistent in {self.years[1]}",
                f"{int(last['persistent'].sum()):,}" if self.available else "not computed",
            ),
        ]
        out = pd.DataFrame(rows, columns=["item", "value"])
        out.attrs.update(
            source=SOURCE if self.available else "evalkit (no BACI file given)", note=" ".join(self.notes) or None
        )
        return out


def thresholds_table(thresholds: Thresholds | None = None) -> pd.DataFrame:
    """The cut-offs in use, each with the source of its default.

    Returns
    -------
    pandas.DataFrame
        ``criterion``, ``rule``, ``value``, ``default``, ``source``.
    """
    th = thresholds or Thresholds()
    d = Thresholds()
    rows = [
        ("C1 import concentration", "import HHI (0-1) >", th.import_hhi, d.import_hhi, THRESHOLD_SOURCES["import_hhi"]),
        (
            "C2 importance in demand",
            "imports / demand >",
            th.demand_share,
            d.demand_share,
            THRESHOLD_SOURCES["demand_share"] + "; not computable from BACI alone, left out unless demand is given",
        ),
        (
            "C3 substitutability",
            "imports / own exports >",
            th.import_export_ratio,
            d.import_export_ratio,
            THRESHOLD_SOURCES["import_export_ratio"],
        ),
        (
            "world supply concentration",
            "world-export HHI (0-1) >",
            th.world_export_hhi,
            d.world_export_hhi,
            THRESHOLD_SOURCES["world_export_hhi"],
        ),
        (
            "persistence",
            "dependent years in window >=",
            f"{th.persistence_k} of {th.persistence_n}",
            f"{d.persistence_k} of {d.persistence_n}",
            THRESHOLD_SOURCES["persistence"],
        ),
    ]
    out = pd.DataFrame(rows, columns=["criterion", "rule", "value", "default", "source"])
    out["value"] = out["value"].astype(str)
    out["default"] = out["default"].astype(str)
    out.attrs.update(source="docs/methodology.md#screening-criteria (EC 2021; CEPII GeoDep 2024)")
    return out


def data_status(baci: str = "") -> pd.DataFrame:
    """Whether a BACI file is given, and what to download when it is not.

    Parameters
    ----------
    baci : str
        Path given to the notebook ('' = none).

    Returns
    -------
    pandas.DataFrame
        ``item``, ``value``: the file used, or the download steps.
    """
    hs = default_hs_map()
    hs_text = relative(hs) if hs else "data/reference/hs_map.csv not found: designated products cannot be marked"
    if baci:
        rows = [("BACI panel", baci), ("HS map", hs_text)]
    else:
        rows = [
            ("BACI panel", "none given: the tables below are empty, and say so"),
            (
                "what to download",
                f"CEPII BACI (free registration), {BACI_URL}: the release in the HS revision that "
                "matches the HS map (HS17 for 2017 onward, HS22 for 2022 onward; HS92 for long "
                "series), e.g. BACI_HS17_V202501.zip",
            ),
            (
                "files in the archive",
                "BACI_HS17_Y2019_V202501.csv ... one CSV per year (t,i,j,k,v,q; v in thousand "
                "USD, q in tonnes), country_codes_V202501.csv, product_codes_HS17_V202501.csv",
            ),
            (
                "where to put it",
                f"unzip into {BACI_HOME}/BACI_HS17_V202501/ under the project root (outside data/, "
                "which holds only files with sidecars; not committed)",
            ),
            (
                "how to run",
                f"evalkit report --only 60 -p baci={BACI_HOME}/BACI_HS17_V202501 -p years=2019-2022, or "
                f"evalkit screen --baci {BACI_HOME}/BACI_HS17_V202501 --importer JPN --years 2019-2022",
            ),
            ("HS map", hs_text),
        ]
    out = pd.DataFrame(rows, columns=["item", "value"])
    out.attrs.update(source=f"CEPII BACI ({BACI_URL})")
    return out


def run(
    baci: str = "",
    importer: str = "JPN",
    years: str = "2019-2022",
    import_hhi: float = 0.4,
    import_export_ratio: float = 1.0,
    world_export_hhi: float = 0.4,
    persistence_k: int = 2,
    persistence_n: int = 3,
    engine: str = "duckdb",
    hs_map: str | Path | None = None,
) -> ScreeningRun:
    """Screen ``importer`` in ``baci`` (or record that no file was given).

    Parameters
    ----------
    baci : str
        BACI panel path ('' = none: an empty, labelled result); relative
        paths are taken from the project root.
    importer, years : str
        As for :func:`evalkit.screening.screen`.
    import_hhi, import_export_ratio, world_export_hhi : float
        Cut-offs (see :class:`Thresholds`).
    persistence_k, persistence_n : int
        Persistence rule.
    engine : str
        ``duckdb`` or ``spark``.
    hs_map : path, optional
        Product -> HS6 map; default ``data/reference/hs_map.csv`` when it exists.

    Returns
    -------
    ScreeningRun
    """
    from evalkit.screening.run import screen

    th = Thresholds(
        import_hhi=import_hhi,
        import_export_ratio=import_export_ratio,
        world_export_hhi=world_export_hhi,
        persistence_k=persistence_k,
        persistence_n=persistence_n,
    )
    span = parse_years(years)
    hs = Path(hs_map) if hs_map else default_hs_map()
    hs_text = relative(hs) if hs else "none (data/reference/hs_map.csv not found): designated = false everywhere"
    if not baci:
        code = resolve_importer(importer, [project_root() / "none"])
        return ScreeningRun(
            _empty(), False, importer, code, span, th, "", hs_text, ["No BACI file given: nothing screened"]
        )
    path = Path(baci)
    if not path.is_absolute():
        path = project_root() / path
    table = screen(path, importer=importer, years=span, thresholds=th, hs_map=hs, engine=engine)
    return ScreeningRun(table, True, importer, table.attrs.get("importer"), span, th, baci, hs_text)


def _unavailable(columns: list[str], what: str) -> pd.DataFrame:
    out = pd.DataFrame({c: pd.Series([], dtype="object") for c in columns})
    out.attrs.update(source="evalkit", note=f"{what}: not available, no BACI file given")
    return out


def flagged(res: ScreeningRun, year: int | None = None, limit: int = 50) -> pd.DataFrame:
    """Products persistent in ``year`` (default the last), most concentrated first.

    Returns
    -------
    pandas.DataFrame
        ``hs6``, ``imports`` (thousand USD), ``n_partners``, ``import_hhi``,
        ``top1_partner``, ``top1_share``, ``import_export_ratio``,
        ``world_export_hhi``, ``dependent_years_in_window``,
        ``designated_products``; at most ``limit`` rows (the count of all is
        in the caption).
    """
    cols = [
        "hs6",
        "imports",
        "n_partners",
        "import_hhi",
        "top1_partner",
        "top1_share",
        "import_export_ratio",
        "world_export_hhi",
        "dependent_years_in_window",
        "designated_products",
    ]
    if not res.available:
        return _unavailable(cols, "flagged products")
    year = year or res.years[1]
    t = res.table
    sel = t[(t["year"] == year) & t["persistent"]].sort_values(["import_hhi", "imports"], ascending=[False, False])
    out = sel[cols].head(limit).reset_index(drop=True)
    out.attrs.update(
        source=SOURCE,
        as_of=str(year),
        note=f"{len(sel):,} products persistent in {year}; showing {len(out)}. {res.thresholds.describe()}.",
    )
    return out


def designation_split(res: ScreeningRun) -> pd.DataFrame:
    """Persistent products per year inside and outside the designated products.

    Returns
    -------
    pandas.DataFrame
        ``year``, ``persistent``, ``inside_designated``, ``outside_designated``.
    """
    cols = ["year", "persistent", "inside_designated", "outside_designated"]
    if not res.available:
        return _unavailable(cols, "inside vs outside designated products")
    t = res.table[res.table["persistent"]]
    out = t.groupby("year").agg(persistent=("hs6", "size"), inside_designated=("designated", "sum")).reset_index()
    out["outside_designated"] = out["persistent"] - out["inside_designated"]
    out = out.astype({"persistent": "int64", "inside_designated": "int64", "outside_designated": "int64"})
    out.attrs.update(source=SOURCE, note=f"Designated = HS6 in the HS map ({res.hs_map}).")
    return out[cols]


def churn(res: ScreeningRun, flag: str = "dependent") -> pd.DataFrame:
    """Entries to and exits from the flagged set between consecutive years.

    Parameters
    ----------
    flag : {'dependent', 'persistent'}
        Which flag to follow.

    Returns
    -------
    pandas.DataFrame
        ``year``, ``flagged``, ``stayed``, ``entered``, ``exited`` (relative
        to the year before), ``exit_rate`` (exited / flagged the year before).
    """
    cols = ["year", "flagged", "stayed", "entered", "exited", "exit_rate"]
    if not res.available:
        return _unavailable(cols, "churn of flags")
    t = res.table
    sets = {y: set(t.loc[(t["year"] == y) & t[flag], "hs6"]) for y in range(res.years[0], res.years[1] + 1)}
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
    out.attrs.update(
        source=SOURCE,
        note=f"Flag followed: {flag}. CEPII (Vicard & Wibaux 2023) found strong churn in "
        "the EU list: a product leaving the list is not evidence of policy success.",
    )
    return out


def published_comparison(res: ScreeningRun) -> pd.DataFrame:
    """Published counts for the importer beside evalkit's counts on the same definitions.

    evalkit's columns are computed on BACI HS6 for the year the publication
    describes when it was screened (else the last screened year), with the
    publication's own thresholds (HHI >= 0.5; China share > 50%). Item
    definitions, coverage and years differ: this is a comparison, not a
    check of either number.

    Returns
    -------
    pandas.DataFrame
        ``publication``, ``period``, ``measure``, ``published``, ``unit``,
        ``confidence``, ``evalkit_year``, ``evalkit_value``, ``evalkit_items``.
    """
    pub = read_table(table_path("compiled", "screening_counts_published", "latest"))
    iso = str(res.importer).upper() if not str(res.importer).isdigit() else None
    if iso is None:
        from evalkit.screening.run import BACI_CODES

        iso = {v: k for k, v in BACI_CODES.items()}.get(int(res.importer))
    rows = pub[pub["economy_iso3"] == iso] if iso else pub.iloc[0:0]
    t = res.table
    out = []
    for _, r in rows.iterrows():
        year = (
            int(r["year"])
            if pd.notna(r["year"]) and res.available and res.years[0] <= int(r["year"]) <= res.years[1]
            else res.years[1]
        )
        value, items = None, None
        if res.available:
            sel = t[t["year"] == year]
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
    frame.attrs.update(
        sources=[pub.attrs["source"], SOURCE if res.available else "evalkit: not computed (no BACI file given)"],
        note=(
            "Published figures are as relayed by news reports (confidence per row). evalkit's values count BACI HS6 "
            "lines, not the publications' statistical items, and BACI reconciles mirror flows: a comparison, "
            "not a validation." + ("" if res.available else " evalkit values: not available, no BACI file given")
        ),
    )
    return frame


def record_headlines(res: ScreeningRun) -> pd.DataFrame:
    """Record the headline counts of the screen (``None`` when no BACI file was given).

    Keys: ``screening.<iso>.persistent_products``,
    ``screening.<iso>.persistent_outside_designated``,
    ``screening.<iso>.dependent_products``; all for the last screened year.
    """
    key = str(res.importer).lower() if str(res.importer).isalpha() else f"c{res.importer}"
    year = res.years[1]
    t = res.table[res.table["year"] == year] if res.available else None
    values = {
        "persistent_products": int(t["persistent"].sum()) if t is not None else None,
        "persistent_outside_designated": int((t["persistent"] & ~t["designated"]).sum()) if t is not None else None,
        "dependent_products": int(t["dependent"].sum()) if t is not None else None,
    }
    source = (
        f"derived: evalkit screen of {Path(res.baci).name}, {year}"
        if res.available
        else "not available: no BACI file given"
    )
    rows = []
    for name, value in values.items():
        record(
            f"screening.{key}.{name}",
            value,
            unit="HS6 products",
            source=source,
            note="" if res.available else "not computed",
        )
        rows.append({"key": f"screening.{key}.{name}", "value": value, "unit": "HS6 products"})
    out = pd.DataFrame(rows)
    out.attrs.update(source=source)
    return out
