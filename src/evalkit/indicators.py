"""External-dependence indicators: concentration, named-country shares, 基本指針 ratios.

All functions are pure: they take pandas objects, return new ones, and never
read files. They work the same "by value" and "by quantity": pass the column
to measure (``value`` in any currency unit, ``quantity`` in any mass unit).
Every share is unit-free, so rescaling the measure (千円 → 円, t → kg) or
re-ordering partners leaves every indicator unchanged.

Aggregate partners (World, "areas nes", EU, "Other") never enter a share:
rows whose ``partner_is_aggregate`` is true are dropped before any share is
computed, and a partner table without that column is assumed to hold
countries only.

Definitions (s_c = share of partner c in the product's imports from all
non-aggregate partners in one year; M = imports, X = exports, P = domestic
production, D = P + M − X = apparent domestic demand):

==========================  =======================================  ==========
indicator                   formula                                  range
==========================  =======================================  ==========
HHI                         Σ_c s_c²                                 (0, 1]
HHI, 0–10,000 convention    10,000 × Σ_c s_c²                        (0, 10000]
effective suppliers         1 / HHI                                  [1, n]
top-1 share                 max_c s_c                                (0, 1]
top-3 share                 sum of the three largest s_c             (0, 1]
named-country share         M_china / M                              [0, 1]
net import reliance         (M − X) / (P + M − X), clipped to [0, 1]  [0, 1]
基本指針 (a)                 Σ_{c∈K} M_c / D                          [0, ∞)
基本指針 (b)                 P / D  (self-sufficiency)                [0, ∞)
基本指針 (c)                 max_c M_c / D  (一国依存度)                [0, ∞)
EU CRMA test                breach when top-1 share > benchmark [4]  bool
==========================  =======================================  ==========

Always Top1² ≤ HHI ≤ Top1, so an HHI of at least 0.5 implies a supplier of
more than half.

References
----------
.. [1] 特定重要物資の安定的な供給の確保に関する基本指針 (Cabinet decision,
   2022-09-30), ch. 3 §3 外部依存性: the three ratios (a)–(c).
.. [2] European Commission, SWD(2021) 352 "Strategic dependencies and
   capacities"; Arjona, Connell & Herghelegiu (2023): HHI > 0.4 on extra-EU
   imports, import share of demand > 0.5, imports/exports > 1.
.. [3] CEPII GeoDep (Vicard & Wibaux 2023): the same criteria with a
   persistence rule over consecutive years.
.. [4] Regulation (EU) 2024/1252 (Critical Raw Materials Act), Art. 5(1):
   no more than 65% of annual consumption of a strategic raw material from
   a single third country by 2030.
.. [5] USGS Mineral Commodity Summaries: net import reliance as a share of
   apparent consumption.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from evalkit import thresholds

#: Default named country for the named-country share (ISO 3166-1 alpha-3).
DEFAULT_NAMED = "CHN"


def _carry(frame: pd.DataFrame) -> dict:
    """The caption attributes worth carrying to a derived table (text only)."""
    return {k: v for k, v in frame.attrs.items() if k in ("source", "sources", "as_of") and not hasattr(v, "shape")}


def _countries(flows: pd.DataFrame, partner: str, measure: str) -> pd.DataFrame:
    """Rows of non-aggregate partners with a finite, non-negative measure."""
    for col in (partner, measure):
        if col not in flows.columns:
            raise KeyError(f"indicator input has no column {col!r}; columns are {list(flows.columns)}")
    out = flows
    if "partner_is_aggregate" in flows.columns:
        out = out[~out["partner_is_aggregate"].fillna(False).astype(bool)]
    values = pd.to_numeric(out[measure], errors="coerce")
    if (values < 0).any():
        raise ValueError(f"indicator input: negative {measure!r}; imports cannot be negative")
    return out.assign(**{measure: values}).dropna(subset=[measure])


def partner_shares(
    flows: pd.DataFrame, *, measure: str = "value", partner: str = "partner", by: Sequence[str] = ("year",)
) -> pd.DataFrame:
    """Share of each partner in imports, per group.

    Parameters
    ----------
    flows : pandas.DataFrame
        One row per (group, partner[, product]) flow. Rows of the same
        partner within a group (e.g. several HS codes) are summed.
    measure : str
        Column to measure: ``value`` (any currency unit) or ``quantity``
        (any mass unit). Shares are unit-free.
    partner : str
        Column identifying the partner (ISO alpha-3 or the source's code).
    by : sequence of str
        Grouping columns (default ``("year",)``); may be empty.

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, ``partner``, ``imports`` (sum of ``measure``, same
        unit as the input) and ``share`` (unit-free, sums to 1 per group with
        positive imports), sorted by group and descending share.
    """
    by = list(by)
    rows = _countries(flows, partner, measure)
    keys = by + [partner]
    summed = rows.groupby(keys, dropna=False, sort=True)[measure].sum().reset_index()
    summed = summed.rename(columns={measure: "imports"})
    total = summed.groupby(by, dropna=False)["imports"].transform("sum") if by else summed["imports"].sum()
    summed["share"] = np.where(total > 0, summed["imports"] / total, np.nan)
    summed = summed.sort_values(
        by + ["share", partner], ascending=[True] * len(by) + [False, True], kind="mergesort"
    ).reset_index(drop=True)
    summed.attrs = _carry(flows)
    return summed


def hhi(shares: Iterable[float], *, scale: float = 1.0) -> float:
    """Herfindahl–Hirschman index of supplier shares.

    Parameters
    ----------
    shares : iterable of float
        Shares of each supplier (unit-free, summing to 1). Non-normalised
        amounts are normalised first, so imports in any unit may be passed.
    scale : float
        1 (default) for the 0–1 index; 10,000 for the competition-policy
        convention; 100 for the 通商白書 convention.

    Returns
    -------
    float
        Σ s², times ``scale``; NaN when the total is zero or there are no
        suppliers.
    """
    arr = np.asarray(list(shares), dtype=float)
    arr = arr[~np.isnan(arr)]
    total = arr.sum()
    if arr.size == 0 or total <= 0:
        return float("nan")
    s = arr / total
    return float(np.sum(s * s) * scale)


def effective_suppliers(shares: Iterable[float]) -> float:
    """Effective number of suppliers, 1 / HHI (unit-free; between 1 and n)."""
    h = hhi(shares)
    return float("nan") if np.isnan(h) else 1.0 / h


def top_share(shares: Iterable[float], k: int = 1) -> float:
    """Sum of the ``k`` largest supplier shares (input normalised first)."""
    arr = np.asarray(list(shares), dtype=float)
    arr = arr[~np.isnan(arr)]
    total = arr.sum()
    if arr.size == 0 or total <= 0:
        return float("nan")
    return float(np.sort(arr / total)[::-1][:k].sum())


def crma_breach(top1: float, threshold: float | None = None) -> bool | None:
    """EU CRMA single-country test: True when one country supplies more than ``threshold``.

    ``None`` when ``top1`` is NaN (no imports). The CRMA benchmark concerns
    *consumption*; on trade data alone it is applied to imports (a proxy).
    ``threshold`` defaults to ``crma_single_country`` in ``data/reference/thresholds.csv`` (0–1).
    """
    if top1 is None or np.isnan(top1):
        return None
    return bool(top1 > (thresholds.value("crma_single_country") if threshold is None else threshold))


def concentration(
    flows: pd.DataFrame,
    *,
    measure: str = "value",
    partner: str = "partner",
    by: Sequence[str] = ("year",),
    named: str = DEFAULT_NAMED,
    named_column: str | None = None,
) -> pd.DataFrame:
    """The concentration indicators per group.

    Parameters
    ----------
    flows : pandas.DataFrame
        Partner flows (aggregates are dropped, see module notes).
    measure, partner, by
        As for :func:`partner_shares`.
    named : str
        Partner whose share is reported as ``named_share`` (China, ``CHN``, by
        default).
    named_column : str, optional
        Column in which to look for ``named`` (default: ``partner_iso3`` when
        present, else ``partner``).

    Returns
    -------
    pandas.DataFrame
        One row per group: ``imports`` (unit of ``measure``), ``n_partners``,
        ``hhi`` (0–1), ``hhi_10000``, ``n_eff``, ``top1_partner``,
        ``top1_share``, ``top3_share``, ``named_share``, ``crma_65_breach``.
    """
    by = list(by)
    rows = _countries(flows, partner, measure)
    named_column = named_column or ("partner_iso3" if "partner_iso3" in rows.columns else partner)
    shares = partner_shares(rows, measure=measure, partner=partner, by=by)
    named_imports = (
        rows[rows[named_column] == named].groupby(by, dropna=False)[measure].sum()
        if by
        else pd.Series([rows.loc[rows[named_column] == named, measure].sum()])
    )
    threshold = thresholds.value("crma_single_country")  # one lookup per call, not one per group
    named_by_key = named_imports.to_dict() if by else {}
    # ``shares`` is sorted by group and then by descending share, so each group is one contiguous run of rows:
    # walk those runs on NumPy arrays (a pandas sub-frame per group costs ~100 times more) with the same
    # arithmetic per group as before.
    if by:
        gid = shares.groupby(by, dropna=False, sort=True).ngroup().to_numpy()
        starts = np.flatnonzero(np.r_[True, gid[1:] != gid[:-1]]) if len(gid) else np.array([], dtype=int)
    else:
        starts = np.array([0]) if len(shares) else np.array([], dtype=int)
    ends = np.r_[starts[1:], len(shares)].astype(int)
    imports_arr = shares["imports"].to_numpy(dtype=float)
    share_arr = shares["share"].to_numpy(dtype=float)
    partner_arr = shares[partner].to_numpy(dtype=object)
    key_arrs = [shares[c].to_numpy(dtype=object) for c in by]
    out = []
    for a, b in zip(starts, ends):
        key = tuple(k[a] for k in key_arrs)
        total = float(imports_arr[a:b].sum())
        s = share_arr[a:b]
        top1 = float(s.max()) if total > 0 else float("nan")
        nm = float(named_by_key.get(key if len(key) > 1 else key[0], 0.0)) if by else float(named_imports.iloc[0])
        out.append(
            {
                **dict(zip(by, key)),
                "imports": total,
                "n_partners": int((imports_arr[a:b] > 0).sum()),
                "hhi": hhi(s),
                "hhi_10000": hhi(s, scale=10_000),
                "n_eff": effective_suppliers(s),
                "top1_partner": partner_arr[a] if total > 0 else None,
                "top1_share": top1,
                "top3_share": top_share(s, 3),
                "named_share": nm / total if total > 0 else float("nan"),
                "crma_65_breach": crma_breach(top1, threshold),
            }
        )
    frame = pd.DataFrame(
        out,
        columns=by
        + [
            "imports",
            "n_partners",
            "hhi",
            "hhi_10000",
            "n_eff",
            "top1_partner",
            "top1_share",
            "top3_share",
            "named_share",
            "crma_65_breach",
        ],
    )
    frame.attrs = _carry(flows)
    frame.attrs["note"] = (
        f"derived by evalkit from partner flows ({measure}); aggregates excluded; named_share = share of {named}"
    )
    return frame


def net_import_reliance(imports: float, exports: float, production: float) -> float:
    """Net import reliance, (M − X) / (P + M − X), clipped to [0, 1].

    Parameters
    ----------
    imports, exports, production : float
        In one and the same unit (value or quantity).

    Returns
    -------
    float
        Unit-free; NaN when apparent consumption P + M − X is not positive.
    """
    demand = production + imports - exports
    if not demand > 0:
        return float("nan")
    return float(min(max((imports - exports) / demand, 0.0), 1.0))


def guideline_ratios(
    partner_imports: pd.Series, *, production: float, exports: float = 0.0, k: int | Sequence[str] = 3
) -> dict[str, float]:
    """The three 基本指針 external-dependence ratios for one product and year.

    Parameters
    ----------
    partner_imports : pandas.Series
        Imports by partner (index: partner; aggregates already removed), in
        the unit of ``production``.
    production : float
        Domestic production P, same unit.
    exports : float
        Exports X, same unit (0 when unknown: then D = P + M).
    k : int or sequence of str
        The "few specific countries": the ``k`` largest suppliers, or an
        explicit set of partners.

    Returns
    -------
    dict
        ``demand`` (D = P + M − X, the input unit), ``imports`` (M),
        ``dependence_few`` (a), ``self_sufficiency`` (b), ``top1_of_demand``
        (c, against demand), ``top1_of_imports`` (c, against imports) and
        ``import_reliance``; ratios unit-free, NaN when D ≤ 0.

    References
    ----------
    基本指針 (2022-09-30) ch. 3 §3; METI 令和2年度 study (一国依存度).
    """
    m = pd.to_numeric(partner_imports, errors="coerce").fillna(0.0)
    if (m < 0).any():
        raise ValueError("guideline_ratios: negative imports")
    total = float(m.sum())
    demand = production + total - exports
    few = (
        float(m.sort_values(ascending=False).iloc[:k].sum())
        if isinstance(k, int)
        else float(m[m.index.isin(list(k))].sum())
    )
    top1 = float(m.max()) if len(m) else 0.0
    ok = demand > 0
    return {
        "demand": demand,
        "imports": total,
        "dependence_few": few / demand if ok else float("nan"),
        "self_sufficiency": production / demand if ok else float("nan"),
        "top1_of_demand": top1 / demand if ok else float("nan"),
        "top1_of_imports": top1 / total if total > 0 else float("nan"),
        "import_reliance": net_import_reliance(total, exports, production),
    }


def ec_dependence(hhi_value: float, import_share_of_demand: float, imports_over_exports: float) -> bool | None:
    """EC/CEPII foreign-dependence criteria: all three must hold.

    Parameters
    ----------
    hhi_value : float
        HHI (0–1) of imports by supplier; criterion > ``import_hhi``.
    import_share_of_demand : float
        Imports / demand (or the EC's proxy, extra-EU / total imports);
        criterion > ``demand_share``.
    imports_over_exports : float
        Imports / exports (substitutability by domestic production);
        criterion > ``import_export_ratio`` (use ``inf`` when exports are zero).
        The cut-offs are in ``data/reference/thresholds.csv`` (:mod:`evalkit.thresholds`).

    Returns
    -------
    bool or None
        None when any input is NaN.
    """
    vals = (hhi_value, import_share_of_demand, imports_over_exports)
    if any(v is None or (isinstance(v, float) and np.isnan(v)) for v in vals):
        return None
    return bool(
        hhi_value > thresholds.value("import_hhi")
        and import_share_of_demand > thresholds.value("demand_share")
        and imports_over_exports > thresholds.value("import_export_ratio")
    )


def persistent(flags: pd.Series, *, k: int | None = None, n: int | None = None) -> pd.Series:
    """Persistence rule: flagged in at least ``k`` of the last ``n`` years.

    Parameters
    ----------
    flags : pandas.Series
        Boolean flag per year (index: year, integers; gaps count as not
        flagged, missing years are not invented).
    k, n : int, optional
        At least ``k`` of ``n`` years; default ``persistence_k`` / ``persistence_n`` in
        ``data/reference/thresholds.csv`` (GeoDep C4).

    Returns
    -------
    pandas.Series
        Boolean per year, True when at least ``k`` of the years
        ``year − n + 1 … year`` are flagged; False while fewer than ``n``
        years of history exist.
    """
    k = thresholds.value("persistence_k") if k is None else k
    n = thresholds.value("persistence_n") if n is None else n
    if not 1 <= k <= n:
        raise ValueError("persistent: need 1 <= k <= n")
    years = sorted(int(y) for y in flags.index)
    f = {int(y): bool(v) for y, v in flags.fillna(False).items()}
    first = years[0] if years else 0
    out = {}
    for y in years:
        window = range(y - n + 1, y + 1)
        out[y] = (y - n + 1 >= first) and sum(f.get(w, False) for w in window) >= k
    return pd.Series(out, name="persistent", dtype=bool)
