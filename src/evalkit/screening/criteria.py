"""The dependence screen as one engine-neutral ibis expression.

The screen follows the European Commission's bottom-up HS6 method (SWD(2021)
352) as replicated and extended by CEPII GeoDep (Lefebvre & Wibaux 2024, CEPII
Policy Brief 47). For every importer ``j``, HS6 product ``k`` and year ``t``:

* **C1 import concentration**: ``HHI_jkt = Σ_i s_ijkt²`` with ``s`` the share
  of exporter ``i`` in ``j``'s imports of ``k`` (0–1 scale); flagged when
  ``HHI > import_hhi`` (default 0.4, EC 2021 and GeoDep C1).
* **C2 importance in demand**: imports over a demand proxy, flagged when
  ``> demand_share`` (default 0.5, EC 2021 criterion 2, threshold unverified
  against the SWD text). BACI has no demand, so this criterion is applied
  only where a demand table is supplied; elsewhere it is *not computable* and
  left out of the conjunction (the value and the flag are null).
* **C3 substitutability**: imports over the importer's own exports of ``k``,
  flagged when ``> import_export_ratio`` (default 1); the ratio is 9999 when
  exports are zero (GeoDep convention).
* **GeoDep C2 world supply concentration**: HHI of exporters' shares in world
  exports of ``k`` in ``t``, flagged when ``> world_export_hhi`` (default 0.4).
* **Persistence (GeoDep C4)**: the product is *persistent* in ``t`` when it
  was dependent (all applicable criteria) in at least ``k`` of the ``n``
  years ``t-n+1 … t`` (default 2 of 3). Years outside the screened range
  count as not dependent; ``window_complete`` says whether the whole window
  lay inside it.

A flow written as several rows (same year, exporter, importer and product:
never so in BACI, but possible in a folder holding a year twice) is summed
before shares are taken; ``repeated_flows`` marks the importer × product ×
year rows where that happened.

Values are summed as whole USD in 64-bit integers, so totals, top-1 shares
and ratios are exact and identical on every engine; only the sums of squares
behind the HHIs are floating point (engines may differ in the last bit).
Shares and HHIs are rounded to 12 decimals, ratios to 9, before they are
compared with a threshold, so that a share of exactly 0.4 is not flagged by
``> 0.4`` through a rounding artefact. Values are reported in BACI's unit
(thousand USD).

The expression is built with ibis only, so the same code runs on DuckDB
(embedded, out of core) and on PySpark (distributed); see
:mod:`evalkit.screening.engine`.

References
----------
European Commission (2021), SWD(2021) 352 final, "Strategic dependencies and
capacities", 5 May 2021 (accompanying COM(2021) 350). Lefebvre, K. & Wibaux,
P. (2024), "GeoDep", CEPII Policy Brief 47; the GeoDep database:
https://cepii.fr/cepii/en/bdd_modele/bdd_modele_item.asp?id=41. Methodology notes:
``docs/methodology.md#screening-criteria``.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir
import pandas as pd

#: Output columns of :func:`screen_expr`, in order, with their ibis types.
OUTPUT_SCHEMA: dict[str, str] = {
    "importer": "int32",
    "hs6": "string",
    "year": "int32",
    "imports": "float64",
    "n_partners": "int64",
    "import_hhi": "float64",
    "top1_partner": "int32",
    "top1_share": "float64",
    "exports": "float64",
    "import_export_ratio": "float64",
    "world_exports": "float64",
    "world_export_hhi": "float64",
    "demand_share": "float64",
    "c_import_hhi": "boolean",
    "c_demand_share": "boolean",
    "c_import_export": "boolean",
    "c_world_export_hhi": "boolean",
    "dependent": "boolean",
    "dependent_years_in_window": "int32",
    "window_complete": "boolean",
    "persistent": "boolean",
    "designated_products": "string",
    "designated": "boolean",
    "repeated_flows": "boolean",
}

SHARE_DECIMALS = 12
RATIO_DECIMALS = 9
#: Country codes must lie in [0, CODE_SPAN) (BACI's are three-digit numeric).
CODE_SPAN = 1024


@dataclass(frozen=True)
class Thresholds:
    """Cut-offs of the screen (EC SWD(2021) 352 and CEPII GeoDep; docs/methodology.md#screening-criteria).

    Every field left out (or given as ``None``) takes its value from ``data/reference/thresholds.csv``
    (:mod:`evalkit.thresholds`), where each value sits beside the publication it comes from; a run may
    override any of them.

    Attributes
    ----------
    import_hhi : float
        C1: flag when the import HHI (0–1) is strictly above this (EC criterion 1; GeoDep C1).
    demand_share : float
        C2: flag when imports / demand proxy is strictly above this (EC criterion 2; the value is
        not yet checked against the text of SWD(2021) 352).
    import_export_ratio : float
        C3: flag when imports / exports is strictly above this (EC criterion 3; GeoDep C3).
    world_export_hhi : float
        GeoDep C2: flag when the world-export HHI (0–1) is strictly above this.
    persistence_k, persistence_n : int
        Persistent when dependent in at least ``k`` of the last ``n`` years (GeoDep C4).
    zero_exports_ratio : float
        Imports/exports ratio used when exports are zero (the GeoDep convention); it must exceed
        ``import_export_ratio``, or no product without exports could be flagged.

    Raises
    ------
    UsageError
        A cut-off that is not a finite number (NaN would silently flag
        nothing), a share outside [0, 1], a negative ratio, or persistence
        not whole numbers with 1 <= k <= n.
    """

    import_hhi: float | None = None
    demand_share: float | None = None
    import_export_ratio: float | None = None
    world_export_hhi: float | None = None
    persistence_k: int | None = None
    persistence_n: int | None = None
    zero_exports_ratio: float | None = None

    def __post_init__(self) -> None:
        from evalkit import thresholds
        from evalkit.errors import UsageError

        for f in fields(self):
            if getattr(self, f.name) is None:
                object.__setattr__(self, f.name, thresholds.value(f.name))

        for name in ("import_hhi", "demand_share", "world_export_hhi", "import_export_ratio", "zero_exports_ratio"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise UsageError(f"threshold {name}={value!r}: expected a finite number")
        for name in ("import_hhi", "demand_share", "world_export_hhi"):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise UsageError(f"threshold {name}={value!r}: expected a number between 0 and 1")
        if self.import_export_ratio < 0:
            raise UsageError(f"threshold import_export_ratio={self.import_export_ratio!r}: expected >= 0")
        if self.zero_exports_ratio <= self.import_export_ratio:
            raise UsageError(
                f"threshold import_export_ratio={self.import_export_ratio!r}: expected below the ratio given to "
                f"products without exports ({self.zero_exports_ratio:g}), or none of them could be flagged"
            )
        k, n = self.persistence_k, self.persistence_n
        if not all(isinstance(x, int) and not isinstance(x, bool) for x in (k, n)) or not (1 <= k <= n):
            raise UsageError(f"persistence {k!r} of {n!r}: expected whole numbers with 1 <= k <= n")

    def as_dict(self) -> dict[str, float]:
        """The thresholds as a plain mapping (for captions and output metadata)."""
        return asdict(self)

    def describe(self) -> str:
        """One line naming every cut-off, e.g. for a table caption."""
        return (
            f"C1 import HHI > {self.import_hhi}; C2 imports/demand > {self.demand_share} where a demand "
            f"table is given; C3 imports/exports > {self.import_export_ratio} "
            f"({self.zero_exports_ratio:g} when exports are 0); world-export HHI > {self.world_export_hhi}; "
            f"persistent when dependent in >= {self.persistence_k} of {self.persistence_n} years"
        )


def normalise_panel(raw: ir.Table) -> ir.Table:
    """BACI columns ``t,i,j,k,v`` as ``year, exporter, importer, hs6, value``.

    ``k`` is carried as an integer (``product``) while grouping, because
    integer keys hash several times faster than text; it becomes the
    six-character ``hs6`` (left-padded, so chapters 01–09 keep their leading
    zero even when a tool wrote ``10121``) only on the result. Self-trade rows
    (``i == j``) are dropped. :func:`evalkit.screening.run.screen` refuses a
    panel with a missing, negative or non-finite value, or a ``k`` that is not
    a five- or six-digit number, before this runs
    (:mod:`evalkit.screening.checks`); the null filter below only guards
    direct callers of :func:`screen_expr`.
    """
    panel = raw.select(
        year=raw.t.cast("int32"),
        exporter=raw.i.cast("int32"),
        importer=raw.j.cast("int32"),
        product=raw.k.cast("int32"),
        value=raw.v.cast("float64"),
    )
    # Whole USD as integers: sums are then exact, so every engine gets identical totals and shares.
    panel = panel.mutate(usd=(panel.value * 1000).round().cast("int64"))
    return panel.filter(panel.value.notnull(), panel.exporter != panel.importer)


def _hs_map_frame(hs_map: pd.DataFrame | None) -> pd.DataFrame:
    """HS map rows (product, hs6) collapsed to one row per hs6: slugs joined by ';'."""
    if hs_map is None or len(hs_map) == 0:
        return pd.DataFrame({"hs6_map": pd.Series([], dtype="str"), "designated_products": pd.Series([], dtype="str")})
    frame = hs_map[["product", "hs6"]].dropna().astype(str)
    frame = frame[frame["hs6"].str.fullmatch(r"\d{6}")]
    joined = (
        frame.drop_duplicates().sort_values(["hs6", "product"]).groupby("hs6")["product"].agg(";".join).reset_index()
    )
    return joined.rename(columns={"hs6": "hs6_map", "product": "designated_products"})


def _backend_name(table: ir.Table) -> str:
    """Name of the ibis backend a table lives on (``duckdb``, ``pyspark``, ...)."""
    try:
        return table._find_backend().name
    except Exception:  # an unbound table: compile-only use
        return ""


@ibis.udf.agg.builtin(name="bitstring_agg")
def _bitstring_agg(x: dt.int32, lo: dt.int32, hi: dt.int32) -> dt.binary:
    """DuckDB: a bit string with bit ``x - lo`` set for every ``x`` of the group."""


@ibis.udf.scalar.builtin(name="bit_count")
def _bit_count(x: dt.binary) -> dt.int64:
    """DuckDB: number of set bits of a bit string."""


def _distinct_exporters(rows: ir.Table, backend: str) -> ir.IntegerScalar:
    """Number of distinct exporter codes of a group.

    On DuckDB a bitmap of the codes (``bitstring_agg`` over ``[0, CODE_SPAN)``)
    counts them several times faster than ``COUNT(DISTINCT)``; other engines
    use ``COUNT(DISTINCT)``. Both give the same number.
    """
    if backend == "duckdb":
        return _bit_count(_bitstring_agg(rows.exporter, ibis.literal(0, "int32"), ibis.literal(CODE_SPAN - 1, "int32")))
    return rows.exporter.nunique()


def _partner_stats(partners: ir.Table, value: ir.IntegerColumn) -> dict:
    """Per-group import statistics over partner rows with a positive value.

    ``top_key`` packs the largest partner as one integer, value * 1024 +
    (1023 - code), so a plain MAX finds it: ties go to the smallest code,
    identically on every engine, and MAX is much cheaper than an ordered
    aggregate. BACI codes are three-digit (checked by
    :func:`evalkit.screening.run.screen` before the screen runs).
    """
    positive = value > 0
    as_float = value.cast("float64")
    top_key = value * CODE_SPAN + (CODE_SPAN - 1 - partners.exporter.cast("int64"))
    return dict(
        imports=value.sum(where=positive),
        sumsq=(as_float * as_float).sum(where=positive),
        n_partners=partners.exporter.count(where=positive),
        top_key=top_key.max(where=positive),
    )


def _import_stats(imp: ir.Table, backend: str, one_row_per_flow: bool) -> ir.Table:
    """Imports, sum of squared partner values, partner count and top partner per importer × product × year.

    A partner's value is the sum of its rows, and partners whose value is not
    positive are left out. A BACI panel has one row per year × exporter ×
    importer × product, but a folder holding a year twice, or another
    source, may not. Summing by partner first means grouping every row by
    four keys, which at BACI scale costs more than the rest of the screen
    together. So each group is summarised straight from its rows, counting
    rows and distinct exporters on the way (``repeated_flows`` when they
    differ), and only those groups are summed by partner first.

    With ``one_row_per_flow`` the second step is left out: one pass over the
    panel, about a tenth faster, but the statistics of groups marked
    ``repeated_flows`` are then wrong and the caller must run again without
    it (:func:`evalkit.screening.run.screen` does).
    """
    keys = ["importer", "product", "year"]
    per_group = imp.group_by(keys).agg(
        n_rows=imp.count(), n_exporters=_distinct_exporters(imp, backend), **_partner_stats(imp, imp.usd)
    )
    per_group = per_group.mutate(repeated_flows=per_group.n_rows != per_group.n_exporters)
    columns = [*keys, "imports", "sumsq", "n_partners", "top_key", "repeated_flows"]
    if one_row_per_flow:
        agg = per_group.filter(per_group.n_partners > 0).select(*columns)
    else:
        single = per_group.filter(~per_group.repeated_flows, per_group.n_partners > 0).select(*columns)
        rows = imp.semi_join(per_group.filter(per_group.repeated_flows).select(*keys), keys)
        partners = rows.group_by([*keys, "exporter"]).agg(pv=rows.usd.sum())
        summed = partners.group_by(keys).agg(**_partner_stats(partners, partners.pv))
        summed = summed.filter(summed.n_partners > 0).mutate(repeated_flows=ibis.literal(True))
        agg = single.union(summed.select(*columns))
    return agg.mutate(
        top1_value=agg.top_key // CODE_SPAN, top1_partner=(CODE_SPAN - 1 - agg.top_key % CODE_SPAN).cast("int32")
    )


def screen_expr(
    raw: ir.Table,
    *,
    years: tuple[int, int],
    importers: list[int] | None = None,
    thresholds: Thresholds = Thresholds(),
    hs_map: pd.DataFrame | None = None,
    demand: pd.DataFrame | None = None,
    one_row_per_flow: bool = False,
) -> ir.Table:
    """Build the screen of one BACI-like table as an ibis expression.

    Parameters
    ----------
    raw : ibis.expr.types.Table
        A table with BACI columns ``t`` (year), ``i`` (exporter code), ``j``
        (importer code), ``k`` (HS6), ``v`` (value, thousand USD), on any ibis
        backend.
    years : (int, int)
        First and last year screened, inclusive.
    importers : list of int, optional
        BACI country codes of the importers to screen; ``None`` for all.
        World-export concentration and each importer's exports are always
        computed over every country in the panel.
    thresholds : Thresholds
        Cut-offs (defaults: EC 2021 / CEPII GeoDep; ``docs/methodology.md#screening-criteria``).
    hs_map : pandas.DataFrame, optional
        Columns ``product`` (designated product slug) and ``hs6``; products
        whose ``hs6`` matches are marked ``designated``.
    demand : pandas.DataFrame, optional
        Columns ``importer``, ``hs6``, ``year``, ``demand`` (thousand USD),
        enabling criterion C2.
    one_row_per_flow : bool
        Assume one row per year × exporter × importer × product, as in BACI,
        and skip summing repeated rows by partner (one pass, faster). Rows
        marked ``repeated_flows`` are then wrong: run again with ``False``
        when any is (:func:`evalkit.screening.run.screen` does this).

    Returns
    -------
    ibis.expr.types.Table
        One row per importer × hs6 × year with imports, ordered by those
        keys; columns as in :data:`OUTPUT_SCHEMA`.
    """
    first, last = years
    th = thresholds
    panel = normalise_panel(raw)
    panel = panel.filter(panel.year.between(first - 0, last))

    # World exports of each product by exporter: C3 denominator and GeoDep C2.
    by_exporter = panel.group_by(["product", "year", "exporter"]).agg(exp_value=panel.usd.sum())
    world = by_exporter.group_by(["product", "year"]).agg(
        world_exports=by_exporter.exp_value.sum(),
        world_sumsq=(by_exporter.exp_value.cast("float64") * by_exporter.exp_value.cast("float64")).sum(),
    )
    world = world.select(
        "product",
        "year",
        "world_exports",
        world_export_hhi=(world.world_sumsq / (world.world_exports.cast("float64") ** 2)).round(SHARE_DECIMALS),
    )
    own_exports = by_exporter.select(
        importer=by_exporter.exporter, product=by_exporter.product, year=by_exporter.year, exports=by_exporter.exp_value
    )

    imp = panel if importers is None else panel.filter(panel.importer.isin(list(importers)))
    agg = _import_stats(imp, _backend_name(raw), one_row_per_flow)
    joined = agg.left_join(own_exports, ["importer", "product", "year"]).select(agg, own_exports.exports)
    joined = joined.left_join(world, ["product", "year"]).select(joined, world.world_exports, world.world_export_hhi)

    if demand is not None and len(demand):
        dem = demand[["importer", "hs6", "year", "demand"]].astype(
            {"importer": "int32", "hs6": "int32", "year": "int32", "demand": "float64"}
        )
        dem = ibis.memtable(dem.rename(columns={"importer": "d_importer", "hs6": "d_product", "year": "d_year"}))
        joined = joined.left_join(
            dem, [joined.importer == dem.d_importer, joined.product == dem.d_product, joined.year == dem.d_year]
        ).select(joined, dem.demand)
        demand_share = ibis.ifelse(
            joined.demand > 0,
            (joined.imports.cast("float64") / 1000 / joined.demand).round(SHARE_DECIMALS),
            ibis.null(),
        )
    else:
        demand_share = ibis.null().cast("float64")

    exports = joined.exports.fill_null(0)
    ratio = ibis.ifelse(
        exports > 0,
        (joined.imports.cast("float64") / exports.cast("float64")).round(RATIO_DECIMALS),
        th.zero_exports_ratio,
    )
    hhi = (joined.sumsq / (joined.imports.cast("float64") ** 2)).round(SHARE_DECIMALS)
    step = joined.select(
        importer=joined.importer.cast("int32"),
        product=joined.product,
        year=joined.year.cast("int32"),
        imports=joined.imports.cast("float64") / 1000,
        n_partners=joined.n_partners.cast("int64"),
        import_hhi=hhi,
        top1_partner=joined.top1_partner.cast("int32"),
        top1_share=(joined.top1_value.cast("float64") / joined.imports.cast("float64")).round(SHARE_DECIMALS),
        exports=exports.cast("float64") / 1000,
        import_export_ratio=ratio,
        world_exports=joined.world_exports.cast("float64") / 1000,
        world_export_hhi=joined.world_export_hhi,
        demand_share=demand_share.cast("float64"),
        repeated_flows=joined.repeated_flows,
    )
    c_dem = ibis.ifelse(step.demand_share.isnull(), ibis.null(), step.demand_share > th.demand_share)
    step = step.mutate(
        c_import_hhi=step.import_hhi > th.import_hhi,
        c_demand_share=c_dem.cast("boolean"),
        c_import_export=step.import_export_ratio > th.import_export_ratio,
        c_world_export_hhi=step.world_export_hhi > th.world_export_hhi,
    )
    step = step.mutate(
        dependent=step.c_import_hhi
        & step.c_import_export
        & step.c_world_export_hhi
        & step.c_demand_share.fill_null(True)
    )
    window = ibis.range_window(
        preceding=th.persistence_n - 1, following=0, group_by=[step.importer, step.product], order_by=step.year
    )
    step = step.mutate(dependent_years_in_window=step.dependent.cast("int64").sum().over(window))
    step = step.mutate(
        window_complete=(step.year - (th.persistence_n - 1)) >= first,
        persistent=step.dependent_years_in_window >= th.persistence_k,
    )

    step = step.mutate(hs6=step.product.cast("string").lpad(6, "0"))
    hs = ibis.memtable(_hs_map_frame(hs_map))
    out = step.left_join(hs, step.hs6 == hs.hs6_map).select(step, hs.designated_products)
    out = out.mutate(designated=out.designated_products.notnull())
    out = out.order_by(["importer", "product", "year"])
    return out.select(*[out[name].cast(kind).name(name) for name, kind in OUTPUT_SCHEMA.items()])
